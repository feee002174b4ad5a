/**
 * The stable cause ids (DESIGN.md §2). Reports, rules and tests depend on these strings.
 */
export const CAUSE_IDS = [
  'missing_credentials',
  'invalid_credentials',
  'malformed_credentials',
  'expired_token',
  'wrong_scheme',
  'signature_mismatch',
  'clock_skew',
  'insufficient_permissions',
  'client_auth_failed',
  'refresh_failed',
  'proxy_auth',
  'none',
  'unknown',
] as const;

export type CauseId = (typeof CAUSE_IDS)[number];

/** A cause a rule may report: everything except the two verdict-only ids. */
export type FailureCause = Exclude<CauseId, 'none'>;

export function isCauseId(value: unknown): value is CauseId {
  return typeof value === 'string' && (CAUSE_IDS as readonly string[]).includes(value);
}

/**
 * Specificity ranking used by the verdict when two failing findings have the same confidence.
 * Earlier is more specific: a cause that names the exact thing to change beats one that only
 * says "the server did not accept it". The reasoning, top to bottom:
 * - proxy_auth: a 407 or a stripping proxy means the API never saw the request as sent.
 * - signature_mismatch, clock_skew: precise, mechanical, and they explain a generic rejection.
 * - malformed_credentials, wrong_scheme: the credential may be right but travels damaged or wrongly.
 * - expired_token, refresh_failed, client_auth_failed: a specific lifecycle or OAuth2 step failed.
 * - missing_credentials: nothing usable was sent.
 * - insufficient_permissions: authentication worked; authorisation did not.
 * - invalid_credentials: the generic "not accepted" — only when nothing more specific is known.
 * - unknown: a failure nobody could explain.
 */
export const CAUSE_SPECIFICITY: readonly FailureCause[] = [
  'proxy_auth',
  'signature_mismatch',
  'clock_skew',
  'malformed_credentials',
  'wrong_scheme',
  'expired_token',
  'refresh_failed',
  'client_auth_failed',
  'missing_credentials',
  'insufficient_permissions',
  'invalid_credentials',
  'unknown',
];
