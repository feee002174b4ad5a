import type { Challenge } from './challenge.ts';
import type { CredentialCarrier } from './credential.ts';
import type { Redactor } from './redact.ts';
import type { FailureCause } from './causes.ts';
import type {
  Exchange,
  Finding,
  FindingInput,
  HeaderEntry,
  RequestSnapshot,
  RequestSpec,
  ResponseSnapshot,
  Scheme,
} from './types.ts';

/** What a rule declares about itself (ESLint's `meta` is the model). */
export interface RuleMeta {
  /** Local id; the full id is `<plugin>/<id>` (e.g. `oauth2/token-expired`). */
  id: string;
  title: string;
  /** What the rule checks, in a sentence or two; `authdoctor explain` prints it. */
  description?: string;
  /** The causes it can report. A finding with another cause is a rule bug (an `error` finding). */
  causes: FailureCause[];
  /** True when `check` makes network calls through `ctx.http`; they are then allowed. */
  network?: boolean;
  /** Per-rule timeout in ms; the default comes from config `timeouts.rule`. */
  timeoutMs?: number;
  /** Message templates by message id; `{{name}}` is filled from a finding's `data`. */
  messages?: Record<string, string>;
}

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** The raw compact token (a secret: never put it into a finding). */
  raw: string;
}

export interface DecodedBasic {
  user: string;
  password: string;
  /** The decoded `user:password` text, exactly (newlines included). */
  decoded: string;
  /** False when there was no ':' in the decoded value. */
  hasColon: boolean;
}

/** A small HTTP client for rules and actions. It records every request it sends (DESIGN.md §4). */
export interface RuleHttpClient {
  request(options: {
    method?: string;
    url: string;
    headers?: Record<string, string> | HeaderEntry[];
    body?: string;
    /** Sends credentials? Then the origin must be one the user pointed them at. */
    credentialed?: boolean;
    signal?: AbortSignal;
  }): Promise<ResponseSnapshot>;
}

/** The clues a rule needs, already parsed. All of them are cheap and never throw. */
export interface RuleHelpers {
  /** First value of a request header, case-insensitive. */
  requestHeader(name: string): string | undefined;
  requestHeaders(name: string): string[];
  responseHeader(name: string): string | undefined;
  responseHeaders(name: string): string[];
  /** The response body parsed as JSON, or undefined when it is not JSON. */
  responseJson(): unknown;
  /** Where and how the request carries credentials. */
  credentials(): CredentialCarrier[];
  /** `request.scheme` of the report. */
  scheme(): Scheme;
  /** The bearer token decoded as a JWT (without verifying), or null when it is not a JWT. */
  jwt(): DecodedJwt | null;
  /** The Basic credential decoded, or null when there is none or it is not base64. */
  basic(): DecodedBasic | null;
}

export interface RuleContext<Options = Record<string, unknown>> {
  readonly exchange: Exchange;
  readonly request: RequestSnapshot;
  readonly response: ResponseSnapshot | null;
  /** `WWW-Authenticate` challenges, parsed. */
  readonly challenges: readonly Challenge[];
  /** `Proxy-Authenticate` challenges, parsed. */
  readonly proxyChallenges: readonly Challenge[];
  readonly helpers: RuleHelpers;
  /** The evaluation time: the send time live, the capture time offline (DESIGN.md §4). */
  now(): Date;
  /** The real current time, for "and it is still expired now". */
  wallClock(): Date;
  readonly http: RuleHttpClient;
  readonly signal: AbortSignal;
  readonly options: Options;
  /** The resolved profile's settings the rule may compare against (expected key header, audience…). */
  readonly profile: ProfileHints;
  /** Masks a value for a message (a finding's text is masked anyway; this is for readability). */
  mask(value: string): string;
}

/** What the user told us about the API, from a profile; every field is optional. */
export interface ProfileHints {
  name?: string | undefined;
  /** The scheme configured for the profile (`oauth2`, `aws-sigv4`, `api-key`, `basic`, `bearer`). */
  scheme?: string | undefined;
  /** For API keys: where the key belongs. */
  apiKey?: { header?: string | undefined; query?: string | undefined; prefix?: string | undefined } | undefined;
  oauth2?: {
    issuer?: string | undefined;
    audience?: string | undefined;
    clientId?: string | undefined;
    tokenEndpoint?: string | undefined;
    introspectionEndpoint?: string | undefined;
    leewaySeconds?: number | undefined;
  } | undefined;
  aws?: { region?: string | undefined; service?: string | undefined } | undefined;
}

