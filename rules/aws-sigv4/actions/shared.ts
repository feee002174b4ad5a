import type { ActionAvailabilityContext } from '../../../src/core/plugin.ts';
import type { Finding, HeaderEntry, RequestSpec } from '../../../src/core/types.ts';
import { parseSigV4, type ParsedSigV4 } from '../lib/authorization.ts';
import { recallCredentialNote } from '../lib/memory.ts';

/** The signature the request carried (from the exchange as sent, else the spec's own headers). */
export function sentSignature(ctx: ActionAvailabilityContext): ParsedSigV4 | null {
  const req = ctx.exchange?.request ?? { url: ctx.spec.url, headers: ctx.spec.headers };
  return parseSigV4(req);
}

/** The spec signs with aws-sigv4, or carries a SigV4 signature someone else made. */
export function isSigV4(ctx: ActionAvailabilityContext): boolean {
  return ctx.spec.auth?.scheme === 'aws-sigv4' || sentSignature(ctx) !== null;
}

export function findingsOfPlugin(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.plugin === 'aws-sigv4' && f.status === 'fail');
}

/** Headers a signer produces; a spec that will be re-signed must not carry the old ones. */
const SIGNING_HEADERS = new Set(['authorization', 'x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token']);

export function withoutSigningHeaders(headers: readonly HeaderEntry[], keepToken: boolean): HeaderEntry[] {
  return headers.filter((h) => {
    const lower = h.name.toLowerCase();
    if (lower === 'x-amz-security-token') return keepToken;
    return !SIGNING_HEADERS.has(lower);
  });
}

/**
 * The spec to send next, signed by the aws-sigv4 strategy with these params. A spec that carried
 * someone else's signature (a HAR, a pasted curl command) gets the strategy from now on.
 */
export function respec(spec: RequestSpec, params: Record<string, unknown>, options: { keepTokenHeader: boolean; source?: string | undefined }): RequestSpec {
  // `apply` replaced `auth.source` with a display text; the next spec keeps the caller's own
  // ('profile NAME', 'curl'), which says where the params came from.
  const source = options.source ?? originOf(spec);
  return {
    ...spec,
    headers: withoutSigningHeaders(spec.headers, options.keepTokenHeader),
    auth: { scheme: 'aws-sigv4', params, ...(source ? { source } : {}) },
  };
}

/** The spec's `auth.source` as its maker gave it (before `apply` replaced it for display). */
export function originOf(spec: RequestSpec): string | undefined {
  return recallCredentialNote(spec.auth?.params)?.origin ?? spec.auth?.source;
}
