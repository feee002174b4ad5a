import { primaryScheme, detectCredentials } from './credential.ts';
import { UsageError } from './errors.ts';
import { bypassesProxy, createRuleHttpClient, proxyFromEnv, RequestRecorder, sendRequest, DEFAULT_TIMEOUTS, type Timeouts } from './http.ts';
import type { ActionDefinition, ActionResult, AuthContext, CredentialAcquisitionError, LoadedPlugin, OutgoingRequest, ProfileHints, RuleHttpClient, TokenStoreHandle } from './plugin.ts';
import type { Redactor } from './redact.ts';
import { runRules } from './runner.ts';
import type { Exchange, Finding, RequestSpec, Scheme, Verdict } from './types.ts';
import { decideVerdict } from './verdict.ts';

/**
 * The diagnosis engine: everything `check`, the TUI and the demo share. It knows nothing about
 * terminals. One engine per session; it owns the redactor (the one masking path) and the recorder
 * of every request authdoctor itself sends.
 */
export interface EngineOptions {
  plugins: LoadedPlugin[];
  redactor: Redactor;
  recorder?: RequestRecorder;
  timeouts?: Timeouts;
  ruleTimeoutMs?: number;
  ruleSettings?: Record<string, 'off' | Record<string, unknown>>;
  profile?: ProfileHints;
  profileName?: string | undefined;
  caFile?: string | undefined;
  tokenStore?: TokenStoreHandle | undefined;
  /** The client clock used for signing and send times (tests and the clock demo inject one). */
  clock?: () => Date;
  env?: NodeJS.ProcessEnv;
  /** Where text a rule prints goes (masked); default: prefixed lines on stderr (see runner.ts). */
  onRuleOutput?: (ruleId: string, text: string) => void;
}

export interface Diagnosis {
  exchange: Exchange;
  findings: Finding[];
  verdict: Verdict;
  evaluatedAt: Date;
  scheme: Scheme;
}

export interface DiagnoseHooks {
  signal?: AbortSignal;
  /** The request is about to leave (the TUI shows "sending…"). */
  onSending?: (request: OutgoingRequest) => void;
  /** The response (or failure) is in; rules start next. */
  onExchange?: (exchange: Exchange) => void;
  onRuleStart?: (ruleId: string) => void;
  onFinding?: (finding: Finding) => void;
}

function isCredentialAcquisitionError(error: unknown): error is CredentialAcquisitionError {
  return error instanceof Error && Array.isArray((error as { findings?: unknown }).findings);
}

export class Engine {
  readonly plugins: LoadedPlugin[];
  readonly redactor: Redactor;
  readonly recorder: RequestRecorder;
  readonly options: EngineOptions;

  constructor(options: EngineOptions) {
    this.options = options;
    this.plugins = options.plugins;
    this.redactor = options.redactor;
    this.recorder = options.recorder ?? new RequestRecorder();
  }

  get profile(): ProfileHints {
    return this.options.profile ?? {};
  }

  now(): Date {
    return this.options.clock ? this.options.clock() : new Date();
  }

  /** Origins the user pointed credentials at: the target and any configured endpoints. */
  credentialOrigins(spec: RequestSpec): string[] {
    const origins = new Set<string>();
    const add = (value: unknown) => {
      if (typeof value !== 'string') return;
      try {
        origins.add(new URL(value).origin);
      } catch {
        // not a URL: nothing to allow
      }
    };
    add(spec.url);
    const params = spec.auth?.params ?? {};
    for (const key of ['tokenEndpoint', 'introspectionEndpoint', 'deviceAuthorizationEndpoint', 'issuer', 'stsEndpoint', 'revocationEndpoint']) add(params[key]);
    const strategy = spec.auth ? this.plugins.flatMap((p) => p.plugin.auth ?? []).find((st) => st.scheme === spec.auth!.scheme) : undefined;
    try {
      for (const origin of strategy?.credentialOrigins?.(spec) ?? []) add(origin);
    } catch {
      // a strategy that cannot say adds nothing: credentials stay with the target
    }
    const o = this.profile.oauth2;
    add(o?.tokenEndpoint);
    add(o?.introspectionEndpoint);
    add(o?.issuer);
    return [...origins];
  }

