import { describe, expect, it } from 'vitest';
import rule from '../../../rules/http/status.ts';
import { makeExchange } from '../../helpers/exchange.ts';
import { runRule } from './run.ts';

const bearer = { Authorization: 'Bearer abcdefghijklmnopqrstuvwxyz012345' };
const run = (init: Parameters<typeof makeExchange>[0]) => runRule('http', rule, makeExchange(init));

describe('http/status', () => {
  describe('valid', () => {
    it('says nothing about a plain 200', async () => {
      expect(await run({ status: 200, requestHeaders: bearer, responseBody: '{"ok":true}' })).toEqual([]);
    });

    it('leaves a 401 without any credential to the missing-credentials rule', async () => {
      expect(await run({ status: 401 })).toEqual([]);
    });

    it('leaves a Basic credential of placeholders to the rules that explain it', async () => {
      expect(await run({ status: 401, requestHeaders: { Authorization: `Basic ${Buffer.from('undefined:undefined').toString('base64')}` } })).toEqual([]);
    });

    it('leaves 407 to the proxy rule', async () => {
      expect(await run({ status: 407, requestHeaders: bearer })).toEqual([]);
    });

    it('does not read a 302 to an ordinary page as a sign-in', async () => {
      expect(await run({ status: 302, requestHeaders: bearer, responseHeaders: { Location: '/v2/items/' } })).toEqual([]);
    });
  });

  describe('invalid', () => {
    it('reads a bare 401 with a credential as a possible rejection', async () => {
      const [f] = await run({ status: 401, requestHeaders: bearer });
      expect(f).toMatchObject({ status: 'fail', cause: 'invalid_credentials', confidence: 'possible', messageId: 'unauthorized' });
      expect(f!.evidence).toMatchObject({ status: 401, scheme: 'bearer' });
    });

    it('reads a 401 from a token endpoint as failed client authentication', async () => {
      const [f] = await run({ method: 'POST', url: 'https://idp.example.com/oauth2/token', requestBody: 'grant_type=client_credentials&client_id=a&client_secret=b', status: 401 });
      expect(f).toMatchObject({ cause: 'client_auth_failed', messageId: 'token-endpoint-401' });
    });

    it('says plainly that a 403 is about permissions, likely when the body says so', async () => {
      const [f] = await run({ status: 403, requestHeaders: bearer, responseBody: '{"message":"The caller does not have permission to list buckets"}' });
      expect(f).toMatchObject({ cause: 'insufficient_permissions', confidence: 'likely', messageId: 'forbidden' });
      expect(f!.fixes.join(' ')).toMatch(/IAM/);
    });

    it('keeps a 403 that talks about an invalid token at possible', async () => {
      const [f] = await run({ status: 403, requestHeaders: bearer, responseBody: '{"message":"The security token included in the request is invalid"}' });
      expect(f).toMatchObject({ cause: 'insufficient_permissions', confidence: 'possible' });
    });

    it.each([
      ['invalid_auth', 'invalid_credentials'],
      ['not_authed', 'missing_credentials'],
      ['token_expired', 'expired_token'],
      ['account_inactive', 'invalid_credentials'],
      ['token_revoked', 'invalid_credentials'],
      ['not_allowed_token_type', 'wrong_scheme'],
    ])('reads Slack\'s 200 {"ok":false,"error":"%s"} as %s', async (error, cause) => {
      const [f] = await run({ url: 'https://slack.com/api/conversations.list', status: 200, requestHeaders: bearer, responseBody: JSON.stringify({ ok: false, error }) });
      expect(f).toMatchObject({ status: 'fail', cause, confidence: 'definitive', messageId: 'slack-error' });
      expect(f!.evidence.error).toBe(error);
    });

    it('names the scope Slack says is missing', async () => {
      const [f] = await run({
        url: 'https://slack.com/api/chat.postMessage',
        status: 200,
        requestHeaders: bearer,
        responseBody: JSON.stringify({ ok: false, error: 'missing_scope', needed: 'chat:write', provided: 'channels:read' }),
      });
      expect(f).toMatchObject({ cause: 'insufficient_permissions', evidence: { neededScope: 'chat:write', providedScopes: 'channels:read' } });
      expect(f!.fixes[0]).toContain('chat:write');
    });

    it('lowers the confidence of the Slack envelope on another host', async () => {
      const [f] = await run({ url: 'https://chat.example.com/api/x', status: 200, requestHeaders: bearer, responseBody: '{"ok":false,"error":"invalid_auth"}' });
      expect(f).toMatchObject({ cause: 'invalid_credentials', confidence: 'likely' });
    });

    it('ignores Slack errors that are not about authentication', async () => {
      expect(await run({ url: 'https://slack.com/api/chat.postMessage', status: 200, requestHeaders: bearer, responseBody: '{"ok":false,"error":"channel_not_found"}' })).toEqual([]);
    });

    it('reads Jira\'s 200 with X-Seraph-LoginReason AUTHENTICATION_DENIED and the CAPTCHA hint', async () => {
      const [f] = await run({
        status: 200,
        requestHeaders: { Authorization: 'Basic dXNlcjpwYXNz' },
        responseHeaders: { 'X-Seraph-LoginReason': 'AUTHENTICATION_DENIED', 'X-Authentication-Denied-Reason': 'CAPTCHA_CHALLENGE; login-url=https://jira.example.com/login.jsp' },
        responseBody: '{}',
      });
      expect(f).toMatchObject({ status: 'fail', cause: 'invalid_credentials', confidence: 'definitive', messageId: 'seraph-denied' });
      expect(f!.message).toMatch(/CAPTCHA/);
      expect(f!.fixes.join(' ')).toContain('https://jira.example.com/login.jsp');
    });

    it('reads AUTHENTICATED_FAILED and AUTHORISATION_FAILED', async () => {
      const [failed] = await run({ status: 200, requestHeaders: { Authorization: 'Basic dXNlcjpwYXNz' }, responseHeaders: { 'X-Seraph-LoginReason': 'AUTHENTICATED_FAILED' } });
      expect(failed).toMatchObject({ cause: 'invalid_credentials', messageId: 'seraph-failed' });
      const [authz] = await run({ status: 200, requestHeaders: { Authorization: 'Basic dXNlcjpwYXNz' }, responseHeaders: { 'X-Seraph-LoginReason': 'AUTHORISATION_FAILED' } });
      expect(authz).toMatchObject({ cause: 'insufficient_permissions', messageId: 'seraph-authorisation' });
    });

    it('reads a 302 to a sign-in page without credentials as missing credentials', async () => {
      const [f] = await run({ status: 302, responseHeaders: { Location: 'https://sso.example.com/saml/login?RelayState=abc' } });
      expect(f).toMatchObject({ cause: 'missing_credentials', confidence: 'likely', messageId: 'login-redirect' });
      expect(f!.evidence.location).toBe('https://sso.example.com/saml/login?…');
    });

    it('reads a 203 sign-in page (Azure DevOps with a bad PAT) as a rejected credential', async () => {
      const [f] = await run({
        url: 'https://dev.azure.com/org/_apis/projects',
        status: 203,
        requestHeaders: { Authorization: 'Basic OnBhdHBhdHBhdA==' },
        responseHeaders: { 'Content-Type': 'text/html; charset=utf-8' },
        responseBody: '<html><head><title>Sign In</title></head><body><form><input type="password" name="passwd"></form></body></html>',
      });
      expect(f).toMatchObject({ cause: 'invalid_credentials', messageId: 'login-redirect' });
      expect(f!.message).toMatch(/203/);
    });

    it('reads a token endpoint that answers 200 with an error field', async () => {
      const [f] = await run({
        method: 'POST',
        url: 'https://idp.example.com/token',
        requestBody: 'grant_type=refresh_token&refresh_token=abc',
        status: 200,
        responseBody: '{"error":"invalid_grant","error_description":"Token is not active"}',
      });
      expect(f).toMatchObject({ status: 'fail', cause: 'refresh_failed', messageId: 'token-endpoint-error-200', evidence: { error: 'invalid_grant', grantType: 'refresh_token' } });
    });
  });
});
