import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import oauth2, { OAuth2GrantError, refreshDue } from '../../../rules/oauth2/index.ts';
import type { AuthContext } from '../../../src/core/plugin.ts';
import { Redactor } from '../../../src/core/redact.ts';
import { openTokenStore } from '../../../src/core/token-store.ts';
import { startOidcServer, type OidcTestServer } from '../../helpers/oidc-server.ts';
import { apiSpec, harness } from './harness.ts';

let as: OidcTestServer;
beforeAll(async () => {
  as = await startOidcServer();
});
afterAll(async () => {
  await as?.close();
});

const strategy = oauth2.auth[0]!;
const request = { method: 'GET', url: 'https://api.example.com/v1/me', headers: [{ name: 'Accept', value: '*/*' }, { name: 'authorization', value: 'Bearer stale' }] };

describe('the oauth2 auth strategy', () => {
  it('puts the configured access token in place of any Authorization header and registers it as a secret', async () => {
    const h = harness(as);
    const ctx: AuthContext = { now: () => new Date(), http: h.http, signal: new AbortController().signal, redactor: h.redactor };
    const out = await strategy.apply(request, { scheme: 'oauth2', params: { accessToken: 'at-1234567890abcdef' } }, ctx);
    expect(out.headers).toEqual([{ name: 'Accept', value: '*/*' }, { name: 'authorization', value: 'Bearer at-1234567890abcdef' }]);
    expect(h.redactor.text('x at-1234567890abcdef y').includes('at-1234567890abcdef')).toBe(false);
  });

  it('reads the token from the token store the session passes along', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'authdoctor-strategy-'));
    await chmod(dir, 0o700);
    try {
      const store = openTokenStore(join(dir, 'tokens.json'));
      await store.write('work', { accessToken: 'stored-access-token-123', refreshToken: 'stored-refresh-token-456' });
      const redactor = new Redactor();
      const ctx = { now: () => new Date(), http: harness(as).http, signal: new AbortController().signal, redactor, tokenStore: store, profile: { name: 'work' } };
      const out = await strategy.apply(request, { scheme: 'oauth2', params: { grant: 'refresh_token', clientId: 'c', issuer: as.issuer } }, ctx);
      expect(out.headers[1]).toEqual({ name: 'authorization', value: 'Bearer stored-access-token-123' });
      expect(redactor.text('stored-refresh-token-456').includes('stored-refresh-token-456')).toBe(false);
      // Tokens this session obtained after the stored ones win (e.g. the store write had failed).
      const newer = { accessToken: 'session-token-789', obtainedAt: new Date(Date.now() + 1000).toISOString() };
      const out2 = await strategy.apply(request, { scheme: 'oauth2', params: newer }, ctx);
      expect(out2.headers[1]!.value).toBe('Bearer session-token-789');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('performs the client_credentials grant once and reuses the token on the next apply', async () => {
    const h = harness(as);
    const spec = apiSpec(as, { grant: 'client_credentials', clientId: as.clients.service.clientId, clientSecret: as.clients.service.clientSecret, scope: 'api:read' });
    const before = as.requests.filter((r) => r.path === '/token').length;
    expect((await h.send(spec)).response?.status).toBe(200);
    expect((await h.send(spec)).response?.status).toBe(200);
    expect(as.requests.filter((r) => r.path === '/token').length - before).toBe(1);
  });

  it('gets a token for a profile with only a refresh token, and keeps the rotated refresh token', async () => {
    const h = harness(as);
    const user = await as.obtainUserTokens('public');
    const spec = apiSpec(as, { grant: 'refresh_token', clientId: 'public-client', clientAuth: 'none', refreshToken: user.refresh_token });
    expect((await h.send(spec)).response?.status).toBe(200);
    const params = spec.auth!.params as Record<string, string>;
    expect(params.refreshToken).not.toBe(user.refresh_token);
    expect(params.accessToken).toBeTruthy();
    // The rotated refresh token is the one that works next.
    const { result } = await h.run('refresh-token', spec);
    expect(result.ok).toBe(true);
  });

  it('fetches a new client_credentials token when the one in hand has expired', async () => {
    const h = harness(as);
    const spec = apiSpec(as, { grant: 'client_credentials', clientId: as.clients.service.clientId, clientSecret: as.clients.service.clientSecret, scope: 'api:read', accessToken: 'expired-token-value', expiresAt: new Date(Date.now() - 60_000).toISOString() });
    expect((await h.send(spec)).response?.status).toBe(200);
  });

  it('throws an OAuth2GrantError with the explained findings when the grant fails', async () => {
    const h = harness(as);
    const spec = apiSpec(as, { grant: 'client_credentials', clientId: as.clients.service.clientId, clientSecret: 'wrong-secret-for-service', scope: 'api:read' });
    const error = await h.send(spec).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuth2GrantError);
    expect((error as OAuth2GrantError).findings[0]).toMatchObject({ cause: 'client_auth_failed', messageId: 'invalid-client' });
    expect((error as Error).message.includes('wrong-secret-for-service')).toBe(false);
  });

  it('refuses a profile without a token and without a way to get one, clearly', async () => {
    const h = harness(as);
    await expect(h.send(apiSpec(as, { clientId: 'x' }))).rejects.toThrow(/no access token and no way to get one/);
  });

  it('refuses to send client credentials over plain http to a host that is not loopback', async () => {
    const h = harness(as);
    await expect(h.send(apiSpec(as, { grant: 'client_credentials', issuer: 'http://login.example.com', clientId: 'a', clientSecret: 'b' }))).rejects.toThrow(/must be https/);
  });

  it('says when a token is due for an automatic refresh', () => {
    const now = new Date('2026-11-28T10:00:00Z');
    const auth = (params: Record<string, unknown>) => ({ scheme: 'oauth2', params });
    expect(refreshDue(auth({ refreshToken: 'r', expiresAt: '2026-11-28T10:00:30Z' }), now)).toEqual({ expiresAt: new Date('2026-11-28T10:00:30Z'), secondsLeft: 30, due: true });
    expect(refreshDue(auth({ refreshToken: 'r', expiresAt: '2026-11-28T11:00:00Z', refreshMarginSeconds: 120 }), now)!.due).toBe(false);
    expect(refreshDue(auth({ expiresAt: '2026-11-28T10:00:30Z' }), now)!.due).toBe(false);
    const jwt = `e30.${Buffer.from(JSON.stringify({ exp: now.getTime() / 1000 + 10 })).toString('base64url')}.s`;
    expect(refreshDue(auth({ grant: 'client_credentials', accessToken: jwt }), now)).toMatchObject({ secondsLeft: 10, due: true });
    expect(refreshDue({ scheme: 'aws-sigv4', params: {} }, now)).toBeNull();
  });
});

