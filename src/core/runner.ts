import { CAUSE_IDS } from './causes.ts';
import { createRuleContext, type ContextOptions } from './context.ts';
import type { LoadedPlugin, RuleDefinition } from './plugin.ts';
import type { Finding, FindingInput } from './types.ts';

export interface RunOptions extends Omit<ContextOptions, 'signal'> {
  signal?: AbortSignal;
  /** Default per-rule timeout (ms) for rules that declare none. */
  ruleTimeoutMs?: number;
  /** Per rule id: `off`, or options passed as `ctx.options`. */
  ruleSettings?: Record<string, 'off' | Record<string, unknown>>;
  /** Called as each rule finishes, in completion order (the TUI paints these live). */
  onFinding?: (finding: Finding, index: number) => void;
  /** Called when a rule starts. */
  onStart?: (ruleId: string, index: number) => void;
}

export interface PlannedRule {
  ruleId: string;
  plugin: string;
  rule: RuleDefinition;
  source: string;
}

export const DEFAULT_RULE_TIMEOUT_MS = 2_000;
export const DEFAULT_NETWORK_RULE_TIMEOUT_MS = 10_000;

/** Every rule of every plugin, in declaration order, with full ids. */
export function planRules(plugins: readonly LoadedPlugin[], settings: RunOptions['ruleSettings'] = {}): PlannedRule[] {
  const planned: PlannedRule[] = [];
  for (const { plugin, source } of plugins) {
    for (const rule of plugin.rules ?? []) {
      const ruleId = `${plugin.name}/${rule.meta.id}`;
      if (settings[ruleId] === 'off') continue;
      planned.push({ ruleId, plugin: plugin.name, rule, source });
    }
  }
  return planned;
}

class RuleTimeout extends Error {}

/**
 * Runs all rules in parallel, each under its own timeout and in isolation: a throw becomes an
 * `error` finding, a hang a `timeout` finding, a malformed return an `error` finding. Results come
 * back in declaration order whatever order they finish in.
 */
export async function runRules(plugins: readonly LoadedPlugin[], opts: RunOptions): Promise<Finding[]> {
  const planned = planRules(plugins, opts.ruleSettings);
  const outer = opts.signal ?? new AbortController().signal;
  const results = await Promise.all(
    planned.map(async (p, index) => {
      const finding = await runOne(p, index, opts, outer);
      for (const f of finding) opts.onFinding?.(f, index);
      return finding;
    }),
  );
  return results.flat();
}

async function runOne(p: PlannedRule, index: number, opts: RunOptions, outer: AbortSignal): Promise<Finding[]> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(outer.reason);
  outer.addEventListener('abort', onAbort, { once: true });
  const setting = opts.ruleSettings?.[p.ruleId];
  const ruleOptions = setting && setting !== 'off' ? setting : {};
  const timeoutMs = p.rule.meta.timeoutMs ?? (p.rule.meta.network ? DEFAULT_NETWORK_RULE_TIMEOUT_MS : (opts.ruleTimeoutMs ?? DEFAULT_RULE_TIMEOUT_MS));
  const base = { ruleId: p.ruleId, plugin: p.plugin, title: p.rule.meta.title };
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  let timer: NodeJS.Timeout | undefined;
  try {
    const ctx = createRuleContext({ ...opts, signal: controller.signal }, ruleOptions);
    if (p.rule.appliesTo && !p.rule.appliesTo(ctx)) {
      return [{ ...base, status: 'skip', cause: null, message: 'Does not apply to this request.', evidence: {}, fixes: [], durationMs: elapsed() }];
    }
    opts.onStart?.(p.ruleId, index);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort(new RuleTimeout());
        reject(new RuleTimeout());
      }, timeoutMs);
    });
    const raw = await Promise.race([Promise.resolve().then(() => p.rule.check(ctx)), timeout]);
    const durationMs = elapsed();
    const problem = validateOutput(raw, p);
    if (problem) return [{ ...base, status: 'error', cause: null, message: `Rule returned an invalid result: ${problem}`, evidence: {}, fixes: [`Fix the rule ${p.ruleId} in ${p.source}: check() must return an array of findings.`], durationMs }];
    const inputs = raw as FindingInput[];
    if (inputs.length === 0) return [{ ...base, status: 'pass', cause: null, message: 'No problem found.', evidence: {}, fixes: [], durationMs }];
    return inputs.map((input) => complete(input, p, durationMs));
  } catch (error) {
    const durationMs = elapsed();
    if (error instanceof RuleTimeout) {
      return [{ ...base, status: 'timeout', cause: null, message: `Rule did not finish within ${timeoutMs} ms and was stopped.`, evidence: { timeoutMs }, fixes: [], durationMs }];
    }
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return [{ ...base, status: 'error', cause: null, message: `Rule threw: ${reason}`, evidence: {}, fixes: [`This is a bug in ${p.ruleId} (${p.source}); the other checks are unaffected.`], durationMs }];
  } finally {
    if (timer) clearTimeout(timer);
    outer.removeEventListener('abort', onAbort);
  }
}

const STATUSES = new Set(['fail', 'warn', 'pass', 'skip']);

function validateOutput(raw: unknown, p: PlannedRule): string | null {
  if (!Array.isArray(raw)) return `expected an array, got ${raw === null ? 'null' : typeof raw}`;
  for (const [i, item] of raw.entries()) {
    if (item === null || typeof item !== 'object') return `finding ${i} is not an object`;
    const f = item as Record<string, unknown>;
    if (typeof f.message !== 'string' && typeof f.messageId !== 'string') return `finding ${i} has no message`;
    if (f.status !== undefined && !STATUSES.has(f.status as string)) return `finding ${i} has unknown status ${JSON.stringify(f.status)}`;
    if (f.cause !== undefined && f.cause !== null) {
      if (!(CAUSE_IDS as readonly string[]).includes(f.cause as string) || f.cause === 'none') return `finding ${i} has unknown cause ${JSON.stringify(f.cause)}`;
      if (!p.rule.meta.causes.includes(f.cause as never)) return `finding ${i} reports cause ${String(f.cause)}, which meta.causes does not declare`;
    }
    const status = (f.status as string | undefined) ?? 'fail';
    if (status === 'fail' && (f.cause === undefined || f.cause === null)) return `finding ${i} fails without a cause`;
    if (f.fixes !== undefined && (!Array.isArray(f.fixes) || f.fixes.some((x) => typeof x !== 'string'))) return `finding ${i} has fixes that are not strings`;
    if (f.evidence !== undefined && (f.evidence === null || typeof f.evidence !== 'object' || Array.isArray(f.evidence))) return `finding ${i} has evidence that is not an object`;
  }
  return null;
}

function complete(input: FindingInput, p: PlannedRule, durationMs: number): Finding {
  const status = input.status ?? 'fail';
  const template = input.messageId ? p.rule.meta.messages?.[input.messageId] : undefined;
  const message = input.message ?? (template ? fill(template, input.evidence ?? {}) : '');
  return {
    ruleId: p.ruleId,
    plugin: p.plugin,
    status,
    cause: status === 'pass' || status === 'skip' ? null : (input.cause ?? null),
    ...(input.confidence ? { confidence: input.confidence } : {}),
    ...(input.messageId ? { messageId: input.messageId } : {}),
    title: input.title ?? p.rule.meta.title,
    message,
    evidence: input.evidence ?? {},
    fixes: input.fixes ?? [],
    ...(input.actions?.length ? { actions: input.actions } : {}),
    durationMs,
  };
}

function fill(template: string, data: Record<string, unknown>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, key: string) => (key in data ? String(data[key]) : `{{${key}}}`));
}
