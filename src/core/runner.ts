import { AsyncLocalStorage } from 'node:async_hooks';
import { formatWithOptions } from 'node:util';
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
  /**
   * Where text that a rule prints (console.*, process.stdout/stderr.write) goes, already masked.
   * Rules must not print; when one does, its output must not corrupt the JSON report on stdout or
   * the TUI's screen. Default: `console.error` of each line, prefixed with the rule id — stderr
   * for `check`, and above the screen under Ink (which patches the console).
   */
  onOutput?: (ruleId: string, text: string) => void;
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

// ---------------------------------------------------------------------------------------------
// Output capture. Every rule runs inside an AsyncLocalStorage scope; console.* and the writes of
// process.stdout/stderr are wrapped once, and while a call comes from inside a rule's scope (its
// check, anything it awaits or schedules, even after a timeout) the text goes to that run's
// onOutput instead of the terminal. Calls from anywhere else pass straight through, so concurrent
// runs, the TUI and the reporters are unaffected.
// ---------------------------------------------------------------------------------------------

/** Captured output per rule beyond this is dropped (a rule printing in a loop cannot flood). */
const OUTPUT_CAP = 64 * 1024;

interface OutputScope {
  ruleId: string;
  emit: (text: string) => void;
}

const outputScope = new AsyncLocalStorage<OutputScope>();
let captureInstalled = false;

const CONSOLE_METHODS = ['log', 'info', 'debug', 'warn', 'error', 'trace', 'dir', 'dirxml', 'table'] as const;

function installOutputCapture(): void {
  if (captureInstalled) return;
  captureInstalled = true;
  const con = console as unknown as Record<string, (...args: unknown[]) => void>;
  for (const method of CONSOLE_METHODS) {
    const original = con[method];
    if (typeof original !== 'function') continue;
    con[method] = function (this: unknown, ...args: unknown[]) {
      const scope = outputScope.getStore();
      if (!scope) return original.apply(this, args);
      scope.emit(`${formatWithOptions({ colors: false }, ...args)}\n`);
    };
  }
  // Timers a rule starts never keep the process alive: while rules run, the runner's own timeout
  // does; afterwards, a rule that timed out and runs on, or one that left an interval behind, must
  // not stop `check` from exiting once its report is out.
  const g = globalThis as unknown as Record<'setTimeout' | 'setInterval' | 'setImmediate', (...args: unknown[]) => { unref?: () => unknown }>;
  for (const name of ['setTimeout', 'setInterval', 'setImmediate'] as const) {
    const original = g[name];
    if (typeof original !== 'function') continue;
    const wrapped = function (this: unknown, ...args: unknown[]) {
      const handle = original.apply(this, args);
      if (outputScope.getStore()) handle?.unref?.();
      return handle;
    };
    // util.promisify(setTimeout) and friends keep working: copy the custom promisified versions.
    Object.assign(wrapped, original);
    g[name] = wrapped;
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write;
    const wrapped = function (this: unknown, chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
      const scope = outputScope.getStore();
      if (!scope) return (original as (...a: unknown[]) => boolean).call(this, chunk, encoding, callback);
      scope.emit(typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : String(chunk));
      const done = typeof encoding === 'function' ? encoding : typeof callback === 'function' ? callback : undefined;
      if (done) process.nextTick(done as () => void);
      return true;
    };
    stream.write = wrapped as typeof stream.write;
  }
}

