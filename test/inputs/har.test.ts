import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.ts';
import { harToExchange, HAR_BODY_LIMIT, loadHarFile, parseHarDate } from '../../src/inputs/index.ts';

const CORPUS = join(import.meta.dirname, '../fixtures/corpus');
const FIXTURES = join(import.meta.dirname, '../fixtures/har');

type Pairs = [string, string][];
const headers = (pairs: Pairs) => pairs.map(([name, value]) => ({ name, value }));

interface EntryInit {
  method?: string;
  url?: string;
  requestHeaders?: Pairs;
  status?: number;
  statusText?: string;
  responseHeaders?: Pairs;
  text?: string;
  encoding?: string;
  mimeType?: string;
  redirectURL?: string;
  startedDateTime?: string | undefined;
  postData?: Record<string, unknown>;
  timings?: Record<string, number>;
  time?: number;
  requestCookies?: { name: string; value: string }[];
  extra?: Record<string, unknown>;
}

function entry(init: EntryInit = {}): Record<string, unknown> {
  const e: Record<string, unknown> = {
    startedDateTime: 'startedDateTime' in init ? init.startedDateTime : '2026-11-28T10:00:00.000Z',
    time: init.time ?? 120,
    request: {
      method: init.method ?? 'GET',
      url: init.url ?? 'https://api.example.com/v1/me',
      httpVersion: 'HTTP/1.1',
      headers: headers(init.requestHeaders ?? []),
      queryString: [],
      cookies: init.requestCookies ?? [],
      headersSize: -1,
      bodySize: -1,
      ...(init.postData ? { postData: init.postData } : {}),
    },
    response: {
      status: init.status ?? 200,
      statusText: init.statusText ?? '',
      httpVersion: 'HTTP/1.1',
      headers: headers(init.responseHeaders ?? []),
      cookies: [],
      content: { size: init.text?.length ?? 0, mimeType: init.mimeType ?? 'application/json', ...(init.text !== undefined ? { text: init.text } : {}), ...(init.encoding ? { encoding: init.encoding } : {}) },
      redirectURL: init.redirectURL ?? '',
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: init.timings ?? { blocked: -1, dns: -1, connect: -1, send: 1, wait: 100, receive: 19 },
    ...init.extra,
  };
  return e;
}

function har(entries: Record<string, unknown>[], creator: { name: string; version: string } = { name: 'Firefox', version: '133.0' }): unknown {
  return { log: { version: '1.2', creator, entries } };
}

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError, but nothing was thrown');
}

async function asyncUsageError(fn: () => Promise<unknown>): Promise<UsageError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError, but nothing was thrown');
}

