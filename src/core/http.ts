import { readFileSync } from 'node:fs';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { isSensitiveHeader, isSensitiveParam, type Redactor } from './redact.ts';
import type { OutgoingRequest, RuleHttpClient } from './plugin.ts';
import type { Exchange, HeaderEntry, RedirectHop, RequestSnapshot, ResponseSnapshot, SentRequestRecord, TransportFailure } from './types.ts';

/**
 * The HTTP layer: one request exactly as asked, captured exactly as sent. Built on got (no
 * retries, no throw on status, its timeout phases and decompression) with redirects followed by
 * hand, so that every hop is recorded and credentials never cross an origin.
 */

export interface Timeouts {
  /** TCP (and TLS) connect, ms. */
  connect: number;
  /** Time to response headers, and the longest silence while reading the body, ms. */
  response: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connect: 10_000, response: 30_000 };
export const DEFAULT_BODY_CAP = 1024 * 1024;
export const MAX_REDIRECTS = 10;

export interface SendOptions {
  timeouts?: Timeouts;
  proxy?: { url: string; source: 'flag' | 'profile' | 'env' } | undefined;
  insecure?: boolean | undefined;
  /** Extra CA certificates (PEM file path), `--ca`. */
  caFile?: string | undefined;
  bodyCap?: number;
  followRedirects?: boolean;
  signal?: AbortSignal | undefined;
  recorder?: RequestRecorder;
  /** The client clock (tests inject one); defaults to the real time. */
  clock?: () => Date;
}

/** Counts every request authdoctor sends, per host (the report's `requests`). */
export class RequestRecorder {
  readonly #counts = new Map<string, number>();
  record(url: string): void {
    let host: string;
    try {
      host = new URL(url).host;
    } catch {
      host = url;
    }
    this.#counts.set(host, (this.#counts.get(host) ?? 0) + 1);
  }
  list(): SentRequestRecord[] {
    return [...this.#counts].map(([host, count]) => ({ host, count }));
  }
  get total(): number {
    let n = 0;
    for (const c of this.#counts.values()) n += c;
    return n;
  }
}

/** Proxy from the environment the way curl reads it (lower-case first), honouring NO_PROXY. */
export function proxyFromEnv(target: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return undefined;
  }
  const noProxy = env.no_proxy ?? env.NO_PROXY ?? '';
  if (matchesNoProxy(url, noProxy)) return undefined;
  const candidates = url.protocol === 'https:' ? [env.https_proxy, env.HTTPS_PROXY, env.all_proxy, env.ALL_PROXY] : [env.http_proxy, env.HTTP_PROXY, env.all_proxy, env.ALL_PROXY];
  return candidates.find((v) => v && v.trim())?.trim();
}

/** True when `--noproxy` (or NO_PROXY) entries exclude the target from proxying. */
export function bypassesProxy(target: string, entries: readonly string[]): boolean {
  try {
    return matchesNoProxy(new URL(target), entries.join(','));
  } catch {
    return false;
  }
}

function matchesNoProxy(url: URL, noProxy: string): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const [name, port] = entry.split(':');
    if (port && port !== (url.port || (url.protocol === 'https:' ? '443' : '80'))) continue;
    const bare = (name ?? '').replace(/^\*?\./, '');
    if (host === bare || host.endsWith(`.${bare}`)) return true;
  }
  return false;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Sends a request and captures the exchange. Never throws for network trouble: see transportError. */
