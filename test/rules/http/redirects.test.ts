import { describe, expect, it } from 'vitest';
import rule from '../../../rules/http/redirects.ts';
import { makeExchange } from '../../helpers/exchange.ts';
import { runRule } from './run.ts';

const auth = { Authorization: 'Bearer abcdefghijklmnopqrstuvwxyz' };

describe('http/redirects', () => {
  describe('valid', () => {
    it('is silent for a same-origin redirect that kept the credentials', async () => {
      const ex = makeExchange({ requestHeaders: auth, status: 200, redirects: [{ status: 301, from: 'https://api.example.com/v1/me', to: 'https://api.example.com/v1/me/', crossOrigin: false, droppedHeaders: [] }] });
      expect(await runRule('http', rule, ex)).toEqual([]);
    });

    it('does not apply without redirects', async () => {
      expect(await runRule('http', rule, makeExchange({ requestHeaders: auth }))).toEqual([]);
    });
  });

  describe('invalid', () => {
    it('blames a cross-origin redirect before a 401 for the missing credentials, listing the hops', async () => {
      const ex = makeExchange({
        url: 'https://api.example.com/v1/me',
        requestHeaders: auth,
        status: 401,
        redirects: [{ status: 302, from: 'https://api.example.com/v1/me', to: 'https://api2.example.net/v1/me?sig=abc', crossOrigin: true, droppedHeaders: ['Authorization'] }],
      });
      const [f] = await runRule('http', rule, ex);
      expect(f).toMatchObject({ status: 'fail', cause: 'missing_credentials', confidence: 'likely', messageId: 'cross-origin-redirect' });
      expect(f!.evidence.hops).toEqual(['302 https://api.example.com/v1/me → https://api2.example.net/v1/me?… (dropped: Authorization)']);
      expect(f!.fixes[0]).toContain('https://api2.example.net/v1/me');
      expect(f!.fixes[1]).toContain('--location-trusted');
    });

    it('explains an http→https redirect', async () => {
      const ex = makeExchange({
        url: 'http://api.example.com/v1/me',
        requestHeaders: auth,
        status: 401,
        redirects: [{ status: 301, from: 'http://api.example.com/v1/me', to: 'https://api.example.com/v1/me', crossOrigin: true, droppedHeaders: ['Authorization'] }],
      });
      const [f] = await runRule('http', rule, ex);
      expect(f).toMatchObject({ messageId: 'http-to-https', cause: 'missing_credentials' });
      expect(f!.fixes[0]).toMatch(/Use https:\/\//);
    });

    it('only warns when the final answer is not a failure', async () => {
      const ex = makeExchange({ requestHeaders: auth, status: 200, redirects: [{ status: 302, from: 'https://a.example/x', to: 'https://b.example/x', crossOrigin: true, droppedHeaders: ['Authorization'] }] });
      const [f] = await runRule('http', rule, ex);
      expect(f).toMatchObject({ status: 'warn', cause: 'missing_credentials' });
    });

    it('reports a token POST turned into GET by a 302, losing the body credentials', async () => {
      const ex = makeExchange({
        method: 'POST',
        url: 'http://idp.example.com/token',
        requestBody: 'grant_type=client_credentials&client_id=a&client_secret=b',
        status: 401,
        redirects: [{ status: 302, from: 'http://idp.example.com/token', to: 'http://idp.example.com/token/', crossOrigin: false, droppedHeaders: [] }],
      });
      const [f] = await runRule('http', rule, ex);
      expect(f).toMatchObject({ status: 'fail', cause: 'missing_credentials', messageId: 'method-changed' });
      expect(f!.fixes[0]).toMatch(/307\/308/);
    });
  });
});
