import { readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { CauseId, FailureCause } from '../core/causes.ts';
import { headerValue } from '../core/credential.ts';
import type { ProfileHints } from '../core/plugin.ts';
import type { Confidence, Exchange, HeaderEntry, ResponseSnapshot, TransportFailure } from '../core/types.ts';
import { harToExchange } from '../inputs/har.ts';
import type { CaseServer, CaseServerInfo } from './network.ts';

/** Headers as an object (`{ Authorization: 'Bearer …' }`) or as a list, when order or duplicates matter. */
export type HeadersInit = Record<string, string> | HeaderEntry[];

/** A JSON body, written as the value it serialises. */
export type JsonBody = Record<string, unknown> | unknown[];

export interface CaseRequest {
  /** Default `GET`. */
  method?: string;
  url: string;
  headers?: HeadersInit;
  body?: string | JsonBody;
}

export interface CaseResponse {
  status: number;
  /** Default: the standard reason phrase of the status. */
  statusText?: string;
  headers?: HeadersInit;
  /** A string as is, or a value serialised as JSON (with `content-type: application/json` unless set). */
  body?: string | JsonBody;
}

/** A value, or a function of the case's server for values that need its URL. */
export type OrServer<T> = T | ((server: CaseServerInfo) => T);

interface CaseCommon {
  /** The test's title; default: the method, URL and status. */
  name?: string;
  /** The evaluation time (`ctx.now()`). Default: the capture time for HAR, else the response `Date` header, else now. */
  now?: Date | string;
  /** What `ctx.wallClock()` returns. Default: the real current time. */
  wallClock?: Date | string;
  /** `ctx.profile`: what the user configured about the API. */
  profile?: OrServer<ProfileHints>;
  /** `ctx.options`: the rule's options (for a plugin, every rule gets them). */
  options?: OrServer<Record<string, unknown>>;
  /**
   * A local server for this case, started on 127.0.0.1 before it runs and stopped after. It is the
   * only place the case may reach: without one, the network is denied.
   */
  server?: CaseServer;
  /** More values that must never appear in clear in a finding (besides the request's credentials). */
  secrets?: string[];
  /** Run only this case (the framework's `it.only`). */
  only?: boolean;
  /** The verdict the findings must lead to (`decideVerdict`: confidence, then specificity, then order). */
  verdict?: CauseId;
}

/** A request and the response it got. With a `server` and no `response`, the request is really sent to it. */
export interface ExchangeCase extends CaseCommon {
  request: OrServer<CaseRequest>;
  response?: OrServer<CaseResponse>;
  /** No HTTP response at all (refused, reset, DNS): the transport failure instead of `response`. */
  transportError?: TransportFailure;
  /** Default `live` (a request this client sent); `offline` reads it as a capture. */
  mode?: 'live' | 'offline';
  har?: undefined;
}

/** One entry of a HAR capture: a file path (relative to the current directory), a file URL, or the parsed document. */
export interface HarCase extends CaseCommon {
  har: string | URL | Record<string, unknown>;
  /** 1-based entry number; default: the first authentication failure, else the last entry (as `--entry`). */
  entry?: number;
  request?: undefined;
  response?: undefined;
}

export type TestCase = ExchangeCase | HarCase;

/** A finding an invalid case expects, matched in order against what the rule reported. */
export interface ExpectedFinding {
  /** The cause; `null` for advice (a `warn` without a cause). */
  cause: FailureCause | null;
  /** The finding's `messageId`. */
  messageId: string;
  /** Default: not checked. */
  status?: 'fail' | 'warn';
  confidence?: Confidence;
  /** Full (`acme/key-revoked`) or local (`key-revoked`) rule id; useful when testing a whole plugin. */
  ruleId?: string;
  /** These evidence keys must be present with these values (deep equality); other keys are not checked. */
  evidence?: Record<string, unknown>;
  /** Exactly these action ids. */
  actions?: string[];
}

export type ValidCase = TestCase;
export type InvalidCase = TestCase & { findings: ExpectedFinding[] };

function entries(headers: HeadersInit | undefined): HeaderEntry[] {
  if (!headers) return [];
  return Array.isArray(headers) ? headers.map((h) => ({ name: h.name, value: h.value })) : Object.entries(headers).map(([name, value]) => ({ name, value }));
}

function bodyText(body: string | JsonBody | undefined, headers: HeaderEntry[]): string | undefined {
  if (body === undefined || typeof body === 'string') return body;
  if (!headerValue(headers, 'content-type')) headers.push({ name: 'content-type', value: 'application/json' });
  return JSON.stringify(body);
}

export function resolveValue<T>(value: OrServer<T> | undefined, server: CaseServerInfo | undefined, field: string): T | undefined {
  if (typeof value !== 'function') return value;
  if (!server) throw new TypeError(`The case's ${field} is a function of its server, but the case declares no server: add \`server: { handler }\`.`);
  return (value as (s: CaseServerInfo) => T)(server);
}

function toDate(value: Date | string | undefined, field: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new TypeError(`The case's ${field} is not a valid date: ${String(value)}.`);
  return date;
}

/** The outgoing request of an exchange case, as it will be sent (or was). */
export function requestOf(testCase: ExchangeCase, server?: CaseServerInfo): { method: string; url: string; headers: HeaderEntry[]; body?: string | undefined } {
  const req = resolveValue(testCase.request, server, 'request');
  if (!req || typeof req.url !== 'string') throw new TypeError('The case has no request URL: give `request: { url }` (or `har`).');
  try {
    new URL(req.url);
  } catch {
    throw new TypeError(`The case's request URL is not an absolute URL: ${req.url}.`);
  }
  const headers = entries(req.headers);
  const body = bodyText(req.body, headers);
  return { method: (req.method ?? 'GET').toUpperCase(), url: req.url, headers, ...(body !== undefined ? { body } : {}) };
}

function responseOf(res: CaseResponse): ResponseSnapshot {
  if (!Number.isInteger(res.status) || res.status < 100 || res.status > 599) throw new TypeError(`The case's response status must be an HTTP status (100–599), not ${String(res.status)}.`);
  const headers = entries(res.headers);
  const body = bodyText(res.body, headers) ?? '';
  const mime = headerValue(headers, 'content-type')?.split(';')[0]?.trim();
  return { status: res.status, statusText: res.statusText ?? STATUS_CODES[res.status] ?? '', headers, body, ...(mime ? { mimeType: mime } : {}) };
}

function readHar(har: HarCase['har']): { doc: unknown; file: string } {
  if (typeof har === 'object' && !(har instanceof URL)) return { doc: har, file: 'inline HAR' };
  const file = har instanceof URL ? fileURLToPath(har) : har;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TypeError(`The case's HAR file ${file} cannot be read${code ? ` (${code})` : ''}; a relative path is relative to the current directory (${process.cwd()}): pass new URL('./file.har', import.meta.url) to resolve it from the test file.`, { cause: error });
  }
  try {
    return { doc: JSON.parse(text.replace(/^\uFEFF/, '')) as unknown, file };
  } catch (error) {
    throw new TypeError(`The case's HAR file ${file} is not JSON.`, { cause: error });
  }
}

