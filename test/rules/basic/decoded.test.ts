import { describe, expect, it } from 'vitest';
import rule from '../../../rules/basic/decoded.ts';
import { makeExchange } from '../../helpers/exchange.ts';
import { leaks, runRule } from '../http/run.ts';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const run = (plain: string, init: Parameters<typeof makeExchange>[0] = {}) => runRule('basic', rule, makeExchange({ requestHeaders: { Authorization: `Basic ${b64(plain)}` }, ...init }));

describe('basic/decoded', () => {
  describe('valid', () => {
    it.each(['alice:correct-horse-battery', 'sk_test_4eC39HqLyjWDarjtT1zdp7dc:', 'admin:changeme', 'a b:c d'])('accepts %j', async (plain) => {
      expect(await run(plain)).toEqual([]);
    });
  });

  describe('invalid', () => {
    it('reports "undefined:undefined" as missing credentials (the unset-variable bug)', async () => {
      const [f] = await run('undefined:undefined');
      expect(f).toMatchObject({ status: 'fail', cause: 'missing_credentials', confidence: 'likely', messageId: 'placeholder-part', evidence: { user: 'undefined', password: 'undefined' } });
    });

    it.each([['alice:${PASSWORD}'], ['<username>:<password>'], ['null:hunter2xyz'], ['alice:None']])('reports the placeholder in %j', async (plain) => {
      const [f] = await run(plain);
      expect(f).toMatchObject({ cause: 'missing_credentials', messageId: 'placeholder-part' });
    });

    it('does not print a real password next to a placeholder user name', async () => {
      const findings = await run('undefined:Sup3rS3cretPass');
      expect(leaks(findings, 'Sup3rS3cretPass')).toBe(false);
    });

    it('reports the echo newline at the end of the password, without printing it', async () => {
      const findings = await run('alice:Sup3rS3cretPass\n');
      expect(findings[0]).toMatchObject({ status: 'fail', cause: 'malformed_credentials', confidence: 'likely', messageId: 'newline-inside', evidence: { part: 'password' } });
      expect(findings[0]!.message).toMatch(/echo/);
      expect(findings[0]!.fixes[0]).toContain("printf '%s'");
      expect(findings[0]!.evidence.damage).toEqual(['\\n (line feed) at position 16 of the password']);
      expect(leaks(findings, 'Sup3rS3cretPass')).toBe(false);
    });

    it('reports a value without a colon', async () => {
      const [f] = await run('ghp_16C7e42F292c6912E7710c838347Ae178B4a');
      expect(f).toMatchObject({ messageId: 'no-colon', cause: 'malformed_credentials' });
    });

    it('reports both parts empty', async () => {
      const [f] = await run(':');
      expect(f).toMatchObject({ messageId: 'empty-parts', cause: 'missing_credentials' });
    });

    it('reports an empty password for an ordinary user name on a failure', async () => {
      const [f] = await run('alice:');
      expect(f).toMatchObject({ messageId: 'empty-password', confidence: 'possible' });
    });

    it('reports spaces around the user name', async () => {
      const [f] = await run('alice :pw12345');
      expect(f).toMatchObject({ messageId: 'whitespace-inside', confidence: 'likely', evidence: { part: 'user name' } });
    });

    it('reports percent-encoding that was never decoded', async () => {
      const [f] = await run('alice%40example.com:pw12345');
      expect(f).toMatchObject({ messageId: 'percent-encoded', confidence: 'likely', evidence: { sequence: '%40', stands: '@' } });
    });

    it('reads placeholders in URL user info too', async () => {
      const [f] = await runRule('basic', rule, makeExchange({ url: 'https://undefined:undefined@api.example.com/x' }));
      expect(f).toMatchObject({ cause: 'missing_credentials', evidence: { source: 'userinfo' } });
    });

    it('warns instead of failing when the server did not fail', async () => {
      const [f] = await run('undefined:undefined', { status: 200 });
      expect(f!.status).toBe('warn');
    });
  });
});
