import { describe, expect, it } from 'vitest';
import { failures, json, onlyFailure } from './run.ts';

const url = 'https://api.cloudflare.com/client/v4/zones';
const cf = (errors: unknown[]) => json({ success: false, errors, messages: [], result: null });

describe('providers: Cloudflare', () => {
  it('reads missing credentials', async () => {
    const f = await onlyFailure({ url, status: 400, responseBody: cf([{ code: 9106, message: 'Missing X-Auth-Key, X-Auth-Email or Authorization headers' }]) });
    expect(f).toMatchObject({ messageId: 'cloudflare/missing-auth-headers', cause: 'missing_credentials' });
  });

  it('recognises an API token sent as X-Auth-Key from the 6103 format error', async () => {
    const f = await onlyFailure({
      url,
      status: 400,
      requestHeaders: { 'X-Auth-Email': 'me@example.com', 'X-Auth-Key': 'Abc_def-GHIjklMNOpqrSTUvwxYZ0123456789ab' },
      responseBody: cf([{ code: 6003, message: 'Invalid request headers', error_chain: [{ code: 6103, message: 'Invalid format for X-Auth-Key header' }] }]),
    });
    expect(f).toMatchObject({ messageId: 'cloudflare/api-token-in-x-auth-key', cause: 'wrong_scheme' });
  });

  it('reads a damaged Global API Key when the value is not a token', async () => {
    const f = await onlyFailure({
      url,
      status: 400,
      requestHeaders: { 'X-Auth-Email': 'me@example.com', 'X-Auth-Key': 'a'.repeat(38) },
      responseBody: cf([{ code: 6003, message: 'Invalid request headers', error_chain: [{ code: 6103, message: 'Invalid format for X-Auth-Key header' }] }]),
    });
    expect(f).toMatchObject({ messageId: 'cloudflare/x-auth-key-format', cause: 'malformed_credentials' });
  });

  it('tells an invalid token (9109) from a token without access to the resource', async () => {
    expect((await onlyFailure({ url, status: 403, responseBody: cf([{ code: 9109, message: 'Invalid access token' }]) })).cause).toBe('invalid_credentials');
    expect((await onlyFailure({ url, status: 403, responseBody: cf([{ code: 9109, message: 'Unauthorized to access requested resource' }]) })).cause).toBe('insufficient_permissions');
  });

  it('reads 10000 with both of its readings', async () => {
    const f = await onlyFailure({ url, status: 403, responseBody: cf([{ code: 10000, message: 'Authentication error' }]) });
    expect(f).toMatchObject({ messageId: 'cloudflare/authentication-error', confidence: 'likely' });
    expect(f.fixes[0]).toContain('/user/tokens/verify');
  });

  it('ignores non-auth errors', async () => {
    expect(await failures({ url, status: 400, responseBody: cf([{ code: 1004, message: 'DNS Validation Error' }]) })).toEqual([]);
  });
});
