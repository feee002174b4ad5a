import { describe, expect, it } from 'vitest';
import rule from '../../../rules/basic/wrong-scheme.ts';
import { makeExchange } from '../../helpers/exchange.ts';
import { runRule } from '../http/run.ts';

const basic = { Authorization: 'Basic dXNlcjpwYXNz' };
const k8sBody = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });

describe('basic/wrong-scheme', () => {
  describe('valid', () => {
    it('is silent when the server offers Basic', async () => {
      expect(await runRule('basic', rule, makeExchange({ requestHeaders: basic, responseHeaders: { 'WWW-Authenticate': 'Basic realm="x", Bearer' } }))).toEqual([]);
    });

    it('does not judge custom schemes', async () => {
      expect(await runRule('basic', rule, makeExchange({ requestHeaders: basic, responseHeaders: { 'WWW-Authenticate': 'Token' } }))).toEqual([]);
    });
  });

  describe('invalid', () => {
    it('reports Basic sent to a server that only offers Bearer', async () => {
      const [f] = await runRule('basic', rule, makeExchange({ requestHeaders: basic, responseHeaders: { 'WWW-Authenticate': 'Bearer realm="api"' } }));
      expect(f).toMatchObject({ status: 'fail', cause: 'wrong_scheme', confidence: 'likely', messageId: 'basic-not-offered', evidence: { offered: ['bearer'] } });
    });

    it('explains the registry token dance with the same user and password', async () => {
      const [f] = await runRule(
        'basic',
        rule,
        makeExchange({ requestHeaders: basic, responseHeaders: { 'WWW-Authenticate': 'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:o/r:pull"' } }),
      );
      expect(f!.fixes[0]).toContain('https://ghcr.io/token?service=ghcr.io&scope=repository%3Ao%2Fr%3Apull');
    });

    it.each([
      ['Digest realm="x", nonce="n", qop="auth"', '--digest'],
      ['Negotiate', '--negotiate'],
      ['NTLM', '--ntlm'],
    ])('tells how to use %s', async (challenge, flag) => {
      const [f] = await runRule('basic', rule, makeExchange({ requestHeaders: basic, responseHeaders: { 'WWW-Authenticate': challenge } }));
      expect(f).toMatchObject({ cause: 'wrong_scheme' });
      expect(f!.fixes.join(' ')).toContain(flag);
    });

    it('reports Basic to a current Kubernetes API server (removed in 1.19)', async () => {
      const ex = makeExchange({ url: 'https://10.0.0.10:6443/api', sentAt: new Date('2024-05-01T00:00:00Z'), requestHeaders: { ...basic, 'User-Agent': 'kubectl/v1.29.3 (linux/amd64) kubernetes/6813625' }, responseBody: k8sBody });
      const [f] = await runRule('basic', rule, ex);
      expect(f).toMatchObject({ status: 'fail', cause: 'wrong_scheme', confidence: 'likely', messageId: 'kubernetes-basic', evidence: { clientVersion: '1.29' } });
    });

    it('keeps it possible without a client version', async () => {
      const ex = makeExchange({ sentAt: new Date('2024-05-01T00:00:00Z'), requestHeaders: basic, responseBody: k8sBody });
      const [f] = await runRule('basic', rule, ex);
      expect(f).toMatchObject({ status: 'fail', confidence: 'possible' });
    });

    it('only warns for a capture from before Kubernetes 1.19', async () => {
      const ex = makeExchange({ sentAt: new Date('2018-04-17T09:26:51Z'), requestHeaders: { ...basic, 'User-Agent': 'kubectl/v1.10.1 (linux/amd64) kubernetes/d4ab475' }, responseBody: k8sBody });
      const [f] = await runRule('basic', rule, ex);
      expect(f).toMatchObject({ status: 'warn', messageId: 'kubernetes-basic-old' });
    });
  });
});
