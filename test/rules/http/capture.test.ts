import { describe, expect, it } from 'vitest';
import rule from '../../../rules/http/capture.ts';
import { makeExchange } from '../../helpers/exchange.ts';
import type { CaptureInfo } from '../../../src/core/types.ts';
import { runRule } from './run.ts';

const capture = (c: Partial<CaptureInfo>): CaptureInfo => ({ file: 'x.har', entryIndex: 0, entryCount: 3, sanitizedHeaders: [], ...c });

describe('http/capture', () => {
  describe('valid', () => {
    it('does not apply to live exchanges', async () => {
      expect(await runRule('http', rule, makeExchange({ status: 401 }))).toEqual([]);
    });

    it('is silent for a capture that kept its headers', async () => {
      const ex = { ...makeExchange({ status: 401, requestHeaders: { Authorization: 'Bearer abcdefghijkl' } }), capture: capture({ creator: 'WebInspector' }) };
      expect(await runRule('http', rule, ex)).toEqual([]);
    });
  });

  describe('invalid', () => {
    it('says that the exporter removed headers, with Chrome\'s re-export advice', async () => {
      const ex = { ...makeExchange({ status: 401 }), capture: capture({ creator: 'WebInspector', sanitizedHeaders: ['authorization', 'cookie'] }) };
      const [f] = await runRule('http', rule, ex);
      expect(f).toMatchObject({ status: 'warn', cause: null, messageId: 'sanitized-har', evidence: { removedHeaders: ['authorization', 'cookie'] } });
      expect(f!.fixes[0]).toContain('Export HAR (with sensitive data)');
    });

    it('suspects a sanitized browser export when a failing request has neither Authorization nor Cookie', async () => {
      const ex = { ...makeExchange({ status: 401 }), capture: capture({ creator: 'Firefox' }) };
      const [f] = await runRule('http', rule, ex);
      expect(f).toMatchObject({ status: 'warn', messageId: 'maybe-sanitized-har' });
    });
  });
});
