import { XMLParser } from 'fast-xml-parser';
import type { FailureCause } from '../../src/core/causes.ts';
import type { RuleContext } from '../../src/core/plugin.ts';
import type { Confidence, FindingInput } from '../../src/core/types.ts';

/**
 * The provider knowledge engine: one generic matcher that turns a provider's own error answer into
 * a cause, a message and fixes. Everything provider-specific is DATA in ./data/*.ts — adding a
 * provider is adding a data file to ./packs.ts, never code here.
 *
 * A matcher reads four things: the response status, response headers, the response body (parsed
 * JSON or XML addressed by a small path language, or raw text by an anchored regex) and the
 * request (headers, URL parts). Regex named groups and `capture` put values into the entry's
 * message and fixes (`{{name}}`) and into the finding's evidence.
 */

export type Scalar = string | number | boolean | null;

/** A test on one value (a header, a body field, a URL part). All given conditions must hold. */
export interface ValueTest {
  /** Equal to this value, or to one of these values. */
  equals?: Scalar | readonly Scalar[];
  /** Matches this regex (anchor it; keep quantifiers un-nested). Named groups become captures. */
  matches?: RegExp;
  /** true: the value is present (a header, a field); false: it is absent. */
  exists?: boolean;
  /** Captures the whole value under this name (with `exists: false`: the word "absent"). */
  capture?: string;
}

/**
 * The matcher language.
 * - `field`: a path into the structured response body. Dots separate keys, `[]` after a key (or
 *   alone at the start) means "any element of this array": `error.details[].reason`,
 *   `[].errorCode`, `Error.AuthenticationErrorDetail` (XML bodies are parsed into the same shape).
 * - `header` / `requestHeader`: a response / request header by name (case-insensitive).
 * - `url`: a part of the request URL (`path`, `host`, `query`, `href`).
 * - `body`: the raw response body text (first 64 KiB).
 * - `status`, `host` (host patterns, `*.example.com` for any subdomain).
 * - `disjoint`: two captured comma/space-separated lists share no element (GitHub's token scopes
 *   against the scopes an endpoint accepts).
 * - `all` / `any` / `not` combine them; `all` evaluates left to right, so a later matcher may read
 *   what an earlier one captured.
 */
export type Matcher =
  | { all: readonly Matcher[] }
  | { any: readonly Matcher[] }
  | { not: Matcher }
  | ({ field: string } & ValueTest)
  | ({ header: string } & ValueTest)
  | ({ requestHeader: string } & ValueTest)
  | ({ url: 'path' | 'host' | 'query' | 'href' } & ValueTest)
  | { body: RegExp }
  | { status: number | readonly number[] }
  | { host: string | readonly string[] }
  | { disjoint: readonly [string, string] };

/** One documented error answer of one provider. */
export interface ProviderEntry {
  /** Stable id `<provider>/<error>`; it is the finding's messageId. */
  id: string;
  /** Host patterns for this entry alone (overrides the pack's hosts and fingerprint). */
  hosts?: readonly string[];
  /** The entry matches on any host (a format that is the same wherever it is deployed). */
  anyHost?: boolean;
  /** Response statuses it applies to; omitted = any (some providers answer 200 or 400). */
  status?: number | readonly number[];
  match: Matcher;
  /**
   * The cause (DESIGN.md §2). `none` marks a documented answer that is NOT an authentication
   * failure (a quota, a rate limit): it is reported as a warning that points elsewhere.
   */
  cause: FailureCause | 'none';
  /** Defaults to `definitive`: it is the provider's own documented code. */
  confidence?: Confidence;
  /** Entries sharing a group are alternatives: only the first that matches is reported. */
  group?: string;
  title: string;
  /** Template: `{{name}}` inserts a capture (or `_host`, `_path`, `_method`, `_status`);
   * `{{#name}}…{{/name}}` keeps its text only when `name` was captured, `{{^name}}…{{/name}}` only
   * when it was not. */
  message: string;
  /** Full sentences with the exact console page, command or setting; templates like `message`. */
  fixes: readonly string[];
  /**
   * Extra evidence, as templates over the captures. Permission entries fill the well-known
   * `principal` (who was authenticated), `action` (what was denied) and `resource` (on what).
   * A value that renders empty is left out.
   */
  evidence?: Readonly<Record<string, string>>;
  /** Where the format is documented (a URL); shown in the evidence. */
  source: string;
}

export interface ProviderPack {
  provider: string;
  /** Host patterns of the provider's APIs. */
  hosts?: readonly string[];
  /** Response or request traits that identify the provider on any host (self-hosted, Enterprise). */
  fingerprint?: Matcher;
  entries: readonly ProviderEntry[];
}

