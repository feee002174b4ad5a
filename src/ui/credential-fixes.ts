import { decodeBasic } from '../core/context.ts';
import type { HeaderEntry } from '../core/types.ts';

/**
 * The concrete repairs the edit screen offers for a header value: the damage the malformed-
 * credential checks diagnose (a stray newline, a doubled `Bearer`, quotes around the token, a
 * Basic value encoded with a newline in it). Pure: value in, fixed values out. The raw values never
 * reach the session state; only masked previews do.
 */
export interface CredentialFix {
  /** What the fix does, for the screen ("drop the doubled \"Bearer\""). */
  label: string;
  /** The whole new header value (a secret: mask it before showing it). */
  value: string;
}

/** Scheme words kept in front of what the user types into the masked input. */
const SCHEME = /^(Bearer|Basic|Token|Digest|SSWS|ApiKey|Key|JWT|OAuth|Bot)(\s+)/i;
const WHITESPACE_NAMES: Record<string, string> = { '\n': 'newline', '\r': 'carriage return', '\t': 'tab', ' ': 'space' };

export function schemeWordOf(value: string): string | undefined {
  return SCHEME.exec(value.trimStart())?.[1];
}

export function suggestFixes(name: string, value: string): CredentialFix[] {
  const fixes: CredentialFix[] = [];
  const add = (label: string, next: string) => {
    if (next !== value && next.length > 0 && !fixes.some((f) => f.value === next)) fixes.push({ label, value: next });
  };
  let v = value;

  const trimmed = v.trim();
  if (trimmed !== v) {
    const stray = [...new Set([...(v.match(/^\s+|\s+$/g)?.join('') ?? '')])].map((c) => WHITESPACE_NAMES[c] ?? 'whitespace');
    add(`trim the stray ${stray.join(' and ')}`, trimmed);
    v = trimmed;
  }

  const doubled = /^(Bearer|Basic|Token)\s+(\1)\s+/i.exec(v);
  if (doubled) {
    v = `${doubled[1]} ${v.slice(doubled[0].length)}`;
    add(`drop the doubled "${doubled[1]}"`, v);
  }

  const scheme = SCHEME.exec(v);
  if (scheme) {
    const rest = v.slice(scheme[0].length);
    const unquoted = /^(["'])(.*)\1$/s.exec(rest);
    if (unquoted) {
      v = `${scheme[1]} ${unquoted[2]}`;
      add('remove the quotes around the credential', v);
    }
    const innerTrim = rest.trim();
    if (!unquoted && innerTrim !== rest) {
      v = `${scheme[1]} ${innerTrim}`;
      add('trim the whitespace inside the credential', v);
    }
    if (scheme[1]!.toLowerCase() === 'basic') {
      const decoded = decodeBasic(v.slice(scheme[0].length));
      if (decoded?.hasColon) {
        const user = decoded.user.trim();
        const password = decoded.password.replace(/[\r\n]+$/, '').replace(/^\s+|\s+$/g, '');
        if (user !== decoded.user || password !== decoded.password) {
          const stray = /[\r\n]/.test(decoded.decoded) ? 'newline' : 'whitespace';
          add(`re-encode the Basic value without the stray ${stray}`, `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`);
        }
      }
    }
    if (scheme[1] !== 'Bearer' && scheme[1]!.toLowerCase() === 'bearer') add('write the scheme as "Bearer" (some servers compare it case-sensitively)', `Bearer ${v.slice(scheme[0].length)}`);
  } else if (name.toLowerCase() === 'authorization' && /^eyJ[\w-]+\.[\w-]+\.[\w-]*$/.test(v)) {
    add('add the missing "Bearer " in front of the token', `Bearer ${v}`);
  } else {
    const unquoted = /^(["'])(.*)\1$/s.exec(v);
    if (unquoted) add('remove the quotes around the value', unquoted[2]!);
  }
  return fixes;
}

/**
 * What the user typed becomes the new header value. When the current value starts with a scheme
 * word and the typed text does not, the word is kept: one types a token, not `Bearer <token>`.
 */
export function typedValue(current: string, typed: string): string {
  const word = schemeWordOf(current);
  if (!word || schemeWordOf(typed)) return typed;
  return `${word} ${typed}`;
}

/** Replaces the first header of that name (case-insensitive), keeping its position and spelling. */
export function replaceHeader(headers: readonly HeaderEntry[], name: string, value: string): HeaderEntry[] {
  let done = false;
  return headers.map((h) => {
    if (done || h.name.toLowerCase() !== name.toLowerCase()) return h;
    done = true;
    return { name: h.name, value };
  });
}
