import { describe, expect, it } from 'vitest';
import { failures, json, onlyFailure } from './run.ts';

const url = 'https://acme.my.salesforce.com/services/data/v60.0/sobjects/Account';

describe('providers: Salesforce', () => {
  it('reads "Session expired or invalid" as an expired session', async () => {
    const f = await onlyFailure({ url, status: 401, responseBody: json([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]) });
    expect(f).toMatchObject({ messageId: 'salesforce/session-expired', cause: 'expired_token', confidence: 'definitive' });
  });

  it('reads "not valid for use with the REST API" as a permission problem that refreshing will not fix', async () => {
    const f = await onlyFailure({ url, status: 401, responseBody: json([{ message: 'This session is not valid for use with the REST API', errorCode: 'INVALID_SESSION_ID' }]) });
    expect(f).toMatchObject({ messageId: 'salesforce/session-not-valid-for-api', cause: 'insufficient_permissions' });
    expect(f.evidence.api).toBe('REST');
    expect(f.fixes[0]).toContain('Refreshing the token will not help');
  });

  it('reads API_DISABLED_FOR_ORG', async () => {
    expect((await onlyFailure({ url, status: 403, responseBody: json([{ message: 'The REST API is not enabled for this Organization.', errorCode: 'API_DISABLED_FOR_ORG' }]) })).messageId).toBe('salesforce/api-disabled');
  });

  it('ignores field errors and other hosts', async () => {
    expect(await failures({ url, status: 400, responseBody: json([{ message: 'Required fields are missing: [Name]', errorCode: 'REQUIRED_FIELD_MISSING' }]) })).toEqual([]);
    expect(await failures({ url: 'https://api.example.com/x', status: 401, responseBody: json([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]) })).toEqual([]);
  });
});
