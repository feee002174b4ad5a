import { describe, expect, it } from 'vitest';
import rule from '../../../rules/http/missing-credentials.ts';
import { makeExchange } from '../../helpers/exchange.ts';
import type { Exchange } from '../../../src/core/types.ts';
import { runRule } from './run.ts';

const run = (init: Parameters<typeof makeExchange>[0], extra: Partial<Exchange> = {}) => runRule('http', rule, { ...makeExchange(init), ...extra });

describe('http/missing-credentials', () => {
  describe('valid', () => {
    it('accepts a request with a real bearer token', async () => {
      expect(await run({ requestHeaders: { Authorization: 'Bearer abcdefghijklmnopqrstuvwxyz' } })).toEqual([]);
    });

    it('does not blame a 200 without credentials (a public endpoint)', async () => {
      expect(await run({ status: 200 })).toEqual([]);
    });

    it('leaves token-endpoint calls (credentials in the body) to the oauth2 plugin', async () => {
      expect(await run({ method: 'POST', url: 'https://login.example.com/tenant/oauth2/token', status: 401 })).toEqual([]);
    });

    it('does not blame a browser capture whose exporter removed the headers', async () => {
      const capture = { file: 'x.har', entryIndex: 0, entryCount: 1, creator: 'WebInspector', sanitizedHeaders: ['authorization', 'cookie'] };
      expect(await run({ status: 401 }, { capture })).toEqual([]);
    });
  });

  describe('invalid', () => {
    it('reports a 401 without any credential, with the scheme the server asks for', async () => {
      const [f] = await run({ status: 401, responseHeaders: { 'WWW-Authenticate': 'Basic realm="api"' } });
      expect(f).toMatchObject({ status: 'fail', cause: 'missing_credentials', confidence: 'likely', messageId: 'no-credentials', evidence: { offeredSchemes: ['basic'] } });
      expect(f!.fixes.join(' ')).toContain('curl -u');
    });

    it('reports a 403 without credentials (an anonymous request forbidden)', async () => {
      const [f] = await run({ status: 403 });
      expect(f).toMatchObject({ cause: 'missing_credentials', messageId: 'no-credentials' });
    });

    it('lowers the confidence when only a cookie was sent', async () => {
      const [f] = await run({ status: 401, requestHeaders: { Cookie: 'session=abc' } });
      expect(f).toMatchObject({ confidence: 'possible', evidence: { cookie: 'present' } });
    });

    it('points out an API credential sent as Proxy-Authorization', async () => {
      const [f] = await run({ status: 401, requestHeaders: { 'Proxy-Authorization': 'Bearer abc' } });
      expect(f!.fixes[0]).toMatch(/Proxy-Authorization/);
    });

    it.each([
      ['Bearer ', 'empty-credential', 'empty'],
      ['Bearer null', 'placeholder-credential', 'literal'],
      ['Bearer undefined', 'placeholder-credential', 'literal'],
      ['Bearer $TOKEN', 'placeholder-credential', 'variable'],
      ['Bearer ${API_KEY}', 'placeholder-credential', 'variable'],
      ['Bearer {{token}}', 'placeholder-credential', 'template'],
      ['Bearer <token>', 'placeholder-credential', 'doc-placeholder'],
      ['Bearer YOUR_API_KEY', 'placeholder-credential', 'doc-placeholder'],
      ['Bearer [object Object]', 'placeholder-credential', 'literal'],
      ['', 'empty-credential', 'empty'],
      ['Basic ', 'empty-credential', 'empty'],
    ])('reports Authorization %j as missing credentials', async (value, messageId, kind) => {
      const [f] = await run({ status: 401, requestHeaders: { Authorization: value } });
      expect(f).toMatchObject({ status: 'fail', cause: 'missing_credentials', confidence: 'likely', messageId, evidence: { kind } });
    });

    it('reports placeholder API-key headers and query parameters', async () => {
      const [h] = await run({ status: 401, requestHeaders: { 'X-API-Key': '%API_KEY%' } });
      expect(h).toMatchObject({ cause: 'missing_credentials', evidence: { carrier: 'header:X-API-Key', value: '%API_KEY%', kind: 'variable' } });
      const [q] = await run({ status: 403, url: 'https://api.example.com/v1?api_key=undefined' });
      expect(q).toMatchObject({ cause: 'missing_credentials', evidence: { carrier: 'query:api_key' } });
    });

    it('warns instead of failing when the server accepted the request anyway', async () => {
      const [f] = await run({ status: 200, requestHeaders: { Authorization: 'Bearer null' } });
      expect(f).toMatchObject({ status: 'warn', cause: 'missing_credentials' });
    });

    it('keeps a placeholder beside a usable credential at possible', async () => {
      const [f] = await run({ status: 401, requestHeaders: { Authorization: 'Bearer abcdefghijklmnopqrstuvwxyz', 'X-Api-Key': 'null' } });
      expect(f).toMatchObject({ status: 'fail', confidence: 'possible' });
    });
  });
});
