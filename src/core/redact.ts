import { createHash } from 'node:crypto';
import type { HeaderEntry } from './types.ts';

/**
 * The one masking path (DESIGN.md §4). Every output — screen, reports, logs, error messages —
 * passes its text through a Redactor. It works in two layers:
 *
 * 1. Structure: values in places that carry credentials (Authorization-like headers, sensitive
 *    query parameters, URL userinfo, secret-looking JSON and form fields) are masked, and each such
 *    value is remembered as a known secret.
 * 2. Text: every known secret is replaced wherever it appears in any string, so a secret that a
 *    rule copied into evidence, or that got put into an error message, is still masked.
 *
 * Free-text patterns (JWTs, well-known key prefixes) are masked too, so a token that was never
 * seen in a structured place (e.g. echoed in a response body) does not leak.
 */

const PREFIX_LENGTH = 4;
/** Below this length a secret shows no prefix at all (DESIGN.md §4). */
const MIN_LENGTH_FOR_PREFIX = 12;
/** Shorter "secrets" are not replaced in free text: they would mangle ordinary words. */
const MIN_TEXT_REPLACE_LENGTH = 4;

/** Header names whose whole value (after a scheme word) is a credential. */
const SENSITIVE_HEADER =
  /(^|[-_])(authori[sz]ation|auth|cookie|set-cookie|token|secret|password|passwd|api[-_]?key|apikey|key|session|signature|credential|credentials|jwt|csrf|xsrf)([-_]|$)|authori[sz]ation|api[-_]?key|token|secret|passw|cookie/i;
/** Headers that look sensitive by name but carry public data. */
const PUBLIC_HEADERS = new Set([
  'www-authenticate',
  'proxy-authenticate',
  'x-amz-content-sha256',
  'x-amz-date',
  'keep-alive',
  'x-seraph-loginreason',
  'x-amzn-errortype',
  'x-ms-token-type',
]);

const SENSITIVE_PARAM =
  /^(access[-_]?token|refresh[-_]?token|id[-_]?token|token|api[-_]?key|apikey|key|secret|client[-_]?secret|password|passwd|pwd|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|code|code[-_]?verifier|assertion|client[-_]?assertion|auth|authorization|session|sessionid|session[-_]?token|sas|sv-sig|private[-_]?key|jwt|device[-_]?code|user[-_]?code)$/i;

const SENSITIVE_JSON_KEY =
  /(^|[-_])(access[-_]?token|refresh[-_]?token|id[-_]?token|token|secret|client[-_]?secret|password|passwd|api[-_]?key|apikey|private[-_]?key|assertion|authorization|session[-_]?token|secret[-_]?access[-_]?key|device[-_]?code|code[-_]?verifier|credential)s?$/i;
const SENSITIVE_JSON_KEY_LOOSE = /token|secret|password|passwd|apikey|api_key|privatekey|private_key/i;

/** Scheme words kept in clear in front of a masked credential. */
const SCHEME_WORD = /^(Bearer|Basic|Token|Digest|Negotiate|NTLM|SharedKey|SharedKeyLite|SSWS|Splunk|GenieKey|Key|ApiKey|OAuth|JWT|Bot|token|bearer|basic)(\s+)/;

/** Free-text patterns of things that are credentials wherever they appear. */
const TEXT_PATTERNS: RegExp[] = [
  // JWT / JWS compact form: header.payload.signature, header starting with {" → eyJ. The start
  // must not follow a base64url character: with a bare \b, `eyJ-eyJ-eyJ-…` offered a start every
  // four characters, each scanning to the end of the run — quadratic time on a hostile body.
  /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
  // Well-known key prefixes (OpenAI, Anthropic, Stripe, GitHub, GitLab, Slack, SendGrid, Google, DigitalOcean, Shopify)
  /\b(?:sk-ant-[A-Za-z0-9_-]{10,}|sk-(?:proj-)?[A-Za-z0-9_-]{16,}|(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{16,}|xox[abposr]-[A-Za-z0-9-]{10,}|SG\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}|AIza[A-Za-z0-9_-]{30,}|dop_v1_[a-f0-9]{20,}|shp(?:at|ss|ca|pa)_[a-fA-F0-9]{20,})/g,
];

