import { UsageError } from '../core/errors.ts';

/**
 * authdoctor's own options, told apart from the curl-like request flags that may follow a URL
 * (`authdoctor check URL -X POST -H 'a: b' --format json`). Only the options declared here are
 * taken; everything else is handed to the curl flag parser, which names any flag it does not know.
 * None of authdoctor's option names is also a curl option, so the two never compete.
 */
export interface OptionSpec {
  name: string;
  /** Takes a value (`--format json` or `--format=json`). */
  value?: boolean;
  short?: string;
  description: string;
  valueName?: string;
}

export type ParsedOptions = Record<string, string | boolean | undefined>;

export interface SplitArgs {
  options: ParsedOptions;
  /** Positional arguments and curl-like flags, in order. */
  rest: string[];
}

export function splitArgs(argv: readonly string[], specs: readonly OptionSpec[]): SplitArgs {
  const options: ParsedOptions = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(2, eq) : arg.startsWith('--') ? arg.slice(2) : undefined;
    const spec = name !== undefined ? specs.find((s) => s.name === name) : specs.find((s) => s.short !== undefined && arg === `-${s.short}`);
    if (!spec) {
      rest.push(arg);
      continue;
    }
    if (spec.value) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError('E_USAGE', `--${spec.name} needs a value (${spec.valueName ?? 'VALUE'}).`);
      options[spec.name] = value;
    } else {
      if (eq > 0) throw new UsageError('E_USAGE', `--${spec.name} takes no value.`);
      options[spec.name] = true;
    }
  }
  return { options, rest };
}

export function helpFor(specs: readonly OptionSpec[]): string {
  const rows = specs.map((s) => {
    const flag = `${s.short ? `-${s.short}, ` : '    '}--${s.name}${s.value ? ` ${s.valueName ?? 'VALUE'}` : ''}`;
    return `  ${flag.padEnd(26)} ${s.description}`;
  });
  return rows.join('\n');
}
