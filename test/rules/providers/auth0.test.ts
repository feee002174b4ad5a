import { describe, expect, it } from 'vitest';
import { failures, json, onlyFailure } from './run.ts';

const url = 'https://acme.eu.auth0.com/api/v2/users';

describe('providers: Auth0 management API', () => {
  it('names the scopes the Management API expects', async () => {
    const f = await onlyFailure({ url, status: 403, responseBody: json({ statusCode: 403, error: 'Forbidden', message: 'Insufficient scope, expected any of: read:users,read:user_idp_tokens', errorCode: 'insufficient_scope' }) });
    expect(f).toMatchObject({ messageId: 'auth0/insufficient-scope', cause: 'insufficient_permissions' });
    expect(f.evidence).toMatchObject({ scopes: 'read:users,read:user_idp_tokens' });
  });

  it('reads expired tokens and tokens for another audience', async () => {
    expect((await onlyFailure({ url, status: 401, responseBody: json({ statusCode: 401, error: 'Unauthorized', message: 'Expired token received for JSON Web Token validation', attributes: { error: 'Expired token received for JSON Web Token validation' } }) })).cause).toBe('expired_token');
    expect((await onlyFailure({ url, status: 401, responseBody: json({ statusCode: 401, error: 'Unauthorized', message: 'Bad audience: https://api.acme.example' }) })).messageId).toBe('auth0/bad-audience');
  });

  it('ignores other hosts', async () => {
    expect(await failures({ url: 'https://api.example.com/users', status: 401, responseBody: json({ statusCode: 401, error: 'Unauthorized', message: 'Invalid token' }) })).toEqual([]);
  });
});
