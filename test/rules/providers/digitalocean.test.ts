import { describe, expect, it } from 'vitest';
import { failures, json, onlyFailure } from './run.ts';

const url = 'https://api.digitalocean.com/v2/droplets';

describe('providers: DigitalOcean', () => {
  it('tells a missing token from a rejected one', async () => {
    const body = json({ id: 'unauthorized', message: 'Unable to authenticate you' });
    expect((await onlyFailure({ url, status: 401, responseBody: body })).cause).toBe('missing_credentials');
    expect((await onlyFailure({ url, status: 401, requestHeaders: { Authorization: 'Bearer dop_v1_x' }, responseBody: body })).messageId).toBe('digitalocean/unauthorized');
  });

  it('reads a token without the scope', async () => {
    const f = await onlyFailure({ url, method: 'POST', status: 403, requestHeaders: { Authorization: 'Bearer dop_v1_x' }, responseBody: json({ id: 'forbidden', message: 'You are not authorized to perform this operation' }) });
    expect(f).toMatchObject({ messageId: 'digitalocean/forbidden', cause: 'insufficient_permissions' });
    expect(f.evidence.resource).toBe('POST /v2/droplets');
  });

  it('ignores other ids', async () => {
    expect(await failures({ url, status: 404, responseBody: json({ id: 'not_found', message: 'The resource you were accessing could not be found.' }) })).toEqual([]);
  });
});
