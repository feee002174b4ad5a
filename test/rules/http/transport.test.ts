import { describe, expect, it } from 'vitest';
import rule from '../../../rules/http/transport.ts';
import { makeExchange } from '../../helpers/exchange.ts';
import type { TransportFailure } from '../../../src/core/types.ts';
import { leaks, runRule } from './run.ts';

const failed = (transportError: TransportFailure, init: Parameters<typeof makeExchange>[0] = {}) => ({ ...makeExchange({ status: null, ...init }), transportError });

describe('http/transport', () => {
  it('does not apply when a response arrived', async () => {
    expect(await runRule('http', rule, makeExchange({ status: 401 }))).toEqual([]);
  });

  it.each([
    ['ECONNREFUSED', /refused/],
    ['ENOTFOUND', /could not be resolved/],
    ['ETIMEDOUT', /did not answer in time/],
    ['ECONNRESET', /closed the connection/],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', /self-signed/],
    ['CERT_HAS_EXPIRED', /expired/],
    ['ERR_SSL_WRONG_VERSION_NUMBER', /plain HTTP/],
  ])('explains %s as a network problem with a warning and no cause', async (code, text) => {
    const [f] = await runRule('http', rule, failed({ code, message: 'x.', phase: 'connect' }));
    expect(f).toMatchObject({ status: 'warn', cause: null, messageId: 'transport-failure', evidence: { code } });
    expect(f!.message).toMatch(text);
    expect(f!.message).toMatch(/not an authentication failure/);
  });

  it('advises --ca and --insecure for certificate problems', async () => {
    const [f] = await runRule('http', rule, failed({ code: 'SELF_SIGNED_CERT_IN_CHAIN', message: 'x', phase: 'tls' }));
    expect(f!.fixes.join(' ')).toMatch(/--ca FILE/);
    expect(f!.fixes.join(' ')).toMatch(/--insecure/);
  });

  it('finds the header that could not be sent, showing the character, not the value', async () => {
    const secret = 'tok_abcdefghijklmnopqrstu';
    const findings = await runRule('http', rule, failed({ code: 'ERR_INVALID_CHAR', message: 'bad header', phase: 'request' }, { requestHeaders: { Authorization: `Bearer ${secret}\n` } }));
    expect(findings[0]!.message).toContain('the Authorization header contains characters HTTP does not allow (\\n (line feed) at position 33)');
    expect(leaks(findings, secret)).toBe(false);
  });

  it('masks proxy credentials in the message', async () => {
    const ex = { ...failed({ code: 'ECONNREFUSED', message: 'x', phase: 'connect' }), proxy: { url: 'http://bob:hunter2hunter2@proxy:3128', source: 'env' as const } };
    const findings = await runRule('http', rule, ex);
    expect(findings[0]!.message).toMatch(/proxy/);
    expect(leaks(findings, 'hunter2hunter2')).toBe(false);
  });
});
