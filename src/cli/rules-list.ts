import path from 'node:path';
import type { ExitCode } from '../core/errors.ts';
import { loadConfig, pluginSpecifiers, rulesDirPath } from '../config/index.ts';
import { loadPlugins } from '../plugins/loader.ts';
import { helpFor, splitArgs, type OptionSpec } from './args.ts';
import { out } from './output.ts';
import { UsageError } from '../core/errors.ts';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'config', value: true, valueName: 'PATH', description: 'use this config file instead of searching' },
  { name: 'format', value: true, valueName: 'text|json', description: 'output format (default: text)' },
  { name: 'help', short: 'h', description: 'show this help' },
];

export const RULES_HELP = `Usage: authdoctor rules list [options]

List the loaded plugins and their rules: plugin, rule id, title, and where each came from.

Options:
${helpFor(OPTIONS)}`;

export async function runRules(argv: readonly string[]): Promise<ExitCode> {
  const [sub, ...tail] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    out(`${RULES_HELP}\n`);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'list') throw new UsageError('E_USAGE', `Unknown subcommand "rules ${sub}". Did you mean "rules list"?`);
  const { options, rest } = splitArgs(tail, OPTIONS);
  if (options.help) {
    out(`${RULES_HELP}\n`);
    return 0;
  }
  if (rest.length > 0) throw new UsageError('E_USAGE', `rules list takes no arguments (got "${rest[0]}").`);
  const config = await loadConfig({ cwd: process.cwd(), ...(options.config ? { configPath: String(options.config) } : {}) });
  const plugins = await loadPlugins({
    specifiers: config ? pluginSpecifiers(config) : [],
    rulesDir: config ? rulesDirPath(config) : undefined,
    baseDir: config ? path.dirname(config.filepath) : process.cwd(),
  });
  const rows = plugins.flatMap(({ plugin, source, builtin }) =>
    (plugin.rules ?? []).map((r) => ({ plugin: plugin.name, rule: `${plugin.name}/${r.meta.id}`, title: r.meta.title, source: builtin ? `${source} (built-in)` : path.relative(process.cwd(), source) || source })),
  );
  if (options.format === 'json') {
    out(`${JSON.stringify({ plugins: plugins.map((p) => ({ name: p.plugin.name, source: p.source, builtin: p.builtin, rules: (p.plugin.rules ?? []).map((r) => ({ id: `${p.plugin.name}/${r.meta.id}`, title: r.meta.title, causes: r.meta.causes })), actions: (p.plugin.actions ?? []).map((a) => `${p.plugin.name}/${a.id}`) })) }, null, 2)}\n`);
    return 0;
  }
  if (options.format !== undefined && options.format !== 'text') throw new UsageError('E_USAGE', `--format must be text or json (got "${String(options.format)}").`);
  const width = Math.max(...rows.map((r) => r.rule.length), 4);
  const lines = [`${plugins.length} plugins, ${rows.length} rules`, ''];
  let last = '';
  for (const r of rows) {
    if (r.plugin !== last) {
      lines.push(`${r.plugin}  ${r.source}`);
      last = r.plugin;
    }
    lines.push(`  ${r.rule.padEnd(width)}  ${r.title}`);
  }
  out(`${lines.join('\n')}\n`);
  return 0;
}
