import { describe, expect, it } from 'vitest';
import { failures, json, onlyFailure } from './run.ts';

const es = 'https://es.example.com:9200/logs/_search';
const security = (reason: string, status: number) => json({ error: { root_cause: [{ type: 'security_exception', reason }], type: 'security_exception', reason }, status });

describe('providers: Elasticsearch', () => {
  it('reads missing credentials', async () => {
    const f = await onlyFailure({ url: es, status: 401, responseBody: security('missing authentication credentials for REST request [/logs/_search]', 401) });
    expect(f).toMatchObject({ messageId: 'elasticsearch/missing-credentials', cause: 'missing_credentials' });
    expect(f.evidence.restPath).toBe('/logs/_search');
  });

  it('reads rejected credentials of a named user', async () => {
    const f = await onlyFailure({ url: es, status: 401, responseBody: security('unable to authenticate user [kibana_user] for REST request [/logs/_search]', 401) });
    expect(f).toMatchObject({ messageId: 'elasticsearch/unable-to-authenticate', cause: 'invalid_credentials' });
    expect(f.evidence.user).toBe('kibana_user');
  });

  it('leaves the [undefined] user to the basic plugin', async () => {
    expect(await failures({ url: es, status: 401, responseBody: security('unable to authenticate user [undefined] for REST request [/logs/_search]', 401) })).toEqual([]);
  });

  it('names principal, action, indices and the privileges that would grant it', async () => {
    const f = await onlyFailure({
      url: es,
      status: 403,
      responseBody: security('action [indices:data/read/search] is unauthorized for user [reader] with effective roles [viewer] on indices [logs], this action is granted by the index privileges [read,all]', 403),
    });
    expect(f).toMatchObject({ messageId: 'elasticsearch/action-unauthorized', cause: 'insufficient_permissions' });
    expect(f.evidence).toMatchObject({ principal: 'reader', action: 'indices:data/read/search', resource: 'indices logs', privileges: 'read,all', roles: 'viewer' });
  });
});