export interface RuleDefinition<Options = Record<string, unknown>> {
  meta: RuleMeta;
  /** Cheap test whether the rule is relevant; heavy imports belong in `check`, after this. */
  appliesTo?(ctx: RuleContext<Options>): boolean;
  check(ctx: RuleContext<Options>): FindingInput[] | Promise<FindingInput[]>;
}

/** How a scheme puts credentials on a request, and how it gets fresh ones. */
export interface AuthStrategy {
  /** Matches `RequestSpec.auth.scheme` (e.g. `aws-sigv4`, `oauth2`). */
  scheme: string;
  apply(request: OutgoingRequest, auth: AuthSpec, ctx: AuthContext): OutgoingRequest | Promise<OutgoingRequest>;
  /**
   * Origins besides the target that this scheme's actions send the same credentials to (a token
   * endpoint, STS). Credentialed calls anywhere else are refused (DESIGN.md §4).
   */
  credentialOrigins?(spec: RequestSpec): string[];
}

export interface AuthSpec {
  scheme: string;
  params: Record<string, unknown>;
  source?: string | undefined;
}

export interface OutgoingRequest {
  method: string;
  url: string;
  headers: HeaderEntry[];
  body?: string | undefined;
}

export interface AuthContext {
  /** The clock to sign with (tests and the clock-skew demo inject one). */
  now(): Date;
  http: RuleHttpClient;
  signal: AbortSignal;
  redactor: Redactor;
  /** The token store, when one is configured: a strategy may adopt stored tokens from it. */
  tokenStore?: TokenStoreHandle | undefined;
  /** The profile's hints (its name keys the token store). */
  profile?: ProfileHints | undefined;
}

/**
 * Thrown by `AuthStrategy.apply` when it could not obtain credentials (a grant failed): the
 * session reports the findings as the diagnosis instead of a one-line error. Any error with a
 * `findings` array of FindingInput is treated this way.
 */
export interface CredentialAcquisitionError extends Error {
  findings: FindingInput[];
}

/** Something the user can do about a finding: refresh a token, re-sign, bypass the proxy. */
export interface ActionDefinition {
  /** Local id; the full id is `<plugin>/<id>`. */
  id: string;
  title: string;
  /** A stable kind the UI and `check` flags key on: `refresh` (--refresh), `probe` (--probe), or anything. */
  kind: 'refresh' | 'probe' | 're-sign' | 'reauth' | 'inspect' | 'other';
  /** Offered for this diagnosis? Cheap and synchronous. */
  available(ctx: ActionAvailabilityContext): boolean;
  run(ctx: ActionContext): Promise<ActionResult>;
}

export interface ActionAvailabilityContext {
  spec: RequestSpec;
  exchange: Exchange | null;
  findings: readonly Finding[];
  profile: ProfileHints;
}

export interface ActionContext extends ActionAvailabilityContext {
  http: RuleHttpClient;
  signal: AbortSignal;
  redactor: Redactor;
  now(): Date;
  /** Progress lines for the UI ("calling the token endpoint…"); masked before display. */
  progress(message: string): void;
  /** A token store when one is configured. */
  tokenStore?: TokenStoreHandle | undefined;
}

export interface TokenStoreHandle {
  read(key: string): Promise<Record<string, unknown> | undefined>;
  /** Stores a new value, unconfirmed; the last confirmed one is kept until `confirm`. */
  write(key: string, value: Record<string, unknown>): Promise<void>;
  /** The new value worked (the retried request succeeded): the previous one may go. */
  confirm(key: string): Promise<void>;
}

export interface ActionResult {
  ok: boolean;
  /** One line for the UI and the report, e.g. "Got a new access token (expires in 3600 s)". */
  message: string;
  /** The request to send next (with new credentials), when the action changed it. */
  spec?: RequestSpec | undefined;
  /** Send the request again after this action (default true when ok). */
  retry?: boolean | undefined;
  /** Findings produced by the action itself (e.g. why a refresh failed). */
  findings?: FindingInput[] | undefined;
  /** Extra data to show (identity for "who am I", probe comparison…). */
  details?: Record<string, unknown> | undefined;
}

export interface PluginDefinition {
  name: string;
  description?: string;
  rules?: RuleDefinition<any>[];
  auth?: AuthStrategy[];
  actions?: ActionDefinition[];
}

/** A plugin as loaded: where it came from, for `rules list` and error messages. */
export interface LoadedPlugin {
  plugin: PluginDefinition;
  source: string;
  builtin: boolean;
}

export type { RequestSpec, FindingInput, Finding };
