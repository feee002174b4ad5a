import { isCauseId, type CauseId } from '../core/causes.ts';
import type { FindingStatus } from '../core/types.ts';

/** Human names of the cause ids (DESIGN.md §2), for headings: "Expired token". */
export const CAUSE_LABELS: Readonly<Record<CauseId, string>> = {
  missing_credentials: 'Missing credentials',
  invalid_credentials: 'Invalid credentials',
  malformed_credentials: 'Malformed credentials',
  expired_token: 'Expired token',
  wrong_scheme: 'Wrong authentication scheme',
  signature_mismatch: 'Signature mismatch',
  clock_skew: 'Clock skew',
  insufficient_permissions: 'Insufficient permissions',
  client_auth_failed: 'OAuth2 client authentication failed',
  refresh_failed: 'Token refresh failed',
  proxy_auth: 'Proxy authentication required',
  none: 'No authentication failure',
  unknown: 'Unexplained authentication failure',
};

/**
 * The human name of a cause id. Never throws: a cause that is not one of the stable ids (a report
 * from a newer version, a hand-edited file) is shown as its words ("new_cause" → "New cause").
 */
export function causeLabel(cause: CauseId | string | null | undefined): string {
  if (cause === null || cause === undefined || cause === '') return 'No cause';
  if (isCauseId(cause)) return CAUSE_LABELS[cause];
  const words = String(cause).replace(/[_-]+/g, ' ').trim();
  return words.length > 0 ? words[0]!.toUpperCase() + words.slice(1) : String(cause);
}

/** The symbol of a finding status, as in expo-doctor / `brew doctor` output. */
export const STATUS_SYMBOLS: Readonly<Record<FindingStatus, string>> = {
  pass: '✔',
  fail: '✖',
  warn: '⚠',
  skip: '○',
  error: '!',
  timeout: '⏱',
};

/** Plain words for the statuses ("failed", "warning"), used in summaries and for screen readers. */
export const STATUS_LABELS: Readonly<Record<FindingStatus, string>> = {
  pass: 'passed',
  fail: 'failed',
  warn: 'warning',
  skip: 'skipped',
  error: 'rule error',
  timeout: 'rule timed out',
};

export function statusSymbol(status: string): string {
  return Object.hasOwn(STATUS_SYMBOLS, status) ? STATUS_SYMBOLS[status as FindingStatus] : '?';
}

/** `error` and `timeout` are problems of a rule, not findings about the request (kept apart). */
export function isRuleProblem(status: string): boolean {
  return status === 'error' || status === 'timeout';
}
