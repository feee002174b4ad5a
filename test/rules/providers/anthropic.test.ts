import { describe, expect, it } from 'vitest';
import { failures, json, onlyFailure } from './run.ts';

const url = 'https://api.anthropic.com/v1/messages';
const err = (type: string, message: string) => json({ type: 'error', error: { type, message } });

describe('providers: Anthropic', () => {
  it('reads a missing x-api-key and notices the key went as Bearer', async () => {
    const f = await onlyFailure({ url, method: 'POST', status: 401, requestHeaders: { Authorization: 'Bearer sk-ant-api03-x' }, responseBody: err('authentication_error', 'x-api-key header is required') });
    expect(f).toMatchObject({ messageId: 'anthropic/api-key-missing', cause: 'missing_credentials' });
    expect(f.message).toContain('sent as Authorization: Bearer');
  });

  it('reads an invalid key', async () => {
    const f = await onlyFailure({ url, status: 401, requestHeaders: { 'x-api-key': 'sk-ant-api03-x' }, responseBody: err('authentication_error', 'invalid x-api-key') });
    expect(f).toMatchObject({ messageId: 'anthropic/invalid-api-key', cause: 'invalid_credentials' });
  });

  it('reads OAuth tokens refused by the API as the wrong scheme', async () => {
    const f = await onlyFailure({ url, status: 401, responseBody: err('authentication_error', 'OAuth authentication is currently not supported.') });
    expect(f.cause).toBe('wrong_scheme');
  });

  it('reads permission_error', async () => {
    const f = await onlyFailure({ url, status: 403, responseBody: err('permission_error', 'Your API key does not have permission to use the specified resource.') });
    expect(f).toMatchObject({ messageId: 'anthropic/permission-error', cause: 'insufficient_permissions' });
  });

  it('ignores other error types', async () => {
    expect(await failures({ url, status: 529, responseBody: err('overloaded_error', 'Overloaded') })).toEqual([]);
  });
});
