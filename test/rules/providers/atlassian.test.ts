import { describe, expect, it } from 'vitest';
import { failures, json, onlyFailure } from './run.ts';

const jira = 'https://acme.atlassian.net/rest/api/3/myself';

describe('providers: Atlassian', () => {
  it('reads "Client must be authenticated" with and without credentials', async () => {
    const body = 'Client must be authenticated to access this resource.';
    expect((await onlyFailure({ url: jira, status: 401, responseBody: body })).cause).toBe('missing_credentials');
    const f = await onlyFailure({ url: jira, status: 401, requestHeaders: { Authorization: 'Basic eDp5' }, responseBody: body });
    expect(f).toMatchObject({ messageId: 'atlassian/not-authenticated', cause: 'invalid_credentials' });
  });

  it('reads the errorMessages form', async () => {
    const f = await onlyFailure({ url: jira, status: 401, responseBody: json({ errorMessages: ['You are not authenticated. Authentication required to perform this operation.'], errors: {} }) });
    expect(f.messageId).toBe('atlassian/not-authenticated-no-credentials');
  });

  it('names the permission from a 403', async () => {
    const f = await onlyFailure({ url: 'https://acme.atlassian.net/rest/api/3/issue/X-1', method: 'DELETE', status: 403, requestHeaders: { Authorization: 'Basic eDp5' }, responseBody: json({ errorMessages: ['You do not have permission to delete issues in this project.'], errors: {} }) });
    expect(f).toMatchObject({ messageId: 'atlassian/no-permission', cause: 'insufficient_permissions' });
    expect(f.evidence.action).toBe('delete issues in this project');
  });

  it('says nothing about a 200 whose body is the data (the header is the http plugin\'s)', async () => {
    expect(await failures({ url: jira, status: 200, responseHeaders: { 'X-Seraph-LoginReason': 'AUTHENTICATION_DENIED' }, responseBody: json({ name: 'x' }) })).toEqual([]);
  });
});
