import { createRuleHttpClient, RequestRecorder, sendRequest } from '../core/http.ts';
import type { LoadedPlugin, PluginDefinition, ProfileHints, RuleDefinition } from '../core/plugin.ts';
import { Redactor } from '../core/redact.ts';
import { runRules } from '../core/runner.ts';
import type { Exchange, Finding, Verdict } from '../core/types.ts';
import { decideVerdict } from '../core/verdict.ts';
import { validatePlugin } from '../plugins/loader.ts';
import { evaluationTime, exchangeFrom, requestOf, resolveValue, wallClockOf, type TestCase } from './cases.ts';
import { deniedHttpClient, recordingHttpClient, startCaseServer, withNetworkGuard, type AttemptRecord, type ReceivedRequest, type RunningServer } from './network.ts';
import { requestSecrets, type CaseSecret } from './secrets.ts';

/** Defaults for every case of a tester (a case's own value wins). */
export interface CaseDefaults {
  /** The plugin name a bare rule is run under (its findings' `plugin`, and the first half of `ruleId`). Default `test`. */
  plugin?: string;
  now?: Date | string;
  profile?: ProfileHints;
  options?: Record<string, unknown>;
  /** Per-rule timeout for rules that declare none (default: the runner's, 2000 ms). */
  ruleTimeoutMs?: number;
  secrets?: string[];
}

/** Network use of one rule during a case. */
export interface RuleNetworkUse {
  ruleId: string;
  /** Does the rule declare `meta.network: true`? */
  declared: boolean;
  attempts: AttemptRecord[];
}

export interface CaseResult {
  exchange: Exchange;
  /** Every finding, passes and skips included, in declaration order. */
  findings: Finding[];
  /** The findings that report something: everything but passes and skips. */
  reported: Finding[];
  verdict: Verdict;
  /** What each rule tried to reach. */
  network: RuleNetworkUse[];
  /** The case has a server: what it received (the case's own request included, when it was sent). */
  serverRequests?: ReceivedRequest[] | undefined;
  /** The credential values of the request that no finding may show in clear. */
  secrets: CaseSecret[];
}

function isRule(value: unknown): value is RuleDefinition<any> {
  return value !== null && typeof value === 'object' && 'meta' in value && 'check' in value;
}

/** A rule is run as the only rule of a plugin named `pluginName`; a plugin as itself. Both are validated like the loader does. */
export function asPlugin(ruleOrPlugin: RuleDefinition<any> | PluginDefinition, pluginName = 'test'): PluginDefinition {
  if (ruleOrPlugin === null || typeof ruleOrPlugin !== 'object') throw new TypeError('RuleTester needs a rule (defineRule) or a plugin (definePlugin).');
  const plugin: PluginDefinition = isRule(ruleOrPlugin) ? { name: pluginName, rules: [ruleOrPlugin] } : ruleOrPlugin;
  return validatePlugin({ default: plugin }, isRule(ruleOrPlugin) ? `rule ${String((ruleOrPlugin.meta as { id?: unknown } | undefined)?.id)}` : `plugin ${String((plugin as { name?: unknown }).name)}`);
}

/**
 * Runs a rule (or every rule of a plugin) on one case and returns everything it produced: the raw
 * findings, the verdict, and what each rule tried to reach on the network. It asserts nothing —
 * RuleTester does — so authors can inspect findings their own way.
 *
 * Rules run one after the other, each with its own guard, so that network use is attributed to the
 * rule that made it; findings keep declaration order as in a real run.
 */
export async function runCase(ruleOrPlugin: RuleDefinition<any> | PluginDefinition, testCase: TestCase, defaults: CaseDefaults = {}): Promise<CaseResult> {
  const plugin = asPlugin(ruleOrPlugin, defaults.plugin);
  const tc: TestCase = testCase.now === undefined && defaults.now !== undefined ? { ...testCase, now: defaults.now } : testCase;
  let server: RunningServer | undefined;
  try {
    if (tc.server) server = await startCaseServer(tc.server);
    const info = server?.info;
    const allowed = info ? [`127.0.0.1:${info.port}`] : [];
    const exchange = await buildExchange(tc, server, allowed);
    const redactor = new Redactor();
    const secrets = requestSecrets(exchange.request, [...(defaults.secrets ?? []), ...(tc.secrets ?? [])]);
    for (const s of secrets) redactor.addSecret(s.value);
    const profile = resolveValue(tc.profile, info, 'profile') ?? defaults.profile ?? {};
    const options = resolveValue(tc.options, info, 'options') ?? defaults.options;
    const now = evaluationTime(tc, exchange);
    const findings: Finding[] = [];
    const network: RuleNetworkUse[] = [];
    for (const rule of plugin.rules ?? []) {
      const ruleId = `${plugin.name}/${rule.meta.id}`;
      const one: LoadedPlugin = { plugin: { ...plugin, rules: [rule] }, source: 'RuleTester', builtin: false };
      const use: RuleNetworkUse = { ruleId, declared: rule.meta.network === true, attempts: [] };
      const ruleFindings = await withNetworkGuard(allowed, async (guard) => {
        const http = info
          ? recordingHttpClient(createRuleHttpClient({ recorder: new RequestRecorder(), credentialOrigins: [info.origin, new URL(exchange.request.url).origin], redactor }), use.attempts, allowed)
          : deniedHttpClient(use.attempts);
        try {
          return await runRules([one], {
            exchange,
            now,
            wallClock: wallClockOf(tc),
            http,
            redactor,
            profile,
            ...(defaults.ruleTimeoutMs !== undefined ? { ruleTimeoutMs: defaults.ruleTimeoutMs } : {}),
            ...(options ? { ruleSettings: { [ruleId]: options } } : {}),
          });
        } finally {
          use.attempts.push(...guard.attempts);
        }
      });
      findings.push(...ruleFindings);
      network.push(use);
    }
    return {
      exchange,
      findings,
      reported: findings.filter((f) => f.status !== 'pass' && f.status !== 'skip'),
      verdict: decideVerdict(findings, exchange),
      network,
      serverRequests: info?.requests,
      secrets,
    };
  } finally {
    await server?.close();
  }
}

/** The case's exchange; with a server and no response, the request is sent to the server for real. */
async function buildExchange(testCase: TestCase, server: RunningServer | undefined, allowed: string[]): Promise<Exchange> {
  if (testCase.har !== undefined || testCase.response !== undefined || testCase.transportError || !server) return exchangeFrom(testCase, server?.info);
  const request = requestOf(testCase, server.info);
  const target = new URL(request.url);
  if (target.origin !== server.info.origin) {
    throw new TypeError(`The case's request goes to ${target.origin}, but it has no response and its server is ${server.info.origin}: point the request at the server (request: (server) => ({ url: \`\${server.url}/…\` })) or give a response.`);
  }
  return withNetworkGuard(allowed, () => sendRequest(request, { followRedirects: false }));
}

export type { ReceivedRequest };
