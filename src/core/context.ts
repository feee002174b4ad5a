import { decodeJwt } from 'jose/jwt/decode';
import { decodeProtectedHeader } from 'jose/decode/protected_header';
import { parseChallenges } from './challenge.ts';
import { detectCredentials, headerValue, headerValues, primaryScheme, type CredentialCarrier } from './credential.ts';
import type { Redactor } from './redact.ts';
import type { DecodedBasic, DecodedJwt, ProfileHints, RuleContext, RuleHelpers, RuleHttpClient } from './plugin.ts';
import type { Exchange, Scheme } from './types.ts';

export interface ContextOptions {
  exchange: Exchange;
  /** Evaluation time; defaults to the exchange's send time. */
  now?: Date;
  wallClock?: () => Date;
  http: RuleHttpClient;
  signal: AbortSignal;
  profile?: ProfileHints;
  redactor: Redactor;
}

/** Memoises a thunk: the helpers are lazy so that rules pay only for what they read. */
function once<T>(fn: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = fn();
      done = true;
    }
    return value;
  };
}

export function createHelpers(exchange: Exchange): RuleHelpers {
  const { request, response } = exchange;
  const credentials = once<CredentialCarrier[]>(() => detectCredentials(request));
  const scheme = once<Scheme>(() => primaryScheme(credentials()));
  const json = once<unknown>(() => {
    if (!response?.body) return undefined;
    const text = response.body.trim();
    if (!text.startsWith('{') && !text.startsWith('[')) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  });
  const jwt = once<DecodedJwt | null>(() => {
    const bearer = credentials().find((c) => c.scheme === 'bearer');
    const raw = bearer?.credential.trim().replace(/^(bearer\s+)+/i, '');
    return raw ? decodeJwtSafe(raw) : null;
  });
  const basic = once<DecodedBasic | null>(() => {
    const carrier = credentials().find((c) => c.scheme === 'basic' && c.location === 'header');
    return carrier ? decodeBasic(carrier.credential) : null;
  });
  return {
    requestHeader: (name) => headerValue(request.headers, name),
    requestHeaders: (name) => headerValues(request.headers, name),
    responseHeader: (name) => (response ? headerValue(response.headers, name) : undefined),
    responseHeaders: (name) => (response ? headerValues(response.headers, name) : []),
    responseJson: json,
    credentials,
    scheme,
    jwt,
    basic,
  };
}

/** Decodes a compact JWT without verifying it (jose's decoders); null when it is not one. */
export function decodeJwtSafe(raw: string): DecodedJwt | null {
  const token = raw.trim();
  if (token.split('.').length !== 3) return null;
  try {
    return { header: decodeProtectedHeader(token) as Record<string, unknown>, payload: decodeJwt(token) as Record<string, unknown>, raw: token };
  } catch {
    return null;
  }
}

/** Decodes `Basic <base64>`; tolerant of padding and URL-safe alphabet (rules report those). */
export function decodeBasic(credential: string): DecodedBasic | null {
  const b64 = credential.trim();
  if (b64.length === 0 || !/^[A-Za-z0-9+/_-]+=*$/.test(b64)) return null;
  const decoded = Buffer.from(b64.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return {
    user: colon >= 0 ? decoded.slice(0, colon) : decoded,
    password: colon >= 0 ? decoded.slice(colon + 1) : '',
    decoded,
    hasColon: colon >= 0,
  };
}

/**
 * A deep copy of a value, frozen all the way down. Each rule gets its own: a rule that mutates
 * what it was given (pushes a header, rewrites the body, calls `sentAt.setTime()`) fails with a
 * TypeError in strict mode — an `error` finding — and can never change what the next rule sees.
 * Strings are shared, not copied, so a 1 MB body costs nothing per rule.
 */
export function frozenCopy<T>(value: T, seen = new WeakMap<object, unknown>()): T {
  if (value === null || typeof value !== 'object') return value;
  const known = seen.get(value);
  if (known !== undefined) return known as T;
  if (value instanceof Date) {
    const copy = Object.freeze(new Date(value.getTime()));
    seen.set(value, copy);
    return copy as T;
  }
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(frozenCopy(item, seen));
    return Object.freeze(copy) as T;
  }
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const [key, v] of Object.entries(value)) copy[key] = frozenCopy(v, seen);
  return Object.freeze(copy) as T;
}

export function createRuleContext<O>(opts: ContextOptions, options: O): RuleContext<O> {
  const exchange = frozenCopy(opts.exchange);
  const helpers = createHelpers(exchange);
  // Read once, as a number: no rule can move another rule's clock.
  const nowMs = (opts.now ?? opts.exchange.sentAt).getTime();
  const response = exchange.response;
  const challenges = response ? parseChallenges(headerValues(response.headers, 'www-authenticate'), 'www-authenticate') : [];
  const proxyChallenges = response ? parseChallenges(headerValues(response.headers, 'proxy-authenticate'), 'proxy-authenticate') : [];
  const ctx: RuleContext<O> = {
    exchange,
    request: exchange.request,
    response,
    challenges,
    proxyChallenges,
    helpers,
    now: () => new Date(nowMs),
    wallClock: opts.wallClock ?? (() => new Date()),
    http: opts.http,
    signal: opts.signal,
    options,
    profile: opts.profile ?? {},
    mask: (value: string) => opts.redactor.secret(value),
  };
  return Object.freeze(ctx);
}
