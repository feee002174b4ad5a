import { describe, expect, it } from 'vitest';
import rule, { measureSkewMs } from '../../../rules/http/clock.ts';
import { makeExchange } from '../../helpers/exchange.ts';
import { runRule } from './run.ts';

const sent = new Date('2026-11-28T10:00:00.000Z');
const received = new Date('2026-11-28T10:00:00.400Z');
const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln';
const sigv4 = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261128/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcdef';

function at(offsetSeconds: number): string {
  return new Date(sent.getTime() + offsetSeconds * 1000).toUTCString();
}

const run = (offsetSeconds: number, init: Parameters<typeof makeExchange>[0] = {}) =>
  runRule('http', rule, makeExchange({ sentAt: sent, receivedAt: received, mode: 'live', ...init, responseHeaders: { Date: at(offsetSeconds), ...(init.responseHeaders as Record<string, string> | undefined) } }));

describe('http/clock', () => {
  describe('measureSkewMs', () => {
    it('is zero when the Date falls within the round trip (allowing its one-second resolution)', () => {
      expect(measureSkewMs(sent.getTime(), sent.getTime(), received.getTime())).toBe(0);
      expect(measureSkewMs(sent.getTime() - 900, sent.getTime(), received.getTime())).toBe(0);
    });

    it('is negative when the client is ahead and positive when it is behind', () => {
      expect(measureSkewMs(sent.getTime() - 60_000, sent.getTime(), received.getTime())).toBeLessThan(0);
      expect(measureSkewMs(sent.getTime() + 60_000, sent.getTime(), received.getTime())).toBeGreaterThan(0);
    });
  });

  describe('valid', () => {
    it('is silent when the clocks agree', async () => {
      expect(await run(0, { requestHeaders: { Authorization: sigv4 }, status: 403 })).toEqual([]);
    });

    it('ignores a few seconds of difference', async () => {
      expect(await run(12, { requestHeaders: { Authorization: sigv4 }, status: 403 })).toEqual([]);
    });

    it('ignores a response without a Date header', async () => {
      expect(await runRule('http', rule, makeExchange({ sentAt: sent, requestHeaders: { Authorization: sigv4 } }))).toEqual([]);
    });
  });

  describe('invalid', () => {
    it('fails SigV4 with a server 20 minutes ahead (beyond 15 minutes), with skewSeconds', async () => {
      const [f] = await run(1200, { requestHeaders: { Authorization: sigv4 }, status: 403 });
      expect(f).toMatchObject({ status: 'fail', cause: 'clock_skew', confidence: 'likely', messageId: 'clock-skew', evidence: { toleranceSeconds: 900, scheme: 'aws-sigv4' } });
      expect(f!.evidence.skewSeconds).toBe(1200);
      expect(f!.message).toMatch(/20 min ahead/);
    });

    it('reports a negative skew when the client is ahead', async () => {
      const [f] = await run(-1200, { requestHeaders: { Authorization: sigv4 }, status: 403 });
      expect(f!.evidence.skewSeconds).toBe(-1199);
      expect(f!.message).toMatch(/ahead of the server's/);
    });

    it('only warns for SigV4 within 15 minutes', async () => {
      const [f] = await run(600, { requestHeaders: { Authorization: sigv4 }, status: 403 });
      expect(f).toMatchObject({ status: 'warn', messageId: 'clock-drift', evidence: { skewSeconds: 600 } });
    });

    it('only warns when the response is not a failure', async () => {
      const [f] = await run(1200, { requestHeaders: { Authorization: sigv4 }, status: 200 });
      expect(f).toMatchObject({ status: 'warn', cause: 'clock_skew' });
    });

    it('recognises an offset of almost exactly 3 hours as a time-zone setting', async () => {
      const [f] = await run(3 * 3600 + 40, { requestHeaders: { Authorization: sigv4 }, status: 403 });
      expect(f).toMatchObject({ status: 'fail', evidence: { timeZoneOffsetHours: 3 } });
      expect(f!.message).toMatch(/time-zone/);
      expect(f!.fixes[0]).toMatch(/set-timezone/);
    });

    it('fails a bearer JWT only when the client is behind by more than 5 minutes', async () => {
      const [behind] = await run(900, { requestHeaders: { Authorization: `Bearer ${jwt}` }, status: 401 });
      expect(behind).toMatchObject({ status: 'fail', cause: 'clock_skew', confidence: 'possible' });
      const [ahead] = await run(-900, { requestHeaders: { Authorization: `Bearer ${jwt}` }, status: 401 });
      expect(ahead).toMatchObject({ status: 'warn' });
    });

    it('fails a client assertion at the token endpoint beyond 5 minutes in either direction', async () => {
      const [f] = await run(-400, {
        method: 'POST',
        url: 'https://oauth2.googleapis.com/token',
        requestBody: 'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=eyJ.x.y',
        status: 400,
        responseBody: '{"error":"invalid_grant","error_description":"Invalid JWT: Token must be a short-lived token and in a reasonable timeframe"}',
      });
      expect(f).toMatchObject({ status: 'fail', cause: 'clock_skew', confidence: 'likely', evidence: { toleranceSeconds: 300 } });
    });

    it('warns, without failing, for a scheme that does not depend on the clock', async () => {
      const [f] = await run(1800, { requestHeaders: { Authorization: 'Basic dXNlcjpwYXNz' }, status: 401 });
      expect(f).toMatchObject({ status: 'warn', cause: 'clock_skew' });
      expect(f!.message).toMatch(/does not depend on the clock/);
    });

    it('uses the capture time offline (HAR: the client clock is startedDateTime)', async () => {
      const f = await runRule('http', rule, makeExchange({ mode: 'offline', sentAt: sent, requestHeaders: { Authorization: sigv4 }, status: 403, responseHeaders: { Date: at(-1000) } }));
      expect(f[0]).toMatchObject({ status: 'fail', evidence: { skewSeconds: -999, clientTime: sent.toISOString() } });
      expect(f[0]!.message).toMatch(/capturing machine/);
    });

    it('adds Age to the Date of a cached response', async () => {
      const [f] = await run(-1000, { requestHeaders: { Authorization: sigv4 }, status: 403, responseHeaders: { Age: '1000' } });
      expect(f).toBeUndefined();
    });
  });
});
