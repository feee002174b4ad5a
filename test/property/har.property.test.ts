import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.ts';
import type { Exchange } from '../../src/core/types.ts';
import { harToExchange, loadHarFile, parseHarDate } from '../../src/inputs/har.ts';
import { damage } from './damage.ts';
import { fc, hostileString } from './fc.ts';

/**
 * HAR files come from browsers, proxies and hand edits. For any document harToExchange returns one
 * well-formed offline Exchange or throws the documented UsageError — never a TypeError from a
 * field that had the wrong type.
 */

function checkExchange(ex: Exchange): void {
  expect(ex.mode).toBe('offline');
  expect(() => new URL(ex.request.url)).not.toThrow();
  expect(Number.isNaN(ex.sentAt.getTime())).toBe(false);
  expect(Array.isArray(ex.request.headers)).toBe(true);
  if (ex.response) {
    expect(typeof ex.response.status).toBe('number');
    expect(typeof ex.response.body).toBe('string');
  } else {
    expect(ex.transportError).toBeDefined();
  }
  expect(ex.capture?.entryIndex).toBeGreaterThanOrEqual(1);
}

function outcome(run: () => { exchange: Exchange }): 'exchange' | 'usage' {
  try {
    checkExchange(run().exchange);
    return 'exchange';
  } catch (error) {
    if (error instanceof UsageError && /^E_HAR_/.test(error.code)) return 'usage';
    throw error;
  }
}

/** Either a plausible value of the right type or (when damaged) anything at all. */
function maybe<T>(good: fc.Arbitrary<T>, damaged: boolean): fc.Arbitrary<unknown> {
  if (!damaged) return good;
  return fc.oneof({ weight: 6, arbitrary: good }, { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) }, { weight: 1, arbitrary: fc.constantFrom(undefined, null, '', 0, -1, [], {}) });
}

/** Numbers as JSON can hold them (no NaN, no Infinity). */
const jsonNumber = fc.double({ noNaN: true, noDefaultInfinity: true });

/** A HAR document: well-typed (any text in the strings), or with damaged fields anywhere. */
function harDocument(damaged: boolean): fc.Arbitrary<unknown> {
  const m = <T>(good: fc.Arbitrary<T>) => maybe(good, damaged);
  const header = fc.record({ name: m(fc.oneof(fc.constantFrom('Authorization', 'WWW-Authenticate', 'Date', ':authority', ':status', 'Location', 'Cookie', 'Content-Type'), fc.string())), value: m(hostileString(40)) });
  const headers = m(fc.array(header, { maxLength: 5 }));
  const url = m(fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.constantFrom('https://api.example.com/v1/me', 'http://127.0.0.1/', 'https://x/?token=abc', 'https://u:p@x.example/')));
  const date = m(fc.oneof(fc.date({ noInvalidDate: true, min: new Date('1971-01-01'), max: new Date('2200-01-01') }).map((d) => d.toISOString()), fc.constantFrom('2026-11-28T10:00:00', '2026-11-28T10:00:00.1234567+01:00')));
  const content = m(fc.record({ size: m(fc.integer()), mimeType: m(fc.constantFrom('application/json', 'text/html', 'image/png', 'application/xml')), text: m(hostileString(80)), encoding: m(fc.constantFrom('base64', 'utf8', 'BASE64')) }, { requiredKeys: [] }));
  const postData = m(fc.record({ mimeType: m(fc.string()), text: m(hostileString(60)), params: m(fc.array(fc.record({ name: fc.string(), value: m(fc.string()) }), { maxLength: 3 })), encoding: m(fc.constantFrom('base64')) }, { requiredKeys: [] }));
  const cookies = m(fc.array(fc.record({ name: fc.string(), value: m(fc.string()) }), { maxLength: 2 }));
  const entry = fc.record(
    {
      startedDateTime: date,
      time: m(jsonNumber),
      request: m(fc.record({ method: m(fc.constantFrom('GET', 'POST', '')), url, httpVersion: m(fc.constantFrom('HTTP/1.1', 'h2', 'http/2.0')), headers, cookies, postData }, { requiredKeys: ['method', 'url', 'headers'] })),
      response: m(fc.record({ status: m(fc.oneof(fc.constantFrom(0, 200, 301, 302, 401, 403, 407), fc.integer())), statusText: m(fc.string()), httpVersion: m(fc.string()), headers, cookies, content, redirectURL: url, _error: m(fc.constantFrom('net::ERR_CONNECTION_REFUSED', 'net::ERR_CERT_AUTHORITY_INVALID', 'x')) }, { requiredKeys: ['status', 'headers'] })),
      timings: m(fc.record({ blocked: m(jsonNumber), dns: m(jsonNumber), connect: m(jsonNumber), send: m(jsonNumber), wait: m(jsonNumber), receive: m(jsonNumber) }, { requiredKeys: [] })),
    },
    { requiredKeys: ['startedDateTime', 'request', 'response'] },
  );
  return fc.record({
    log: m(fc.record({ version: m(fc.constantFrom('1.2', '1.1')), creator: m(fc.record({ name: m(fc.constantFrom('WebInspector', 'Firefox', 'mitmproxy', 'Charles Proxy')), version: m(fc.string()) })), entries: m(fc.array(entry, { minLength: 1, maxLength: 4 })) }, { requiredKeys: ['entries'] })),
  });
}

