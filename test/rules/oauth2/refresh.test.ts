import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenStoreKey } from '../../../rules/oauth2/index.ts';
import { openTokenStore } from '../../../src/core/token-store.ts';
import { startOidcServer, type OidcTestServer } from '../../helpers/oidc-server.ts';
import { apiSpec, harness } from './harness.ts';

let as: OidcTestServer;
let dir: string;

beforeAll(async () => {
  as = await startOidcServer({ deviceInterval: 1 });
  dir = await mkdtemp(join(tmpdir(), 'authdoctor-oauth2-'));
  await chmod(dir, 0o700);
});
afterAll(async () => {
  await as?.close();
  await rm(dir, { recursive: true, force: true });
});

function expiredToken() {
  const now = Math.floor(Date.now() / 1000);
  return as.mintAccessToken({ iat: now - 3600, exp: now - 600 });
}

describe('refresh in place against a real authorization server', () => {
  it('diagnoses an expired token, refreshes it with one action, and the retried request succeeds', async () => {
    const h = harness(as);
    const user = await as.obtainUserTokens('public');
    const profile = { name: 'local', oauth2: { issuer: as.issuer, clientId: 'public-client' } };
    const spec = apiSpec(as, { grant: 'refresh_token', clientId: 'public-client', clientAuth: 'none', accessToken: await expiredToken(), refreshToken: user.refresh_token });

    const first = await h.send(spec);
    expect(first.response?.status).toBe(401);
    const before = await h.diagnose(first, profile);
    expect(before.verdict.cause).toBe('expired_token');
    expect(before.verdict.ruleId).toBe('oauth2/token-expired');
    expect(before.findings.find((f) => f.ruleId === 'oauth2/token-expired')!.actions).toContain('oauth2/refresh-token');

    const store = openTokenStore(join(dir, 'refresh.json'));
    const { result, progress } = await h.run('refresh-token', spec, { profile, tokenStore: store });
    expect(result.ok).toBe(true);
    expect(result.retry).toBe(true);
    expect(result.message).toMatch(/Got a new access token with the refresh token \(expires in \d+ s\)/);
    expect(result.message).toMatch(/rotated/);
    expect(progress.some((l) => l.includes('Calling the token endpoint'))).toBe(true);

    const retried = await h.send(result.spec!);
    expect(retried.response?.status).toBe(200);
    const after = await h.diagnose(retried, profile);
    expect(after.verdict.cause).toBe('none');
    // The retried request worked: the session confirms the stored token.
    const key = tokenStoreKey(profile, result.spec!.auth);
    expect(key).toBe('local');

    // The new tokens are in the spec's header and params, and in the store, unconfirmed.
    const params = result.spec!.auth!.params as Record<string, string>;
    expect(result.spec!.headers.find((h) => h.name === 'Authorization')!.value).toBe(`Bearer ${params.accessToken}`);
    expect(params.refreshToken).not.toBe(user.refresh_token);
    const entry = await store.readEntry('local');
    expect(entry?.current.accessToken).toBe(params.accessToken);
    expect(entry?.current.refreshToken).toBe(params.refreshToken);
    expect(entry?.confirmed).toBe(false);
    await store.confirm(key);
    expect((await store.readEntry('local'))?.confirmed).toBe(true);
    // Every request authdoctor sent is recorded: the two API calls, and on the issuer discovery,
    // JWKS (signature checks of both diagnoses) and the refresh itself.
    const counts = Object.fromEntries(h.recorder.list().map((r) => [r.host, r.count]));
    expect(counts[new URL(as.resource).host]).toBe(2);
    expect(counts[new URL(as.issuer).host]).toBe(6);
    // No token in clear in what the action reports.
    const shown = JSON.stringify({ message: result.message, details: result.details, progress });
    expect(shown.includes(params.accessToken!)).toBe(false);
    expect(shown.includes(params.refreshToken!)).toBe(false);
    expect((await readFile(join(dir, 'refresh.json'), 'utf8')).includes(params.refreshToken!)).toBe(true);
  });

  it('refreshes with client_credentials, and the strategy performs the grant when there is no token yet', async () => {
    const h = harness(as);
    const spec = apiSpec(as, { grant: 'client_credentials', clientId: as.clients.service.clientId, clientSecret: as.clients.service.clientSecret, scope: 'api:read' });
    const first = await h.send(spec);
    expect(first.response?.status).toBe(200);
    const { result } = await h.run('refresh-token', spec);
    expect(result.ok).toBe(true);
    expect((await h.send(result.spec!)).response?.status).toBe(200);
    expect(as.requests.filter((r) => r.grantType === 'client_credentials').length).toBeGreaterThanOrEqual(2);
  });

  it('authenticates with private_key_jwt', async () => {
    const h = harness(as);
    const spec = apiSpec(as, { grant: 'client_credentials', clientId: as.clients.jwt.clientId, clientAuth: 'private_key_jwt', privateKey: as.clients.jwt.privateKey, privateKeyKid: as.clients.jwt.privateKeyKid, scope: 'api:read' });
    const { result } = await h.run('refresh-token', spec);
    expect(result.ok).toBe(true);
    expect((await h.send(result.spec!)).response?.status).toBe(200);
  });

  it('explains a wrong client secret: both secret methods fail, so the secret (not the method) is wrong', async () => {
    const h = harness(as);
    const wrong = 'definitely-not-the-right-secret';
    const spec = apiSpec(as, { grant: 'client_credentials', clientId: as.clients.service.clientId, clientSecret: wrong, scope: 'api:read' });
    const { result } = await h.run('refresh-token', spec);
    expect(result.ok).toBe(false);
    const f = result.findings!.find((x) => x.status === 'fail')!;
    expect(f.cause).toBe('client_auth_failed');
    expect(f.messageId).toBe('client-secret-wrong');
    expect(f.message).toMatch(/client_secret_basic.*client_secret_post and none/);
    expect(f.evidence!.probe).toEqual({ tried: ['client_secret_post', 'none'] });
    expect(JSON.stringify(result).includes(wrong)).toBe(false);
  });

  it('explains a wrong client authentication method: a secret sent for a public client', async () => {
    const h = harness(as);
    const user = await as.obtainUserTokens('public');
    // public-client is registered with token_endpoint_auth_method none; the profile sends a secret.
    const spec = apiSpec(as, { grant: 'refresh_token', clientId: 'public-client', clientSecret: 'a-secret-it-should-not-send', refreshToken: user.refresh_token });
    const { result } = await h.run('refresh-token', spec);
    expect(result.ok).toBe(true);
    const f = result.findings!.find((x) => x.messageId === 'auth-method-mismatch')!;
    expect(f.cause).toBe('client_auth_failed');
    expect(f.status).toBe('warn');
    expect(f.message).toMatch(/public client/);
    expect(f.evidence!.probe).toEqual({ tried: ['client_secret_post', 'none'], worked: 'none' });
    expect(f.fixes![0]).toContain('clientAuth: none');
    expect((result.spec!.auth!.params as Record<string, unknown>).clientAuth).toBe('none');
    expect((await h.send(result.spec!)).response?.status).toBe(200);
  });

  it('says both when the right method gets past client authentication but the grant is refused', async () => {
    const h = harness(as);
    const user = await as.obtainUserTokens('public');
    await as.revoke(user.refresh_token!, 'public');
    const spec = apiSpec(as, { grant: 'refresh_token', clientId: 'public-client', clientSecret: 'a-secret-it-should-not-send', refreshToken: user.refresh_token });
    const { result } = await h.run('refresh-token', spec);
    expect(result.ok).toBe(false);
    expect(result.findings!.map((f) => [f.cause, f.messageId])).toEqual([
      ['client_auth_failed', 'auth-method-mismatch'],
      ['refresh_failed', 'refresh-token-rejected'],
    ]);
  });

  it('explains a method the discovery document does not list, without probing', async () => {
    const strict = await startOidcServer({ clientAuthMethods: ['client_secret_basic', 'private_key_jwt', 'none'] });
    try {
      const h = harness(strict);
      const spec = apiSpec(strict, { grant: 'client_credentials', clientId: strict.clients.service.clientId, clientSecret: strict.clients.service.clientSecret, clientAuth: 'client_secret_post', scope: 'api:read' });
      const { result } = await h.run('refresh-token', spec);
      expect(result.ok).toBe(false);
      const f = result.findings!.find((x) => x.status === 'fail')!;
      expect([f.cause, f.messageId]).toEqual(['client_auth_failed', 'auth-method-not-supported']);
      expect(f.evidence!.supportedAuthMethods).toEqual(['client_secret_basic', 'private_key_jwt', 'none']);
      expect(strict.requests.filter((r) => r.path === '/token').length).toBe(1);
    } finally {
      await strict.close();
    }
  });

  it('explains invalid_scope and unauthorized_client from its own refresh', async () => {
    const h = harness(as);
    const scoped = apiSpec(as, { grant: 'client_credentials', clientId: as.clients.service.clientId, clientSecret: as.clients.service.clientSecret, scope: 'api:write' });
    const a = await h.run('refresh-token', scoped);
    expect(a.result.findings!.find((x) => x.status === 'fail')).toMatchObject({ cause: 'insufficient_permissions', messageId: 'invalid-scope' });

    // The service client may not use the refresh_token grant.
    const user = await as.obtainUserTokens('public');
    const wrongClient = apiSpec(as, { grant: 'refresh_token', clientId: as.clients.service.clientId, clientSecret: as.clients.service.clientSecret, refreshToken: user.refresh_token });
    const b = await h.run('refresh-token', wrongClient);
    expect(b.result.findings!.find((x) => x.status === 'fail')).toMatchObject({ cause: 'insufficient_permissions', messageId: 'grant-not-allowed' });
  });

  it('explains a rotated-out refresh token as refresh_failed', async () => {
    const h = harness(as);
    const user = await as.obtainUserTokens('public');
    const spec = apiSpec(as, { grant: 'refresh_token', clientId: 'public-client', clientAuth: 'none', refreshToken: user.refresh_token, accessToken: user.access_token });
    expect((await h.run('refresh-token', spec)).result.ok).toBe(true);
    // The same (now rotated) refresh token again: oidc-provider refuses it and revokes the grant.
    const { result } = await h.run('refresh-token', spec);
    expect(result.ok).toBe(false);
    const f = result.findings!.find((x) => x.status === 'fail')!;
    expect([f.cause, f.messageId]).toEqual(['refresh_failed', 'refresh-token-rejected']);
    expect(f.actions).toEqual(['oauth2/reauth-device', 'oauth2/reauth-pkce']);
  });
});

