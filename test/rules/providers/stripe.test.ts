import { describe, expect, it } from 'vitest';
import { failures, json, onlyFailure } from './run.ts';

const url = 'https://api.stripe.com/v1/charges';
const err = (message: string, extra: Record<string, string> = {}) => json({ error: { message, type: 'invalid_request_error', ...extra } });

describe('providers: Stripe', () => {
  it('reads "You did not provide an API key" with the header value Stripe echoes', async () => {
    const f = await onlyFailure({ url, status: 401, requestHeaders: { Authorization: 'Bearer undefined' }, responseBody: err('You did not provide an API key, though you did set your Authorization header to "undefined". Using Bearer auth, your Authorization header should look something like \'Authorization: Bearer YOUR_SECRET_KEY\'.') });
    expect(f).toMatchObject({ messageId: 'stripe/no-api-key', cause: 'missing_credentials' });
    expect(f.evidence.sentValue).toBe('undefined');
  });

  it('masks a key that Stripe echoes back from the Authorization header', async () => {
    const key = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc';
    const f = await onlyFailure({ url, status: 401, requestHeaders: { Authorization: key }, responseBody: err(`You did not provide an API key, though you did set your Authorization header to "${key}". Using Bearer auth, your Authorization header should look something like 'Authorization: Bearer YOUR_SECRET_KEY'.`) });
    expect(f.messageId).toBe('stripe/no-api-key');
    expect(f.message.includes(key) || JSON.stringify(f.evidence).includes(key)).toBe(false);
    expect(String(f.evidence.sentValue)).toMatch(/^sk_t…\(32 chars, sha256:[0-9a-f]{8}\)$/);
  });

  it('reads invalid and expired keys', async () => {
    expect((await onlyFailure({ url, status: 401, responseBody: err('Invalid API Key provided: sk_test_********************1234') })).messageId).toBe('stripe/invalid-api-key');
    const expired = await onlyFailure({ url, status: 401, responseBody: err('Expired API Key provided: sk_live_****1234', { code: 'api_key_expired' }) });
    expect(expired).toMatchObject({ messageId: 'stripe/api-key-expired', cause: 'expired_token' });
  });

  it('names the permission a restricted key lacks', async () => {
    const f = await onlyFailure({
      url: 'https://api.stripe.com/v1/subscriptions',
      status: 403,
      responseBody: err("The provided key 'rk_test_****BYBoGA' does not have the required permissions for this endpoint on account 'acct_1AF6'. Having the 'rak_subscription_read' permission would allow this request to continue."),
    });
    expect(f).toMatchObject({ messageId: 'stripe/restricted-key-permission', cause: 'insufficient_permissions' });
    expect(f.evidence).toMatchObject({ principal: 'rk_test_****BYBoGA', action: 'rak_subscription_read', resource: 'GET /v1/subscriptions on acct_1AF6' });
  });

  it('reads a test-mode key used for a live-mode object', async () => {
    const f = await onlyFailure({ url: 'https://api.stripe.com/v1/customers/cus_1', status: 404, responseBody: err("No such customer: 'cus_1'; a similar object exists in live mode, but a test mode key was used to make this request.") });
    expect(f).toMatchObject({ messageId: 'stripe/mode-mismatch', cause: 'invalid_credentials' });
    expect(f.evidence).toMatchObject({ objectMode: 'live', keyMode: 'test' });
  });

  it('reads a publishable key on a server endpoint', async () => {
    const f = await onlyFailure({ url, status: 401, responseBody: err('This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.') });
    expect(f.messageId).toBe('stripe/publishable-key');
  });

  it('leaves card errors alone', async () => {
    expect(await failures({ url, status: 402, responseBody: json({ error: { message: 'Your card was declined.', type: 'card_error', code: 'card_declined' } }) })).toEqual([]);
  });
});