  httpClient(spec: RequestSpec, options: { direct?: boolean } = {}): RuleHttpClient {
    const proxy = options.direct ? undefined : this.proxyFor(spec);
    return createRuleHttpClient({
      recorder: this.recorder,
      // Asked per request: a strategy may learn endpoints on the way (OIDC discovery names a token
      // endpoint on another origin than the issuer's).
      credentialOrigins: () => this.credentialOrigins(spec),
      timeouts: this.options.timeouts ?? DEFAULT_TIMEOUTS,
      ...(proxy ? { proxy } : {}),
      insecure: spec.insecure ?? false,
      caFile: this.options.caFile,
      redactor: this.redactor,
    });
  }

  proxyFor(spec: RequestSpec): Exchange['proxy'] {
    if (spec.noProxy?.length && bypassesProxy(spec.url, spec.noProxy)) return undefined;
    if (spec.proxy) return { url: spec.proxy, source: spec.proxySource ?? 'flag' };
    const fromEnv = proxyFromEnv(spec.url, this.options.env ?? process.env);
    return fromEnv ? { url: fromEnv, source: 'env' } : undefined;
  }

  /** Registers the spec's secrets and lets the matching auth strategy sign or authorise it. */
  async prepare(spec: RequestSpec, signal: AbortSignal): Promise<OutgoingRequest> {
    for (const secret of spec.secrets ?? []) this.redactor.addSecret(secret);
    let request: OutgoingRequest = { method: spec.method, url: spec.url, headers: spec.headers.map((h) => ({ ...h })), body: spec.body };
    if (spec.auth) {
      const strategy = this.plugins.flatMap((p) => p.plugin.auth ?? []).find((s) => s.scheme === spec.auth!.scheme);
      if (!strategy) {
        throw new UsageError('E_NO_AUTH_STRATEGY', `No loaded plugin applies "${spec.auth.scheme}" credentials, so the request cannot be signed or authorised.`, {
          hint: 'Check the profile\'s auth.scheme, or load the plugin that provides it.',
        });
      }
      const ctx: AuthContext = { now: () => this.now(), http: this.httpClient(spec), signal, redactor: this.redactor, tokenStore: this.options.tokenStore, profile: this.profile };
      request = await strategy.apply(request, spec.auth, ctx);
    }
    return request;
  }

  /** Sends the request once (DESIGN.md §4: exactly once per diagnosis) and diagnoses the answer. */
  async diagnoseLive(spec: RequestSpec, hooks: DiagnoseHooks = {}, options: { direct?: boolean } = {}): Promise<Diagnosis> {
    const signal = hooks.signal ?? new AbortController().signal;
    let request: OutgoingRequest;
    try {
      request = await this.prepare(spec, signal);
    } catch (error) {
      if (!isCredentialAcquisitionError(error)) throw error;
      return this.acquisitionFailure(spec, error);
    }
    hooks.onSending?.(request);
    const proxy = options.direct ? undefined : this.proxyFor(spec);
    const exchange = await sendRequest(request, {
      timeouts: this.options.timeouts ?? DEFAULT_TIMEOUTS,
      proxy,
      insecure: spec.insecure,
      caFile: this.options.caFile,
      signal,
      recorder: this.recorder,
      clock: () => this.now(),
    });
    hooks.onExchange?.(exchange);
    return this.diagnose(exchange, spec, hooks);
  }

