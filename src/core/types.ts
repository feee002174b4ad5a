import type { CauseId, FailureCause } from './causes.ts';

/** One header line as it travelled. A list, not a map: order and duplicates are evidence. */
export interface HeaderEntry {
  name: string;
  value: string;
}

export type Scheme = 'bearer' | 'basic' | 'api-key' | 'aws-sigv4' | 'oauth2' | 'none' | 'unknown';

/**
 * Credentials that a plugin's auth strategy applies at send time (a SigV4 signature, an OAuth2
 * token from a grant). Plain headers such as `Authorization: Bearer …` need no strategy.
 */
export interface AuthSpec {
  /** The strategy's scheme, matched against `AuthStrategy.scheme` of the loaded plugins. */
  scheme: string;
  /** Strategy-specific settings and secrets (already resolved from env/file references). */
  params: Record<string, unknown>;
  /** Where the credentials came from, for display (never the values). */
  source?: string;
}

/** What the user asked to send, from any input (URL flags, curl, HAR, profile). */
export interface RequestSpec {
  method: string;
  url: string;
  headers: HeaderEntry[];
  body?: string | undefined;
  /** Proxy URL from `-x`, the profile or the environment. */
  proxy?: string | undefined;
  /** Where `proxy` came from: a flag, the profile, or `HTTP_PROXY`-style environment. */
  proxySource?: 'flag' | 'profile' | 'env' | undefined;
  /** `--noproxy` hosts: never proxied, whatever the flag, profile or environment says. */
  noProxy?: string[] | undefined;
  /** `-k`: TLS certificate verification disabled (the report marks it). */
  insecure?: boolean | undefined;
  auth?: AuthSpec | undefined;
  /** Values that are secrets whatever header or field carries them; fed to the redactor. */
  secrets?: string[] | undefined;
}

export interface RequestSnapshot {
  method: string;
  url: string;
  headers: HeaderEntry[];
  body?: string | undefined;
  httpVersion?: string | undefined;
}

export interface ResponseSnapshot {
  status: number;
  statusText: string;
  headers: HeaderEntry[];
  /** Decoded body text, up to the cap. */
  body: string;
  /** True when the body was cut at the cap. */
  bodyTruncated?: boolean | undefined;
  httpVersion?: string | undefined;
  mimeType?: string | undefined;
}

/** A hop the client followed (or would have): status and where it pointed. */
export interface RedirectHop {
  status: number;
  from: string;
  to: string;
  /** True when the hop changed origin, so credentials were not carried across it. */
  crossOrigin: boolean;
  /** Credential header names dropped for the next hop. */
  droppedHeaders: string[];
}

export interface TransportFailure {
  /** A stable code: ECONNREFUSED, ETIMEDOUT, ENOTFOUND, ECONNRESET, CERT_…, BODY_TOO_LARGE … */
  code: string;
  message: string;
  phase?: 'connect' | 'tls' | 'request' | 'response' | 'body' | undefined;
}

/** Everything known about one attempt: what was sent, what came back, and when. */
export interface Exchange {
  mode: 'live' | 'offline';
  request: RequestSnapshot;
  response: ResponseSnapshot | null;
  redirects: RedirectHop[];
  /** Client clock when the request left (live) or the capture's start time (offline). */
  sentAt: Date;
  /** Client clock when the response headers arrived (live), or capture start plus the HAR timings; undefined on failure. */
  receivedAt?: Date | undefined;
  durationMs?: number | undefined;
  proxy?: { url: string; source: 'flag' | 'profile' | 'env' } | undefined;
  insecure?: boolean | undefined;
  transportError?: TransportFailure | undefined;
  /** HAR captures: notes about the capture itself (e.g. the exporter removed sensitive headers). */
  capture?: CaptureInfo | undefined;
}

export interface CaptureInfo {
  file: string;
  entryIndex: number;
  entryCount: number;
  creator?: string | undefined;
  startedDateTime?: string | undefined;
  /** Header names the exporting tool blanked or removed (Chrome's "sanitized" export, etc.). */
  sanitizedHeaders: string[];
}

export type FindingStatus = 'fail' | 'warn' | 'pass' | 'skip' | 'error' | 'timeout';

/**
 * How sure a failing finding is. The verdict prefers higher confidence, then the more specific
 * cause (CAUSE_SPECIFICITY). `definitive`: the server said so in its own words (an error code it
 * documents). `likely`: strong evidence in the request itself. `possible`: a plausible reading of
 * weak signals (a bare 401).
 */
export type Confidence = 'definitive' | 'likely' | 'possible';

/** What a rule returns; the runner completes it into a Finding. */
export interface FindingInput {
  status?: 'fail' | 'warn' | 'pass' | 'skip' | undefined;
  cause?: FailureCause | null | undefined;
  confidence?: Confidence | undefined;
  /** Stable id of the message, for tests (ESLint's messageId). */
  messageId?: string | undefined;
  title?: string | undefined;
  /** The message; may be left out when `messageId` names a template in `meta.messages`. */
  message?: string | undefined;
  evidence?: Record<string, unknown> | undefined;
  /** Full sentences, with the exact command or setting to change. */
  fixes?: string[] | undefined;
  /** Ids of actions that fix this (`oauth2/refresh-token`, `http/bypass-proxy`). */
  actions?: string[] | undefined;
}

export interface Finding {
  ruleId: string;
  plugin: string;
  status: FindingStatus;
  cause: CauseId | null;
  confidence?: Confidence | undefined;
  messageId?: string | undefined;
  title: string;
  message: string;
  evidence: Record<string, unknown>;
  fixes: string[];
  actions?: string[] | undefined;
  durationMs?: number | undefined;
}

export interface Verdict {
  cause: CauseId;
  ruleId: string | null;
  summary: string;
}

export interface SentRequestRecord {
  host: string;
  count: number;
}
