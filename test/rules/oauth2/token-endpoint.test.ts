import { SignJWT, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import oauth2 from '../../../rules/oauth2/index.ts';
import { clientAuthUsed, diagnoseTokenResponse, parseOAuthError } from '../../../rules/oauth2/token-errors.ts';
import { decideVerdict } from '../../../src/core/verdict.ts';
import { findingsOf, makeExchange, type ExchangeInit } from '../../helpers/exchange.ts';

const SENT = new Date('2026-11-28T10:00:00Z');
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function tokenCall(init: ExchangeInit) {
  const exchange = makeExchange({ sentAt: SENT, method: 'POST', url: 'https://login.example.com/oauth2/token', ...init });
  const findings = await findingsOf(oauth2, exchange, { all: true });
  return { findings, verdict: decideVerdict(findings, exchange), f: findings.find((x) => x.ruleId === 'oauth2/token-endpoint') };
}

describe('oauth2 token endpoint answers, as analysed exchanges', () => {
  it('explains invalid_client as client_auth_failed and names the method that was used', async () => {
    const { verdict, f } = await tokenCall({
      requestHeaders: { ...FORM, Authorization: basic('app', 'wrong-secret-value') },
      requestBody: 'grant_type=client_credentials&scope=api',
      status: 401,
      responseBody: '{"error":"invalid_client","error_description":"client authentication failed"}',
    });
    expect(verdict.cause).toBe('client_auth_failed');
    expect(f!.messageId).toBe('invalid-client');
    expect(f!.message).toContain('client_secret_basic');
    expect(f!.confidence).toBe('definitive');
  });

  it('tells credentials sent both in the header and the body apart from a wrong secret', async () => {
    const { verdict, f } = await tokenCall({
      requestHeaders: { ...FORM, Authorization: basic('app', 'secret-value-123') },
      requestBody: 'grant_type=client_credentials&client_id=app&client_secret=secret-value-123',
      status: 401,
      responseBody: '{"error":"invalid_client"}',
    });
    expect(verdict.cause).toBe('malformed_credentials');
    expect(f!.messageId).toBe('client-credentials-twice');
  });

  it('explains a refresh token the server refused as refresh_failed and offers re-authentication', async () => {
    const { verdict, f } = await tokenCall({
      requestHeaders: FORM,
      requestBody: 'grant_type=refresh_token&refresh_token=rt-abcdef0123456789&client_id=cli',
      status: 400,
      responseBody: '{"error":"invalid_grant","error_description":"grant request is invalid"}',
    });
    expect(verdict.cause).toBe('refresh_failed');
    expect(f!.messageId).toBe('refresh-token-rejected');
    expect(f!.actions).toEqual(['oauth2/reauth-device', 'oauth2/reauth-pkce']);
    expect(f!.fixes.join(' ')).toMatch(/rotation/);
  });

  it('explains Auth0 answering a dead refresh token with 403', async () => {
    const { verdict, f } = await tokenCall({
      url: 'https://tenant.eu.auth0.com/oauth/token',
      requestHeaders: { 'Content-Type': 'application/json' },
      requestBody: '{"grant_type":"refresh_token","client_id":"x","refresh_token":"v1.MRrT-abcdef"}',
      status: 403,
      responseBody: '{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}',
    });
    expect(verdict.cause).toBe('refresh_failed');
    expect(f!.message).toContain('403');
  });

  it('explains invalid_scope as insufficient_permissions with the requested scope', async () => {
    const { verdict, f } = await tokenCall({
      requestHeaders: FORM,
      requestBody: 'grant_type=client_credentials&client_id=a&client_secret=b&scope=admin%3Aall',
      status: 400,
      responseBody: '{"error":"invalid_scope","error_description":"requested scope is not allowed"}',
    });
    expect(verdict.cause).toBe('insufficient_permissions');
    expect(f!.messageId).toBe('invalid-scope');
    expect(f!.message).toContain('"admin:all"');
  });

  it('explains unauthorized_client as a grant the client may not use', async () => {
    const { verdict, f } = await tokenCall({
      requestHeaders: FORM,
      requestBody: 'grant_type=password&username=u&password=p&client_id=a',
      status: 400,
      responseBody: '{"error":"unauthorized_client","error_description":"requested grant type is not allowed for this client"}',
    });
    expect(verdict.cause).toBe('insufficient_permissions');
    expect(f!.messageId).toBe('grant-not-allowed');
    expect(f!.message).toContain('password grant');
  });

  it('explains unsupported_grant_type from a JSON body as a request that is not form-encoded', async () => {
    const { verdict, f } = await tokenCall({
      requestHeaders: { 'Content-Type': 'application/json' },
      requestBody: '{"grant_type":"client_credentials","client_id":"a","client_secret":"b"}',
      status: 400,
      responseBody: '{"error":"unsupported_grant_type"}',
    });
    expect(verdict.cause).toBe('malformed_credentials');
    expect(f!.messageId).toBe('token-request-not-form');
  });

  it('explains unsupported_grant_type for a proper form as a grant the server does not offer', async () => {
    const { verdict, f } = await tokenCall({
      requestHeaders: FORM,
      requestBody: 'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&client_id=a',
      status: 400,
      responseBody: '{"error":"unsupported_grant_type","error_description":"unsupported grant_type requested"}',
    });
    expect(verdict.cause).toBe('wrong_scheme');
    expect(f!.messageId).toBe('grant-type-unsupported');
  });

  it('reads GitHub\'s 200 OK form-encoded error answers', async () => {
    const { verdict, f } = await tokenCall({
      url: 'https://github.com/login/oauth/access_token',
      requestHeaders: FORM,
      requestBody: 'client_id=Iv1.abc&client_secret=0123456789abcdef&code=deadbeef',
      status: 200,
      responseHeaders: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      responseBody: 'error=incorrect_client_credentials&error_description=The+client_id+and%2For+client_secret+passed+are+incorrect.&error_uri=https%3A%2F%2Fdocs.github.com',
    });
    expect(verdict.cause).toBe('client_auth_failed');
    expect(f!.messageId).toBe('github-client-credentials');
    expect(f!.message).toContain('200 OK');
    const code = await tokenCall({
      url: 'https://github.com/login/oauth/access_token',
      requestHeaders: { ...FORM, Accept: 'application/json' },
      requestBody: 'client_id=Iv1.abc&client_secret=0123456789abcdef&code=deadbeef',
      status: 200,
      responseBody: '{"error":"bad_verification_code","error_description":"The code passed is incorrect or expired."}',
    });
    expect(code.verdict.cause).toBe('invalid_credentials');
    expect(code.f!.messageId).toBe('github-bad-verification-code');
  });

  it('quantifies the clock error of a Google JWT-bearer assertion from the server Date', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const iat = SENT.getTime() / 1000 - 2 * 3600; // this machine is two hours behind
    const assertion = await new SignJWT({ iss: 'sa@p.iam.gserviceaccount.com', scope: 'x', aud: 'https://oauth2.googleapis.com/token' })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuedAt(iat)
      .setExpirationTime(iat + 3600)
      .sign(privateKey);
    const { verdict, f } = await tokenCall({
      url: 'https://oauth2.googleapis.com/token',
      requestHeaders: FORM,
      requestBody: `grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=${assertion}`,
      status: 400,
      responseHeaders: { Date: SENT.toUTCString() },
      responseBody: '{"error":"invalid_grant","error_description":"Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim."}',
    });
    expect(verdict.cause).toBe('clock_skew');
    expect(f!.messageId).toBe('jwt-assertion-clock-skew');
    expect(f!.evidence.skewSeconds).toBe(7200);
    expect(JSON.stringify(f).includes(assertion)).toBe(false);
  });

  it('maps Entra ID codes: expired client secret, app not found, refresh token revoked', async () => {
    const entra = (body: object, status = 400) =>
      tokenCall({ url: 'https://login.microsoftonline.com/t/oauth2/v2.0/token', requestHeaders: FORM, status, responseBody: JSON.stringify(body) });
    const expired = await entra({ error: 'invalid_client', error_description: 'AADSTS7000222: The provided client secret keys for app \'x\' are expired.', error_codes: [7000222] }, 401);
    expect([expired.verdict.cause, expired.f!.messageId]).toEqual(['client_auth_failed', 'client-secret-expired']);
    const notFound = await entra({ error: 'unauthorized_client', error_description: 'AADSTS700016: Application with identifier \'abc\' was not found in the directory \'contoso\'.', error_codes: [700016] });
    expect([notFound.verdict.cause, notFound.f!.messageId]).toEqual(['client_auth_failed', 'client-not-found']);
    const revoked = await entra({ error: 'invalid_grant', error_description: 'AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed.', error_codes: [50173] });
    expect([revoked.verdict.cause, revoked.f!.messageId]).toEqual(['refresh_failed', 'entra-refresh-token-dead']);
    expect(revoked.f!.message).toContain('revoked');
  });

  it('tells an expired client assertion (AADSTS700024) from one minted by a clock that runs ahead', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const now = SENT.getTime() / 1000;
    const assertion = (iat: number) =>
      new SignJWT({ iss: 'app', sub: 'app', aud: 'https://login.microsoftonline.com/t/oauth2/v2.0/token', jti: String(iat) })
        .setProtectedHeader({ alg: 'RS256' })
        .setIssuedAt(iat)
        .setExpirationTime(iat + 600)
        .sign(privateKey);
    const call = async (iat: number) =>
      tokenCall({
        url: 'https://login.microsoftonline.com/t/oauth2/v2.0/token',
        requestHeaders: FORM,
        requestBody: `grant_type=client_credentials&client_id=app&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=${await assertion(iat)}&scope=x`,
        status: 400,
        responseHeaders: { Date: SENT.toUTCString() },
        responseBody: JSON.stringify({ error: 'invalid_client', error_description: 'AADSTS700024: Client assertion is not within its valid time range. Current time: x, assertion valid from y, expiry time of assertion z.', error_codes: [700024] }),
      });
    const stale = await call(now - 3600);
    expect([stale.verdict.cause, stale.f!.messageId]).toEqual(['expired_token', 'assertion-time-range']);
    expect(stale.f!.evidence!.expiredSeconds).toBe(3000);
    const ahead = await call(now + 900);
    expect(ahead.verdict.cause).toBe('clock_skew');
    expect(ahead.f!.evidence!.skewSeconds).toBe(-900);
  });

  it('finds the Entra code in the description when error_codes is missing, and drops the trace ids', () => {
    const e = parseOAuthError('{"error":"invalid_grant","error_description":"AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.\\r\\nTrace ID: 1\\r\\nCorrelation ID: 2"}');
    expect(e!.codes).toEqual([70008]);
    const [f] = diagnoseTokenResponse(
      { url: 'https://login.microsoftonline.com/common/oauth2/token', method: 'POST', requestHeaders: [], status: 400, responseHeaders: [], responseBody: '{"error":"invalid_grant","error_description":"AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.\\r\\nTrace ID: 1\\r\\nCorrelation ID: 2"}' },
      { evaluatedAt: SENT, mask: (v) => v },
    );
    expect(f!.cause).toBe('refresh_failed');
    expect(f!.evidence!.error_description).not.toMatch(/Trace ID/);
  });

  it('tells the client authentication methods apart from the request', () => {
    expect(clientAuthUsed([{ name: 'authorization', value: basic('a', 'b') }], 'grant_type=x')).toBe('client_secret_basic');
    expect(clientAuthUsed([], 'grant_type=x&client_id=a&client_secret=b')).toBe('client_secret_post');
    expect(clientAuthUsed([], 'grant_type=x&client_id=a')).toBe('none');
    expect(clientAuthUsed([], 'grant_type=x&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=eyJhbGciOiJSUzI1NiJ9.e30.sig')).toBe('private_key_jwt');
    expect(clientAuthUsed([{ name: 'Authorization', value: basic('a', 'b') }], 'client_secret=b')).toBe('multiple');
  });

  it('does not fail a successful token response, nor a request that is not a token call', async () => {
    const ok = await tokenCall({ requestHeaders: FORM, requestBody: 'grant_type=client_credentials', status: 200, responseBody: '{"access_token":"abc","token_type":"Bearer","expires_in":3600}' });
    expect(ok.verdict.cause).toBe('none');
    expect(ok.f!.status).toBe('pass');
    const api = await tokenCall({ method: 'GET', url: 'https://api.example.com/v1/tokens', status: 401 });
    expect(api.f!.status).toBe('skip');
  });
});
