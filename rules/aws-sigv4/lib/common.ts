/** Small shared pieces of the rules: action ids, durations, masking of echoed AWS text. */

import type { RuleContext } from '../../../src/core/plugin.ts';
import type { Facts } from './facts.ts';

export const PLUGIN = 'aws-sigv4';
export const ACTION_REFRESH = `${PLUGIN}/refresh-credentials`;
export const ACTION_RESIGN = `${PLUGIN}/re-sign`;
export const ACTION_WHOAMI = `${PLUGIN}/whoami`;

/** "20 min", "3 h 5 min", "45 s" — for messages. */
export function duration(seconds: number): string {
  const s = Math.round(Math.abs(seconds));
  if (s < 90) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m} min`;
  const h = Math.floor(m / 60);
  const rest = m % 60;
  if (h < 48) return rest ? `${h} h ${rest} min` : `${h} h`;
  return `${Math.round(h / 24)} days`;
}

export function iso(d: Date | undefined): string | undefined {
  return d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined;
}

/**
 * AWS echoes parts of the request in its messages (the whole Authorization header, the session
 * token in a canonical request). Mask the key id, signature and token wherever they appear.
 */
export function maskEcho(ctx: RuleContext<unknown>, facts: Facts, text: string): string {
  let out = text;
  const secrets = [facts.sigv4?.signature, facts.sigv4?.sessionToken, facts.sigv4?.accessKeyId?.trim(), facts.sigv2?.signature, facts.sigv2?.sessionToken].filter((s): s is string => !!s && s.length >= 8);
  for (const s of secrets.sort((a, b) => b.length - a.length)) out = out.split(s).join(ctx.mask(s));
  // The echoed header may carry an EXAMPLE-style signature that differs from the one sent.
  out = out.replace(/(Signature=)([0-9a-zA-Z]{16,})/g, (_m, head: string, sig: string) => head + ctx.mask(sig));
  return out;
}

/** The access key ID for messages: masked, but keeping the AKIA/ASIA prefix readable. */
export function keyIdForMessage(ctx: RuleContext<unknown>, keyId: string | undefined): string {
  return keyId ? ctx.mask(keyId.trim()) : '(none)';
}

/** True when the response answered 2xx/3xx: rules then only warn (DESIGN: no `fail` without a failure). */
export function okResponse(facts: Facts): boolean {
  return !facts.failed;
}
