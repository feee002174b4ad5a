import { describe, expect, it } from 'vitest';
import { failures, json, onlyFailure } from './run.ts';

const err = (status: number, code: string, message: string) => json({ object: 'error', status, code, message });

describe('providers: Notion', () => {
  it('reads an invalid token', async () => {
    const f = await onlyFailure({ url: 'https://api.notion.com/v1/users/me', status: 401, responseBody: err(401, 'unauthorized', 'API token is invalid.') });
    expect(f).toMatchObject({ messageId: 'notion/unauthorized', cause: 'invalid_credentials' });
  });

  it('reads a page that was never shared with the integration', async () => {
    const f = await onlyFailure({ url: 'https://api.notion.com/v1/pages/abc', status: 404, responseBody: err(404, 'object_not_found', 'Could not find page with ID: abc. Make sure the relevant pages and databases are shared with your integration.') });
    expect(f).toMatchObject({ messageId: 'notion/not-shared', cause: 'insufficient_permissions', confidence: 'likely' });
  });

  it('reads a missing capability', async () => {
    expect((await onlyFailure({ url: 'https://api.notion.com/v1/comments', status: 403, responseBody: err(403, 'restricted_resource', 'Insufficient permissions for this endpoint.') })).messageId).toBe('notion/restricted-resource');
  });

  it('ignores validation errors', async () => {
    expect(await failures({ url: 'https://api.notion.com/v1/pages', status: 400, responseBody: err(400, 'validation_error', 'body failed validation') })).toEqual([]);
  });
});
