import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
// The namespace import (zod 4's documented form) lets the bundler keep only the parts in use.
import * as z from 'zod';
import { detectCredentials } from '../core/credential.ts';
import { UsageError } from '../core/errors.ts';
import type { Exchange, HeaderEntry, RedirectHop, RequestSnapshot, ResponseSnapshot, TransportFailure } from '../core/types.ts';
import { looksLikeAuthFailure } from './auth-failure.ts';
import { detectSanitizedHeaders, type HarEntryHeaders } from './har-sanitized.ts';

/**
 * HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) → one offline Exchange.
 *
 * Entry numbers are 1-based everywhere a human sees them: `--entry 1` is the first entry, and
 * `capture.entryIndex` / the returned `entryIndex` use the same numbering, so the report says
 * "entry 3 of 12" for the entry chosen with `--entry 3`. (JSON paths in validation errors keep
 * the file's own 0-based `log.entries[i]`, with the entry number next to them.)
 */

/** Response bodies are kept up to this many characters (`bodyTruncated` beyond). */
export const HAR_BODY_LIMIT = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Schema: strict about what the diagnosis needs, lenient where real exporters differ
// ---------------------------------------------------------------------------------------------

const optionalNumber = z.number().nullable().optional();
const optionalString = z.string().nullable().optional();

const HarHeader = z.object({
  name: z.string(),
  // Some tools write numeric header values (Content-Length: 12); they are text on the wire.
  value: z.preprocess((v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v), z.string()),
});

const HarCookie = z.object({ name: z.string(), value: optionalString });

const HarParam = z.object({ name: z.string(), value: optionalString, fileName: optionalString, contentType: optionalString });

const HarRequest = z.object({
  method: z.string(),
  url: z.string(),
  httpVersion: optionalString,
  headers: z.array(HarHeader),
  cookies: z.array(HarCookie).nullable().optional(),
  postData: z
    .object({ mimeType: optionalString, text: optionalString, params: z.array(HarParam).nullable().optional(), encoding: optionalString })
    .nullable()
    .optional(),
});

const HarResponse = z.object({
  status: z.number(),
  statusText: optionalString,
  httpVersion: optionalString,
  headers: z.array(HarHeader),
  cookies: z.array(HarCookie).nullable().optional(),
  content: z
    .object({ size: optionalNumber, mimeType: optionalString, text: optionalString, encoding: optionalString })
    .nullable()
    .optional(),
  redirectURL: optionalString,
  /** Chrome's reason for a request that got no response (`net::ERR_CONNECTION_REFUSED`). */
  _error: optionalString,
});

const HarTimings = z.object({
  blocked: optionalNumber,
  dns: optionalNumber,
  connect: optionalNumber,
  send: optionalNumber,
  wait: optionalNumber,
  receive: optionalNumber,
});

const HarEntry = z.object({
  startedDateTime: optionalString,
  time: optionalNumber,
  request: HarRequest,
  response: HarResponse,
  timings: HarTimings.nullable().optional(),
});

const HarDocument = z.object({
  log: z.object({
    version: optionalString,
    creator: z.object({ name: optionalString, version: optionalString }).nullable().optional(),
    entries: z.array(HarEntry),
  }),
});

type HarEntryT = z.infer<typeof HarEntry>;

// ---------------------------------------------------------------------------------------------
// Validation errors with paths
// ---------------------------------------------------------------------------------------------

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

function valueAt(doc: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = doc;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return typeof value === 'string' ? 'a string' : typeof value === 'number' ? 'a number' : typeof value === 'boolean' ? 'a boolean' : typeof value;
}

const ARTICLE: Record<string, string> = { array: 'an array', object: 'an object', string: 'a string', number: 'a number', boolean: 'a boolean' };