export async function sendRequest(req: OutgoingRequest, opts: SendOptions = {}): Promise<Exchange> {
  const clock = opts.clock ?? (() => new Date());
  const redirects: RedirectHop[] = [];
  let current: OutgoingRequest = { ...req, headers: [...req.headers] };
  let firstSent: RequestSnapshot | null = null;
  const sentAt = clock();
  const started = performance.now();
  const follow = opts.followRedirects ?? true;
  for (let hop = 0; ; hop++) {
    const result = await sendOnce(current, opts);
    firstSent ??= result.sent;
    const base = {
      mode: 'live' as const,
      request: firstSent,
      redirects,
      sentAt,
      ...(opts.proxy ? { proxy: opts.proxy } : {}),
      ...(opts.insecure ? { insecure: true } : {}),
    };
    if ('failure' in result) {
      return { ...base, response: null, transportError: result.failure, durationMs: Math.round(performance.now() - started) };
    }
    const { response } = result;
    if (result.incomplete) {
      return { ...base, response, receivedAt: result.receivedAt ?? clock(), durationMs: Math.round(performance.now() - started), transportError: result.incomplete };
    }
    const location = response.headers.find((h) => h.name.toLowerCase() === 'location')?.value;
    // A Location that is not a URL (`http://[`) ends the chain: the 3xx is the answer.
    const target = location ? safeUrl(location, current.url) : null;
    if (!follow || !REDIRECT_STATUSES.has(response.status) || !target || !/^https?:$/.test(target.protocol)) {
      return { ...base, response, receivedAt: result.receivedAt ?? clock(), durationMs: Math.round(performance.now() - started) };
    }
    if (hop >= MAX_REDIRECTS) {
      return {
        ...base,
        response,
        receivedAt: clock(),
        durationMs: Math.round(performance.now() - started),
        transportError: { code: 'ERR_TOO_MANY_REDIRECTS', message: `Stopped after ${MAX_REDIRECTS} redirects (last: ${response.status} to another location).`, phase: 'response' },
      };
    }
    const next = nextHop(current, response.status, target.href);
    if (next.hop.crossOrigin && next.request.body !== undefined && next.request.body !== '') {
      // 307/308 (and 301/302 after anything but POST) resend the body. A body can hold credentials
      // (a client secret, a password, a refresh token) that the user pointed at this origin only,
      // and sending the request without its body would be another request: stop here instead.
      return {
        ...base,
        response,
        receivedAt: result.receivedAt ?? clock(),
        durationMs: Math.round(performance.now() - started),
        transportError: {
          code: 'ERR_REDIRECT_BODY_CROSS_ORIGIN',
          message: `Did not follow the ${response.status} redirect to ${target.origin}: it would resend the request body to another origin, and a body can hold credentials.`,
          phase: 'response',
        },
      };
    }
    redirects.push(next.hop);
    current = next.request;
  }
}