describe('token endpoint answers of the real server, as analysed exchanges', () => {
  it('diagnoses a captured token call with a wrong secret, and one with an unsupported grant', async () => {
    const h = harness(as);
    const profile = { oauth2: { issuer: as.issuer } };
    const basic = `Basic ${Buffer.from(`${as.clients.service.clientId}:nope-wrong-secret`).toString('base64')}`;
    const wrongSecret = await h.send({
      method: 'POST',
      url: as.tokenEndpoint,
      headers: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }, { name: 'Authorization', value: basic }],
      body: 'grant_type=client_credentials&scope=api%3Aread',
    });
    const a = await h.diagnose(wrongSecret, profile);
    expect(a.verdict.cause).toBe('client_auth_failed');
    expect(a.findings.find((f) => f.ruleId === 'oauth2/token-endpoint')!.messageId).toBe('invalid-client');

    const password = await h.send({
      method: 'POST',
      url: as.tokenEndpoint,
      headers: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }],
      body: 'grant_type=password&username=alice&password=x&client_id=public-client',
    });
    const b = await h.diagnose(password, profile);
    expect(b.verdict.cause).toBe('wrong_scheme');
    expect(b.findings.find((f) => f.ruleId === 'oauth2/token-endpoint')!.messageId).toBe('grant-type-unsupported');
  });

  it('uses discovery to explain a method the server does not support in a captured call', async () => {
    const strict = await startOidcServer({ clientAuthMethods: ['client_secret_basic', 'none'] });
    try {
      const h = harness(strict);
      const exchange = await h.send({
        method: 'POST',
        url: strict.tokenEndpoint,
        headers: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }],
        body: `grant_type=client_credentials&client_id=${strict.clients.service.clientId}&client_secret=${strict.clients.service.clientSecret}`,
      });
      const { verdict, findings } = await h.diagnose(exchange, { oauth2: { issuer: strict.issuer } });
      expect(verdict.cause).toBe('client_auth_failed');
      expect(findings.find((f) => f.ruleId === 'oauth2/token-endpoint')!.messageId).toBe('auth-method-not-supported');
    } finally {
      await strict.close();
    }
  });
});