const NOT_SECRETS = new Set(['', 'null', 'undefined', 'true', 'false', 'none', 'nil', 'nan', '[object object]', 'bearer', 'basic', 'token']);

export interface MaskOptions {
  /** Characters of the secret shown in clear; 0 for none. */
  prefix?: number;
}

/** sha256 fingerprint: 8 hex digits, enough to tell two secrets apart, too few to guess one. */
export function fingerprint(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 8);
}

/** `sk-p…(51 chars, sha256:1a2b3c4d)`; a secret under 12 characters shows no prefix. */
export function maskSecret(secret: string, options: MaskOptions = {}): string {
  const length = [...secret].length;
  const wanted = options.prefix ?? PREFIX_LENGTH;
  const prefix = length >= MIN_LENGTH_FOR_PREFIX ? [...secret].slice(0, wanted).join('') : '';
  return `${sanitizePrefix(prefix)}…(${length} chars, sha256:${fingerprint(secret)})`;
}

/** Control characters in a shown prefix would corrupt a terminal; show them escaped. */
function sanitizePrefix(prefix: string): string {
  return JSON.stringify(prefix).slice(1, -1);
}

export function isSensitiveHeader(name: string): boolean {
  const lower = name.toLowerCase();
  if (PUBLIC_HEADERS.has(lower)) return false;
  return SENSITIVE_HEADER.test(lower);
}

export function isSensitiveParam(name: string): boolean {
  return SENSITIVE_PARAM.test(name) || SENSITIVE_JSON_KEY.test(name);
}

export function isSensitiveJsonKey(name: string): boolean {
  return SENSITIVE_JSON_KEY.test(name) || SENSITIVE_JSON_KEY_LOOSE.test(name);
}

export class Redactor {
  /** Known secrets, longest first when replacing (so a secret containing another is masked whole). */
  readonly #secrets = new Set<string>();
  #sorted: string[] | null = null;