function issueMessage(doc: unknown, issue: z.core.$ZodIssue): string {
  const path = formatPath(issue.path);
  const entry = issue.path[0] === 'log' && issue.path[1] === 'entries' && typeof issue.path[2] === 'number' ? ` (entry ${issue.path[2] + 1})` : '';
  if (issue.code === 'invalid_type') {
    const actual = valueAt(doc, issue.path);
    const expected = ARTICLE[issue.expected] ?? issue.expected;
    if (actual === undefined) return `${path} is missing${entry}; it must be ${expected}`;
    return `${path} must be ${expected}, not ${describe(actual)}${entry}`;
  }
  return `${path}: ${issue.message}${entry}`;
}

// ---------------------------------------------------------------------------------------------
// Conversion helpers
// ---------------------------------------------------------------------------------------------

/** ISO 8601 with or without milliseconds; without an offset it is read as UTC (not local time). */
export function parseHarDate(text: string | null | undefined): Date | undefined {
  if (!text) return undefined;
  let s = text.trim();
  // More than millisecond precision (Fiddler writes 7 digits): keep 3.
  s = s.replace(/(\.\d{3})\d+/, '$1');
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)) s += 'Z';
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function headerValue(headers: readonly HeaderEntry[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === lower)?.value;
}

/**
 * HTTP/2 and HTTP/3 exports list pseudo-headers (`:authority`, `:method`, `:path`, `:scheme`,
 * `:status`); they are not headers. `:authority` becomes `Host` when there is no Host header.
 */
function cleanHeaders(headers: readonly { name: string; value: string }[], addHost: boolean): HeaderEntry[] {
  const out = headers.filter((h) => !h.name.startsWith(':')).map((h) => ({ name: h.name, value: h.value }));
  if (addHost && !out.some((h) => h.name.toLowerCase() === 'host')) {
    const authority = headers.find((h) => h.name.toLowerCase() === ':authority')?.value;
    if (authority) out.unshift({ name: 'Host', value: authority });
  }
  return out;
}

function isTextual(mimeType: string | null | undefined): boolean {
  if (!mimeType) return true;
  return /^text\/|json|xml|javascript|ecmascript|x-www-form-urlencoded|graphql|yaml|csv|html/i.test(mimeType);
}

function decodeContent(text: string | null | undefined, encoding: string | null | undefined, mimeType: string | null | undefined): string {
  if (text === null || text === undefined) return '';
  if (!encoding || encoding.toLowerCase() !== 'base64') return text;
  const bytes = Buffer.from(text, 'base64');
  // A binary body (an image, a protobuf) has no text for a rule to read.
  if (!isTextual(mimeType) && bytes.subarray(0, 8192).includes(0)) return '';
  return bytes.toString('utf8');
}

function requestBody(postData: HarEntryT['request']['postData']): string | undefined {
  if (!postData) return undefined;
  if (typeof postData.text === 'string') return decodeContent(postData.text, postData.encoding, postData.mimeType);
  if (postData.params && postData.params.length > 0) {
    const form = new URLSearchParams();
    for (const p of postData.params) form.append(p.name, p.value ?? '');
    return form.toString();
  }
  return undefined;
}

/** Chrome's net error names for requests without a response, mapped to the codes §3 uses. */
function transportFailure(error: string | null | undefined): TransportFailure {
  const e = error ?? '';
  const code =
    /ERR_CONNECTION_REFUSED/.test(e) ? 'ECONNREFUSED'
    : /ERR_NAME_NOT_RESOLVED|ERR_NAME_RESOLUTION_FAILED/.test(e) ? 'ENOTFOUND'
    : /ERR_CONNECTION_RESET|ERR_CONNECTION_CLOSED|ERR_EMPTY_RESPONSE/.test(e) ? 'ECONNRESET'
    : /TIMED_OUT/.test(e) ? 'ETIMEDOUT'
    : /ERR_CERT_|ERR_SSL_/.test(e) ? 'CERT_ERROR'
    : /ERR_TUNNEL_CONNECTION_FAILED|ERR_PROXY_/.test(e) ? 'PROXY_ERROR'
    : 'NO_RESPONSE';
  return {
    code,
    message: e ? `The capture recorded no response: ${e}.` : 'The capture recorded no response for this request (status 0).',
  };
}

