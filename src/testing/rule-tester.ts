import { isDeepStrictEqual } from 'node:util';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PluginDefinition, RuleDefinition } from '../core/plugin.ts';
import { Redactor } from '../core/redact.ts';
import type { Finding } from '../core/types.ts';
import type { ExpectedFinding, InvalidCase, TestCase, ValidCase } from './cases.ts';
import { asPlugin, runCase, type CaseDefaults, type CaseResult } from './run-case.ts';
import { describeLeak, findSecretLeaks } from './secrets.ts';

/**
 * RuleTester: tables of valid and invalid cases for a rule or a plugin (ESLint's RuleTester is the
 * model). Each case becomes one test of the test framework in use: `describe`/`it` from the global
 * scope when there are (vitest with `globals`, mocha, jest), else whatever `RuleTester.describe` and
 * `RuleTester.it` are set to (`node:test`, vitest's imports), else a plain runner whose result
 * `run()` returns as a promise.
 */

export type TestFunction = (title: string, fn: () => Promise<void>) => unknown;
export type DescribeFunction = (title: string, fn: () => void) => unknown;

export interface RuleTesterSuite {
  /** Cases the rule must pass: it reports nothing (every finding a pass or a skip). */
  valid: ValidCase[];
  /** Cases the rule must report, with the findings expected, in order. */
  invalid: InvalidCase[];
}

export type RuleTesterOptions = CaseDefaults;

/** A failed case. The message names the case and every problem; secrets in it are masked. */
export class RuleTesterError extends Error {
  override name = 'RuleTesterError';
}

let describeImpl: DescribeFunction | null = null;
let itImpl: TestFunction | null = null;
let itOnlyImpl: TestFunction | null = null;

type Globals = { describe?: unknown; it?: unknown };

function globalFn<T>(name: keyof Globals): T | null {
  const value = (globalThis as Globals)[name];
  return typeof value === 'function' ? (value as T) : null;
}

/** Without a framework: run the cases one after the other; RuleTester collects their promises. */
const DEFAULT_DESCRIBE: DescribeFunction = (_title, fn) => fn();
let queue: Promise<unknown> = Promise.resolve();
const DEFAULT_IT: TestFunction = (_title, fn) => {
  const done = queue.then(fn);
  queue = done.catch(() => undefined);
  return done;
};

export class RuleTester {
  /** `describe` of the test framework. Default: the global one, else a plain runner. */
  static get describe(): DescribeFunction {
    return describeImpl ?? globalFn<DescribeFunction>('describe') ?? DEFAULT_DESCRIBE;
  }

  static set describe(value: DescribeFunction | null | undefined) {
    describeImpl = value ?? null;
  }

  /** `it` (or `test`) of the test framework. Default: the global one, else a plain runner. */
  static get it(): TestFunction {
    return itImpl ?? globalFn<TestFunction>('it') ?? DEFAULT_IT;
  }

  static set it(value: TestFunction | null | undefined) {
    itImpl = value ?? null;
  }

  /** `it.only` of the test framework, for cases marked `only: true`. */
  static get itOnly(): TestFunction {
    if (itOnlyImpl) return itOnlyImpl;
    const it = itImpl ?? globalFn<TestFunction>('it');
    const only = (it as { only?: unknown } | null)?.only;
    if (it && typeof only === 'function') return (only as TestFunction).bind(it);
    throw new TypeError('A case is marked `only`, but the test framework has no `it.only`: set RuleTester.itOnly (with node:test, run with --test-only and set RuleTester.itOnly = it.only).');
  }

  static set itOnly(value: TestFunction | null | undefined) {
    itOnlyImpl = value ?? null;
  }

  /** Marks a case as the only one to run (the framework's `it.only`). */
  static only<T extends TestCase>(testCase: T): T {
    return { ...testCase, only: true };
  }

  readonly defaults: RuleTesterOptions;

