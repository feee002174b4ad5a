import { UsageError, type ExitCode } from '../core/errors.ts';
import type { DemoCloud } from '../demo/cloud.ts';
import { SCENARIOS } from '../demo/scenarios/index.ts';
import type { AnyScenario } from '../demo/types.ts';
import type { PickerItem, PickerResult } from '../ui/demo/picker-lines.ts';
import { helpFor, splitArgs, type OptionSpec, type ParsedOptions } from './args.ts';
import { err, out } from './output.ts';

export const DEMO_OPTIONS: readonly OptionSpec[] = [
  { name: 'scenario', value: true, valueName: 'NAME', description: 'open this scenario directly (no picker)' },
  { name: 'list', description: 'list the scenarios and exit' },
  { name: 'check', description: 'with --scenario: print the check report instead of opening the screen' },
  { name: 'format', value: true, valueName: 'text|json|markdown', description: 'with --check: report format (default: text)' },
  { name: 'probe', description: 'with --check: also send the request without the proxy and compare' },
  { name: 'refresh', description: 'with --check: run the refresh action if one applies, and retry once' },
  { name: 'verbose', description: 'with --check: list skipped checks too' },
  { name: 'no-color', description: 'no colours (also: NO_COLOR=1)' },
  { name: 'help', short: 'h', description: 'show this help' },
];

const CHECK_ONLY = ['format', 'probe', 'refresh', 'verbose'] as const;

export const DEMO_HELP = `Usage: authdoctor demo [--scenario NAME] [--list] [--check [--format json]]

The whole loop without an account anywhere: starts a demo cloud on 127.0.0.1 (a random free port,
loopback only, gone when you quit) whose APIs fail the way real providers do — expired and revoked
OAuth2 tokens, API keys with a newline or in the wrong header, Basic made with echo or sent to a
Bearer-only API, SigV4 signed for the wrong region or with a skewed clock, AWS AccessDenied, a proxy
that strips Authorization — then opens the interactive screen with a scenario picker. Diagnose,
fix with a key or two, see the 200; q goes back to the picker.
When stdout is not a terminal, runs "check" on --scenario NAME (or lists the scenarios).

Options:
${helpFor(DEMO_OPTIONS)}

Examples:
  authdoctor demo
  authdoctor demo --scenario oauth-expired
  authdoctor demo --list
  authdoctor demo --scenario sigv4-wrong-region --check --format json
  authdoctor demo --scenario proxy-strips-auth --check --probe`;

export async function runDemo(argv: readonly string[]): Promise<ExitCode> {
  const { options, rest } = splitArgs(argv, DEMO_OPTIONS);
  if (options.help) {
    out(`${DEMO_HELP}\n`);
    return 0;
  }
  if (rest.length > 0) throw new UsageError('E_USAGE', `"demo" takes no URL or request flags (got "${rest[0]}"): its requests come from the scenarios.`, { hint: 'Run "authdoctor demo --list" to see them.' });
  if (options.list) {
    out(listText(SCENARIOS));
    return 0;
  }
  const scenario = options.scenario === undefined ? undefined : scenarioNamed(String(options.scenario));
  if (!options.check) {
    const stray = CHECK_ONLY.find((name) => options[name] !== undefined);
    if (stray) throw new UsageError('E_USAGE', `--${stray} only goes with --check.`);
  }
  if (options.check) {
    if (!scenario) throw new UsageError('E_USAGE', '--check needs --scenario NAME: which scenario to check.', { hint: 'Run "authdoctor demo --list" to see them.' });
    return withCloud((cloud) => checkScenario(cloud, scenario, options));
  }

  const why = !process.stdout.isTTY ? 'stdout is not a terminal' : !process.stdin.isTTY ? 'stdin is not a terminal (no keys can be read)' : null;
  if (why) {
    if (!scenario) {
      err(`authdoctor: ${why}, so "demo" cannot open its screen. The scenarios are below; "authdoctor demo --scenario NAME --check" diagnoses one without a screen.\n`);
      out(listText(SCENARIOS));
      return 0;
    }
    err(`authdoctor: ${why}, so "demo" prints the check report of ${scenario.name} instead.\n`);
    return withCloud((cloud) => checkScenario(cloud, scenario, options));
  }

  const color = !options['no-color'] && !process.env.NO_COLOR;
  return withCloud((cloud) => interactive(cloud, scenario, color));
}

function scenarioNamed(name: string): AnyScenario {
  const found = SCENARIOS.find((s) => s.name === name);
  if (!found) {
    throw new UsageError('E_USAGE', `There is no demo scenario "${name}". The scenarios are: ${SCENARIOS.map((s) => s.name).join(', ')}.`, { hint: 'Run "authdoctor demo --list" for what each one does.' });
  }
  return found;
}

