import { AuthdoctorError, ConfigError, type ExitCode } from './core/errors.ts';
import { err, out } from './cli/output.ts';
import { VERSION } from './version.ts';

const HELP = `authdoctor ${VERSION} — why was this API request rejected?

Usage: authdoctor <command> [options]

Commands:
  tui [input]     the interactive screen: step through the checks, fix in place, retry
  check [input]   diagnose a rejected request and print a report (text, json, markdown)
  rules list      list the loaded plugins and rules, with where each came from
  demo            try it without an account: a local demo cloud whose APIs fail like real ones
  explain ID      what a rule checks and reports, or what a cause id means
  plugin new NAME create a plugin folder with one rule, its tests and a README

Input (for check): a URL with curl-like flags (-X, -H, -d, -u), --curl '<curl command>',
--har FILE [--entry N], or --profile NAME from the config file.

Options:
  -h, --help      show help (also: authdoctor <command> --help)
  -V, --version   print the version

Run "authdoctor check --help" for the report formats and exit codes.`;

/** argv → command → exit code. Every error ends as one masked line on stderr, never a stack trace. */
export async function main(argv: readonly string[]): Promise<ExitCode> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        out(`${HELP}\n`);
        return command === undefined ? 2 : 0;
      case '-V':
      case '--version':
        out(`${VERSION}\n`);
        return 0;
      case 'check':
        return await (await import('./cli/check.ts')).runCheck(rest);
      case 'tui':
        return await (await import('./cli/tui.ts')).runTui(rest);
      case 'rules':
        return await (await import('./cli/rules-list.ts')).runRules(rest);
      case 'demo':
        return await (await import('./cli/demo.ts')).runDemo(rest);
      case 'explain':
        return await (await import('./cli/explain.ts')).runExplain(rest);
      case 'plugin':
        return await (await import('./cli/plugin-new.ts')).runPlugin(rest);
      default:
        err(`authdoctor: unknown command "${command}". Run "authdoctor --help" for the list.\n`);
        return 2;
    }
  } catch (error) {
    return reportError(error);
  }
}

export function reportError(error: unknown): ExitCode {
  if (error instanceof ConfigError) {
    // The message already lists every problem, one per line.
    err(`authdoctor: ${error.message}\n`);
    if (error.hint) err(`  ${error.hint}\n`);
    return error.exitCode;
  }
  if (error instanceof AuthdoctorError) {
    err(`authdoctor: ${error.message}\n`);
    if (error.hint) err(`  ${error.hint}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  err(`authdoctor: internal error: ${message}\n  This is a bug; please report it with the command you ran (secrets are masked above).\n`);
  if (process.env.AUTHDOCTOR_DEBUG && error instanceof Error && error.stack) err(`${error.stack}\n`);
  return 2;
}

/** Entry from bin/authdoctor.js. */
export async function run(): Promise<void> {
  const code = await main(process.argv.slice(2));
  process.exitCode = code;
}