  constructor(options: RuleTesterOptions = {}) {
    this.defaults = { ...options };
  }

  /**
   * Registers one test per case under `describe(name)`. Throws at once when the suite itself is
   * unusable (no valid or no invalid case, an invalid plugin). Returns a promise that settles when
   * the cases have run without a framework; with one, it resolves at once and the framework runs
   * the tests.
   */
  run(name: string, ruleOrPlugin: RuleDefinition<any> | PluginDefinition, suite: RuleTesterSuite): Promise<void> {
    const defaults: CaseDefaults = { ...this.defaults, plugin: this.defaults.plugin ?? (name.includes('/') ? name.slice(0, name.indexOf('/')) : 'test') };
    const plugin = asPlugin(ruleOrPlugin, defaults.plugin);
    checkSuite(name, suite);
    const describe = RuleTester.describe;
    const it = RuleTester.it;
    const plain = describe === DEFAULT_DESCRIBE || it === DEFAULT_IT;
    const pending: { title: string; promise: Promise<void> }[] = [];
    const register = (kind: 'valid' | 'invalid', cases: readonly TestCase[]) => {
      const titles = cases.map((c, i) => caseTitle(c, i));
      cases.forEach((testCase, i) => {
        const title = titles.indexOf(titles[i]!) !== i || titles.lastIndexOf(titles[i]!) !== i ? `${titles[i]} (case ${i + 1})` : titles[i]!;
        const body = () => runOne(name, plugin, kind, i, title, testCase, defaults);
        const test = testCase.only ? RuleTester.itOnly : it;
        const result = test(title, body);
        if (plain && result && typeof (result as Promise<void>).then === 'function') pending.push({ title: `${kind}: ${title}`, promise: result as Promise<void> });
      });
    };
    describe(name, () => {
      describe('valid', () => register('valid', suite.valid));
      describe('invalid', () => register('invalid', suite.invalid));
    });
    if (!plain) return Promise.resolve();
    return Promise.allSettled(pending.map((p) => p.promise)).then((results) => {
      const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [{ title: pending[i]!.title, reason: r.reason as unknown }] : []));
      if (failed.length === 0) return;
      if (failed.length === 1) throw failed[0]!.reason;
      throw new RuleTesterError(`${failed.length} of ${pending.length} cases of ${name} failed:\n\n${failed.map((f) => (f.reason instanceof Error ? f.reason.message : String(f.reason))).join('\n\n')}`);
    });
  }
}

function checkSuite(name: string, suite: RuleTesterSuite): void {
  if (suite === null || typeof suite !== 'object') throw new RuleTesterError(`RuleTester.run("${name}"): the third argument must be { valid: [...], invalid: [...] }.`);
  const problems: string[] = [];
  if (!Array.isArray(suite.valid) || suite.valid.length === 0) problems.push('it has no valid cases: add at least one exchange the rule must accept (valid: [...])');
  if (!Array.isArray(suite.invalid) || suite.invalid.length === 0) problems.push('it has no invalid cases: add at least one exchange the rule must report, with the findings expected (invalid: [...])');
  for (const [i, c] of (Array.isArray(suite.valid) ? suite.valid : []).entries()) {
    if (c && typeof c === 'object' && 'findings' in c) problems.push(`valid case ${i + 1} lists findings: a case that expects findings belongs in invalid`);
  }
  for (const [i, c] of (Array.isArray(suite.invalid) ? suite.invalid : []).entries()) {
    if (!Array.isArray(c?.findings) || c.findings.length === 0) problems.push(`invalid case ${i + 1} lists no expected findings: give findings: [{ cause, messageId }] (a case the rule accepts belongs in valid)`);
    else
      c.findings.forEach((f, j) => {
        if (!f || typeof f.messageId !== 'string' || !('cause' in f)) problems.push(`invalid case ${i + 1}, expected finding ${j + 1}: give its cause (or null) and its messageId`);
      });
  }
  if (problems.length > 0) throw new RuleTesterError(`RuleTester.run("${name}"): ${problems.join('; ')}.`);
}

