/**
 * Decoding of a Basic credential for diagnosis. The core helper (`ctx.helpers.basic()`) returns
 * null for anything that is not clean base64; rules here need to look inside damaged values too
 * (line-wrapped, URL-safe, unpadded), so this decoder is lenient and reports what it had to
 * forgive. Node's Buffer decodes base64 leniently; the strictness checks are ours (RFC 4648 §4).
 */
import type { RuleContext } from '../../src/core/plugin.ts';
import type { CredentialCarrier } from '../../src/core/credential.ts';

export interface LooseBasic {
  carrier: CredentialCarrier;
  /** The base64 text as sent (after the scheme word), untrimmed. */
  raw: string;
  /** Decoded bytes (lenient). */
  bytes: Buffer;
  /** UTF-8 text, or null when the bytes are not valid UTF-8. */
  utf8: string | null;
  /** The text to analyse: UTF-8 when valid, else ISO-8859-1 (what most servers fall back to). */
  text: string;
  user: string;
  password: string;
  hasColon: boolean;
  /** UTF-16LE (PowerShell's [Text.Encoding]::Unicode): every other byte is NUL. */
  utf16: boolean;
}

/** The Basic carrier in the Authorization header, if any. */
export function basicCarrier(ctx: RuleContext<any>): CredentialCarrier | undefined {
  return ctx.helpers.credentials().find((c) => c.location === 'header' && c.scheme === 'basic');
}

export function decodeLoose(carrier: CredentialCarrier): LooseBasic | null {
  const raw = carrier.credential;
  const compact = raw.replace(/[\s]/g, '').replace(/-/g, '+').replace(/_/g, '/');
  if (compact.length === 0 || !/^[A-Za-z0-9+/=]+$/.test(compact)) return null;
  const bytes = Buffer.from(compact.replace(/=/g, ''), 'base64');
  let utf8: string | null;
  try {
    utf8 = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    utf8 = null;
  }
  const utf16 = bytes.length >= 4 && bytes.length % 2 === 0 && [...bytes].filter((_, i) => i % 2 === 1).every((b) => b === 0);
  const text = utf16 ? bytes.toString('utf16le') : (utf8 ?? bytes.toString('latin1'));
  const colon = text.indexOf(':');
  return {
    carrier,
    raw,
    bytes,
    utf8,
    text,
    user: colon >= 0 ? text.slice(0, colon) : text,
    password: colon >= 0 ? text.slice(colon + 1) : '',
    hasColon: colon >= 0,
    utf16,
  };
}

/** The decoded Basic credential of the request's Authorization header, leniently; null if none. */
export function looseBasic(ctx: RuleContext<any>): LooseBasic | null {
  const carrier = basicCarrier(ctx);
  return carrier ? decodeLoose(carrier) : null;
}

/** Basic challenges' `charset` parameter (RFC 7617 §2.1 allows only "UTF-8"). */
export function challengeCharset(ctx: RuleContext<any>): string | undefined {
  return ctx.challenges.find((c) => c.scheme.toLowerCase() === 'basic' && c.params.charset)?.params.charset;
}

/** A user name that is really an API key (Stripe `sk_…:`, long opaque ids): the password may be empty. */
export function looksLikeKey(user: string): boolean {
  return /^(sk|rk|pk)_(live|test)_/.test(user) || (user.length >= 20 && !/[@\s]/.test(user) && /\d/.test(user) && /[A-Za-z]/.test(user));
}

export { hostOf } from '../http/shared.ts';
