import { decodeBasic } from '../core/context.ts';
import { detectCredentials } from '../core/credential.ts';
import { isSensitiveHeader, isSensitiveJsonKey, isSensitiveParam, maskSecret } from '../core/redact.ts';
import type { Finding, RequestSnapshot } from '../core/types.ts';

/** A credential value of a case, and where it came from (for the failure message). */
export interface CaseSecret {
  where: string;
  value: string;
}

/** Values that are not credentials even where a credential belongs (`Bearer null`, `$TOKEN`). */
function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (/^(null|undefined|true|false|none|nil|nan|bearer|basic|token|\[object object\])$/i.test(v)) return true;
  return /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(v) || /^<[^<>]*>$/.test(v) || /^\{\{[^{}]*\}\}$/.test(v);
}

/** Shorter values are not checked: they match ordinary words (the Redactor draws the same line). */
const MIN_LENGTH = 4;

function add(out: CaseSecret[], where: string, value: string | undefined | null): void {
  if (!value) return;
  for (const form of new Set([value, value.trim()])) {
    if ([...form].length < MIN_LENGTH || isPlaceholder(form)) continue;
    if (!out.some((s) => s.value === form)) out.push({ where, value: form });
  }
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

function bodySecrets(out: CaseSecret[], body: string): void {
  const text = body.trim();
  if (text.startsWith('{') || text.startsWith('[')) {
    try {
      const walk = (value: unknown, depth: number): void => {
        if (depth > 32 || value === null || typeof value !== 'object') return;
        for (const [key, v] of Object.entries(value)) {
          if (typeof v === 'string' && isSensitiveJsonKey(key) && !/^(token_type|token_use|expires_in)$/i.test(key)) add(out, `the request body's "${key}"`, v);
          else walk(v, depth + 1);
        }
      };
      walk(JSON.parse(text) as unknown, 0);
      return;
    } catch {
      // not JSON: try a form below
    }
  }
  for (const pair of text.split('&')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = decode(pair.slice(0, eq));
    if (isSensitiveParam(name) || isSensitiveJsonKey(name)) add(out, `the request body's ${name}`, decode(pair.slice(eq + 1)));
  }
}

/**
 * Every credential value the case's request carries: the credential of Authorization and API-key
 * headers (after the scheme word), the Basic password and the base64 that hides it, SigV4 key ids
 * and signatures, cookies and other sensitive headers, sensitive query parameters, URL user info
 * passwords and secret fields of the body — plus the case's own `secrets`.
 */
export function requestSecrets(request: RequestSnapshot, extra: readonly string[] = []): CaseSecret[] {
  const out: CaseSecret[] = [];
  for (const carrier of detectCredentials(request)) {
    if (carrier.location === 'header') {
      const where = `the ${carrier.name} header's credential`;
      if (carrier.scheme === 'aws-sigv4') {
        add(out, `the ${carrier.name} header's access key id`, /Credential=\s*([^/,\s]+)/.exec(carrier.credential)?.[1]);
        add(out, `the ${carrier.name} header's signature`, /Signature=\s*([^,\s]+)/.exec(carrier.credential)?.[1]);
        continue;
      }
      add(out, where, carrier.credential.replace(/^(bearer\s+)+/i, ''));
      if (carrier.scheme === 'basic') add(out, 'the Basic password', decodeBasic(carrier.credential)?.password);
    } else if (carrier.location === 'query') {
      if (carrier.scheme === 'aws-sigv4') {
        add(out, 'the X-Amz-Signature query parameter', carrier.value);
        continue;
      }
      add(out, `the ${carrier.name} query parameter`, carrier.value);
    } else if (carrier.location === 'userinfo') {
      const colon = carrier.value.indexOf(':');
      add(out, 'the password in the URL', decode(colon >= 0 ? carrier.value.slice(colon + 1) : ''));
    }
  }
  for (const h of request.headers) {
    const lower = h.name.toLowerCase();
    if (!isSensitiveHeader(h.name) || lower === 'authorization') continue;
    if (lower === 'cookie') {
      for (const pair of h.value.split(/;\s*/)) {
        const eq = pair.indexOf('=');
        if (eq > 0) add(out, `the ${pair.slice(0, eq)} cookie`, pair.slice(eq + 1));
      }
      continue;
    }
    const scheme = /^(bearer|basic|token|apikey|key|digest|negotiate)\s+/i.exec(h.value);
    const credential = scheme ? h.value.slice(scheme[0].length) : h.value;
    add(out, `the ${h.name} header`, credential);
    if (scheme?.[1]?.toLowerCase() === 'basic') add(out, `the ${h.name} header's password`, decodeBasic(credential)?.password);
  }
  try {
    for (const [name, value] of new URL(request.url).searchParams) {
      if (isSensitiveParam(name)) add(out, `the ${name} query parameter`, value);
    }
  } catch {
    // not a URL: the case builder refuses those
  }
  if (request.body) bodySecrets(out, request.body);
  for (const value of extra) add(out, 'a secret the case declares', value);
  return out;
}

export interface SecretLeak {
  /** 1-based position among the findings checked. */
  index: number;
  ruleId: string;
  /** `message`, `title`, `fixes[0]`, `evidence.key.sub` … */
  field: string;
  secret: CaseSecret;
}

/** Long secrets are matched anywhere; short ones only as a whole word, so `test` does not match `latest`. */
function contains(text: string, secret: string): boolean {
  if (secret.length >= 8) return text.includes(secret);
  let from = 0;
  for (;;) {
    const at = text.indexOf(secret, from);
    if (at < 0) return false;
    const before = text[at - 1];
    const after = text[at + secret.length];
    if (!(before && /[A-Za-z0-9]/.test(before)) && !(after && /[A-Za-z0-9]/.test(after))) return true;
    from = at + 1;
  }
}

function strings(value: unknown, path: string, out: [string, string][], depth = 0): void {
  if (typeof value === 'string') out.push([path, value]);
  else if (depth < 32 && Array.isArray(value)) value.forEach((v, i) => strings(v, `${path}[${i}]`, out, depth + 1));
  else if (depth < 32 && value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value)) strings(v, `${path}.${k}`, out, depth + 1);
  }
}

/** Where a finding's title, message, fixes or evidence carry one of the secrets in clear. */
export function findSecretLeaks(findings: readonly Finding[], secrets: readonly CaseSecret[]): SecretLeak[] {
  const leaks: SecretLeak[] = [];
  findings.forEach((finding, i) => {
    const fields: [string, string][] = [
      ['title', finding.title],
      ['message', finding.message],
    ];
    strings(finding.fixes, 'fixes', fields);
    strings(finding.evidence, 'evidence', fields);
    for (const [field, text] of fields) {
      const secret = secrets.find((s) => contains(text, s.value));
      if (secret) leaks.push({ index: i + 1, ruleId: finding.ruleId, field, secret });
    }
  });
  return leaks;
}

export function describeLeak(leak: SecretLeak): string {
  return `finding ${leak.index} (${leak.ruleId}) has ${leak.secret.where} in clear in its ${leak.field} (the value ${maskSecret(leak.secret.value)}). Put ctx.mask(value) in findings instead of the value, or leave it out.`;
}