  /**
   * The strategy could not get credentials (e.g. the OAuth2 grant was refused): nothing was sent
   * to the API, and the strategy's findings are the diagnosis.
   */
  private acquisitionFailure(spec: RequestSpec, error: CredentialAcquisitionError): Diagnosis {
    const sentAt = this.now();
    const exchange: Exchange = {
      mode: 'live',
      request: { method: spec.method, url: spec.url, headers: spec.headers },
      response: null,
      redirects: [],
      sentAt,
      transportError: { code: 'E_CREDENTIALS', message: this.redactor.text(error.message), phase: 'request' },
    };
    const plugin = spec.auth?.scheme ?? 'auth';
    const findings: Finding[] = error.findings.map((f) => ({
      ruleId: `${plugin}/${f.messageId ?? 'credentials'}`,
      plugin,
      status: f.status ?? 'fail',
      cause: f.cause ?? null,
      ...(f.confidence ? { confidence: f.confidence } : {}),
      ...(f.messageId ? { messageId: f.messageId } : {}),
      title: f.title ?? 'Getting credentials',
      message: f.message ?? f.title ?? 'Could not get credentials.',
      evidence: f.evidence ?? {},
      fixes: f.fixes ?? [],
      ...(f.actions?.length ? { actions: f.actions } : {}),
    }));
    return { exchange, findings, verdict: decideVerdict(findings, exchange), evaluatedAt: sentAt, scheme: primaryScheme(detectCredentials(exchange.request)) };
  }

  /** Runs every rule on an exchange (a live one, or a HAR entry offline). */
  async diagnose(exchange: Exchange, spec: RequestSpec | null, hooks: DiagnoseHooks = {}): Promise<Diagnosis> {
    const signal = hooks.signal ?? new AbortController().signal;
    const evaluatedAt = exchange.sentAt;
    const http = this.httpClient(spec ?? { method: exchange.request.method, url: exchange.request.url, headers: [] });
    const findings = await runRules(this.plugins, {
      exchange,
      now: evaluatedAt,
      http,
      signal,
      profile: this.profile,
      redactor: this.redactor,
      ...(this.options.ruleTimeoutMs !== undefined ? { ruleTimeoutMs: this.options.ruleTimeoutMs } : {}),
      ...(this.options.ruleSettings ? { ruleSettings: this.options.ruleSettings } : {}),
      ...(this.options.onRuleOutput ? { onOutput: this.options.onRuleOutput } : {}),
      onStart: (id) => hooks.onRuleStart?.(id),
      onFinding: (f) => hooks.onFinding?.(f),
    });
    const verdict = decideVerdict(findings, exchange);
    return { exchange, findings, verdict, evaluatedAt, scheme: primaryScheme(detectCredentials(exchange.request)) };
  }

  /** Actions of every plugin, with full ids. */
  actions(): { id: string; plugin: string; action: ActionDefinition }[] {
    return this.plugins.flatMap((p) => (p.plugin.actions ?? []).map((action) => ({ id: `${p.plugin.name}/${action.id}`, plugin: p.plugin.name, action })));
  }

  /** The actions that make sense now, in plugin order. */
  availableActions(spec: RequestSpec, diagnosis: Diagnosis | null): { id: string; action: ActionDefinition }[] {
    const ctx = { spec, exchange: diagnosis?.exchange ?? null, findings: diagnosis?.findings ?? [], profile: this.profile };
    return this.actions().filter(({ action }) => {
      try {
        return action.available(ctx);
      } catch {
        return false;
      }
    });
  }

  /** Runs one action; a throw becomes a failed result with a masked message, never a crash. */
  async runAction(
    id: string,
    spec: RequestSpec,
    diagnosis: Diagnosis | null,
    hooks: { signal?: AbortSignal; progress?: (message: string) => void } = {},
  ): Promise<ActionResult> {
    const entry = this.actions().find((a) => a.id === id);
    if (!entry) return { ok: false, message: `No action ${id} is loaded.` };
    const signal = hooks.signal ?? new AbortController().signal;
    try {
      const result = await entry.action.run({
        spec,
        exchange: diagnosis?.exchange ?? null,
        findings: diagnosis?.findings ?? [],
        profile: this.profile,
        http: this.httpClient(spec, { direct: entry.action.kind === 'probe' }),
        signal,
        redactor: this.redactor,
        now: () => this.now(),
        progress: (message) => hooks.progress?.(this.redactor.text(message)),
        tokenStore: this.options.tokenStore,
      });
      for (const secret of result.spec?.secrets ?? []) this.redactor.addSecret(secret);
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, message: this.redactor.text(`${entry.action.title} failed: ${message}`) };
    }
  }
}