/** Always true: `{ all: [] }`. */
export const ALWAYS: Matcher = { all: [] };

/** Captures what `m` captures when it matches, and matches anyway when it does not. */
export function optional(m: Matcher): Matcher {
  return { any: [m, ALWAYS] };
}

/** The parts of a rule context the engine reads; a plain object so that tests can build one. */
export interface EngineInput {
  method: string;
  url: string;
  requestHeaders: readonly { name: string; value: string }[];
  status: number;
  responseHeaders: readonly { name: string; value: string }[];
  body: string;
  mimeType?: string | undefined;
}

export interface EngineMatch {
  pack: ProviderPack;
  entry: ProviderEntry;
  captures: Record<string, string>;
}

/** Regexes run on at most this much text, whatever the provider sent. */
const MAX_BODY = 64 * 1024;
const MAX_FIELD = 16 * 1024;
/** Path resolution visits at most this many nodes (a body of a million array elements stays cheap). */
const MAX_NODES = 10_000;
/** Bodies nested deeper than this are not parsed as XML (the parser recurses). */
const MAX_XML_BODY = 256 * 1024;

type Captures = Record<string, string>;

class Subject {
  readonly input: EngineInput;
  readonly host: string;
  readonly path: string;
  readonly query: string;
  #structured: unknown;
  #parsed = false;

  constructor(input: EngineInput) {
    this.input = input;
    let host = '';
    let path = '';
    let query = '';
    try {
      const u = new URL(input.url);
      host = u.hostname.toLowerCase();
      path = u.pathname;
      query = u.search.replace(/^\?/, '');
    } catch {
      // an unparsable URL matches no host and no path
    }
    this.host = host;
    this.path = path;
    this.query = query;
  }

  get body(): string {
    return this.input.body.length > MAX_BODY ? this.input.body.slice(0, MAX_BODY) : this.input.body;
  }

