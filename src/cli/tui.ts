import { UsageError, type ExitCode } from '../core/errors.ts';
import type { TargetView } from '../core/session.ts';
import { processRedactor } from '../core/redact.ts';
import { helpFor, splitArgs, type OptionSpec, type ParsedOptions } from './args.ts';
import { err, out } from './output.ts';
import { bootFrame, LEAVE_BOOT_FRAME } from './boot-frame.ts';
import { INPUT_OPTIONS } from './input-options.ts';

export const TUI_OPTIONS: readonly OptionSpec[] = [
  ...INPUT_OPTIONS,
  { name: 'watch', description: 'start in watch mode: re-check on an interval, refresh before expiry' },
  { name: 'interval', value: true, valueName: 'SECONDS', description: 'watch mode interval (default 30; each re-check is a request)' },
  { name: 'no-color', description: 'no colours (also: NO_COLOR=1)' },
  { name: 'help', short: 'h', description: 'show this help' },
];

export const TUI_HELP = `Usage: authdoctor tui [URL [curl flags]] [options]

The interactive screen: the request (credentials masked), the response, and every check running
live. Step through the checks, then fix in place — refresh the token, edit a credential, re-sign,
bypass the proxy, retry — and watch the attempt history grow. Press ? on the screen for every key.
Sends the request once; every further request is a key you press, and the count is on screen.
When stdout is not a terminal, prints the "check" text report instead.

Inputs (one of):
  URL -X METHOD -H 'Name: value' -d DATA -u USER:PASS   a request with curl-like flags
${helpFor(INPUT_OPTIONS)}

Options:
${helpFor(TUI_OPTIONS.filter((o) => !INPUT_OPTIONS.some((i) => i.name === o.name)))}

Exit codes (on quit): 0 the last attempt was accepted · 1 it still fails · 2 usage or config
error · 3 no HTTP response at all.

Examples:
  authdoctor tui https://api.github.com/user -H "Authorization: Bearer $GITHUB_TOKEN"
  authdoctor tui --profile billing --watch --interval 60
  authdoctor tui --har capture.har`;

/** TUI-only options, removed when falling back to `check`. */
const TUI_ONLY = new Set(['watch', 'interval']);

export async function runTui(argv: readonly string[]): Promise<ExitCode> {
  const { options, rest } = splitArgs(argv, TUI_OPTIONS);
  if (options.help) {
    out(`${TUI_HELP}\n`);
    return 0;
  }
  const intervalSeconds = options.interval === undefined ? 30 : Number(options.interval);
  if (!Number.isFinite(intervalSeconds) || intervalSeconds < 1) throw new UsageError('E_USAGE', `--interval must be a number of seconds, at least 1 (got "${String(options.interval)}").`);

  const why = !process.stdout.isTTY ? 'stdout is not a terminal' : !process.stdin.isTTY ? 'stdin is not a terminal (no keys can be read)' : null;
  if (why) {
    err(`authdoctor: ${why}, so "tui" prints the check report instead (use "authdoctor check" in scripts).\n`);
    const { runCheck } = await import('./check.ts');
    return runCheck(withoutOptions(argv, TUI_ONLY));
  }

  // The first frame goes up before Ink and React are even loaded (see boot-frame.ts); Ink draws
  // over it. If Ink cannot start, the shell's screen is given back before the error is printed.
  const target = peekTarget(options, rest);
  out(bootFrame(target, process.stdout.columns || 80));
  let startTui: typeof import('../ui/start.tsx').startTui;
  try {
    ({ startTui } = await import('../ui/start.tsx'));
  } catch (error) {
    out(LEAVE_BOOT_FRAME);
    throw error;
  }
  const color = !options['no-color'] && !process.env.NO_COLOR;
  const { controller } = await startTui({
    target,
    // Config, plugins and the engine load after the first frame is on screen.
    open: async () => (await import('./setup.ts')).openSession(options, rest),
    color,
    watch: options.watch === true,
    watchIntervalMs: intervalSeconds * 1000,
  });
  // The screen is gone; leave the outcome in the terminal, the way the CLI prints it.
  if (controller.fatalError) return (await import('../cli.ts')).reportError(controller.fatalError);
  const summary = controller.exitSummary();
  if (summary.length) out(`${summary.join('\n')}\n`);
  return controller.exitCode();
}

/** argv without some of our options (and their values), for handing over to `check`. */
export function withoutOptions(argv: readonly string[], names: ReadonlySet<string>): string[] {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      kept.push(...argv.slice(i));
      break;
    }
    const name = arg.startsWith('--') ? arg.slice(2).split('=')[0]! : '';
    if (!names.has(name)) {
      kept.push(arg);
      continue;
    }
    const spec = TUI_OPTIONS.find((o) => o.name === name);
    if (spec?.value && !arg.includes('=')) i++;
  }
  return kept;
}

/**
 * What the command line says about the target, without parsing it for real (that happens after
 * the first frame): enough for the header to show what is being diagnosed while loading.
 */
export function peekTarget(options: ParsedOptions, rest: readonly string[]): TargetView {
  if (options.har) return { describe: `${String(options.har)} (HAR capture, offline)`, mode: 'offline' };
  if (options.profile) return { describe: `profile ${String(options.profile)}`, profile: String(options.profile), mode: 'live' };
  const words = options.curl ? String(options.curl).split(/\s+/) : [...rest];
  const url = words.map((w) => w.replace(/^['"]|['"]$/g, '')).find((w) => /^https?:\/\//i.test(w));
  let method: string | undefined;
  const x = words.findIndex((w) => w === '-X' || w === '--request');
  if (x >= 0 && words[x + 1]) method = words[x + 1]!.replace(/^['"]|['"]$/g, '').toUpperCase();
  const shown = url ? processRedactor.url(url) : undefined;
  const verb = method ?? (words.some((w) => /^(-d|--data.*)$/.test(w)) ? 'POST' : 'GET');
  // Live or not, and through which proxy, is known only once the input is parsed: "unknown" until then.
  return { describe: shown ? `${verb} ${shown}` : 'the request', method: shown ? verb : undefined, url: shown, mode: 'unknown' };
}