/** `host:port` as CONNECT names it. */
function tunnelTarget(raw: string): string {
  const url = safeUrl(raw, raw);
  if (!url) return 'the host';
  return `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}

function safeUrl(raw: string, base: string): URL | null {
  try {
    return new URL(raw, base);
  } catch {
    return null;
  }
}

/**
 * The request for the next hop. Cross-origin: every credential-carrying header is dropped (got and
 * browsers do the same for Authorization and Cookie; we drop any sensitive header, since an API
 * key in `X-API-Key` is as much a credential). 303, and 301/302 after POST, become GET without a
 * body (RFC 9110 §15.4, and what every client does).
 */
function nextHop(current: OutgoingRequest, status: number, location: string): { request: OutgoingRequest; hop: RedirectHop } {
  const from = current.url;
  const to = new URL(location, from).toString();
  const crossOrigin = new URL(to).origin !== new URL(from).origin;
  const dropped: string[] = [];
  let headers = current.headers.filter((h) => h.name.toLowerCase() !== 'host');
  if (crossOrigin) {
    headers = headers.filter((h) => {
      if (isSensitiveHeader(h.name)) {
        dropped.push(h.name);
        return false;
      }
      return true;
    });
  }
  const toGet = status === 303 || ((status === 301 || status === 302) && current.method.toUpperCase() === 'POST');
  const method = toGet ? 'GET' : current.method;
  if (toGet) headers = headers.filter((h) => !/^content-(type|length)$/i.test(h.name));
  return {
    request: { method, url: to, headers, body: toGet ? undefined : current.body },
    hop: { status, from, to, crossOrigin, droppedHeaders: [...new Set(dropped)] },
  };
}

type OnceResult =
  | { sent: RequestSnapshot; response: ResponseSnapshot; receivedAt?: Date | undefined; incomplete?: TransportFailure | undefined }
  | { sent: RequestSnapshot; failure: TransportFailure };

async function sendOnce(req: OutgoingRequest, opts: SendOptions): Promise<OnceResult> {
  // got is loaded on first use: `check --har` never pays for it.
  const { default: got } = await import('got');
  const timeouts = opts.timeouts ?? DEFAULT_TIMEOUTS;
  const bodyCap = opts.bodyCap ?? DEFAULT_BODY_CAP;
  let sent: RequestSnapshot = { method: req.method, url: req.url, headers: req.headers, body: req.body };
  const { headers, invalid } = toNodeHeaders(req.headers);
  if (invalid) {
    return {
      sent,
      failure: {
        code: 'ERR_INVALID_CHAR',
        message: `The ${invalid} header contains characters HTTP does not allow (a line break or control character), so the request could not be sent.`,
        phase: 'request',
      },
    };
  }
  opts.recorder?.record(req.url);
  const agent = opts.proxy ? await proxyAgents(opts.proxy.url, opts.insecure ?? false) : undefined;
  let ca: Buffer | undefined;
  if (opts.caFile) ca = readFileSync(opts.caFile);
  const receivedAt = { value: undefined as Date | undefined };
  return await new Promise<OnceResult>((resolve) => {
    let settled = false;
    let responded = false;
    const finish = (r: OnceResult) => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    const stream = got.stream(req.url, {
      method: req.method as 'GET',
      headers,
      ...(req.body !== undefined && !/^(GET|HEAD)$/i.test(req.method) ? { body: req.body } : {}),
      throwHttpErrors: false,
      followRedirect: false,
      retry: { limit: 0 },
      decompress: true,
      timeout: { connect: timeouts.connect, secureConnect: timeouts.connect, response: timeouts.response, socket: timeouts.response },
      https: { rejectUnauthorized: !opts.insecure, ...(ca ? { certificateAuthority: ca } : {}) },
      ...(agent ? { agent } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    let tunnelRefused: { statusCode: number; statusText: string } | undefined;
    stream.on('request', (clientRequest: ClientRequest) => {
      sent = snapshotOfClientRequest(clientRequest, req);
      // https-proxy-agent replays a failed CONNECT's answer as if the API had sent it; only 200
      // opens the tunnel, and a 407 is diagnosed as such (the proxy rule), so remember the rest.
      clientRequest.on('proxyConnect', (connect: { statusCode?: number; statusText?: string }) => {
        if (connect.statusCode !== undefined && connect.statusCode !== 200 && connect.statusCode !== 407) tunnelRefused = { statusCode: connect.statusCode, statusText: connect.statusText ?? '' };
      });
    });
    stream.on('response', (res: IncomingMessage & { statusCode: number }) => {
      responded = true;
      receivedAt.value = new Date();
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const done = (bodyError?: TransportFailure) => {
        const body = Buffer.concat(chunks);
        finish({
          sent,
          receivedAt: receivedAt.value,
          response: {
            status: res.statusCode,
            statusText: res.statusMessage ?? '',
            headers: rawHeaderEntries(res.rawHeaders),
            body: new TextDecoder('utf-8', { fatal: false }).decode(body),
            ...(truncated || bodyError ? { bodyTruncated: true } : {}),
            httpVersion: `HTTP/${res.httpVersion}`,
            mimeType: res.headers['content-type'],
          },
          ...(bodyError ? { incomplete: bodyError } : {}),
          ...(tunnelRefused && !bodyError
            ? {
                incomplete: {
                  code: 'ERR_PROXY_TUNNEL',
                  message: `The proxy refused to open a tunnel to ${tunnelTarget(req.url)} (it answered CONNECT with ${tunnelRefused.statusCode}${tunnelRefused.statusText ? ` ${tunnelRefused.statusText}` : ''}), so the request never reached the API.`,
                  phase: 'connect' as const,
                },
              }
            : {}),
        });
      };
      stream.on('data', (chunk: Buffer) => {
        if (truncated) return;
        const room = bodyCap - size;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          size = bodyCap;
          truncated = true;
          // Stop reading: a larger body (or a decompression bomb) is never held in memory.
          stream.destroy();
          done();
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      stream.on('end', () => done());
      stream.on('error', (error: Error & { code?: string }) => {
        // An error after headers (reset mid-body, slow body): keep what arrived — the status and
        // headers are the evidence a diagnosis needs most — and say that the body is incomplete.
        if (truncated) return;
        done(describeError(error, 'body'));
      });
    });
    // Before the response arrived, an error is the whole story; after, the response handler keeps
    // what arrived (this listener runs first, being registered first).
    stream.on('error', (error: Error & { code?: string }) => {
      if (!responded) finish({ sent, failure: describeError(error) });
    });
  });
}

/** Node rejects header values with CR/LF or other control characters; say which header it is. */
function toNodeHeaders(entries: readonly HeaderEntry[]): { headers: Record<string, string | string[]>; invalid?: string } {
  const headers: Record<string, string | string[]> = {};
  for (const { name, value } of entries) {
    // Node's own rule (lib/_http_common.js checkInvalidHeaderChar): no chars below 0x20 but tab, no DEL.
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value) || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) return { headers, invalid: name };
    const key = name;
    const existing = headers[key];
    if (existing === undefined) headers[key] = value;
    else headers[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  // got adds its own User-Agent unless told otherwise; a diagnosis should say who it is.
  if (!Object.keys(headers).some((k) => k.toLowerCase() === 'user-agent')) headers['user-agent'] = 'authdoctor';
  return { headers };
}

function snapshotOfClientRequest(clientRequest: ClientRequest, req: OutgoingRequest): RequestSnapshot {
  const names = clientRequest.getRawHeaderNames();
  const headers: HeaderEntry[] = [];
  for (const name of names) {
    const value = clientRequest.getHeader(name);
    if (Array.isArray(value)) for (const v of value) headers.push({ name, value: String(v) });
    else if (value !== undefined) headers.push({ name, value: String(value) });
  }
  if (!headers.some((h) => h.name.toLowerCase() === 'host')) {
    const host = clientRequest.getHeader('host') ?? clientRequest.host;
    if (host) headers.unshift({ name: 'Host', value: String(host) });
  }
  return { method: clientRequest.method, url: req.url, headers, body: req.body, httpVersion: 'HTTP/1.1' };
}

function rawHeaderEntries(raw: readonly string[]): HeaderEntry[] {
  const out: HeaderEntry[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push({ name: raw[i]!, value: raw[i + 1]! });
  return out;
}

const TLS_CODES = /^(CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|ERR_TLS_|ERR_SSL_|EPROTO)/;

/** One plain sentence per network failure; got's own messages can contain URLs and headers. */
export function describeError(error: Error & { code?: string; timings?: unknown; event?: string }, phase?: TransportFailure['phase']): TransportFailure {
  const code = error.code ?? (error.name === 'AbortError' ? 'ABORTED' : 'ERR_UNKNOWN');
  const event = (error as { event?: string }).event;
  if (code === 'ETIMEDOUT') {
    const what = event === 'connect' || event === 'secureConnect' || event === 'lookup' ? 'connecting' : event === 'socket' && phase === 'body' ? 'reading the body' : 'waiting for the response';
    return { code, message: `Timed out ${what}${event ? ` (${event} timeout)` : ''}.`, phase: event === 'connect' || event === 'lookup' ? 'connect' : phase ?? 'response' };
  }
  if (code === 'ECONNREFUSED') return { code, message: 'Connection refused: nothing is listening at that address and port.', phase: 'connect' };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { code, message: 'The host name could not be resolved (DNS).', phase: 'connect' };
  // ERR_HTTP_CONTENT_LENGTH_MISMATCH: the server closed the connection before the promised length.
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ERR_HTTP_CONTENT_LENGTH_MISMATCH') {
    return { code, message: phase === 'body' ? 'The connection was closed while the body was being read.' : 'The connection was reset before a response arrived.', phase: phase ?? 'response' };
  }
  if (code === 'ABORTED' || code === 'ERR_ABORTED' || error.name === 'AbortError') return { code: 'ABORTED', message: 'The request was cancelled.', phase: phase ?? 'request' };
  if (TLS_CODES.test(code)) {
    const self = /SELF_SIGNED/.test(code);
    return {
      code,
      message: self
        ? 'The server presented a self-signed TLS certificate. Trust it with --ca FILE, or use --insecure to skip verification (the report marks it).'
        : `TLS failed (${code}). Check the certificate chain and host name, add the CA with --ca FILE, or use --insecure to skip verification.`,
      phase: 'tls',
    };
  }
  if (code === 'ERR_GOT_REQUEST_ERROR' || code === 'ERR_UNKNOWN') return { code, message: `The request failed: ${error.message.split('\n')[0]}`, phase: phase ?? 'request' };
  return { code, message: `The request failed (${code}).`, phase: phase ?? 'request' };
}

async function proxyAgents(proxyUrl: string, insecure: boolean) {
  // TooTallNate's proxy-agents (the same family as the npm `proxy` server): plain http:// targets
  // go to the proxy in absolute form, the way curl and browsers do, so the proxy sees (and may
  // strip) the headers; https:// targets go through a CONNECT tunnel. got has no proxy support.
  const [{ HttpProxyAgent }, { HttpsProxyAgent }] = await Promise.all([import('http-proxy-agent'), import('https-proxy-agent')]);
  return { http: new HttpProxyAgent(proxyUrl), https: new HttpsProxyAgent(proxyUrl, { rejectUnauthorized: !insecure }) };
}

export interface RuleHttpClientOptions {
  recorder: RequestRecorder;
  /** Origins the user pointed credentials at (target, token/introspection/STS endpoints); a function is asked per request. */
  credentialOrigins: readonly string[] | (() => readonly string[]);
  timeouts?: Timeouts;
  proxy?: SendOptions['proxy'];
  insecure?: boolean;
  caFile?: string | undefined;
  redactor: Redactor;
}

/**
 * The client rules and actions get. Credentialed calls may only go to origins the user configured
 * (DESIGN.md §4); public metadata (discovery, JWKS) may go anywhere. Every call is recorded.
 */
export function createRuleHttpClient(options: RuleHttpClientOptions): RuleHttpClient {
  return {
    async request({ method = 'GET', url, headers = [], body, credentialed = false, signal }) {
      const entries: HeaderEntry[] = Array.isArray(headers) ? headers : Object.entries(headers).map(([name, value]) => ({ name, value }));
      const parsed = new URL(url);
      const origin = parsed.origin;
      // Credentials are recognised wherever they travel, not only when the caller says so: a
      // credential header, URL userinfo, a credential query parameter, or any secret the session
      // knows (the user's token copied into a custom header or a body).
      const carriesCredentials =
        credentialed ||
        entries.some((h) => isSensitiveHeader(h.name)) ||
        parsed.username !== '' ||
        parsed.password !== '' ||
        [...parsed.searchParams].some(([k, v]) => v !== '' && isSensitiveParam(k)) ||
        options.redactor.containsSecret([url, ...entries.map((h) => h.value), body ?? ''].join('\n'));
      const allowed = typeof options.credentialOrigins === 'function' ? options.credentialOrigins() : options.credentialOrigins;
      if (carriesCredentials && !allowed.includes(origin)) {
        throw new Error(`Refused to send credentials to ${origin}: it is not an origin you configured (${allowed.join(', ') || 'none'}).`);
      }
      const exchange = await sendRequest(
        { method, url, headers: entries, body },
        { recorder: options.recorder, timeouts: options.timeouts ?? DEFAULT_TIMEOUTS, proxy: options.proxy, insecure: options.insecure, caFile: options.caFile, followRedirects: !carriesCredentials, signal },
      );
      // A body cut short, or a proxy's refusal standing in for the answer, is no answer to parse.
      const broken = exchange.transportError?.phase === 'body' || exchange.transportError?.code === 'ERR_PROXY_TUNNEL';
      if (!exchange.response || broken) throw new Error(exchange.transportError?.message ?? 'No response.');
      return exchange.response;
    },
  };
}
