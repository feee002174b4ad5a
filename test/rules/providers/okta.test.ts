import { describe, expect, it } from 'vitest';
import { failures, json, onlyFailure } from './run.ts';

const url = 'https://acme.okta.com/api/v1/users';
const okta = (errorCode: string, errorSummary: string) => json({ errorCode, errorSummary, errorLink: errorCode, errorId: 'oae1', errorCauses: [] });

describe('providers: Okta management API', () => {
  it('reads E0000011 as an invalid token', async () => {
    const f = await onlyFailure({ url, status: 401, requestHeaders: { Authorization: 'SSWS 00abc' }, responseBody: okta('E0000011', 'Invalid token provided') });
    expect(f).toMatchObject({ messageId: 'okta/invalid-token', cause: 'invalid_credentials' });
  });

  it('recognises an API token sent as Bearer', async () => {
    const f = await onlyFailure({ url, status: 401, requestHeaders: { Authorization: 'Bearer 00AbCdEfGhIjKlMnOpQrStUvWxYz0123456789ab' }, responseBody: okta('E0000011', 'Invalid token provided') });
    expect(f).toMatchObject({ messageId: 'okta/api-token-as-bearer', cause: 'wrong_scheme' });
  });

  it('reads E0000006 as a missing permission', async () => {
    const f = await onlyFailure({ url, method: 'POST', status: 403, requestHeaders: { Authorization: 'SSWS x' }, responseBody: okta('E0000006', 'You do not have permission to perform the requested action') });
    expect(f).toMatchObject({ messageId: 'okta/forbidden', cause: 'insufficient_permissions' });
    expect(f.evidence.action).toBe('POST /api/v1/users');
  });

  it('leaves token-endpoint errors to the oauth2 plugin', async () => {
    expect(await failures({ url: 'https://acme.okta.com/oauth2/default/v1/token', status: 401, responseBody: json({ error: 'invalid_client', error_description: 'Client authentication failed.' }) })).toEqual([]);
  });
});