function entryResponse(entry: HarEntryT): ResponseSnapshot | null {
  const r = entry.response;
  if (r.status <= 0) return null;
  const content = r.content ?? undefined;
  const full = decodeContent(content?.text, content?.encoding, content?.mimeType);
  const response: ResponseSnapshot = {
    status: r.status,
    statusText: r.statusText ?? '',
    headers: cleanHeaders(r.headers, false),
    body: full.length > HAR_BODY_LIMIT ? full.slice(0, HAR_BODY_LIMIT) : full,
  };
  if (full.length > HAR_BODY_LIMIT) response.bodyTruncated = true;
  if (r.httpVersion) response.httpVersion = r.httpVersion;
  if (content?.mimeType) response.mimeType = content.mimeType;
  return response;
}

function entryRequest(entry: HarEntryT): RequestSnapshot {
  const req = entry.request;
  const snapshot: RequestSnapshot = { method: req.method, url: req.url, headers: cleanHeaders(req.headers, true) };
  const body = requestBody(req.postData);
  if (body !== undefined) snapshot.body = body;
  if (req.httpVersion) snapshot.httpVersion = req.httpVersion;
  return snapshot;
}

function sameUrl(a: string, b: string): boolean {
  try {
    const ua = new URL(a);
    const ub = new URL(b);
    ua.hash = '';
    ub.hash = '';
    return ua.href === ub.href;
  } catch {
    return a === b;
  }
}

function redirectTarget(entry: HarEntryT): string | undefined {
  const r = entry.response;
  if (r.status < 300 || r.status > 399) return undefined;
  const location = r.redirectURL || headerValue(cleanHeaders(r.headers, false), 'location');
  if (!location) return undefined;
  try {
    return new URL(location, entry.request.url).href;
  } catch {
    return undefined;
  }
}

function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** Header names that carry credentials in a request (what a redirect may drop). */
function credentialHeaderNames(request: RequestSnapshot): Set<string> {
  const names = new Set<string>();
  for (const c of detectCredentials(request)) if (c.location === 'header') names.add(c.name.toLowerCase());
  for (const h of request.headers) {
    const lower = h.name.toLowerCase();
    if (lower === 'cookie' || lower === 'proxy-authorization') names.add(lower);
  }
  return names;
}

/**
 * The 3xx entries that led to entry `index` (a target URL equal to the next hop's URL), oldest
 * first. A redirect is followed back as long as an earlier entry points at the current URL.
 */
function redirectChain(entries: readonly HarEntryT[], index: number): RedirectHop[] {
  const hops: RedirectHop[] = [];
  let current = index;
  const seen = new Set<number>([index]);
  while (hops.length < 20) {
    const url = (entries[current] as HarEntryT).request.url;
    let previous = -1;
    for (let j = current - 1; j >= 0; j--) {
      const target = redirectTarget(entries[j] as HarEntryT);
      if (target !== undefined && !seen.has(j) && sameUrl(target, url)) {
        previous = j;
        break;
      }
    }
    if (previous < 0) break;
    const from = entries[previous] as HarEntryT;
    const fromRequest = entryRequest(from);
    const toRequest = entryRequest(entries[current] as HarEntryT);
    const nextNames = new Set(toRequest.headers.map((h) => h.name.toLowerCase()));
    hops.unshift({
      status: from.response.status,
      from: from.request.url,
      to: url,
      crossOrigin: origin(from.request.url) !== origin(url),
      droppedHeaders: [...credentialHeaderNames(fromRequest)].filter((n) => !nextNames.has(n)).sort(),
    });
    seen.add(previous);
    current = previous;
  }
  return hops;
}

function headersOf(entry: HarEntryT): HarEntryHeaders {
  return {
    requestHeaders: entry.request.headers,
    responseHeaders: entry.response.headers,
    requestCookies: (entry.request.cookies ?? []).map((c) => ({ value: c.value ?? undefined })),
    responseCookies: (entry.response.cookies ?? []).map((c) => ({ value: c.value ?? undefined })),
  };
}