describe('HAR reading, property-based', () => {
  it('any JSON value yields an Exchange or a UsageError, nothing else', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), fc.option(fc.integer({ min: -2, max: 6 }), { nil: undefined }), (doc, n) => { outcome(() => harToExchange(doc, 'x.har', n)); }));
  });

  it('any well-typed HAR document converts, whatever text its strings hold', () => {
    fc.assert(fc.property(harDocument(false), (doc) => { expect(outcome(() => harToExchange(doc, 'x.har'))).toBe('exchange'); }));
  });

  it('any HAR-shaped document with a wrong, missing or hostile field yields an Exchange or a UsageError', () => {
    const seen = { exchange: 0, usage: 0 };
    const damagedOnce = fc.tuple(harDocument(false), fc.nat(), fc.oneof(fc.anything({ maxDepth: 2 }), fc.constantFrom(undefined, null, '', 0, -1, [], {}, 'x'))).map(([doc, pick, value]) => damage(structuredClone(doc), pick, value));
    fc.assert(fc.property(fc.oneof(damagedOnce, harDocument(true)), fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }), (doc, n) => { seen[outcome(() => harToExchange(doc, 'x.har', n))]++; }));
    // The generator reaches both ends: documents that convert, and documents that are refused.
    expect(seen.exchange).toBeGreaterThan(0);
    expect(seen.usage).toBeGreaterThan(0);
  });

  it('any bytes in a .har file yield an Exchange or a UsageError, and the error never quotes the file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'authdoctor-prop-har-'));
    const file = path.join(dir, 'capture.har');
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 300 }), hostileString(200).map((s) => Buffer.from(s)), harDocument(true).map((d) => Buffer.from(JSON.stringify(d).slice(0, 400)))), async (bytes) => {
        writeFileSync(file, bytes);
        try {
          checkExchange((await loadHarFile(file)).exchange);
        } catch (error) {
          if (!(error instanceof UsageError)) throw error;
          // jsonErrorLocation names a line and column, never the text around the error (a credential).
          const text = Buffer.from(bytes).toString('utf8');
          const secretish = text.match(/[A-Za-z0-9]{12,}/)?.[0];
          if (secretish) expect(error.message.includes(secretish)).toBe(false);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('parseHarDate never throws and returns a valid Date or undefined', () => {
    fc.assert(fc.property(fc.oneof(hostileString(40), fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString()))), (text) => {
      const d = parseHarDate(text);
      if (d !== undefined) expect(Number.isNaN(d.getTime())).toBe(false);
    }));
  });
});
