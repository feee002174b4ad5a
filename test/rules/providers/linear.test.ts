import { describe, expect, it } from 'vitest';
import { failures, json, onlyFailure } from './run.ts';

const url = 'https://api.linear.app/graphql';

describe('providers: Linear', () => {
  it('reads an API key sent with "Bearer" as the wrong scheme', async () => {
    const f = await onlyFailure({ url, method: 'POST', status: 400, responseBody: json({ errors: [{ message: "It looks like you're trying to use an API key as a Bearer token. Remove the Bearer prefix from the Authorization header.", extensions: { code: 'INPUT_ERROR' } }] }) });
    expect(f).toMatchObject({ messageId: 'linear/api-key-as-bearer', cause: 'wrong_scheme' });
  });

  it('reads AUTHENTICATION_ERROR', async () => {
    const f = await onlyFailure({ url, method: 'POST', status: 400, responseBody: json({ errors: [{ message: 'Authentication required, not authenticated', extensions: { code: 'AUTHENTICATION_ERROR' } }] }) });
    expect(f).toMatchObject({ messageId: 'linear/authentication-error', confidence: 'likely' });
  });

  it('ignores GraphQL validation errors', async () => {
    expect(await failures({ url, status: 400, responseBody: json({ errors: [{ message: 'Cannot query field "x"', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] }) })).toEqual([]);
  });
});