/**
 * The exchange a case describes, for authors who want the raw findings (run a rule's `check` on it
 * through `runCase`, or build a context of their own). A case whose response comes from its server
 * has no exchange until it is sent: use `runCase` for those.
 */
export function exchangeFrom(testCase: TestCase, server?: CaseServerInfo): Exchange {
  const now = toDate(testCase.now, 'now');
  if (testCase.har !== undefined) {
    const { doc, file } = readHar(testCase.har);
    const { exchange } = harToExchange(doc, file, testCase.entry);
    return exchange;
  }
  const request = requestOf(testCase, server);
  const res = resolveValue(testCase.response, server, 'response');
  if (res === undefined && !testCase.transportError) {
    throw new TypeError(testCase.server ? 'This case gets its response from its server: use runCase() (or RuleTester), which sends the request.' : 'The case has no response: give `response: { status, headers, body }`, a `transportError`, or a `server` to answer the request.');
  }
  const response = testCase.transportError ? null : responseOf(res!);
  const dateHeader = response ? headerValue(response.headers, 'date') : undefined;
  const fromDate = dateHeader ? new Date(dateHeader) : undefined;
  const sentAt = now ?? (fromDate && !Number.isNaN(fromDate.getTime()) ? fromDate : new Date());
  return {
    mode: testCase.mode ?? 'live',
    request,
    response,
    redirects: [],
    sentAt,
    ...(response ? { receivedAt: sentAt } : {}),
    ...(testCase.transportError ? { transportError: testCase.transportError } : {}),
  };
}

/** The evaluation time of a case: `now`, else the exchange's send time (the capture time for a HAR). */
export function evaluationTime(testCase: TestCase, exchange: Exchange): Date {
  return toDate(testCase.now, 'now') ?? exchange.sentAt;
}

export function wallClockOf(testCase: TestCase): () => Date {
  const fixed = toDate(testCase.wallClock, 'wallClock');
  return fixed ? () => new Date(fixed.getTime()) : () => new Date();
}