describe('the corpus', () => {
  const files = readdirSync(CORPUS).filter((f) => f.endsWith('.har'));

  it('has HAR files to read', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  for (const file of files) {
    it(`reads ${file} and picks the failing entry with its method, URL and status`, async () => {
      const raw = JSON.parse(readFileSync(join(CORPUS, file), 'utf8')) as { log: { entries: { request: { method: string; url: string }; response: { status: number } }[] } };
      const { exchange, entryIndex, entryCount } = await loadHarFile(join(CORPUS, file));
      const wanted = raw.log.entries[entryIndex - 1];
      expect(entryCount).toBe(raw.log.entries.length);
      expect(exchange.mode).toBe('offline');
      expect(exchange.request.method).toBe(wanted?.request.method);
      expect(exchange.request.url).toBe(wanted?.request.url);
      expect(exchange.response?.status).toBe(wanted?.response.status);
      expect(exchange.capture).toMatchObject({ file, entryIndex, entryCount, creator: 'auth-failure-corpus/to-har 1.0' });
      expect(Number.isNaN(exchange.sentAt.getTime())).toBe(false);
    });
  }
});

describe('choosing the entry', () => {
  const pageLoad = har([
    entry({ url: 'https://app.example.com/', status: 200, mimeType: 'text/html', text: '<html></html>' }),
    entry({ url: 'https://api.example.com/v1/me', status: 401, responseHeaders: [['WWW-Authenticate', 'Bearer']] }),
    entry({ url: 'https://api.example.com/v1/other', status: 403 }),
    entry({ url: 'https://app.example.com/done', status: 204 }),
  ]);

  it('defaults to the first entry whose response is an authentication failure', () => {
    const { exchange, entryIndex, entryCount } = harToExchange(pageLoad, 'page.har');
    expect(entryIndex).toBe(2);
    expect(entryCount).toBe(4);
    expect(exchange.request.url).toBe('https://api.example.com/v1/me');
    expect(exchange.capture?.entryIndex).toBe(2);
  });

  it('recognises a disguised failure (Slack-style 200 with "invalid_auth")', () => {
    const doc = har([
      entry({ url: 'https://slack.com/api/auth.test', status: 200, text: '{"ok":true}' }),
      entry({ url: 'https://slack.com/api/chat.postMessage', status: 200, text: '{"ok":false,"error":"invalid_auth"}' }),
      entry({ url: 'https://slack.com/api/other', status: 200, text: '{"ok":true}' }),
    ]);
    expect(harToExchange(doc, 'slack.har').entryIndex).toBe(2);
  });

  it('falls back to the last entry when nothing failed', () => {
    const doc = har([entry({ url: 'https://a.example.com/1' }), entry({ url: 'https://a.example.com/2' })]);
    const { exchange, entryIndex } = harToExchange(doc, 'ok.har');
    expect(entryIndex).toBe(2);
    expect(exchange.request.url).toBe('https://a.example.com/2');
  });

  it('takes --entry as a 1-based number', () => {
    const { exchange, entryIndex } = harToExchange(pageLoad, 'page.har', 1);
    expect(entryIndex).toBe(1);
    expect(exchange.request.url).toBe('https://app.example.com/');
    expect(harToExchange(pageLoad, 'page.har', 4).exchange.request.url).toBe('https://app.example.com/done');
  });

  it('rejects an --entry out of range and says how many entries there are', () => {
    for (const n of [0, 5, 2.5, -1]) {
      const error = usageError(() => harToExchange(pageLoad, 'page.har', n));
      expect(error.code).toBe('E_HAR_ENTRY_RANGE');
      expect(error.message).toContain('page.har has 4 entries');
      expect(error.message).toContain('counts from 1');
    }
  });
});

describe('real-world HAR shapes', () => {
  it('drops HTTP/2 pseudo-headers and uses :authority as Host', () => {
    const doc = har([
      entry({
        requestHeaders: [[':authority', 'api.example.com'], [':method', 'GET'], [':path', '/v1/me'], [':scheme', 'https'], ['accept', '*/*']],
        status: 401,
        responseHeaders: [[':status', '401'], ['www-authenticate', 'Bearer']],
      }),
    ]);
    const { exchange } = harToExchange(doc, 'h2.har');
    expect(exchange.request.headers).toEqual([
      { name: 'Host', value: 'api.example.com' },
      { name: 'accept', value: '*/*' },
    ]);
    expect(exchange.response?.headers).toEqual([{ name: 'www-authenticate', value: 'Bearer' }]);
  });

  it('keeps an existing Host header instead of :authority', () => {
    const doc = har([entry({ requestHeaders: [[':authority', 'a.example.com'], ['Host', 'b.example.com']] })]);
    expect(harToExchange(doc, 'x.har').exchange.request.headers).toEqual([{ name: 'Host', value: 'b.example.com' }]);
  });

  it('decodes base64 response bodies to text', () => {
    const body = '{"error":"invalid_token","error_description":"expired"}';
    const doc = har([entry({ status: 401, text: Buffer.from(body).toString('base64'), encoding: 'base64' })]);
    expect(harToExchange(doc, 'b64.har').exchange.response?.body).toBe(body);
  });

  it('leaves a binary base64 body empty rather than filling it with garbage', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
    const doc = har([entry({ text: png.toString('base64'), encoding: 'base64', mimeType: 'image/png' })]);
    expect(harToExchange(doc, 'img.har').exchange.response?.body).toBe('');
  });

  it('treats a missing content.text as an empty body', () => {
    const doc = har([entry({ status: 401 })]);
    expect(harToExchange(doc, 'x.har').exchange.response?.body).toBe('');
  });

  it('caps a huge body and marks it truncated', () => {
    const doc = har([entry({ text: 'x'.repeat(HAR_BODY_LIMIT + 10), mimeType: 'text/plain' })]);
    const response = harToExchange(doc, 'big.har').exchange.response;
    expect(response?.body.length).toBe(HAR_BODY_LIMIT);
    expect(response?.bodyTruncated).toBe(true);
  });

  it('takes the request body from postData.text, or builds it from postData.params', () => {
    const withText = har([entry({ method: 'POST', postData: { mimeType: 'application/json', text: '{"a":1}' } })]);
    expect(harToExchange(withText, 'x.har').exchange.request.body).toBe('{"a":1}');
    const withParams = har([
      entry({
        method: 'POST',
        postData: { mimeType: 'application/x-www-form-urlencoded', params: [{ name: 'grant_type', value: 'refresh_token' }, { name: 'scope', value: 'a b' }] },
      }),
    ]);
    expect(harToExchange(withParams, 'x.har').exchange.request.body).toBe('grant_type=refresh_token&scope=a+b');
  });

  it('ignores vendor _fields', () => {
    const doc = har([entry({ extra: { _initiator: { type: 'script' }, _priority: 'High', _resourceType: 'fetch', _webSocketMessages: [] } })]);
    expect(() => harToExchange(doc, 'x.har')).not.toThrow();
  });

  it('records an entry without a response (status 0) as a transport failure', () => {
    const doc = har([entry({ status: 0, extra: {} })]);
    const raw = doc as { log: { entries: { response: Record<string, unknown> }[] } };
    (raw.log.entries[0] as { response: Record<string, unknown> }).response['_error'] = 'net::ERR_CONNECTION_REFUSED';
    const { exchange } = harToExchange(doc, 'x.har');
    expect(exchange.response).toBeNull();
    expect(exchange.transportError?.code).toBe('ECONNREFUSED');
    expect(exchange.transportError?.message).toContain('net::ERR_CONNECTION_REFUSED');
  });
});

