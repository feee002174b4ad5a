import { describe, expect, it } from 'vitest';
import rule from '../../../rules/basic/encoding.ts';
import { makeExchange } from '../../helpers/exchange.ts';
import { leaks, runRule } from '../http/run.ts';

const b64 = (s: string, enc: BufferEncoding = 'utf8') => Buffer.from(s, enc).toString('base64');
const run = (authorization: string, init: Parameters<typeof makeExchange>[0] = {}) => runRule('basic', rule, makeExchange({ requestHeaders: { Authorization: authorization }, ...init }));

describe('basic/encoding', () => {
  describe('valid', () => {
    it.each(['user:pass', 'alice@example.com:c0rrect-horse', 'a:b', ':pat12345'])('accepts the standard base64 of %j', async (plain) => {
      expect(await run(`Basic ${b64(plain)}`)).toEqual([]);
    });

    it('accepts UTF-8 when the server asks for charset="UTF-8"', async () => {
      expect(await run(`Basic ${b64('jürgen:pässwort')}`, { responseHeaders: { 'WWW-Authenticate': 'Basic realm="x", charset="UTF-8"' } })).toEqual([]);
    });

    it('leaves an empty or placeholder Basic value to the missing-credentials rule', async () => {
      expect(await run('Basic ')).toEqual([]);
      expect(await run('Basic undefined')).toEqual([]);
    });
  });

  describe('invalid', () => {
    it('reports user:password sent without encoding, masked', async () => {
      const findings = await run('Basic alice:S3cretPassw0rd');
      expect(findings[0]).toMatchObject({ status: 'fail', cause: 'malformed_credentials', confidence: 'likely', messageId: 'not-encoded' });
      expect(leaks(findings, 'S3cretPassw0rd')).toBe(false);
    });

    it('reports base64 wrapped over two lines (base64 wraps at 76 columns)', async () => {
      const long = b64(`${'u'.repeat(40)}:${'p'.repeat(40)}`);
      const [f] = await run(`Basic ${long.slice(0, 76)}\n${long.slice(76)}`);
      expect(f).toMatchObject({ messageId: 'wrapped-base64', cause: 'malformed_credentials' });
      expect(f!.message).toContain('position 77');
      expect(f!.fixes[0]).toContain('base64 -w0');
    });

    it('reports a line break at the end of the header (a value read from a file)', async () => {
      const [f] = await run(`Basic ${b64('user:pass')}\n`);
      expect(f).toMatchObject({ messageId: 'wrapped-base64' });
      expect(f!.message).toMatch(/at its end/);
    });

    it('reports the URL-safe alphabet', async () => {
      const std = b64('user:p>?>?>?'); // contains + or / in standard base64
      expect(std).toMatch(/[+/]/);
      const [f] = await run(`Basic ${std.replace(/\+/g, '-').replace(/\//g, '_')}`);
      expect(f).toMatchObject({ messageId: 'url-safe-alphabet' });
    });

    it('reports missing padding (possible) and padding in the middle (likely)', async () => {
      const [missing] = await run(`Basic ${b64('user:pas').replace(/=+$/, '')}`);
      expect(missing).toMatchObject({ messageId: 'missing-padding', confidence: 'possible' });
      const [stray] = await run(`Basic ${b64('user')}${b64(':pass')}`);
      expect(stray).toMatchObject({ messageId: 'stray-padding', confidence: 'likely' });
    });

    it('reports a truncated value', async () => {
      const [f] = await run(`Basic ${b64('user:password').slice(0, 9)}`);
      expect(f).toMatchObject({ messageId: 'truncated-base64' });
    });

    it('reports UTF-16 bytes (PowerShell [Text.Encoding]::Unicode)', async () => {
      const [f] = await run(`Basic ${b64(':mypersonalaccesstoken', 'utf16le')}`);
      expect(f).toMatchObject({ messageId: 'utf16', cause: 'malformed_credentials' });
      expect(f!.fixes[0]).toContain('UTF8');
    });

    it('reports a Latin-1 password when the server declares charset="UTF-8"', async () => {
      const [f] = await run(`Basic ${b64('user:pässwort', 'latin1')}`, { responseHeaders: { 'WWW-Authenticate': 'Basic realm="security" charset="UTF-8"' } });
      expect(f).toMatchObject({ status: 'fail', messageId: 'not-utf8', confidence: 'likely', evidence: { charset: 'UTF-8', position: 7 } });
      expect(f!.message).toContain('0xE4');
    });

    it('warns about non-ASCII without a declared charset', async () => {
      const [f] = await run(`Basic ${b64('user:pässwort')}`, { responseHeaders: { 'WWW-Authenticate': 'Basic realm="x"' } });
      expect(f).toMatchObject({ status: 'warn', messageId: 'non-ascii-no-charset' });
    });
  });
});