function caseTitle(testCase: TestCase, index: number): string {
  if (testCase.name) return testCase.name;
  if (testCase.har !== undefined) {
    const file = typeof testCase.har === 'string' ? basename(testCase.har) : testCase.har instanceof URL ? basename(fileURLToPath(testCase.har)) : 'inline HAR';
    return `${file}${testCase.entry !== undefined ? ` entry ${testCase.entry}` : ''}`;
  }
  if (typeof testCase.request === 'function' || typeof testCase.response === 'function' || (testCase.response === undefined && testCase.server)) return `case ${index + 1} (with a local server)`;
  const req = testCase.request;
  const url = req && typeof req.url === 'string' ? new Redactor().url(req.url) : '?';
  const outcome = testCase.transportError ? `no response (${testCase.transportError.code})` : testCase.response ? String(testCase.response.status) : 'no response';
  return `${(req?.method ?? 'GET').toUpperCase()} ${url} → ${outcome}`;
}

async function runOne(name: string, plugin: PluginDefinition, kind: 'valid' | 'invalid', index: number, title: string, testCase: TestCase, defaults: CaseDefaults): Promise<void> {
  const where = `${name}, ${kind} case ${index + 1} (${title})`;
  let result: CaseResult;
  try {
    result = await runCase(plugin, testCase, defaults);
  } catch (error) {
    throw new RuleTesterError(`${where}: the case cannot run: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const redactor = new Redactor();
  for (const s of result.secrets) redactor.addSecret(s.value);
  const problems = [...ruleProblems(result), ...networkProblems(result, Boolean(testCase.server)), ...findSecretLeaks(result.findings, result.secrets).map(describeLeak)];
  if (kind === 'valid') {
    if (result.reported.length > 0) problems.push(`a valid case must report nothing, but the rule reported ${count(result.reported.length)}`);
  } else {
    problems.push(...hygieneProblems(plugin, result.reported), ...matchProblems((testCase as InvalidCase).findings, result.reported, plugin.name));
  }
  if (testCase.verdict !== undefined && result.verdict.cause !== testCase.verdict) {
    problems.push(`the verdict should be ${testCase.verdict} but is ${result.verdict.cause}${result.verdict.ruleId ? ` (from ${result.verdict.ruleId})` : ''}`);
  }
  if (problems.length === 0) return;
  const lines = [`${where}:`, ...unique(problems).map((p) => `  - ${p}`), listFindings(result.reported)];
  throw new RuleTesterError(redactor.text(lines.join('\n')));
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

function count(n: number): string {
  return `${n} finding${n === 1 ? '' : 's'}`;
}

/** A rule that threw, hung or returned garbage fails every case, whatever was expected. */
function ruleProblems(result: CaseResult): string[] {
  return result.findings.filter((f) => f.status === 'error' || f.status === 'timeout').map((f) => `${f.ruleId} ${f.status === 'timeout' ? 'timed out' : 'failed'}: ${f.message}`);
}

function networkProblems(result: CaseResult, hasServer: boolean): string[] {
  const problems: string[] = [];
  for (const use of result.network) {
    const denied = use.attempts.filter((a) => !a.allowed);
    if (denied.length > 0) {
      const what = denied.map((a) => (a.via === 'ctx.http' ? `${a.method ?? 'GET'} ${a.target} through ctx.http` : `a connection to ${a.target}`)).join(', ');
      problems.push(
        hasServer
          ? `${use.ruleId} tried to reach ${what}, but the case's server is the only place a case may reach`
          : `${use.ruleId} used the network (${what}), but the case declares no server: network is denied in RuleTester cases. Give the case \`server: { handler }\` and point the rule at it`,
      );
    }
    const viaClient = use.attempts.filter((a) => a.via === 'ctx.http');
    if (viaClient.length > 0 && !use.declared) {
      problems.push(`${use.ruleId} sends requests through ctx.http but does not declare meta.network: true (rules that use the network must say so: it gives them the network timeout and tells users)`);
    }
  }
  return problems;
}