describe('time', () => {
  it('reads startedDateTime with or without milliseconds and offset, an offset-less time as UTC', () => {
    expect(parseHarDate('2026-11-28T10:00:00.123Z')?.toISOString()).toBe('2026-11-28T10:00:00.123Z');
    expect(parseHarDate('2026-11-28T10:00:00Z')?.toISOString()).toBe('2026-11-28T10:00:00.000Z');
    expect(parseHarDate('2026-11-28T12:00:00.1234567+02:00')?.toISOString()).toBe('2026-11-28T10:00:00.123Z');
    expect(parseHarDate('2026-11-28T10:00:00')?.toISOString()).toBe('2026-11-28T10:00:00.000Z');
    expect(parseHarDate('yesterday')).toBeUndefined();
  });

  it('uses startedDateTime as sentAt, adds blocked/dns/connect + send + wait for receivedAt, and entry.time as duration', () => {
    const doc = har([entry({ startedDateTime: '2026-11-28T10:00:00.000Z', timings: { blocked: 5, dns: -1, connect: 20, send: 1, wait: 100, receive: 4 }, time: 130 })]);
    const { exchange } = harToExchange(doc, 'x.har');
    expect(exchange.sentAt.toISOString()).toBe('2026-11-28T10:00:00.000Z');
    expect(exchange.receivedAt?.toISOString()).toBe('2026-11-28T10:00:00.126Z');
    expect(exchange.durationMs).toBe(130);
  });

  it('leaves receivedAt undefined when send or wait is -1 (not available)', () => {
    const doc = har([entry({ timings: { send: -1, wait: -1, receive: -1 } })]);
    expect(harToExchange(doc, 'x.har').exchange.receivedAt).toBeUndefined();
  });

  it('falls back to the response Date header when startedDateTime is missing', () => {
    const doc = har([entry({ startedDateTime: undefined, responseHeaders: [['Date', 'Sat, 28 Nov 2026 10:00:05 GMT']] })]);
    expect(harToExchange(doc, 'x.har').exchange.sentAt.toISOString()).toBe('2026-11-28T10:00:05.000Z');
  });

  it('refuses an entry with neither startedDateTime nor a Date header', () => {
    const doc = har([entry({ startedDateTime: 'not a date' })]);
    const error = usageError(() => harToExchange(doc, 'x.har'));
    expect(error.code).toBe('E_HAR_NO_TIME');
    expect(error.message).toContain('entry 1');
  });
});

