import oauth2 from '../../../rules/oauth2/index.ts';
import { createRuleHttpClient, RequestRecorder, sendRequest } from '../../../src/core/http.ts';
import type { ActionContext, ActionDefinition, ProfileHints, TokenStoreHandle } from '../../../src/core/plugin.ts';
import { Redactor } from '../../../src/core/redact.ts';
import { runRules } from '../../../src/core/runner.ts';
import type { Exchange, Finding, RequestSpec, Verdict } from '../../../src/core/types.ts';
import { decideVerdict } from '../../../src/core/verdict.ts';
import type { OidcTestServer } from '../../helpers/oidc-server.ts';

/**
 * The loop the session runs, in miniature and with real parts only: apply the oauth2 strategy,
 * send with the core HTTP client, diagnose with the plugin's rules, run an action with nothing but
 * an ActionContext. Every request authdoctor sends goes through one recorder and one redactor.
 */
export interface Harness {
  redactor: Redactor;
  recorder: RequestRecorder;
  http: ReturnType<typeof createRuleHttpClient>;
  send(spec: RequestSpec): Promise<Exchange>;
  diagnose(exchange: Exchange, profile?: ProfileHints): Promise<{ findings: Finding[]; verdict: Verdict }>;
  action(id: string): ActionDefinition;
  run(id: string, spec: RequestSpec, opts?: { profile?: ProfileHints; tokenStore?: TokenStoreHandle; signal?: AbortSignal; onProgress?: (line: string) => void }): Promise<{ result: Awaited<ReturnType<ActionDefinition['run']>>; progress: string[] }>;
}

export function harness(as: OidcTestServer): Harness {
  const redactor = new Redactor();
  const recorder = new RequestRecorder();
  const http = createRuleHttpClient({ recorder, redactor, credentialOrigins: [as.issuer, new URL(as.resource).origin] });
  const strategy = oauth2.auth[0]!;
  return {
    redactor,
    recorder,
    http,
    async send(spec) {
      const outgoing = spec.auth ? await strategy.apply({ method: spec.method, url: spec.url, headers: spec.headers, body: spec.body }, spec.auth, { now: () => new Date(), http, signal: new AbortController().signal, redactor }) : spec;
      return sendRequest(outgoing, { recorder });
    },
    async diagnose(exchange, profile = {}) {
      const findings = await runRules([{ plugin: oauth2, source: 'rules/oauth2', builtin: true }], { exchange, http, redactor, profile });
      return { findings: findings.filter((f) => f.status !== 'pass' && f.status !== 'skip'), verdict: decideVerdict(findings, exchange) };
    },
    action(id) {
      const found = oauth2.actions.find((a) => a.id === id);
      if (!found) throw new Error(`no action ${id}`);
      return found;
    },
    async run(id, spec, opts = {}) {
      const progress: string[] = [];
      const ctx: ActionContext = {
        spec,
        exchange: null,
        findings: [],
        profile: opts.profile ?? {},
        http,
        signal: opts.signal ?? new AbortController().signal,
        redactor,
        now: () => new Date(),
        progress: (line) => {
          progress.push(redactor.text(line));
          opts.onProgress?.(line);
        },
        tokenStore: opts.tokenStore,
      };
      const action = this.action(id);
      if (!action.available(ctx)) throw new Error(`action ${id} is not available for this spec`);
      return { result: await action.run(ctx), progress };
    },
  };
}

/** A GET of the API with an oauth2 profile's auth spec. */
export function apiSpec(as: OidcTestServer, params: Record<string, unknown>, path = '/me'): RequestSpec {
  return { method: 'GET', url: as.apiUrl(path), headers: [{ name: 'Accept', value: 'application/json' }], auth: { scheme: 'oauth2', params: { issuer: as.issuer, ...params } } };
}
