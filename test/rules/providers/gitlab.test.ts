import { describe, expect, it } from 'vitest';
import { failures, json, onlyFailure } from './run.ts';

describe('providers: GitLab', () => {
  it('reads 401 without any GitLab token as missing credentials', async () => {
    const f = await onlyFailure({ url: 'https://gitlab.com/api/v4/user', status: 401, responseBody: json({ message: '401 Unauthorized' }) });
    expect(f).toMatchObject({ messageId: 'gitlab/unauthorized-no-token', cause: 'missing_credentials' });
  });

  it('reads 401 with a token as a token GitLab does not accept', async () => {
    const f = await onlyFailure({ url: 'https://gitlab.example.org/api/v4/projects', status: 401, requestHeaders: { 'PRIVATE-TOKEN': 'glpat-x' }, responseBody: json({ message: '401 Unauthorized' }) });
    expect(f).toMatchObject({ messageId: 'gitlab/unauthorized', cause: 'invalid_credentials' });
  });

  it('tells an expired token from a revoked one', async () => {
    const expired = await onlyFailure({ url: 'https://gitlab.com/api/v4/user', status: 401, requestHeaders: { Authorization: 'Bearer x' }, responseBody: json({ error: 'invalid_token', error_description: 'Token is expired. You can either do re-authorization or token refresh.' }) });
    expect(expired).toMatchObject({ messageId: 'gitlab/token-expired', cause: 'expired_token' });
    const revoked = await onlyFailure({ url: 'https://gitlab.com/api/v4/user', status: 401, requestHeaders: { Authorization: 'Bearer x' }, responseBody: json({ error: 'invalid_token', error_description: 'Token was revoked. You have to re-authorize from the user.' }) });
    expect(revoked.messageId).toBe('gitlab/token-revoked');
  });

  it('names the scope an insufficient_scope answer asks for', async () => {
    const f = await onlyFailure({
      url: 'https://gitlab.com/api/v4/projects/1/issues',
      method: 'POST',
      status: 403,
      requestHeaders: { 'PRIVATE-TOKEN': 'glpat-x' },
      responseBody: json({ error: 'insufficient_scope', error_description: 'The request requires higher privileges than provided by the access token.', scope: 'api' }),
    });
    expect(f).toMatchObject({ messageId: 'gitlab/insufficient-scope', cause: 'insufficient_permissions' });
    expect(f.evidence).toMatchObject({ scope: 'api', action: 'api', resource: 'POST /api/v4/projects/1/issues' });
  });

  it('ignores the same body from a host that is not GitLab', async () => {
    expect(await failures({ url: 'https://api.example.com/user', status: 401, responseBody: json({ message: '401 Unauthorized' }) })).toEqual([]);
  });
});