  /**
   * Remembers a value as a secret; its trimmed and URL-encoded forms are remembered too. Words
   * that are placeholders rather than credentials (`Bearer null`) are not: masking every `null`
   * in a JSON report would hide the very evidence and break the JSON.
   */
  addSecret(value: string | undefined | null): void {
    if (!value || NOT_SECRETS.has(value.trim().toLowerCase())) return;
    const forms = new Set([value, value.trim()]);
    for (const form of [...forms]) {
      try {
        forms.add(encodeURIComponent(form));
        // How a query string or form body carries it (URLSearchParams: `~` → %7E, space → +), and
        // how curl escapes it (`!'()*` too): a server that echoes the request URL shows that form.
        forms.add(new URLSearchParams([['', form]]).toString().slice(1));
        forms.add(encodeURIComponent(form).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
      } catch {
        // lone surrogates cannot be URI-encoded; the raw form is still registered
      }
      forms.add(JSON.stringify(form).slice(1, -1));
    }
    for (const form of forms) {
      if ([...form].length >= MIN_TEXT_REPLACE_LENGTH) this.#secrets.add(form);
    }
    this.#sorted = null;
  }

  /**
   * True when the text holds a known secret of at least `minLength` characters (shorter ones, such
   * as a 4-letter password, would match ordinary words). The rule HTTP client uses it to notice a
   * credential copied into a request that is about to leave for another origin.
   */
  containsSecret(text: string, minLength = 8): boolean {
    for (const secret of this.sortedSecrets()) {
      if (secret.length < minLength) break;
      if (text.includes(secret)) return true;
    }
    return false;
  }

  get secretCount(): number {
    return this.#secrets.size;
  }

  /** Masks one secret value (and remembers it). */
  secret(value: string): string {
    this.addSecret(value);
    return maskSecret(value);
  }

  /** Masks the credential part of a header value, keeping a scheme word such as `Bearer` in clear. */
  headerValue(name: string, value: string): string {
    if (!isSensitiveHeader(name)) return this.text(value);
    const lower = name.toLowerCase();
    if (lower === 'cookie' || lower === 'set-cookie') return this.cookieValue(value);
    if (value.startsWith('AWS4-') || value.startsWith('AWS ')) return this.sigv4Value(value);
    const scheme = SCHEME_WORD.exec(value);
    if (scheme) {
      const rest = value.slice(scheme[0].length);
      if (rest.length === 0) return value;
      // Doubled schemes ("Bearer Bearer x") stay readable: they are the evidence.
      const inner = SCHEME_WORD.exec(rest);
      if (inner) return scheme[0] + inner[0] + this.secret(rest.slice(inner[0].length));
      return scheme[0] + this.secret(rest);
    }
    if (value.length === 0) return value;
    return this.secret(value);
  }

  /** SigV4 `Authorization`: scope and signed headers stay readable; key id and signature do not. */
  private sigv4Value(value: string): string {
    return value
      .replace(/(Credential=\s*)([^/,\s]+)/, (_m, head: string, keyId: string) => head + this.secret(keyId))
      .replace(/(Signature=\s*)([^,\s]+)/, (_m, head: string, sig: string) => head + this.secret(sig))
      .replace(/^(AWS\s+)([^:\s]+):(\S+)/, (_m, head: string, keyId: string, sig: string) => `${head}${this.secret(keyId)}:${this.secret(sig)}`);
  }

  private cookieValue(value: string): string {
    return value
      .split(/;\s*/)
      .map((pair) => {
        const eq = pair.indexOf('=');
        if (eq < 0) return pair;
        const name = pair.slice(0, eq);
        const v = pair.slice(eq + 1);
        if (/^(path|domain|expires|max-age|samesite|secure|httponly)$/i.test(name.trim()) || v.length === 0) return pair;
        return `${name}=${this.secret(v)}`;
      })
      .join('; ');
  }

  headers(headers: readonly HeaderEntry[]): HeaderEntry[] {
    return headers.map((h) => ({ name: h.name, value: this.headerValue(h.name, h.value) }));
  }

  /** Headers as a plain object, repeated names joined with ", " (the report's shape). */
  headerObject(headers: readonly HeaderEntry[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const h of this.headers(headers)) {
      const key = h.name.toLowerCase();
      out[key] = key in out ? `${out[key]}, ${h.value}` : h.value;
    }
    return out;
  }

  /** Masks URL userinfo and sensitive query parameters. Unparseable input is masked as text. */
  url(raw: string): string {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return this.text(raw);
    }
    if (url.username) url.username = this.secretForUrl(decodeSafe(url.username), 'user');
    if (url.password) url.password = this.secretForUrl(decodeSafe(url.password), 'password');
    const params = [...url.searchParams.entries()];
    // The value exactly as it stands in the URL, whatever encoding the client chose, is the same
    // secret in another spelling: remember it too (a server that echoes the URL shows it).
    for (const pair of url.search.slice(1).split('&')) {
      const eq = pair.indexOf('=');
      if (eq > 0 && isSensitiveParam(decodeSafe(pair.slice(0, eq))) && pair.length > eq + 1) this.addSecret(pair.slice(eq + 1));
    }
    if (params.some(([k]) => isSensitiveParam(k))) {
      const search = params
        .map(([k, v]) => `${encodeURIComponent(k)}=${isSensitiveParam(k) && v ? encodeURIComponent(this.secret(v)) : encodeURIComponent(v)}`)
        .join('&');
      url.search = search;
    }
    // URL.toString() percent-encodes the mask's "…" and parentheses; decode them back for humans.
    return this.text(url.toString().replace(/%E2%80%A6/g, '…').replace(/%28/g, '(').replace(/%29/g, ')').replace(/%2C/g, ',').replace(/%3A/gi, ':').replace(/%20/g, ' '));
  }