/** What the project asks of every finding: a messageId (tests assert ids, not prose) and, when it fails, a confidence. */
function hygieneProblems(plugin: PluginDefinition, reported: readonly Finding[]): string[] {
  const problems: string[] = [];
  reported.forEach((f, i) => {
    const rule = plugin.rules?.find((r) => `${plugin.name}/${r.meta.id}` === f.ruleId);
    if (!f.messageId) problems.push(`finding ${i + 1} (${f.ruleId}) has no messageId: give every finding one, so that tests assert ids and not prose`);
    else if (rule?.meta.messages && !(f.messageId in rule.meta.messages)) problems.push(`finding ${i + 1} (${f.ruleId}) uses messageId "${f.messageId}", which meta.messages does not declare (it has ${Object.keys(rule.meta.messages).map((k) => `"${k}"`).join(', ') || 'none'})`);
    if (f.status === 'fail' && !f.confidence) problems.push(`finding ${i + 1} (${f.ruleId}) fails without a confidence: say 'definitive' (the server said so in its own documented words), 'likely' (strong evidence in the exchange) or 'possible' (a plausible reading of weak signals)`);
  });
  return problems;
}

function matchProblems(expected: readonly ExpectedFinding[], reported: readonly Finding[], pluginName: string): string[] {
  const problems: string[] = [];
  if (expected.length !== reported.length) {
    problems.push(`expected ${count(expected.length)} but the rule reported ${reported.length}`);
  }
  const n = Math.min(expected.length, reported.length);
  for (let i = 0; i < n; i++) {
    const e = expected[i]!;
    const f = reported[i]!;
    const at = `finding ${i + 1}`;
    if (e.ruleId !== undefined) {
      const want = e.ruleId.includes('/') ? e.ruleId : `${pluginName}/${e.ruleId}`;
      if (f.ruleId !== want) problems.push(`${at} should come from ${want} but comes from ${f.ruleId}`);
    }
    if (f.cause !== e.cause) problems.push(`${at} should have cause ${String(e.cause)} but has ${String(f.cause)}`);
    if (f.messageId !== e.messageId) problems.push(`${at} should have messageId "${e.messageId}" but has ${f.messageId === undefined ? 'none' : `"${f.messageId}"`}`);
    if (e.status !== undefined && f.status !== e.status) problems.push(`${at} should have status ${e.status} but has ${f.status}`);
    if (e.confidence !== undefined && f.confidence !== e.confidence) problems.push(`${at} should have confidence ${e.confidence} but has ${f.confidence ?? 'none'}`);
    for (const [key, value] of Object.entries(e.evidence ?? {})) {
      if (!(key in f.evidence)) problems.push(`${at} should have evidence.${key} = ${show(value)} but has no ${key}`);
      else if (!isDeepStrictEqual(f.evidence[key], value)) problems.push(`${at} should have evidence.${key} = ${show(value)} but has ${show(f.evidence[key])}`);
    }
    if (e.actions !== undefined && !isDeepStrictEqual(f.actions ?? [], e.actions)) problems.push(`${at} should point to actions ${show(e.actions)} but points to ${show(f.actions ?? [])}`);
  }
  return problems;
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function listFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'The rule reported nothing.';
  const lines = findings.map((f, i) => {
    const head = `  ${i + 1}. ${f.status} ${f.cause ?? '(no cause)'} "${f.messageId ?? '(no messageId)'}"${f.confidence ? ` (${f.confidence})` : ''} from ${f.ruleId}: ${f.message}`;
    const evidence = Object.keys(f.evidence).length > 0 ? `\n     evidence: ${show(f.evidence)}` : '';
    return head + evidence;
  });
  return `Findings reported:\n${lines.join('\n')}`;
}
