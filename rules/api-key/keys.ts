import type { RuleContext } from '../../src/core/plugin.ts';
import type { ResponseSnapshot } from '../../src/core/types.ts';
import { APIS, KEY_FORMATS, type ApiInfo, type KeyFormat, type Placement } from './key-formats.ts';

/**
 * The shared logic of the api-key rules: which credentials the request carried and where, what
 * kind of key each one is (from the data in key-formats.ts), and how to talk about placements.
 */

/** A credential as it travelled. */
export interface SentCredential {
  /** The credential itself (after any scheme word; decoded for Basic). */
  value: string;
  placement: Placement;
  location: 'header' | 'query' | 'userinfo';
  /** The header or parameter name as sent. */
  name: string;
  /**
   * The place conventionally carries a credential (Authorization, an API-key header or
   * parameter), as opposed to a value that only looked like a key.
   */
  credentialPlace: boolean;
}

/** Headers that never carry an API key, whatever their value looks like. */
const NOT_CREDENTIAL_HEADER = /^(host|user-agent|accept(-.*)?|content-.*|connection|cookie|origin|referer|date|if-.*|cache-control|pragma|proxy-authorization|x-amz-.*|x-ms-date|x-ms-version|traceparent|tracestate|x-request-id|x-correlation-id|x-forwarded-.*|via)$/i;
/** Header names that carry a key or token (x-api-key, DD-API-KEY, X-Auth-Key, PRIVATE-TOKEN, X-Shopify-Access-Token…). */
const CREDENTIAL_HEADER = /(?:^|[-_])(?:api[-_]?key|apikey|key|token|secret|password|passwd)$/i;
/** …except these, which only look like it. */
const NOT_A_KEY_HEADER = /csrf|xsrf|^idempotency-key$|^sec-websocket-key$|^x-request-key$/i;
/** Query parameters that are part of a signature scheme, not a key (SigV2/SigV4 presigned URLs, Azure SAS, OAuth callbacks). */
const SIGNATURE_PARAM = /^(x-amz-.*|awsaccesskeyid|signature|expires|sig|se|sp|sv|sr|st|spr|sip|code|state|session_state)$/i;
const CREDENTIAL_PARAM = /^(api[-_]?key|apikey|key|access[-_]?token|token|auth|auth[-_]?token|api[-_]?token|private[-_]?token|client[-_]?secret|secret|password|app[-_]?key|subscription[-_]?key)$/i;

/** Distinctive prefixes: a value starting with one is a key wherever it travels. */
const DISTINCTIVE = KEY_FORMATS.filter((f) => !f.hostOnly && f.prefix.length >= 3).map((f) => f.prefix);

function startsWithKnownPrefix(value: string): boolean {
  const v = value.trim();
  return DISTINCTIVE.some((p) => v.startsWith(p));
}

/** Every credential the request carried, with where it travelled. Never throws. */
export function collectSent(ctx: Pick<RuleContext, 'request' | 'helpers' | 'exchange'>): SentCredential[] {
  const { request } = ctx;
  const out: SentCredential[] = [];
  // A HAR exporter that blanked a header (Chrome's sanitised export) says nothing about the key.
  const sanitized = new Set((ctx.exchange.capture?.sanitizedHeaders ?? []).map((h) => h.toLowerCase()));
  if (!sanitized.has('authorization')) out.push(...fromAuthorization(ctx));
  for (const h of request.headers) {
    const lower = h.name.toLowerCase();
    if (sanitized.has(lower) || lower === 'authorization') continue;
    if (NOT_CREDENTIAL_HEADER.test(lower)) continue;
    const credentialPlace = CREDENTIAL_HEADER.test(lower) && !NOT_A_KEY_HEADER.test(lower);
    if (!credentialPlace && !startsWithKnownPrefix(h.value)) continue;
    const value = h.value.trim();
    if (value) out.push({ value, placement: { kind: 'header', name: h.name }, location: 'header', name: h.name, credentialPlace });
  }
  const url = parseUrl(request.url);
  if (url) {
    for (const [name, raw] of url.searchParams) {
      if (SIGNATURE_PARAM.test(name)) continue;
      const credentialPlace = CREDENTIAL_PARAM.test(name);
      if (!credentialPlace && !startsWithKnownPrefix(raw)) continue;
      const value = raw.trim();
      if (value) out.push({ value, placement: { kind: 'query', name }, location: 'query', name, credentialPlace });
    }
    const user = safeDecode(url.username);
    const password = safeDecode(url.password);
    if (user) out.push({ value: user, placement: { kind: 'basic', part: 'user' }, location: 'userinfo', name: 'userinfo', credentialPlace: true });
    if (password) out.push({ value: password, placement: { kind: 'basic', part: 'password' }, location: 'userinfo', name: 'userinfo', credentialPlace: true });
  }
  return out;
}

function parseUrl(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function fromAuthorization(ctx: Pick<RuleContext, 'helpers'>): SentCredential[] {
  const carrier = ctx.helpers.credentials().find((c) => c.location === 'header' && c.name.toLowerCase() === 'authorization');
  if (!carrier) return [];
  const base = { location: 'header' as const, name: carrier.name, credentialPlace: true };
  if (carrier.scheme === 'none' || carrier.scheme === 'aws-sigv4') return [];
  if (carrier.scheme === 'basic') {
    const decoded = ctx.helpers.basic();
    if (!decoded) return [];
    const parts: SentCredential[] = [];
    if (decoded.user) parts.push({ ...base, value: decoded.user, placement: { kind: 'basic', part: 'user' } });
    if (decoded.hasColon && decoded.password) parts.push({ ...base, value: decoded.password, placement: { kind: 'basic', part: 'password' } });
    return parts;
  }
  // A doubled scheme word ("Bearer Bearer x") is the http plugin's finding; look past it here.
  const word = carrier.schemeWord ?? '';
  let value = carrier.credential.trim();
  if (word) {
    const again = new RegExp(`^${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+`, 'i');
    while (again.test(value)) value = value.replace(again, '');
  }
  if (!value) return [];
  return [{ ...base, value, placement: { kind: 'authorization', scheme: word } }];
}

export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}

