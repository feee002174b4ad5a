import { describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import rule from '../../../rules/http/challenge.ts';
import { makeExchange } from '../../helpers/exchange.ts';
import { leaks, runRule } from './run.ts';

const token = 'abcdefghijklmnopqrstuvwxyz012345';
const run = (init: Parameters<typeof makeExchange>[0]) => runRule('http', rule, makeExchange(init));

async function jwt(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('k'.repeat(32)));
}

describe('http/challenge', () => {
  describe('valid', () => {
    it('is silent when the offered scheme is the one sent and there is no error', async () => {
      expect(await run({ requestHeaders: { Authorization: `Bearer ${token}` }, responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api"' } })).toEqual([]);
    });

    it('does not compare custom schemes it cannot know (Salesforce\'s "Token")', async () => {
      expect(await run({ requestHeaders: { Authorization: `OAuth ${token}` }, responseHeaders: { 'WWW-Authenticate': 'Token' } })).toEqual([]);
    });

    it('leaves Basic-sent mismatches to the basic plugin', async () => {
      expect(await run({ requestHeaders: { Authorization: 'Basic dXNlcjpwYXNz' }, responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api"' } })).toEqual([]);
    });
  });

  describe('invalid', () => {
    it('reports Bearer sent to a server that asks for Basic', async () => {
      const [f] = await run({ requestHeaders: { Authorization: `Bearer ${token}` }, responseHeaders: { 'WWW-Authenticate': 'Basic realm="Twilio API"' } });
      expect(f).toMatchObject({ status: 'fail', cause: 'wrong_scheme', confidence: 'likely', messageId: 'scheme-mismatch', evidence: { sent: 'Bearer', offered: ['basic'] } });
      expect(f!.fixes.join(' ')).toContain('curl -u');
    });

    it('reports a DPoP-bound token sent as Bearer', async () => {
      const [f] = await run({ requestHeaders: { Authorization: `Bearer ${token}` }, responseHeaders: { 'WWW-Authenticate': 'DPoP algs="ES256"' } });
      expect(f).toMatchObject({ cause: 'wrong_scheme' });
      expect(f!.fixes[0]).toMatch(/DPoP/);
    });

    it('quotes the error_description of a generic invalid_token', async () => {
      const [f] = await run({ requestHeaders: { Authorization: `Bearer ${token}` }, responseHeaders: { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="Token unknown"' } });
      expect(f).toMatchObject({ cause: 'invalid_credentials', confidence: 'possible', messageId: 'invalid-token', evidence: { error: 'invalid_token', errorDescription: 'Token unknown' } });
      expect(f!.message).toContain('"Token unknown"');
    });

    it.each([
      ['The access token expired', 'expired_token', 'definitive'],
      ['Lifetime validation failed, the token is expired.', 'expired_token', 'definitive'],
      ['The token is not yet valid (nbf)', 'clock_skew', 'likely'],
      ['Invalid audience', 'insufficient_permissions', 'likely'],
      ['The access token is from the wrong issuer.', 'invalid_credentials', 'likely'],
      ['The token has been revoked', 'invalid_credentials', 'definitive'],
      ['Token could not be parsed', 'malformed_credentials', 'likely'],
      ['The access token is missing.', 'missing_credentials', 'likely'],
    ])('reads invalid_token "%s" as %s', async (description, cause, confidence) => {
      const [f] = await run({ requestHeaders: { Authorization: `Bearer ${token}` }, responseHeaders: { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${description}"` } });
      expect(f).toMatchObject({ cause, confidence, messageId: 'invalid-token' });
    });

    it('names the scope an insufficient_scope error requires', async () => {
      const [f] = await run({
        status: 403,
        requestHeaders: { Authorization: `Bearer ${token}` },
        responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api", error="insufficient_scope", scope="repo:write admin"' },
      });
      expect(f).toMatchObject({ status: 'fail', cause: 'insufficient_permissions', confidence: 'definitive', messageId: 'insufficient-scope', evidence: { requiredScope: 'repo:write admin' } });
      expect(f!.fixes[0]).toContain('repo:write admin');
    });

    it('reads invalid_request as a malformed request', async () => {
      const [f] = await run({ status: 400, requestHeaders: { Authorization: `Bearer ${token}` }, responseHeaders: { 'WWW-Authenticate': 'Bearer error="invalid_request"' }, responseBody: 'token' });
      expect(f).toMatchObject({ cause: 'malformed_credentials', messageId: 'invalid-request' });
    });

    it('explains the Docker registry token dance when no token was sent', async () => {
      const [f] = await run({
        url: 'https://registry-1.docker.io/v2/library/ubuntu/manifests/latest',
        responseHeaders: { 'WWW-Authenticate': 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/ubuntu:pull"' },
      });
      expect(f).toMatchObject({ cause: 'missing_credentials', messageId: 'token-dance' });
      expect(f!.evidence.tokenUrl).toBe('https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Alibrary%2Fubuntu%3Apull');
      expect(f!.fixes[0]).toContain('https://auth.docker.io/token?service=registry.docker.io');
    });

    it('says which tenant an Azure token must come from when the token is from another one', async () => {
      const t = await jwt({ iss: 'https://sts.windows.net/f220aaaa-a5d6-4a54-9beb-2db0dcee4f5b/', tid: 'f220aaaa-a5d6-4a54-9beb-2db0dcee4f5b', aud: 'https://management.core.windows.net/' });
      const findings = await run({
        url: 'https://management.azure.com/subscriptions/x/resourceGroups',
        requestHeaders: { Authorization: `Bearer ${t}` },
        responseHeaders: { 'WWW-Authenticate': 'Bearer authorization_uri="https://login.windows.net/b6cc8f32-0d28-41cd-beb7-3a18c4775049", error="invalid_token", error_description="The access token is from the wrong issuer."' },
      });
      const tenant = findings.find((f) => f.messageId === 'azure-wrong-tenant');
      expect(tenant).toMatchObject({ cause: 'invalid_credentials', confidence: 'likely', evidence: { expectedTenant: 'b6cc8f32-0d28-41cd-beb7-3a18c4775049', tokenTenant: 'f220aaaa-a5d6-4a54-9beb-2db0dcee4f5b' } });
      expect(tenant!.fixes[0]).toContain('--tenant b6cc8f32-0d28-41cd-beb7-3a18c4775049');
      // The more precise tenant finding replaces the generic reading of the description.
      expect(findings.filter((f) => f.status === 'fail')).toHaveLength(1);
      expect(leaks(findings, t)).toBe(false);
    });

    it('reports an Azure token issued for another resource', async () => {
      const t = await jwt({ tid: 'b6cc8f32-0d28-41cd-beb7-3a18c4775049', aud: 'https://graph.microsoft.com' });
      const [f] = await run({
        requestHeaders: { Authorization: `Bearer ${t}` },
        responseHeaders: { 'WWW-Authenticate': 'Bearer authorization_uri="https://login.microsoftonline.com/b6cc8f32-0d28-41cd-beb7-3a18c4775049", resource="https://management.core.windows.net/"' },
      });
      expect(f).toMatchObject({ cause: 'insufficient_permissions', messageId: 'azure-wrong-resource', evidence: { tokenAudience: 'https://graph.microsoft.com' } });
    });

    it('shows the tenant and resource the Azure challenge names when nothing mismatches', async () => {
      const [f] = await run({
        requestHeaders: { Authorization: `Bearer ${token}` },
        responseHeaders: { 'WWW-Authenticate': 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"' },
      });
      expect(f).toMatchObject({ status: 'warn', cause: null, messageId: 'azure-challenge', evidence: { resourceAppId: '00000003-0000-0000-c000-000000000000' } });
    });

    it('only warns about a challenge on a response that is not a failure', async () => {
      const [f] = await run({ status: 200, requestHeaders: { Authorization: `Bearer ${token}` }, responseHeaders: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } });
      expect(f!.status).toBe('warn');
    });
  });
});