function outputScopeFor(ruleId: string, opts: RunOptions): OutputScope {
  let size = 0;
  let dropped = false;
  const sink =
    opts.onOutput ??
    ((id: string, text: string) => {
      const lines = text.replace(/\n$/, '').split('\n');
      // Through console.error, outside the rule's scope: on a terminal under Ink (whose console
      // patch prints such lines above the screen) it cannot tear the frame; elsewhere it is a
      // plain line on stderr, away from the report on stdout.
      // eslint-disable-next-line no-console
      for (const line of lines) console.error(`authdoctor: rule ${id} printed: ${line}`);
    });
  return {
    ruleId,
    emit(text) {
      if (dropped) return;
      size += text.length;
      if (size > OUTPUT_CAP) {
        dropped = true;
        text = `${text.slice(0, Math.max(0, OUTPUT_CAP - (size - text.length)))}\n(further output of this rule dropped)\n`;
      }
      // Whatever a rule prints passes the one masking path, like every other output.
      const masked = opts.redactor.text(text);
      // The sink runs outside the rule's scope: its own writes must reach the terminal.
      outputScope.exit(() => {
        try {
          sink(ruleId, masked);
        } catch {
          // a broken sink must not break the rule run
        }
      });
    },
  };
}

/**
 * Runs all rules in parallel, each under its own timeout and in isolation: a throw becomes an
 * `error` finding, a hang a `timeout` finding, a malformed return an `error` finding. Results come
 * back in declaration order whatever order they finish in.
 */
export async function runRules(plugins: readonly LoadedPlugin[], opts: RunOptions): Promise<Finding[]> {
  installOutputCapture();
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
  const scope = outputScopeFor(p.ruleId, opts);
  try {
    const ctx = createRuleContext({ ...opts, signal: controller.signal }, ruleOptions);
    if (p.rule.appliesTo && !outputScope.run(scope, () => p.rule.appliesTo!(ctx))) {
      return [{ ...base, status: 'skip', cause: null, message: 'Does not apply to this request.', evidence: {}, fixes: [], durationMs: elapsed() }];
    }
    opts.onStart?.(p.ruleId, index);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort(new RuleTimeout());
        reject(new RuleTimeout());
      }, timeoutMs);
    });
    const raw = await Promise.race([outputScope.run(scope, () => Promise.resolve().then(() => p.rule.check(ctx))), timeout]);
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
    const reason = describeThrown(error);
    return [{ ...base, status: 'error', cause: null, message: `Rule threw: ${reason}`, evidence: {}, fixes: [`This is a bug in ${p.ruleId} (${p.source}); the other checks are unaffected.`], durationMs }];
  } finally {
    if (timer) clearTimeout(timer);
    outer.removeEventListener('abort', onAbort);
  }
}

/** What a rule threw, as one line — never throwing itself (a thrown value's getters are rule code too). */
function describeThrown(error: unknown): string {
  try {
    return error instanceof Error ? `${String(error.name)}: ${String(error.message)}` : String(error);
  } catch {
    try {
      return Object.prototype.toString.call(error);
    } catch {
      return 'an unprintable value';
    }
  }
}

/**
 * Evidence as plain data, read once, here: a getter that throws makes this rule's finding an
 * `error` (we are inside its try) instead of breaking the report later, and a cycle, a function or
 * an object nested without end cannot trip the reporters.
 */
function plainData(value: unknown, depth = 0, ancestors: object[] = []): unknown {
  if (typeof value === 'function') return '[function]';
  if (typeof value === 'symbol') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return new Date(value.getTime());
  if (ancestors.includes(value)) return '[Circular]';
  // URL and the like say how they serialise; the reports are JSON.
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return plainData(toJSON.call(value), depth + 1, [...ancestors, value]);
  if (depth >= 16) return '[…]';
  const inner = [...ancestors, value];
  if (Array.isArray(value)) return value.map((item) => plainData(item, depth + 1, inner));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = plainData((value as Record<string, unknown>)[key], depth + 1, inner);
  return out;
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
    evidence: (plainData(input.evidence ?? {}) as Record<string, unknown>),
    fixes: input.fixes ?? [],
    ...(input.actions?.length ? { actions: input.actions } : {}),
    durationMs,
  };
}

function fill(template: string, data: Record<string, unknown>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, key: string) => (key in data ? String(data[key]) : `{{${key}}}`));
}