export function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}

export function hostMatches(host: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => {
    const pattern = p.toLowerCase();
    if (pattern.startsWith('*.')) {
      const apex = pattern.slice(1);
      return host.endsWith(apex) && host.length > apex.length;
    }
    return host === pattern;
  });
}

const API_BY_ID = new Map(APIS.map((a) => [a.id, a]));

export function apiOf(format: KeyFormat): ApiInfo {
  const api = API_BY_ID.get(format.api);
  if (!api) throw new Error(`key format ${format.id} names unknown API ${format.api}`);
  return api;
}

/** The API a host belongs to, if it is one of the known ones. */
export function apiForHost(host: string): ApiInfo | undefined {
  if (!host) return undefined;
  return APIS.find((a) => hostMatches(host, a.hosts));
}

export interface Classified {
  format: KeyFormat;
  api: ApiInfo;
  length: number;
  /** Set when the value has the kind's prefix and alphabet but not its length or structure. */
  problem?: 'truncated' | 'too-long' | 'structure' | undefined;
}

export function lengthRange(format: KeyFormat): readonly [number, number | undefined] {
  return typeof format.length === 'number' ? [format.length, format.length] : format.length;
}

const PRINTABLE = /^[\x21-\x7e]+$/;

/**
 * What kind of key a value is. Longest prefix first; a value whose characters are not all in the
 * kind's alphabet is not that kind. Values with spaces, quotes or non-ASCII characters are left to
 * the http plugin's header-hygiene checks.
 */
export function classify(raw: string, host: string): Classified | null {
  const value = raw.trim();
  if (!PRINTABLE.test(value) || /["']/.test(value)) return null;
  const candidates = KEY_FORMATS.filter((f) => (f.prefix === '' || value.startsWith(f.prefix)) && (!f.hostOnly || hostMatches(host, apiOf(f).hosts))).sort(
    (a, b) => b.prefix.length - a.prefix.length,
  );
  for (const format of candidates) {
    const body = value.slice(format.prefix.length);
    if (body.length === 0) continue;
    if (![...body].every((ch) => format.alphabet.test(ch))) continue;
    const [min, max] = lengthRange(format);
    const length = value.length;
    const structureOk = !format.structure || format.structure.test(value);
    if (length >= min && (max === undefined || length <= max) && structureOk) return { format, api: apiOf(format), length };
    if (format.strict || format.prefix === '') continue;
    const problem = length < min ? 'truncated' : max !== undefined && length > max ? 'too-long' : 'structure';
    return { format, api: apiOf(format), length, problem };
  }
  return null;
}

export function samePlacement(a: Placement, b: Placement): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'authorization':
      return a.scheme.toLowerCase() === (b as typeof a).scheme.toLowerCase();
    case 'header':
    case 'query':
      return a.name.toLowerCase() === (b as typeof a).name.toLowerCase();
    case 'basic':
      return a.part === (b as typeof a).part;
    case 'sigv4':
      return true;
  }
}

/** A placement in words, for messages. */
export function describePlacement(p: Placement): string {
  switch (p.kind) {
    case 'authorization':
      return p.scheme ? `Authorization: ${p.scheme} <key>` : 'Authorization: <key> (no scheme word)';
    case 'header':
      return `the ${p.name} header`;
    case 'query':
      return `the query parameter ${p.name}=`;
    case 'basic':
      return p.part === 'user' ? 'the Basic auth user name' : `the Basic auth password${p.user ? ` (user ${p.user})` : ''}`;
    case 'sigv4':
      return 'an AWS Signature Version 4 signature';
  }
}

/** How to send a key in that place, as a curl fragment. */
export function curlExample(p: Placement, envVar = 'API_KEY'): string {
  const v = `$${envVar}`;
  switch (p.kind) {
    case 'authorization':
      return p.scheme ? `-H "Authorization: ${p.scheme} ${v}"` : `-H "Authorization: ${v}"`;
    case 'header':
      return `-H "${p.name}: ${v}"`;
    case 'query':
      return `"https://HOST/PATH?${p.name}=${v}"`;
    case 'basic':
      return p.part === 'user' ? `-u "${v}:"` : `-u "${p.user ?? 'USER'}:${v}"`;
    case 'sigv4':
      return '--aws-sigv4 "aws:amz:REGION:SERVICE" -u "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" (or an AWS SDK, which signs for you)';
  }
}

const AUTH_WORDS = /auth|api[ _-]?key|token|credential|unauthori[sz]ed|forbidden|permission|access denied|not authenticated/i;

/**
 * Does the exchange show an authentication failure? 401/403/407 do; another 4xx, or a 200 with
 * `"ok": false`, does when its body talks about credentials. Rules only fail when it does, and
 * warn otherwise.
 */
export function authFailed(response: ResponseSnapshot | null): boolean {
  if (!response) return false;
  const { status } = response;
  if (status === 401 || status === 403 || status === 407) return true;
  const head = (response.body ?? '').slice(0, 8192);
  if (status >= 400 && status < 500) return AUTH_WORDS.test(head);
  if (status >= 200 && status < 300) return /"ok"\s*:\s*false/.test(head) && AUTH_WORDS.test(head);
  return false;
}

/** The masked form of a key with its kind, for messages: `sk-p…(164 chars, sha256:…)`. */
export function keyLabel(c: Classified): string {
  return `${c.api.provider} ${c.format.kind}`;
}