async function withCloud(fn: (cloud: DemoCloud) => Promise<ExitCode>): Promise<ExitCode> {
  const { startDemoCloud } = await import('../demo/cloud.ts');
  const cloud = await startDemoCloud();
  // Killed rather than quit (a closed terminal, kill): still remove the demo's credential files.
  const { rmSync } = await import('node:fs');
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const onSignal = (signal: NodeJS.Signals) => {
    rmSync(cloud.dir, { recursive: true, force: true });
    process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as Record<string, number>)[signal]!);
  };
  for (const signal of signals) process.once(signal, onSignal);
  try {
    return await fn(cloud);
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
    await cloud.close();
  }
}

/** `--list`: each scenario, what fails, what the diagnosis finds, which keys fix it. */
export function listText(scenarios: readonly AnyScenario[]): string {
  const lines = ['Demo scenarios ("authdoctor demo --scenario NAME" opens one; add --check for the report):', ''];
  for (const s of scenarios) {
    lines.push(`  ${s.name.padEnd(20)} ${s.title}`);
    lines.push(`  ${''.padEnd(20)} ${s.summary}`);
    const flags = s.intended.checkFlags?.length ? ` (check with ${s.intended.checkFlags.join(' ')})` : '';
    lines.push(`  ${''.padEnd(20)} expect ${s.intended.cause}${flags} · fix: ${fixKeys(s)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `r`, `r, then Esc 2`, `e Enter or r`. */
export function fixKeys(scenario: AnyScenario): string {
  return scenario.fix.map((f, i) => `${i === 0 ? '' : f.or ? ' or ' : ', then '}${f.keys}`).join('');
}

/** `check` on a scenario: the same flow, report, formats and exit codes as `authdoctor check`. */
async function checkScenario(cloud: DemoCloud, scenario: AnyScenario, options: ParsedOptions): Promise<ExitCode> {
  const format = String(options.format ?? 'text');
  if (!['text', 'json', 'markdown'].includes(format)) throw new UsageError('E_USAGE', `--format must be text, json or markdown (got "${format}").`);
  const { openDemoSession } = await import('../demo/session.ts');
  const session = await openDemoSession(cloud, scenario.name);
  const { checkSession, printReport, exitCodeFor } = await import('./check.ts');
  const report = await checkSession(session, { probe: options.probe === true, refresh: options.refresh === true });
  await printReport(report, session, format as 'text', options);
  return exitCodeFor(report);
}

/**
 * Picker → scenario → picker … until q. With --scenario the picker is skipped and the demo ends
 * with that scenario. What each scenario came to stays in the terminal when the demo ends.
 */
async function interactive(cloud: DemoCloud, only: AnyScenario | undefined, color: boolean): Promise<ExitCode> {
  const { pickScenario } = await import('../ui/demo/start-picker.tsx');
  const { startTui } = await import('../ui/start.tsx');
  const { openDemoSession, demoTargetView } = await import('../demo/session.ts');
  const { attemptChain } = await import('../ui/demo/picker-lines.ts');
  const results = new Map<string, PickerResult>();
  const problems: unknown[] = [];
  let last = only?.name;
  let code: ExitCode = 0;
  for (;;) {
    const name = only ? only.name : await pickScenario({ items: pickerItems(cloud.scenarios, results), header: { origin: cloud.origin, dir: cloud.dir }, initial: last, color });
    if (!name) break;
    const scenario = cloud.scenario(name)!;
    last = name;
    const { controller } = await startTui({
      target: demoTargetView(cloud, scenario),
      open: () => openDemoSession(cloud, name),
      color,
      watch: false,
      watchIntervalMs: 30_000,
    });
    if (controller.fatalError) problems.push(controller.fatalError);
    const report = controller.report();
    code = controller.exitCode();
    if (report) {
      const attempts = report.attempts ?? [{ n: 1, status: report.response?.status ?? null, cause: report.verdict.cause }];
      results.set(name, { ok: report.verdict.cause === 'none', chain: attemptChain(attempts) });
    }
    if (only) break;
  }
  const tried = cloud.scenarios.filter((s) => results.has(s.name));
  if (tried.length) {
    out(`authdoctor demo: ${tried.length} scenario${tried.length === 1 ? '' : 's'} tried\n`);
    for (const s of tried) {
      const r = results.get(s.name)!;
      out(`  ${r.ok ? '✔' : '✖'} ${s.name.padEnd(20)} ${r.chain}\n`);
    }
  }
  if (problems.length) {
    // A scenario that could not even open (a bug): say what, the way every command does.
    const { reportError } = await import('../cli.ts');
    for (const problem of problems) code = reportError(problem);
    return code;
  }
  return only ? code : 0;
}

export function pickerItems(scenarios: readonly AnyScenario[], results: ReadonlyMap<string, PickerResult>): PickerItem[] {
  return scenarios.map((s) => ({ name: s.name, title: s.title, summary: s.summary, story: s.story, fix: s.fix, cause: s.intended.cause, result: results.get(s.name) }));
}
