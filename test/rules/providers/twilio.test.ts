import { describe, expect, it } from 'vitest';
import { failures, json, onlyFailure } from './run.ts';

const body = (code: number, message: string, status = 401) => json({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
const sid = (prefix: string) => prefix + '0'.repeat(32);

describe('providers: Twilio', () => {
  it('explains an API key SID in place of the Account SID', async () => {
    const f = await onlyFailure({ url: `https://api.twilio.com/2010-04-01/Accounts/${sid('SK')}/Messages.json`, method: 'POST', status: 401, responseBody: body(20003, 'Authenticate') });
    expect(f).toMatchObject({ messageId: 'twilio/20003-api-key-sid-as-account-sid', cause: 'invalid_credentials', confidence: 'definitive' });
    expect(f.fixes[0]).toContain('Client(apiKeySid, apiKeySecret, accountSid)');
  });

  it('reads a plain 20003 as credentials that do not match', async () => {
    const f = await onlyFailure({ url: `https://api.twilio.com/2010-04-01/Accounts/${sid('AC')}/Messages.json`, status: 401, responseBody: json({ code: 20003, detail: 'Your AccountSid or AuthToken was incorrect.', message: 'Authenticate', status: 401 }) });
    expect(f).toMatchObject({ messageId: 'twilio/20003-authenticate', cause: 'invalid_credentials' });
    expect(f.evidence.detail).toBe('Your AccountSid or AuthToken was incorrect.');
  });

  it('reads test credentials on a live resource and a restricted key', async () => {
    expect((await onlyFailure({ url: 'https://api.twilio.com/2010-04-01/Accounts/AC/Calls.json', status: 403, responseBody: body(20008, 'Resource not accessible with Test Account Credentials', 403) })).messageId).toBe('twilio/20008-test-credentials');
    expect((await onlyFailure({ url: 'https://messaging.twilio.com/v1/Services', status: 403, responseBody: body(70051, 'Authorization Failed', 403) })).cause).toBe('insufficient_permissions');
  });

  it('ignores unrelated Twilio errors', async () => {
    expect(await failures({ url: 'https://api.twilio.com/2010-04-01/Accounts/AC/Messages.json', status: 400, responseBody: body(21211, "The 'To' number is not a valid phone number.", 400) })).toEqual([]);
  });
});
