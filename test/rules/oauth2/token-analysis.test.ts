import { generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import oauth2 from '../../../rules/oauth2/index.ts';
import { decideVerdict } from '../../../src/core/verdict.ts';
import type { ProfileHints } from '../../../src/core/plugin.ts';
import { findingsOf, makeExchange } from '../../helpers/exchange.ts';

const SENT = new Date('2026-11-28T10:00:00Z');
const T = SENT.getTime() / 1000;
const { privateKey } = await generateKeyPair('RS256');

async function token(claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'k1', ...header }).sign(privateKey);
}

function unsigned(claims: JWTPayload, header: Record<string, unknown>): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc(header)}.${enc(claims)}.`;
}

async function diagnose(bearer: string, init: Parameters<typeof makeExchange>[0] = {}, opts: { profile?: ProfileHints } = {}) {
  const exchange = makeExchange({ sentAt: SENT, requestHeaders: { Authorization: `Bearer ${bearer}` }, status: 401, ...init });
  const findings = await findingsOf(oauth2, exchange, opts);
  return { findings, verdict: decideVerdict(findings, exchange) };
}

const base = { iss: 'https://login.example.com', aud: 'https://api.example.com', sub: 'alice', scope: 'read' };

describe('oauth2 token analysis (JWT access tokens)', () => {
  it('diagnoses a token that expired 3 hours before the request as expired_token, saying by how much', async () => {
    const t = await token({ ...base, iat: T - 4 * 3600, exp: T - 3 * 3600 });
    const { findings, verdict } = await diagnose(t);
    expect(verdict.cause).toBe('expired_token');
    const f = findings.find((x) => x.messageId === 'expired')!;
    expect(f.evidence.expiredSeconds).toBe(3 * 3600);
    expect(f.evidence.stillExpiredNow).toBe(true);
    expect(f.message).toContain('3 h before the request');
    expect(f.message).toContain('still expired now');
    expect(f.actions).toEqual(['oauth2/refresh-token']);
  });

  it('says a token is no longer expired now when evaluation time is before exp of the real clock', async () => {
    // A capture from the past of a token whose exp is in the future of the wall clock (a long-lived token).
    const farExp = Math.floor(Date.now() / 1000) + 365 * 86400;
    const sentAfterExp = new Date((farExp + 60) * 1000);
    const t = await token({ ...base, exp: farExp });
    const exchange = makeExchange({ sentAt: sentAfterExp, requestHeaders: { Authorization: `Bearer ${t}` }, status: 401 });
    const findings = await findingsOf(oauth2, exchange);
    const f = findings.find((x) => x.messageId === 'expired')!;
    expect(f.evidence.stillExpiredNow).toBe(false);
    expect(f.message.includes('still expired now')).toBe(false);
  });

  it('explains a cached token reused long after its lifetime', async () => {
    const t = await token({ ...base, iat: T - 86400, exp: T - 86400 + 3600 });
    const { findings } = await diagnose(t);
    expect(findings.find((x) => x.messageId === 'expired')!.message).toMatch(/cached from an earlier run/);
  });

  it('accepts a token inside the leeway, and honours a configured leeway', async () => {
    const t = await token({ ...base, exp: T - 10 });
    expect((await diagnose(t)).findings.some((f) => f.messageId === 'expired')).toBe(false);
    const strict = await diagnose(t, {}, { profile: { oauth2: { leewaySeconds: 0 } } });
    expect(strict.verdict.cause).toBe('expired_token');
  });

  it('only warns about an expired token when the server accepted the request anyway', async () => {
    const t = await token({ ...base, exp: T - 3600 });
    const { findings, verdict } = await diagnose(t, { status: 200 });
    expect(verdict.cause).toBe('none');
    expect(findings.find((x) => x.messageId === 'expired-but-accepted')!.status).toBe('warn');
  });

  it('diagnoses a future nbf as clock_skew with skewSeconds', async () => {
    const t = await token({ ...base, iat: T + 600, nbf: T + 600, exp: T + 4200 });
    const { findings, verdict } = await diagnose(t);
    expect(verdict.cause).toBe('clock_skew');
    const f = findings.find((x) => x.messageId === 'nbf-in-future')!;
    expect(f.evidence.skewSeconds).toBe(600);
    expect(f.message).toContain('10 min after the request');
  });

  it('uses the server Date header to say which clock is wrong', async () => {
    const t = await token({ ...base, iat: T + 300, exp: T + 3900 });
    const { findings } = await diagnose(t, { responseHeaders: { Date: new Date((T + 300) * 1000).toUTCString() } });
    const f = findings.find((x) => x.messageId === 'iat-in-future')!;
    expect(f.evidence.skewSeconds).toBe(300);
    expect(f.message).toMatch(/this machine's clock is slow/);
  });

  it('tells clock skew from expiry when only the server clock has passed exp', async () => {
    const t = await token({ ...base, iat: T - 60, exp: T + 600 });
    const { findings, verdict } = await diagnose(t, {
      responseHeaders: { Date: new Date((T + 3600) * 1000).toUTCString(), 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="The access token expired"' },
    });
    expect(verdict.cause).toBe('clock_skew');
    expect(findings.find((x) => x.messageId === 'expired-by-server-clock')!.evidence.skewSeconds).toBe(3600);
  });

  it('reports a token for another audience than the configured one', async () => {
    const t = await token({ ...base, exp: T + 600, aud: 'https://billing.example.com' });
    const { findings, verdict } = await diagnose(t, {}, { profile: { oauth2: { audience: 'https://api.example.com' } } });
    expect(verdict.cause).toBe('insufficient_permissions');
    const f = findings.find((x) => x.messageId === 'audience-mismatch')!;
    expect(f.message).toContain('https://billing.example.com');
    expect(f.fixes.join(' ')).toContain('resource=https://api.example.com');
  });

  it('only advises when the audience names another host and nothing is configured', async () => {
    const t = await token({ ...base, exp: T + 600, aud: 'https://management.core.windows.net/' });
    const { findings } = await diagnose(t, { url: 'https://management.azure.com/subscriptions' });
    const f = findings.find((x) => x.messageId === 'audience-other-host')!;
    expect(f.status).toBe('warn');
  });

  it('recognises an ID token sent as an access token (aud is the client id, nonce, at_hash)', async () => {
    const t = await token({ iss: base.iss, sub: 'alice', aud: 'my-spa', nonce: 'n-1', at_hash: 'abc', exp: T + 600, iat: T - 10 }, { typ: 'JWT' });
    const { findings, verdict } = await diagnose(t, {}, { profile: { oauth2: { clientId: 'my-spa', audience: 'https://api.example.com' } } });
    expect(verdict.cause).toBe('wrong_scheme');
    const f = findings.find((x) => x.messageId === 'id-token-as-access-token')!;
    expect(f.message).toMatch(/ID token/);
    expect((f.evidence.signals as string[]).join(' ')).toMatch(/at_hash/);
    // The audience rule leaves an ID token to this explanation.
    expect(findings.some((x) => x.messageId === 'audience-mismatch')).toBe(false);
  });

  it('recognises a Cognito ID token by token_use: id', async () => {
    const t = await token({ iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc', token_use: 'id', aud: '3n4b5', exp: T + 600 }, { typ: 'JWT' });
    const { verdict, findings } = await diagnose(t);
    expect(verdict.cause).toBe('wrong_scheme');
    expect(findings.find((x) => x.messageId === 'id-token-as-access-token')!.evidence.signals).toEqual(['token_use: id']);
  });

  it('recognises a (Keycloak) refresh token sent as a bearer token', async () => {
    const t = await token({ iss: 'https://sso.example.com/realms/x', typ: 'Refresh', aud: 'https://sso.example.com/realms/x', exp: T + 1800 }, { typ: 'JWT' });
    const { findings, verdict } = await diagnose(t);
    expect(verdict.cause).toBe('wrong_scheme');
    expect(findings.find((x) => x.messageId === 'refresh-token-as-bearer')!.actions).toEqual(['oauth2/refresh-token']);
  });

  it('reports a token from another issuer as invalid_credentials, naming both', async () => {
    const t = await token({ ...base, iss: 'https://staging-login.example.com', exp: T + 600 });
    const { findings, verdict } = await diagnose(t, {}, { profile: { oauth2: { issuer: 'https://login.example.com' } } });
    expect(verdict.cause).toBe('invalid_credentials');
    const f = findings.find((x) => x.messageId === 'issuer-mismatch')!;
    expect(f.message).toContain('issued by https://staging-login.example.com, expected https://login.example.com');
  });

  it('compares the Entra tenant of the token with the authority the API names in its challenge', async () => {
    const t = await token({ ...base, iss: 'https://sts.windows.net/11111111-1111-1111-1111-111111111111/', tid: '11111111-1111-1111-1111-111111111111', exp: T + 600 }, { typ: 'JWT' });
    const { findings, verdict } = await diagnose(t, {
      url: 'https://management.azure.com/subscriptions/x',
      responseHeaders: { 'WWW-Authenticate': 'Bearer authorization_uri="https://login.windows.net/22222222-2222-2222-2222-222222222222", error="invalid_token", error_description="The access token is from the wrong issuer."' },
    });
    expect(verdict.cause).toBe('invalid_credentials');
    const f = findings.find((x) => x.messageId === 'issuer-mismatch')!;
    expect(f.confidence).toBe('definitive');
    expect(f.evidence.expectedTenant).toBe('22222222-2222-2222-2222-222222222222');
    expect(f.fixes[0]).toContain('az login --tenant 22222222-2222-2222-2222-222222222222');
  });

  it('names the missing scope on an insufficient_scope challenge', async () => {
    const t = await token({ ...base, scope: 'read profile', exp: T + 600 });
    const { findings, verdict } = await diagnose(t, { status: 403, responseHeaders: { 'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="read write"' } });
    expect(verdict.cause).toBe('insufficient_permissions');
    const f = findings.find((x) => x.messageId === 'missing-scope')!;
    expect(f.evidence.missing).toEqual(['write']);
    expect(f.title).toContain('write');
  });

  it('reads Entra scp and roles as granted scopes', async () => {
    const t = await token({ ...base, scope: undefined, scp: 'User.Read Mail.Send', roles: ['Admin'], exp: T + 600 });
    const { findings } = await diagnose(t, { status: 403, responseHeaders: { 'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="Mail.Send"' } });
    expect(findings.find((x) => x.messageId === 'insufficient-scope-but-present')!.status).toBe('warn');
  });

  it('fails an unsigned alg:none token the server refused, and warns about HS256', async () => {
    const none = unsigned({ ...base, exp: T + 600 }, { alg: 'none', typ: 'JWT' });
    const a = await diagnose(none);
    expect(a.findings.find((x) => x.messageId === 'alg-none')!.status).toBe('fail');
    const hs = await new SignJWT({ ...base, exp: T + 600 }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('a-shared-secret-of-32-bytes-long!'));
    const b = await diagnose(hs, { status: 200 });
    expect(b.findings.find((x) => x.messageId === 'alg-symmetric')!.status).toBe('warn');
    expect(b.verdict.cause).toBe('none');
  });

  it('says nothing can be read from an opaque token, and offers introspection when configured', async () => {
    const opaque = 'ya29.a0AfB_byC-opaque-access-token-value-1234567890';
    const { findings } = await diagnose(opaque);
    const f = findings.find((x) => x.messageId === 'opaque-token')!;
    expect(f.status).toBe('warn');
    expect(f.message).toContain('nothing about it');
    expect(f.actions).toEqual(['oauth2/refresh-token']);
    const withIntrospection = await diagnose(opaque, {}, { profile: { oauth2: { introspectionEndpoint: 'https://login.example.com/introspect' } } });
    expect(withIntrospection.findings.find((x) => x.messageId === 'opaque-token')!.actions).toContain('oauth2/introspect');
  });

  it('keeps the raw token out of every finding', async () => {
    const t = await token({ ...base, iat: T - 7200, exp: T - 3600 });
    const { findings } = await diagnose(t, {}, { profile: { oauth2: { issuer: 'https://other.example.com', audience: 'https://x.example.com' } } });
    expect(JSON.stringify(findings).includes(t)).toBe(false);
    expect(JSON.stringify(findings).includes(t.split('.')[2]!)).toBe(false);
  });

  it('does not apply to a request without a bearer token', async () => {
    const exchange = makeExchange({ sentAt: SENT, requestHeaders: { Authorization: 'Basic dXNlcjpwYXNz' }, status: 401 });
    const findings = await findingsOf(oauth2, exchange);
    expect(findings).toEqual([]);
  });
});