describe('clock skew against a real resource server', () => {
  it('diagnoses a fresh token refused by a server whose clock runs an hour ahead as clock_skew', async () => {
    const h = harness(as);
    const user = await as.obtainUserTokens('public');
    as.resourceClockOffset = 3600;
    try {
      const exchange = await h.send(apiSpec(as, { accessToken: user.access_token }));
      expect(exchange.response?.status).toBe(401);
      const { verdict, findings } = await h.diagnose(exchange);
      expect(verdict.cause).toBe('clock_skew');
      const f = findings.find((x) => x.messageId === 'expired-by-server-clock')!;
      expect(Math.abs((f.evidence.skewSeconds as number) - 3600)).toBeLessThanOrEqual(2);
    } finally {
      as.resourceClockOffset = 0;
    }
  });
});

describe('lazy loading', () => {
  it('loads neither oauth4webapi nor the full jose when checking a request that is not OAuth', async () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const script = `
      import { registerHooks } from 'node:module';
      const loaded = [];
      registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
      const { default: plugin } = await import(${JSON.stringify(`${root}rules/oauth2/index.ts`)});
      const { runRules } = await import(${JSON.stringify(`${root}src/core/runner.ts`)});
      const { Redactor } = await import(${JSON.stringify(`${root}src/core/redact.ts`)});
      const heavy = () => loaded.filter((u) => /node_modules\\/oauth4webapi\\/|node_modules\\/jose\\/dist\\/webapi\\/(index|jwks|jws|jwt\\/verify)/.test(u)).length;
      const exchange = (auth) => ({ mode: 'offline', request: { method: 'GET', url: 'https://api.example.com/', headers: [{ name: 'Authorization', value: auth }] }, response: { status: 401, statusText: '', headers: [], body: '' }, redirects: [], sentAt: new Date() });
      const http = { request: async () => { throw new Error('offline'); } };
      const run = (auth, profile) => runRules([{ plugin, source: 'x', builtin: true }], { exchange: exchange(auth), http, redactor: new Redactor(), profile });
      const afterImport = heavy();
      await run('Basic dXNlcjpwYXNz', {});
      const afterBasic = heavy();
      const jwt = 'eyJhbGciOiJSUzI1NiJ9.' + Buffer.from(JSON.stringify({ iss: 'https://login.example.com', exp: 1 })).toString('base64url') + '.c2ln';
      await run('Bearer ' + jwt, { oauth2: { issuer: 'https://login.example.com' } });
      console.log(JSON.stringify({ afterImport, afterBasic, afterBearer: heavy() }));
    `;
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (c: Buffer) => (text += c.toString()));
      child.on('error', reject);
      child.on('exit', () => resolve(text));
    });
    const counts = JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>;
    expect(counts.afterImport).toBe(0);
    expect(counts.afterBasic).toBe(0);
    // The signature rule does load them for a JWT with a configured issuer: the probe can see it.
    expect(counts.afterBearer).toBeGreaterThan(0);
  });
});
