import type { Redactor } from './redact.ts';
import type { CaptureInfo, Exchange, Finding, Scheme, SentRequestRecord, Verdict } from './types.ts';

export const REPORT_SCHEMA = 'authdoctor.report/v1';

/** One attempt in a session (the first diagnosis, then each retry after an action). */
export interface AttemptSummary {
  n: number;
  status: number | null;
  cause: Verdict['cause'];
  durationMs?: number | undefined;
  /** What changed before this attempt ("refreshed the access token"). */
  change?: string | undefined;
}

/** An action run during `check` (--refresh, --probe) and its outcome. */
export interface ActionRecord {
  id: string;
  ok: boolean;
  message: string;
  details?: Record<string, unknown> | undefined;
}

/** The JSON report of DESIGN.md §3. Everything in it is already masked. */
export interface Report {
  schema: typeof REPORT_SCHEMA;
  tool: { name: 'authdoctor'; version: string };
  mode: 'live' | 'offline';
  evaluatedAt: string;
  request: {
    method: string;
    url: string;
    headers: Record<string, string>;
    scheme: Scheme;
    body?: string | undefined;
    proxy?: { url: string; source: string } | undefined;
    insecure?: boolean | undefined;
  };
  response: {
    status: number;
    statusText: string;
    headers: Record<string, string>;
    body: string;
    bodyTruncated?: boolean | undefined;
  } | null;
  verdict: Verdict;
  findings: Finding[];
  requests: SentRequestRecord[];
  redirects?: Exchange['redirects'] | undefined;
  transportError?: Exchange['transportError'] | undefined;
  capture?: CaptureInfo | undefined;
  attempts?: AttemptSummary[] | undefined;
  actions?: ActionRecord[] | undefined;
  profile?: string | undefined;
}

/** How much of a response body a report carries. */
export const REPORT_BODY_LIMIT = 2_048;

export interface BuildReportInput {
  version: string;
  exchange: Exchange;
  evaluatedAt: Date;
  scheme: Scheme;
  verdict: Verdict;
  findings: readonly Finding[];
  requests: readonly SentRequestRecord[];
  attempts?: AttemptSummary[] | undefined;
  actions?: ActionRecord[] | undefined;
  profile?: string | undefined;
}

/**
 * Builds the report and masks it through the redactor: structured masking of headers, URL and
 * bodies first (which also teaches the redactor the secrets), then a deep text pass over every
 * string — findings and evidence included.
 */
export function buildReport(input: BuildReportInput, redactor: Redactor): Report {
  const { exchange } = input;
  const req = exchange.request;
  const contentType = req.headers.find((h) => h.name.toLowerCase() === 'content-type')?.value;
  // Mask the structured parts first: this registers every credential value as a known secret, so
  // that the deep text pass below catches copies of them anywhere else.
  const headers = redactor.headerObject(req.headers);
  const url = redactor.url(req.url);
  // Mask first, cut after: a cut made before masking could leave half a secret unrecognisable.
  const body = req.body !== undefined ? truncate(redactor.body(req.body, contentType)) : undefined;
  const response = exchange.response
    ? {
        status: exchange.response.status,
        statusText: exchange.response.statusText,
        headers: redactor.headerObject(exchange.response.headers),
        body: truncate(redactor.body(exchange.response.body, exchange.response.mimeType)),
        ...(exchange.response.bodyTruncated || exchange.response.body.length > REPORT_BODY_LIMIT ? { bodyTruncated: true } : {}),
      }
    : null;
  const report: Report = {
    schema: REPORT_SCHEMA,
    tool: { name: 'authdoctor', version: input.version },
    mode: exchange.mode,
    evaluatedAt: input.evaluatedAt.toISOString(),
    request: {
      method: req.method,
      url,
      headers,
      scheme: input.scheme,
      ...(body !== undefined ? { body } : {}),
      ...(exchange.proxy ? { proxy: { url: redactor.url(exchange.proxy.url), source: exchange.proxy.source } } : {}),
      ...(exchange.insecure ? { insecure: true } : {}),
    },
    response,
    verdict: input.verdict,
    findings: [...input.findings],
    requests: [...input.requests],
    ...(exchange.redirects.length ? { redirects: exchange.redirects.map((r) => ({ ...r, from: redactor.url(r.from), to: redactor.url(r.to) })) } : {}),
    ...(exchange.transportError ? { transportError: exchange.transportError } : {}),
    ...(exchange.capture ? { capture: exchange.capture } : {}),
    ...(input.attempts ? { attempts: input.attempts } : {}),
    ...(input.actions ? { actions: input.actions } : {}),
    ...(input.profile ? { profile: input.profile } : {}),
  };
  return redactor.value(report);
}

function truncate(text: string): string {
  return text.length > REPORT_BODY_LIMIT ? text.slice(0, REPORT_BODY_LIMIT) : text;
}
