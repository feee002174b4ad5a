import { describe, expect, it } from 'vitest';
import rule from '../../../rules/basic/userinfo.ts';
import { makeExchange } from '../../helpers/exchange.ts';
import { leaks, runRule } from '../http/run.ts';

describe('basic/userinfo', () => {
  it('does not apply to a URL without user info', async () => {
    expect(await runRule('basic', rule, makeExchange({ url: 'https://api.example.com/x' }))).toEqual([]);
  });

  it('fails when the URL credentials never became an Authorization header', async () => {
    const findings = await runRule('basic', rule, makeExchange({ url: 'https://alice:Hunter2Hunter2@api.example.com/x', status: 401 }));
    expect(findings[0]).toMatchObject({ status: 'fail', cause: 'missing_credentials', messageId: 'userinfo-not-sent', evidence: { user: 'alice', password: 'present', authorizationHeader: 'absent' } });
    expect(findings[0]!.fixes[0]).toContain("curl -u 'alice:PASSWORD'");
    expect(leaks(findings, 'Hunter2Hunter2')).toBe(false);
  });

  it('only warns when an Authorization header was sent as well', async () => {
    const [f] = await runRule('basic', rule, makeExchange({ url: 'https://alice:pw@api.example.com/x', requestHeaders: { Authorization: 'Basic YWxpY2U6cHc=' }, status: 200 }));
    expect(f).toMatchObject({ status: 'warn', cause: null, messageId: 'userinfo' });
  });
});