describe('sanitised exports', () => {
  it('records headers that a sanitizer replaced with placeholders', () => {
    const doc = har([
      entry({
        status: 401,
        requestHeaders: [['Authorization', 'Bearer [REDACTED]'], ['Cookie', 'sid=[cookie redacted]; theme=dark'], ['X-Api-Key', '***'], ['Accept', '***']],
        responseHeaders: [['Set-Cookie', 'sid=<redacted>; Path=/']],
      }),
    ]);
    expect(harToExchange(doc, 'x.har').exchange.capture?.sanitizedHeaders).toEqual(['authorization', 'cookie', 'set-cookie', 'x-api-key']);
  });

  it("recognises Google's and Cloudflare's har-sanitizer output", () => {
    const doc = har([
      entry({ status: 401, requestHeaders: [['authorization', '[Authorization redacted]']] }),
      entry({ status: 401, requestHeaders: [['authorization', 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.redacted']] }),
    ]);
    expect(harToExchange(doc, 'x.har', 1).exchange.capture?.sanitizedHeaders).toEqual(['authorization']);
    expect(harToExchange(doc, 'x.har', 2).exchange.capture?.sanitizedHeaders).toEqual(['authorization']);
  });

  it('records nothing for a capture that kept its credentials', () => {
    const doc = har([entry({ status: 401, requestHeaders: [['Authorization', 'Bearer abc.def.ghi'], ['Cookie', 'sid=123']] })]);
    expect(harToExchange(doc, 'x.har').exchange.capture?.sanitizedHeaders).toEqual([]);
  });

  it("flags Chrome's sanitized export (no Authorization, Cookie or Set-Cookie anywhere)", async () => {
    const { exchange, entryIndex, entryCount } = await loadHarFile(join(FIXTURES, 'chrome-h2-sanitized-page-load.har'));
    expect(entryCount).toBe(6);
    expect(entryIndex).toBe(5);
    expect(exchange.request.url).toBe('https://api.example.net/v1/me');
    expect(exchange.capture).toEqual({
      file: 'chrome-h2-sanitized-page-load.har',
      entryIndex: 5,
      entryCount: 6,
      creator: 'WebInspector 537.36',
      startedDateTime: '2026-11-28T09:59:59.250Z',
      sanitizedHeaders: ['authorization', 'cookie', 'set-cookie'],
    });
    expect(exchange.request.headers[0]).toEqual({ name: 'Host', value: 'api.example.net' });
    expect(exchange.request.headers.some((h) => h.name.startsWith(':'))).toBe(false);
    expect(exchange.response?.body).toContain('"error":"invalid_token"');
    expect(exchange.redirects).toEqual([
      { status: 302, from: 'https://app.example.com/api/me', to: 'https://api.example.net/v1/me', crossOrigin: true, droppedHeaders: [] },
    ]);
  });

  it('does not flag a Chrome export that still carries cookies', () => {
    const doc = har([entry({ status: 401, requestHeaders: [['cookie', 'sid=1']] }), entry({ status: 200 })], { name: 'WebInspector', version: '537.36' });
    expect(harToExchange(doc, 'x.har', 2).exchange.capture?.sanitizedHeaders).toEqual([]);
  });
});

describe('redirect chains', () => {
  it('fills redirects for an entry reached through earlier 3xx entries, with cross-origin and dropped headers', () => {
    const doc = har([
      entry({ url: 'https://app.example.com/' }),
      entry({ url: 'https://api.example.com/v1/me', requestHeaders: [['Authorization', 'Bearer t0k3n'], ['Accept', '*/*']], status: 301, redirectURL: '/v2/me' }),
      entry({ url: 'https://api.example.com/v2/me', requestHeaders: [['Authorization', 'Bearer t0k3n'], ['X-Api-Key', 'k']], status: 302, responseHeaders: [['Location', 'https://login.example.net/v2/me']] }),
      entry({ url: 'https://login.example.net/v2/me', requestHeaders: [['Accept', '*/*']], status: 401 }),
    ]);
    const { exchange } = harToExchange(doc, 'redirects.har');
    expect(exchange.redirects).toEqual([
      { status: 301, from: 'https://api.example.com/v1/me', to: 'https://api.example.com/v2/me', crossOrigin: false, droppedHeaders: [] },
      { status: 302, from: 'https://api.example.com/v2/me', to: 'https://login.example.net/v2/me', crossOrigin: true, droppedHeaders: ['authorization', 'x-api-key'] },
    ]);
  });

  it('has no redirects for an entry nobody redirected to', () => {
    const doc = har([entry({ status: 302, redirectURL: 'https://elsewhere.example.com/' }), entry({ status: 401 })]);
    expect(harToExchange(doc, 'x.har').exchange.redirects).toEqual([]);
  });
});

describe('bad files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'authdoctor-har-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, content: string | Buffer): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('says when the file does not exist', async () => {
    const error = await asyncUsageError(() => loadHarFile(join(dir, 'nope.har')));
    expect(error.code).toBe('E_HAR_NOT_FOUND');
    expect(error.message).toContain('nope.har does not exist');
  });

  it('says when the path is a directory', async () => {
    const error = await asyncUsageError(() => loadHarFile(dir));
    expect(error.code).toBe('E_HAR_UNREADABLE');
    expect(error.message).toContain('is a directory');
  });

  it.skipIf(process.getuid?.() === 0)('says when the file cannot be read', async () => {
    const path = write('locked.har', '{}');
    chmodSync(path, 0o000);
    const error = await asyncUsageError(() => loadHarFile(path));
    expect(error.code).toBe('E_HAR_UNREADABLE');
    expect(error.message).toContain('permission denied');
  });

  it('says a file is not JSON, with line and column, and without quoting its content', async () => {
    const secret = 'sk_live_abcdefghijklmnopqrstuvwx';
    const path = write('broken.har', `{\n  "log": {\n    "entries": [ ${secret} ]\n  }\n}`);
    const error = await asyncUsageError(() => loadHarFile(path));
    expect(error.code).toBe('E_HAR_NOT_JSON');
    expect(error.message).toContain('broken.har is not JSON (line 3 col 18: unexpected character)');
    expect(`${error.message} ${error.hint ?? ''}`.includes(secret)).toBe(false);
  });

  it('says a truncated file ends too early', async () => {
    const path = write('truncated.har', JSON.stringify(har([entry()]), null, 2).slice(0, 200));
    const error = await asyncUsageError(() => loadHarFile(path));
    expect(error.code).toBe('E_HAR_NOT_JSON');
    expect(error.message).toContain('truncated?');
  });

  it('says an empty file is empty', async () => {
    const error = await asyncUsageError(() => loadHarFile(write('empty.har', '')));
    expect(error.code).toBe('E_HAR_NOT_JSON');
    expect(error.message).toContain('is empty');
  });

  it('reads a file with a UTF-8 byte order mark', async () => {
    const path = write('bom.har', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(har([entry({ status: 401 })])))]));
    expect((await loadHarFile(path)).exchange.response?.status).toBe(401);
  });

  it('says JSON that is not a HAR has no log.entries', async () => {
    const error = await asyncUsageError(() => loadHarFile(write('other.json', '{"info":{"name":"a Postman collection"},"item":[]}')));
    expect(error.code).toBe('E_HAR_NOT_HAR');
    expect(error.message).toContain('has no log.entries: not a HAR file');
  });

  it('says a HAR without entries has none', () => {
    const error = usageError(() => harToExchange({ log: { version: '1.2', creator: { name: 'x', version: '1' }, entries: [] } }, 'none.har'));
    expect(error.code).toBe('E_HAR_NO_ENTRIES');
    expect(error.message).toContain('no entries');
  });

  it('names the wrong field with its path', () => {
    const entries = [entry(), entry(), entry(), entry()];
    ((entries[3] as { response: Record<string, unknown> }).response)['status'] = '401';
    const error = usageError(() => harToExchange(har(entries), 'bad.har'));
    expect(error.code).toBe('E_HAR_INVALID');
    expect(error.message).toContain('bad.har: log.entries[3].response.status must be a number, not a string (entry 4)');
  });

  it('names a missing field', () => {
    const broken = entry();
    delete (broken as Record<string, unknown>)['request'];
    const error = usageError(() => harToExchange(har([broken]), 'bad.har'));
    expect(error.message).toContain('log.entries[0].request is missing');
  });

  it('rejects a request URL that is not absolute', () => {
    const error = usageError(() => harToExchange(har([entry({ url: '/relative/path' })]), 'bad.har'));
    expect(error.code).toBe('E_HAR_INVALID');
    expect(error.message).toContain('request.url is not a valid absolute URL');
  });
});
