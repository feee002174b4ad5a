import { describe, expect, it } from 'vitest';
import atlassian from '../../../rules/basic/atlassian-cloud.ts';
import devops from '../../../rules/basic/azure-devops.ts';
import elasticsearch from '../../../rules/basic/elasticsearch.ts';
import { makeExchange } from '../../helpers/exchange.ts';
import { leaks, runRule } from '../http/run.ts';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('basic/atlassian-cloud', () => {
  const url = 'https://acme.atlassian.net/rest/api/3/myself';
  it('accepts email + API token', async () => {
    const ex = makeExchange({ url, requestHeaders: { Authorization: `Basic ${b64('ada@acme.com:ATATT3xFfGF0EXAMPLEexampleEXAMPLEexample1234')}` } });
    expect(await runRule('basic', atlassian, ex)).toEqual([]);
  });

  it('does not apply to Jira Server / Data Center hosts', async () => {
    const ex = makeExchange({ url: 'https://issues.apache.org/jira/rest/api/2/myself', requestHeaders: { Authorization: `Basic ${b64('ada:password1')}` } });
    expect(await runRule('basic', atlassian, ex)).toEqual([]);
  });

  it('says a user name and password no longer work, definitively when Atlassian says so', async () => {
    const ex = makeExchange({ url, requestHeaders: { Authorization: `Basic ${b64('ada:MyAccountPassw0rd')}` }, responseBody: 'Basic authentication with passwords is deprecated.  For more information, see: https://developer.atlassian.com/cloud/confluence/deprecation-notice-basic-auth/' });
    const findings = await runRule('basic', atlassian, ex);
    expect(findings[0]).toMatchObject({ status: 'fail', cause: 'invalid_credentials', confidence: 'definitive', messageId: 'atlassian-cloud-basic', evidence: { userIsEmail: false, passwordLooksLikeApiToken: false } });
    expect(findings[0]!.fixes[0]).toContain('id.atlassian.com');
    expect(leaks(findings, 'MyAccountPassw0rd')).toBe(false);
  });

  it('reports an API token sent as Bearer', async () => {
    const ex = makeExchange({ url, requestHeaders: { Authorization: 'Bearer ATATT3xFfGF0EXAMPLEexampleEXAMPLEexample1234' } });
    const [f] = await runRule('basic', atlassian, ex);
    expect(f).toMatchObject({ cause: 'wrong_scheme', messageId: 'atlassian-bearer' });
  });
});

describe('basic/azure-devops', () => {
  const url = 'https://dev.azure.com/acme/_apis/projects';
  const pat = 'a'.repeat(20) + 'b'.repeat(20) + 'c'.repeat(12);
  it('accepts a PAT as Basic with an empty user, and Entra JWTs as Bearer', async () => {
    expect(await runRule('basic', devops, makeExchange({ url, requestHeaders: { Authorization: `Basic ${b64(`:${pat}`)}` } }))).toEqual([]);
    expect(await runRule('basic', devops, makeExchange({ url, requestHeaders: { Authorization: 'Bearer eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJ4In0.c2ln' } }))).toEqual([]);
  });

  it('reports a PAT sent as Bearer', async () => {
    const [f] = await runRule('basic', devops, makeExchange({ url, requestHeaders: { Authorization: `Bearer ${pat}` } }));
    expect(f).toMatchObject({ status: 'fail', cause: 'wrong_scheme', messageId: 'pat-as-bearer' });
    expect(f!.fixes[0]).toContain('curl -u ":$AZURE_DEVOPS_PAT"');
  });

  it('reports a PAT in the user-name slot', async () => {
    const [f] = await runRule('basic', devops, makeExchange({ url, requestHeaders: { Authorization: `Basic ${b64(`${pat}:`)}` } }));
    expect(f).toMatchObject({ cause: 'malformed_credentials', messageId: 'pat-as-user' });
  });
});

describe('basic/elasticsearch', () => {
  const body = (user: string) =>
    JSON.stringify({ error: { root_cause: [{ type: 'security_exception', reason: `unable to authenticate user [${user}] for REST request [/_search]` }], type: 'security_exception', reason: `unable to authenticate user [${user}] for REST request [/_search]` }, status: 401 });

  it('leaves real user names to the provider pack', async () => {
    expect(await runRule('basic', elasticsearch, makeExchange({ responseBody: body('elastic') }))).toEqual([]);
  });

  it.each(['undefined', 'null', ''])('reads user [%s] as missing credentials, definitively', async (user) => {
    const [f] = await runRule('basic', elasticsearch, makeExchange({ responseBody: body(user) }));
    expect(f).toMatchObject({ status: 'fail', cause: 'missing_credentials', confidence: 'definitive', messageId: 'es-placeholder-user', evidence: { user } });
  });
});
