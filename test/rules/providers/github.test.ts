import { describe, expect, it } from 'vitest';
import { diagnoseExchange, failures, json, onlyFailure } from './run.ts';

const API = 'https://api.github.com';

describe('providers: GitHub', () => {
  it('reads "Requires authentication" as missing credentials and quotes the anonymous rate limit', async () => {
    const f = await onlyFailure({ url: `${API}/user/repos`, status: 401, responseHeaders: { 'x-ratelimit-limit': '60' }, responseBody: json({ message: 'Requires authentication', documentation_url: 'https://docs.github.com/rest' }) });
    expect(f).toMatchObject({ messageId: 'github/requires-authentication', cause: 'missing_credentials', confidence: 'definitive' });
    expect(f.evidence.rateLimit).toBe('60');
    expect(f.message).toContain('anonymous quota');
  });

  it('reads "Bad credentials" as a token GitHub does not know', async () => {
    const f = await onlyFailure({ url: `${API}/user`, status: 401, requestHeaders: { Authorization: 'Bearer ghp_x' }, responseBody: json({ message: 'Bad credentials' }) });
    expect(f).toMatchObject({ messageId: 'github/bad-credentials', cause: 'invalid_credentials' });
  });

  it('names the permission from X-Accepted-GitHub-Permissions for "Resource not accessible"', async () => {
    const f = await onlyFailure({
      url: `${API}/repos/o/r/issues/1/labels`,
      method: 'POST',
      status: 403,
      requestHeaders: { Authorization: 'Bearer ghs_abc' },
      responseHeaders: { 'X-Accepted-GitHub-Permissions': 'issues=write; pull_requests=write' },
      responseBody: json({ message: 'Resource not accessible by integration' }),
    });
    expect(f).toMatchObject({ messageId: 'github/resource-not-accessible', cause: 'insufficient_permissions' });
    expect(f.evidence).toMatchObject({ principal: 'integration token', action: 'issues=write; pull_requests=write', resource: 'POST /repos/o/r/issues/1/labels' });
    expect(f.fixes[0]).toContain('permissions:');
  });

  it('explains that installation tokens cannot call /user', async () => {
    const f = await onlyFailure({ url: `${API}/user`, status: 403, requestHeaders: { Authorization: 'token ghs_abc' }, responseBody: json({ message: 'Resource not accessible by integration' }) });
    expect(f.messageId).toBe('github/installation-token-user-endpoint');
  });

  it('points to the SAML SSO authorisation URL', async () => {
    const f = await onlyFailure({
      url: `${API}/orgs/acme/repos`,
      status: 403,
      responseHeaders: { 'X-GitHub-SSO': 'required; url=https://github.com/orgs/acme/sso?authorization_request=abc' },
      responseBody: json({ message: 'Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.' }),
    });
    expect(f.messageId).toBe('github/sso-required');
    expect(f.evidence.ssoUrl).toBe('https://github.com/orgs/acme/sso?authorization_request=abc');
    expect(f.fixes[0]).toContain('https://github.com/orgs/acme/sso?authorization_request=abc');
  });

  it('compares X-OAuth-Scopes with X-Accepted-OAuth-Scopes', async () => {
    const f = await onlyFailure({
      url: `${API}/orgs/acme/hooks`,
      status: 404,
      responseHeaders: { 'X-OAuth-Scopes': 'repo, user', 'X-Accepted-OAuth-Scopes': 'admin:org_hook', 'X-GitHub-Request-Id': '1' },
      responseBody: json({ message: 'Not Found' }),
    });
    expect(f).toMatchObject({ messageId: 'github/oauth-scopes-missing', cause: 'insufficient_permissions', confidence: 'likely' });
    expect(f.evidence).toMatchObject({ tokenScopes: 'repo, user', acceptedScopes: 'admin:org_hook' });
  });

  it('stays quiet when the token has an accepted scope (a real 404)', async () => {
    expect(
      await failures({ url: `${API}/repos/o/gone`, status: 404, responseHeaders: { 'X-OAuth-Scopes': 'repo', 'X-Accepted-OAuth-Scopes': 'repo' }, responseBody: json({ message: 'Not Found' }) }),
    ).toEqual([]);
  });

  it('recognises GitHub Enterprise Server by its headers on any host', async () => {
    const f = await onlyFailure({ url: 'https://git.corp.example/api/v3/user', status: 401, responseHeaders: { 'X-GitHub-Request-Id': 'A:B' }, responseBody: json({ message: 'Bad credentials' }) });
    expect(f.messageId).toBe('github/bad-credentials');
    expect(await failures({ url: 'https://api.example.com/user', status: 401, responseBody: json({ message: 'Bad credentials' }) })).toEqual([]);
  });

  it('flags GitHub App JWTs signed with a clock ahead of GitHub', async () => {
    const f = await onlyFailure({ url: `${API}/app`, status: 401, responseBody: json({ message: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued." }) });
    expect(f).toMatchObject({ messageId: 'github/app-jwt-iat', cause: 'clock_skew' });
  });

  it('reports the anonymous rate limit as a warning, not a cause', async () => {
    const [f] = await diagnoseExchange({ url: `${API}/users/x`, status: 403, responseBody: json({ message: 'API rate limit exceeded for 203.0.113.7. (But here\'s the good news: Authenticated requests get a higher rate limit.)' }) });
    expect(f).toMatchObject({ status: 'warn', cause: null, messageId: 'github/anonymous-rate-limit' });
  });
});
