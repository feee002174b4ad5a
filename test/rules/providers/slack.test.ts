import { describe, expect, it } from 'vitest';
import { failures, json, onlyFailure } from './run.ts';

const url = 'https://slack.com/api/chat.postMessage';

describe('providers: Slack', () => {
  it('names the scope Slack asks for and the scopes the token has', async () => {
    const f = await onlyFailure({ url, method: 'POST', status: 200, responseBody: json({ ok: false, error: 'missing_scope', needed: 'chat:write', provided: 'channels:read,users:read' }) });
    expect(f).toMatchObject({ messageId: 'slack/missing-scope', cause: 'insufficient_permissions' });
    expect(f.evidence).toMatchObject({ needed: 'chat:write', provided: 'channels:read,users:read', action: 'chat:write' });
    expect(f.fixes[0]).toContain('reinstall the app');
  });

  it('reads revoked tokens and refused token types', async () => {
    expect((await onlyFailure({ url, status: 200, responseBody: json({ ok: false, error: 'token_revoked' }) })).messageId).toBe('slack/token-revoked');
    expect((await onlyFailure({ url, status: 200, responseBody: json({ ok: false, error: 'not_allowed_token_type' }) })).messageId).toBe('slack/not-allowed-token-type');
  });

  it('leaves the generic token errors to the http plugin, and successes alone', async () => {
    expect(await failures({ url, status: 200, responseBody: json({ ok: false, error: 'invalid_auth' }) })).toEqual([]);
    expect(await failures({ url, status: 200, responseBody: json({ ok: true, channel: 'C1' }) })).toEqual([]);
  });
});
