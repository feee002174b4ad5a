import { describe, expect, it } from 'vitest';
import { diagnoseExchange, failures, json, onlyFailure } from './run.ts';

const url = 'https://api.openai.com/v1/chat/completions';
const err = (message: string, code: string | null, type = 'invalid_request_error') => json({ error: { message, type, param: null, code } });

describe('providers: OpenAI', () => {
  it('reads invalid_api_key and quotes the masked key OpenAI echoes', async () => {
    const f = await onlyFailure({ url, method: 'POST', status: 401, responseBody: err('Incorrect API key provided: sk-proj-****abcd. You can find your API key at https://platform.openai.com/account/api-keys.', 'invalid_api_key') });
    expect(f).toMatchObject({ messageId: 'openai/invalid-api-key', cause: 'invalid_credentials' });
    expect(f.evidence.maskedKey).toBe('sk-proj-****abcd');
  });

  it('reads a missing key', async () => {
    const f = await onlyFailure({ url, status: 401, responseBody: err("You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", null) });
    expect(f).toMatchObject({ messageId: 'openai/no-api-key', cause: 'missing_credentials' });
  });

  it('names the scopes a restricted key lacks', async () => {
    const f = await onlyFailure({ url, status: 401, responseBody: err('You have insufficient permissions for this operation. Missing scopes: model.request. Check that you have the correct role in your organization (Reader, Writer, Owner) and project (Member, Owner), and if you\'re using a restricted API key, that it has the necessary scopes.', null) });
    expect(f).toMatchObject({ messageId: 'openai/missing-scopes', cause: 'insufficient_permissions' });
    expect(f.evidence).toMatchObject({ scopes: 'model.request', action: 'model.request' });
  });

  it('says insufficient_quota is billing, not authentication', async () => {
    const found = await diagnoseExchange({ url, status: 429, responseBody: err('You exceeded your current quota, please check your plan and billing details.', 'insufficient_quota', 'insufficient_quota') });
    expect(found.map((f) => [f.messageId, f.status, f.cause])).toEqual([['openai/insufficient-quota', 'warn', null]]);
  });

  it('does not read OpenAI-shaped errors from other hosts', async () => {
    expect(await failures({ url: 'https://llm.example.com/v1/chat/completions', status: 401, responseBody: err('Incorrect API key provided: x', 'invalid_api_key') })).toEqual([]);
  });
});