function timingMs(value: number | null | undefined): number | undefined {
  return typeof value === 'number' && value >= 0 ? value : undefined;
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

export interface HarSelection {
  exchange: Exchange;
  /** 1-based number of the chosen entry. */
  entryIndex: number;
  entryCount: number;
}

/**
 * A parsed HAR document → the Exchange of one entry. `entry` is 1-based; without it the first
 * entry whose response looks like an authentication failure is chosen, else the last entry.
 * `file` is used for messages and `capture.file` (its base name).
 */
export function harToExchange(doc: unknown, file: string, entry?: number): HarSelection {
  const log = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>)['log'] : undefined;
  const rawEntries = log !== null && typeof log === 'object' ? (log as Record<string, unknown>)['entries'] : undefined;
  if (!Array.isArray(rawEntries)) {
    throw new UsageError('E_HAR_NOT_HAR', `${file} has no log.entries: not a HAR file.`, {
      hint: 'Export it from the Network panel of the browser devtools ("Save all as HAR" / "Export HAR…"), or from your proxy as HAR 1.2.',
    });
  }
  if (rawEntries.length === 0) {
    throw new UsageError('E_HAR_NO_ENTRIES', `${file} is a HAR file with no entries (log.entries is empty).`, {
      hint: 'Keep the devtools Network panel open while the request is made, then export again.',
    });
  }
  const parsed = HarDocument.safeParse(doc);
  if (!parsed.success) {
    const [first] = parsed.error.issues;
    const more = parsed.error.issues.length - 1;
    throw new UsageError('E_HAR_INVALID', `${file}: ${first ? issueMessage(doc, first) : 'invalid HAR'}${more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'})` : ''}.`, {
      hint: 'The file does not follow HAR 1.2; export it again, or fix that field.',
    });
  }
  const entries = parsed.data.log.entries;
  const count = entries.length;
  let index: number;
  if (entry !== undefined) {
    if (!Number.isInteger(entry) || entry < 1 || entry > count) {
      throw new UsageError('E_HAR_ENTRY_RANGE', `--entry ${entry} is out of range: ${file} has ${count} ${count === 1 ? 'entry' : 'entries'} (--entry counts from 1, so use 1 to ${count}).`);
    }
    index = entry - 1;
  } else {
    index = entries.findIndex((e) => {
      const response = entryResponse(e);
      return response !== null && looksLikeAuthFailure(response);
    });
    if (index < 0) index = count - 1;
  }
  const chosen = entries[index] as HarEntryT;
  const request = entryRequest(chosen);
  try {
    new URL(request.url);
  } catch {
    throw new UsageError('E_HAR_INVALID', `${file}: log.entries[${index}].request.url is not a valid absolute URL (entry ${index + 1}).`);
  }
  const response = entryResponse(chosen);

  const started = parseHarDate(chosen.startedDateTime);
  const dateHeader = response ? headerValue(response.headers, 'date') : undefined;
  const fromDate = dateHeader ? new Date(dateHeader) : undefined;
  const sentAt = started ?? (fromDate && !Number.isNaN(fromDate.getTime()) ? fromDate : undefined);
  if (!sentAt) {
    throw new UsageError('E_HAR_NO_TIME', `${file}: entry ${index + 1} has no usable startedDateTime and its response has no Date header, so the time of the request is unknown.`, {
      hint: 'Time-based checks need it: export the HAR again, or fix log.entries[].startedDateTime (ISO 8601).',
    });
  }

  const creatorName = parsed.data.log.creator?.name ?? undefined;
  const creatorVersion = parsed.data.log.creator?.version ?? undefined;
  const creator = [creatorName, creatorVersion].filter(Boolean).join(' ');

  const exchange: Exchange = {
    mode: 'offline',
    request,
    response,
    redirects: redirectChain(entries, index),
    sentAt,
    capture: {
      file: basename(file),
      entryIndex: index + 1,
      entryCount: count,
      creator: creator || undefined,
      startedDateTime: chosen.startedDateTime ?? undefined,
      sanitizedHeaders: detectSanitizedHeaders(creatorName, headersOf(chosen), entries.map(headersOf)),
    },
  };
  if (!response) exchange.transportError = transportFailure(chosen.response._error);

  const t = chosen.timings;
  const send = timingMs(t?.send);
  const wait = timingMs(t?.wait);
  if (response && send !== undefined && wait !== undefined) {
    // startedDateTime is when the entry began, before queueing, DNS and connecting (HAR 1.2
    // "timings"); the response headers arrived after all of those plus send and wait.
    const before = (timingMs(t?.blocked) ?? 0) + (timingMs(t?.dns) ?? 0) + (timingMs(t?.connect) ?? 0);
    exchange.receivedAt = new Date(sentAt.getTime() + before + send + wait);
  }
  const time = timingMs(chosen.time);
  if (time !== undefined) exchange.durationMs = time;

  return { exchange, entryIndex: index + 1, entryCount: count };
}

const JSON_ERROR_REASON: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'a property name is missing (a trailing comma?)',
  ValueExpected: 'a value is missing',
  ColonExpected: 'a colon is missing',
  CommaExpected: 'a comma is missing',
  CloseBraceExpected: 'a closing } is missing',
  CloseBracketExpected: 'a closing ] is missing',
  EndOfFileExpected: 'more text follows the end of the JSON document',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'a number is cut off',
  InvalidUnicode: 'a bad \\u escape',
  InvalidEscapeCharacter: 'a bad escape sequence',
  InvalidCharacter: 'a control character inside a string',
};

/**
 * Where a JSON document breaks, as "line L col C: reason". JSON.parse does not say where an
 * unexpected token is, and its message quotes the text around it (possibly a credential), so the
 * position comes from jsonc-parser in strict mode instead; the text itself is never quoted.
 */
function jsonErrorLocation(text: string): string | undefined {
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return undefined;
  const before = text.slice(0, first.offset);
  const where = `line ${before.split('\n').length} col ${first.offset - before.lastIndexOf('\n')}`;
  const code = printParseErrorCode(first.error);
  // An error that runs into the end of the text (an unclosed string, a missing `}`) is a cut-off file.
  const truncated = first.offset + first.length >= text.trimEnd().length && ['CloseBraceExpected', 'CloseBracketExpected', 'ValueExpected', 'UnexpectedEndOfString', 'UnexpectedEndOfNumber', 'ColonExpected'].includes(code);
  const reason = truncated ? 'the file ends before the JSON does (truncated?)' : JSON_ERROR_REASON[code];
  return reason ? `${where}: ${reason}` : where;
}

function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  // A UTF-8 byte order mark (written by some Windows tools) is not JSON whitespace.
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

/** Reads and parses a HAR file; see harToExchange for `entry` (1-based) and the default choice. */
export async function loadHarFile(path: string, entry?: number): Promise<HarSelection> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError('E_HAR_NOT_FOUND', `HAR file ${path} does not exist.`, { hint: 'Check the path (it is relative to the current directory).' });
    if (code === 'EISDIR') throw new UsageError('E_HAR_UNREADABLE', `${path} is a directory, not a HAR file.`);
    if (code === 'EACCES' || code === 'EPERM') throw new UsageError('E_HAR_UNREADABLE', `Cannot read HAR file ${path}: permission denied.`);
    throw new UsageError('E_HAR_UNREADABLE', `Cannot read HAR file ${path}${code ? ` (${code})` : ''}.`, { cause: error });
  }
  const text = decodeText(bytes);
  if (text.trim() === '') throw new UsageError('E_HAR_NOT_JSON', `${path} is empty, not a HAR file.`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // The parser's own message quotes the text around the error, which may be a credential.
    const where = jsonErrorLocation(text);
    throw new UsageError('E_HAR_NOT_JSON', `${path} is not JSON${where ? ` (${where})` : ''}.`, {
      hint: 'A HAR file is the JSON that devtools or a proxy exports; a truncated or hand-edited file fails here.',
    });
  }
  return harToExchange(doc, path, entry);
}