  /** The body as JSON, else as XML, else undefined. Never throws. */
  structured(): unknown {
    if (this.#parsed) return this.#structured;
    this.#parsed = true;
    this.#structured = parseStructured(this.input.body);
    return this.#structured;
  }

  header(name: string): string | undefined {
    return headerOf(this.input.responseHeaders, name);
  }

  requestHeader(name: string): string | undefined {
    return headerOf(this.input.requestHeaders, name);
  }
}

function headerOf(headers: readonly { name: string; value: string }[], name: string): string | undefined {
  const lower = name.toLowerCase();
  const values = headers.filter((h) => h.name.toLowerCase() === lower).map((h) => h.value);
  return values.length === 0 ? undefined : values.join(', ');
}

export function parseStructured(text: string): unknown {
  const body = text.trim();
  if (body.startsWith('{') || body.startsWith('[')) {
    try {
      return JSON.parse(body) as unknown;
    } catch {
      return undefined;
    }
  }
  if (body.startsWith('<') && body.length <= MAX_XML_BODY && !/^<!doctype html|^<html/i.test(body)) {
    try {
      // fast-xml-parser: Azure Storage and other XML error bodies become plain objects, so one
      // path language addresses JSON and XML alike.
      const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: false, processEntities: true });
      return parser.parse(body) as unknown;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Values at a path; `[]` fans out over arrays. Bounded: never visits more than MAX_NODES nodes. */
export function resolvePath(root: unknown, path: string): unknown[] {
  const segments = path === '' ? [] : path.split('.');
  let current: unknown[] = [root];
  let visited = 0;
  for (const raw of segments) {
    const fan = raw.endsWith('[]');
    const key = fan ? raw.slice(0, -2) : raw;
    const next: unknown[] = [];
    for (const node of current) {
      if (++visited > MAX_NODES) return next;
      let value: unknown = node;
      if (key !== '') {
        if (node === null || typeof node !== 'object') continue;
        if (Array.isArray(node)) {
          if (!/^\d+$/.test(key)) continue;
          value = node[Number(key)];
        } else {
          if (!Object.prototype.hasOwnProperty.call(node, key)) continue;
          value = (node as Record<string, unknown>)[key];
        }
      }
      if (value === undefined) continue;
      if (fan) {
        if (Array.isArray(value)) {
          for (const item of value) {
            if (next.length >= MAX_NODES) break;
            next.push(item);
          }
        }
      } else {
        next.push(value);
      }
    }
    current = next;
  }
  return current;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > MAX_FIELD ? value.slice(0, MAX_FIELD) : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  return undefined;
}

function testValue(values: readonly unknown[], test: ValueTest, captures: Captures): boolean {
  if (test.exists === false) {
    if (values.length > 0) return false;
    // Absence can be captured too, so that a message can say "there was no Authorization header".
    if (test.capture) captures[test.capture] = 'absent';
    return true;
  }
  if (values.length === 0) return false;
  const hasCondition = test.equals !== undefined || test.matches !== undefined;
  for (const value of values) {
    const text = scalarText(value);
    if (hasCondition && text === undefined) continue;
    if (test.equals !== undefined) {
      const wanted = Array.isArray(test.equals) ? (test.equals as readonly Scalar[]) : [test.equals as Scalar];
      if (!wanted.some((w) => w === value || (w !== null && String(w) === text))) continue;
    }
    const local: Captures = {};
    if (test.matches) {
      test.matches.lastIndex = 0;
      const m = test.matches.exec(text ?? '');
      if (!m) continue;
      for (const [name, v] of Object.entries(m.groups ?? {})) if (v !== undefined) local[name] = v;
    }
    if (test.capture && text !== undefined) local[test.capture] = text;
    Object.assign(captures, local);
    return true;
  }
  return false;
}

function hostMatches(host: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => {
    const pattern = p.toLowerCase();
    if (pattern.startsWith('*.')) {
      const apex = pattern.slice(1); // ".example.com"
      return host.endsWith(apex) && host.length > apex.length;
    }
    return host === pattern;
  });
}

function splitList(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter(Boolean);
}

function evaluate(m: Matcher, s: Subject, captures: Captures): boolean {
  if ('all' in m) {
    const local: Captures = { ...captures };
    for (const part of m.all) if (!evaluate(part, s, local)) return false;
    Object.assign(captures, local);
    return true;
  }
  if ('any' in m) {
    for (const part of m.any) {
      const local: Captures = { ...captures };
      if (evaluate(part, s, local)) {
        Object.assign(captures, local);
        return true;
      }
    }
    return false;
  }
  if ('not' in m) return !evaluate(m.not, s, { ...captures });
  if ('field' in m) return testValue(resolvePath(s.structured(), m.field), m, captures);
  if ('header' in m) {
    const v = s.header(m.header);
    return testValue(v === undefined ? [] : [v], m, captures);
  }
  if ('requestHeader' in m) {
    const v = s.requestHeader(m.requestHeader);
    return testValue(v === undefined ? [] : [v], m, captures);
  }
  if ('url' in m) {
    const part = m.url === 'path' ? s.path : m.url === 'host' ? s.host : m.url === 'query' ? s.query : s.input.url;
    return testValue([part], m, captures);
  }
  if ('body' in m) {
    m.body.lastIndex = 0;
    const found = m.body.exec(s.body);
    if (!found) return false;
    for (const [name, v] of Object.entries(found.groups ?? {})) if (v !== undefined) captures[name] = v;
    return true;
  }
  if ('status' in m) {
    const wanted = typeof m.status === 'number' ? [m.status] : m.status;
    return wanted.includes(s.input.status);
  }
  if ('host' in m) return hostMatches(s.host, typeof m.host === 'string' ? [m.host] : m.host);
  if ('disjoint' in m) {
    const [a, b] = m.disjoint;
    const left = splitList(captures[a]);
    const right = new Set(splitList(captures[b]));
    if (left.length === 0 && captures[a] === undefined) return false;
    if (right.size === 0) return false;
    return !left.some((x) => right.has(x));
  }
  return false;
}

function statusMatches(entry: ProviderEntry, status: number): boolean {
  if (entry.status === undefined) return true;
  return typeof entry.status === 'number' ? entry.status === status : entry.status.includes(status);
}

function recognised(pack: ProviderPack, entry: ProviderEntry, s: Subject): boolean {
  if (entry.anyHost) return true;
  if (entry.hosts) return hostMatches(s.host, entry.hosts);
  if (!pack.hosts && !pack.fingerprint) return true;
  if (pack.hosts && hostMatches(s.host, pack.hosts)) return true;
  return pack.fingerprint ? evaluate(pack.fingerprint, s, {}) : false;
}

/** Every entry that matches, at most one per group, in pack and entry order. */
export function matchEntries(packs: readonly ProviderPack[], input: EngineInput): EngineMatch[] {
  const s = new Subject(input);
  const out: EngineMatch[] = [];
  const groupsDone = new Set<string>();
  for (const pack of packs) {
    for (const entry of pack.entries) {
      const group = entry.group ?? entry.id;
      if (groupsDone.has(group)) continue;
      if (!statusMatches(entry, input.status)) continue;
      if (!recognised(pack, entry, s)) continue;
      const captures: Captures = {};
      if (!evaluate(entry.match, s, captures)) continue;
      groupsDone.add(group);
      out.push({ pack, entry, captures });
    }
  }
  return out;
}

/** A captured value made fit for one line of prose: whitespace collapsed, length capped. */
function inline(value: string): string {
  const flat = value.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 299)}…` : flat;
}

/** Fills `{{name}}`, `{{#name}}…{{/name}}` and `{{^name}}…{{/name}}` from the variables. */
export function renderTemplate(template: string, vars: Record<string, string>): string {
  const present = (name: string) => vars[name] !== undefined && vars[name] !== '';
  // Outer sections first; a section inside a kept one is resolved on the next pass.
  let sections = template;
  for (let pass = 0; pass < 4; pass++) {
    const next = sections.replace(/\{\{([#^])([\w.]+)\}\}([\s\S]*?)\{\{\/\2\}\}/g, (_m, kind: string, name: string, inner: string) =>
      (kind === '#') === present(name) ? inner : '',
    );
    if (next === sections) break;
    sections = next;
  }
  return sections
    .replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_m, name: string) => (vars[name] !== undefined ? inline(vars[name]) : ''))
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}

/** Evidence values are kept close to what the server said, but bounded. */
function evidenceValue(value: string): string {
  return value.length > 4000 ? `${value.slice(0, 3999)}…` : value;
}

/** How to keep the request's own credentials out of what a provider echoed back. */
export interface SecretGuard {
  /** Credential values the request carried (header values, decoded Basic parts, query values). */
  secrets: readonly string[];
  mask: (value: string) => string;
}

/**
 * Providers sometimes echo what they received ("your Authorization header was set to …"): a
 * captured value that is, contains or is part of a credential the request carried is masked
 * before it reaches a message or the evidence.
 */
function guard(captures: Captures, g: SecretGuard | undefined): Captures {
  if (!g) return captures;
  const secrets = g.secrets.filter((x) => x.length >= 8 && !PLACEHOLDER.test(x.trim()));
  const out: Captures = {};
  for (const [k, v] of Object.entries(captures)) {
    out[k] = v.length >= 8 && !PLACEHOLDER.test(v.trim()) && secrets.some((x) => x.includes(v) || v.includes(x)) ? g.mask(v) : v;
  }
  return out;
}

/** Values that stand in for a missing credential: quoting them is the diagnosis, not a leak. */
const PLACEHOLDER = /^(?:null|undefined|none|nil|nan|\$\{?\w+\}?|<[^<>]{0,40}>|your[_-]?[\w-]{0,40})$/i;

/** Turns a match into a finding. */
export function toFinding(match: EngineMatch, input: EngineInput, secretGuard?: SecretGuard): FindingInput {
  const { entry, pack } = match;
  const captures = guard(match.captures, secretGuard);
  let host = '';
  let path = '';
  try {
    const u = new URL(input.url);
    host = u.host;
    path = u.pathname;
  } catch {
    // leave empty
  }
  const vars: Record<string, string> = { ...captures, _host: host, _path: path, _method: input.method.toUpperCase(), _status: String(input.status) };
  const evidence: Record<string, unknown> = { provider: pack.provider, entry: entry.id, source: entry.source };
  for (const [k, v] of Object.entries(captures)) evidence[k] = evidenceValue(v);
  for (const [k, template] of Object.entries(entry.evidence ?? {})) {
    const value = renderTemplate(template, vars);
    if (value !== '') evidence[k] = value;
  }
  const cause = entry.cause === 'none' ? null : entry.cause;
  return {
    status: cause === null ? 'warn' : 'fail',
    cause,
    ...(cause === null ? {} : { confidence: entry.confidence ?? 'definitive' }),
    messageId: entry.id,
    title: entry.title,
    message: renderTemplate(entry.message, vars),
    evidence,
    fixes: entry.fixes.map((f) => renderTemplate(f, vars)).filter((f) => f.length > 0),
  };
}

export function engineInputFrom(ctx: Pick<RuleContext, 'request' | 'response'>): EngineInput | null {
  const { request, response } = ctx;
  if (!response) return null;
  return {
    method: request.method,
    url: request.url,
    requestHeaders: request.headers,
    status: response.status,
    responseHeaders: response.headers,
    body: response.body ?? '',
    mimeType: response.mimeType,
  };
}

/** Runs the packs over one exchange: the findings of every matching entry. Never throws on input. */
export function diagnose(packs: readonly ProviderPack[], input: EngineInput, secretGuard?: SecretGuard): FindingInput[] {
  return matchEntries(packs, input).map((m) => toFinding(m, input, secretGuard));
}

/** The causes the packs can report (for the rule's meta.causes). */
export function causesOf(packs: readonly ProviderPack[]): FailureCause[] {
  const set = new Set<FailureCause>();
  for (const p of packs) for (const e of p.entries) if (e.cause !== 'none') set.add(e.cause);
  return [...set];
}