  private secretForUrl(value: string, kind: 'user' | 'password'): string {
    // A user name is identifying but not secret; a long one (an API key as user) is masked.
    if (kind === 'user' && value.length < 24) return encodeURIComponent(value);
    return this.secret(value);
  }

  /**
   * Masks a body: JSON fields and form fields whose names are sensitive, then known secrets and
   * credential-shaped text anywhere.
   */
  body(text: string, contentType?: string): string {
    const trimmed = text.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(text);
        this.collectJsonSecrets(parsed);
        return this.text(text);
      } catch {
        // not JSON after all (or truncated): fall through to text masking
        this.collectLooseJsonSecrets(text);
      }
    }
    if ((contentType ?? '').includes('x-www-form-urlencoded') || /^[\w.-]+=[^&\s]*(&[\w.-]+=[^&\s]*)+$/.test(trimmed)) {
      for (const pair of trimmed.split('&')) {
        const eq = pair.indexOf('=');
        if (eq <= 0) continue;
        const name = decodeSafe(pair.slice(0, eq));
        const value = decodeSafe(pair.slice(eq + 1).replace(/\+/g, ' '));
        if (isSensitiveParam(name) || isSensitiveJsonKey(name)) {
          this.addSecret(value);
          this.addSecret(pair.slice(eq + 1));
        }
      }
    }
    return this.text(text);
  }

  private collectJsonSecrets(value: unknown, depth = 0): void {
    if (depth > 32 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) this.collectJsonSecrets(item, depth + 1);
      return;
    }
    for (const [key, v] of Object.entries(value)) {
      if (typeof v === 'string' && isSensitiveJsonKey(key) && !/^(token_type|token_use|expires_in|token_endpoint.*)$/i.test(key)) this.addSecret(v);
      else this.collectJsonSecrets(v, depth + 1);
    }
  }

  /**
   * Truncated JSON cannot be parsed; catch `"access_token": "…"` pairs by pattern instead —
   * including the last one, whose value the cut may have left without its closing quote (the
   * report keeps the first 2 KiB of a body: a token cut in half is still a token).
   */
  private collectLooseJsonSecrets(text: string): void {
    const pair = /"([A-Za-z0-9_-]{1,64})"\s*:\s*"((?:[^"\\]|\\.){1,4096})(?:"|\\?$)/g;
    for (const match of text.matchAll(pair)) {
      const [, key, value] = match;
      if (key && value && isSensitiveJsonKey(key) && !/^(token_type|token_use)$/i.test(key)) this.addSecret(value);
    }
  }

  /** Replaces every known secret and every credential-shaped string in free text. */
  text(input: string): string {
    if (input.length === 0) return input;
    let out = input;
    for (const secret of this.sortedSecrets()) {
      if (out.includes(secret)) out = out.split(secret).join(maskSecret(secret));
    }
    for (const pattern of TEXT_PATTERNS) {
      out = out.replace(pattern, (match) => (match.includes('…(') ? match : maskSecret(match)));
    }
    return out;
  }

  /** Deeply masks every string in a JSON-like value (used for evidence and whole reports). */
  value<T>(input: T): T {
    return this.deep(input, 0) as T;
  }

  private deep(input: unknown, depth: number): unknown {
    if (typeof input === 'string') return this.text(input);
    if (depth > 64 || input === null || typeof input !== 'object') return input;
    if (input instanceof Date) return input;
    if (Array.isArray(input)) return input.map((item) => this.deep(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(input)) out[key] = this.deep(v, depth + 1);
    return out;
  }

  private sortedSecrets(): string[] {
    this.#sorted ??= [...this.#secrets].sort((a, b) => b.length - a.length);
    return this.#sorted;
  }
}

function decodeSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The process-wide redactor used by the CLI's output writers. Secrets discovered anywhere in the
 * process (inputs, config, token responses) are registered here so that every line written to the
 * terminal — including error messages — is masked by the same instance.
 */
export const processRedactor = new Redactor();
