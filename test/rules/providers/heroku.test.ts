import { describe, expect, it } from 'vitest';
import { failures, json, onlyFailure } from './run.ts';

describe('providers: Heroku', () => {
  it('reads invalid credentials, including the older "error" field', async () => {
    const f = await onlyFailure({ url: 'https://api.heroku.com/apps', status: 401, requestHeaders: { Authorization: 'Bearer x' }, responseBody: json({ id: 'unauthorized', error: 'Invalid credentials provided.' }) });
    expect(f).toMatchObject({ messageId: 'heroku/unauthorized', cause: 'invalid_credentials' });
  });

  it('reads no credentials', async () => {
    const f = await onlyFailure({ url: 'https://api.heroku.com/apps', status: 401, responseBody: json({ id: 'unauthorized', message: 'There were no credentials in your request.' }) });
    expect(f.cause).toBe('missing_credentials');
  });

  it('names the app from a forbidden answer', async () => {
    const f = await onlyFailure({ url: 'https://api.heroku.com/apps/my-app', status: 403, requestHeaders: { Authorization: 'Bearer x' }, responseBody: json({ id: 'forbidden', error: 'You do not have access to the app my-app.' }) });
    expect(f).toMatchObject({ messageId: 'heroku/forbidden', cause: 'insufficient_permissions' });
    expect(f.evidence.app).toBe('my-app');
    expect(f.fixes[0]).toContain('heroku access:add EMAIL --app my-app');
  });

  it('ignores other hosts', async () => {
    expect(await failures({ url: 'https://api.example.com/apps', status: 401, responseBody: json({ id: 'unauthorized', message: 'x' }) })).toEqual([]);
  });
});
