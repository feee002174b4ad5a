import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadConfig, pluginSpecifiers, rulesDirPath } from '../config/index.ts';
import { CAUSE_IDS, CAUSE_SPECIFICITY, isCauseId, type CauseId } from '../core/causes.ts';
import { UsageError, type ExitCode } from '../core/errors.ts';
import type { LoadedPlugin, RuleDefinition } from '../core/plugin.ts';
import { DEFAULT_NETWORK_RULE_TIMEOUT_MS, DEFAULT_RULE_TIMEOUT_MS } from '../core/runner.ts';
import { loadPlugins } from '../plugins/loader.ts';
import { CAUSE_LABELS } from '../reporters/labels.ts';
import { helpFor, splitArgs, type OptionSpec } from './args.ts';
import { out } from './output.ts';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'config', value: true, valueName: 'PATH', description: 'use this config file instead of searching (its plugins are loaded)' },
  { name: 'format', value: true, valueName: 'text|json', description: 'output format (default: text)' },
  { name: 'help', short: 'h', description: 'show this help' },
];

export const EXPLAIN_HELP = `Usage: authdoctor explain ID [options]

Print the documentation of a rule, a cause or a plugin.
  RULE_ID    a full rule id (oauth2/token-expired) or, when only one rule has it, its local id
             (token-expired): title, description, the causes it can report, whether it uses the
             network, its plugin and source file
  CAUSE_ID   a cause id (expired_token): what it means, and which loaded rules report it
  PLUGIN     a plugin name (oauth2): its rules and actions

The plugins of the config file are loaded, as for "authdoctor rules list".

Options:
${helpFor(OPTIONS)}

Examples:
  authdoctor explain oauth2/token-expired
  authdoctor explain expired_token
  authdoctor explain acme --config ./authdoctor.config.ts`;

/** DESIGN.md §2, word for word: the meaning of each cause id. */
export const CAUSE_MEANINGS: Readonly<Record<CauseId, string>> = {
  missing_credentials:
    'nothing usable was sent where credentials were expected: no header, an empty value, or a value that is not a credential at all (`null`, `undefined`, an unexpanded `$TOKEN`)',
  invalid_credentials: 'a credential the server does not accept: wrong, unknown, revoked, or from another tenant or environment',
  malformed_credentials: 'the right mechanism, but the value is damaged: whitespace, quotes, a doubled or missing scheme prefix, truncation, bad encoding, sent twice',
  expired_token: 'access token, session token, presigned URL or signature past its lifetime',
  wrong_scheme:
    "the credential travels by a mechanism the server does not accept for it: Bearer where Basic is expected, an API key in `Authorization` instead of its own header (or the reverse), one kind of key in another kind's header",
  signature_mismatch: 'an HMAC signature (AWS SigV4 and similar) does not match, including a wrong region or service in the signing scope',
  clock_skew: 'client and server clocks disagree enough to fail validation (incl. `nbf` in the future)',
  insufficient_permissions: 'authenticated, but not allowed: scope, audience, role, policy',
  client_auth_failed: 'OAuth2 client id/secret (or client auth method) rejected at the token endpoint',
  refresh_failed: 'the refresh token is expired, revoked or otherwise unusable',
  proxy_auth: 'a proxy demands credentials (407) or altered/stripped the auth headers',
  none: 'the exchange shows no authentication failure',
  unknown: 'an authentication failure whose cause could not be determined',
};

interface RuleEntry {
  id: string;
  plugin: LoadedPlugin;
  rule: RuleDefinition<any>;
}

/**
 * Where the built-in plugins' folders may be: two levels up from this module is the repository root
 * (source) or dist/ (the tsc build); one level up is dist/ again when this module was bundled into
 * dist/bundle. The first that holds the plugin's folder wins.
 */
const BUILTIN_ROOTS = [fileURLToPath(new URL('../../', import.meta.url)), fileURLToPath(new URL('../', import.meta.url))];

export async function runExplain(argv: readonly string[]): Promise<ExitCode> {
  const { options, rest } = splitArgs(argv, OPTIONS);
  if (options.help || (argv.length === 0)) {
    out(`${EXPLAIN_HELP}\n`);
    return options.help ? 0 : 2;
  }
  const format = String(options.format ?? 'text');
  if (format !== 'text' && format !== 'json') throw new UsageError('E_USAGE', `--format must be text or json (got "${format}").`);
  const unknownOption = rest.find((a) => a.startsWith('-'));
  if (unknownOption) throw new UsageError('E_USAGE', `Unknown option "${unknownOption}" for explain. Run "authdoctor explain --help".`);
  if (rest.length !== 1) throw new UsageError('E_USAGE', rest.length === 0 ? 'explain needs an ID: a rule id, a cause id or a plugin name.' : `explain takes one ID (got ${rest.map((r) => `"${r}"`).join(', ')}).`);
  const query = rest[0]!;

  const config = await loadConfig({ cwd: process.cwd(), ...(options.config ? { configPath: String(options.config) } : {}) });
  const plugins = await loadPlugins({
    specifiers: config ? pluginSpecifiers(config) : [],
    rulesDir: config ? rulesDirPath(config) : undefined,
    baseDir: config ? path.dirname(config.filepath) : process.cwd(),
  });
  const rules: RuleEntry[] = plugins.flatMap((plugin) => (plugin.plugin.rules ?? []).map((rule) => ({ id: `${plugin.plugin.name}/${rule.meta.id}`, plugin, rule })));

  const exact = rules.find((r) => r.id === query);
  if (exact) return printRule(exact, format);
  if (isCauseId(query)) return printCause(query, rules, format);
  const plugin = plugins.find((p) => p.plugin.name === query);
  if (plugin) return printPlugin(plugin, format);
  const byLocal = rules.filter((r) => r.rule.meta.id === query);
  if (byLocal.length === 1) return printRule(byLocal[0]!, format);
  if (byLocal.length > 1) {
    throw new UsageError('E_AMBIGUOUS', `"${query}" is the id of ${byLocal.length} rules: ${byLocal.map((r) => r.id).join(', ')}. Name one, e.g. authdoctor explain ${byLocal[0]!.id}.`);
  }
  const suggestions = closest(query, [...rules.map((r) => r.id), ...CAUSE_IDS, ...plugins.map((p) => p.plugin.name)], rules);
  throw new UsageError('E_UNKNOWN_ID', `No rule, cause or plugin is called "${query}".${suggestions.length > 0 ? ` Did you mean ${orList(suggestions)}?` : ''}`, {
    hint: `Rule ids: run "authdoctor rules list". Cause ids: ${CAUSE_IDS.join(', ')}.`,
  });
}

function orList(items: string[]): string {
  return items.length === 1 ? items[0]! : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

async function printRule(entry: RuleEntry, format: string): Promise<ExitCode> {
  const { rule, plugin } = entry;
  const meta = rule.meta;
  const source = await ruleSourceFile(entry);
  const timeoutMs = meta.timeoutMs ?? (meta.network ? DEFAULT_NETWORK_RULE_TIMEOUT_MS : DEFAULT_RULE_TIMEOUT_MS);
  const actions = (plugin.plugin.actions ?? []).map((a) => ({ id: `${plugin.plugin.name}/${a.id}`, title: a.title }));
  if (format === 'json') {
    out(
      `${JSON.stringify(
        {
          kind: 'rule',
          id: entry.id,
          title: meta.title,
          description: meta.description ?? null,
          causes: meta.causes.map((c) => ({ id: c, meaning: CAUSE_MEANINGS[c] })),
          network: meta.network === true,
          timeoutMs,
          messages: meta.messages ?? {},
          plugin: { name: plugin.plugin.name, description: plugin.plugin.description ?? null, builtin: plugin.builtin, source: shownPath(plugin.source, plugin.builtin) },
          source,
          actions,
        },
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  const lines = [`${entry.id} — ${meta.title}`, ''];
  lines.push(meta.description ?? '(This rule declares no description: its title above is all it says about itself. Its source file below has the details.)', '');
  const label = (s: string) => s.padEnd(10);
  if (meta.causes.length === 0) lines.push(`${label('Reports:')}no cause — it only gives advice (warnings) or passes`);
  meta.causes.forEach((c, i) => lines.push(`${label(i === 0 ? 'Reports:' : '')}${c} — ${CAUSE_MEANINGS[c]}`));
  lines.push(
    `${label('Network:')}${meta.network ? 'yes — it may send requests of its own (through the client authdoctor gives rules, which records them)' : 'no — it reads only the request and the response'}`,
    `${label('Timeout:')}${timeoutMs} ms${meta.timeoutMs !== undefined ? '' : meta.network ? ' (the default for network rules)' : ' (the default; config timeouts.rule changes it)'}`,
  );
  const messages = Object.entries(meta.messages ?? {});
  messages.forEach(([id, template], i) => lines.push(`${label(i === 0 ? 'Messages:' : '')}${id}: ${template}`));
  lines.push(`${label('Plugin:')}${plugin.plugin.name} (${plugin.builtin ? `built-in, ${plugin.source}` : shownPath(plugin.source, false)})${plugin.plugin.description ? ` — ${plugin.plugin.description}` : ''}`);
  lines.push(`${label('Source:')}${source}`);
  if (actions.length > 0) {
    lines.push('', `The ${plugin.plugin.name} plugin offers these actions (a finding's fix may point to one):`);
    for (const a of actions) lines.push(`  ${a.id} — ${a.title}`);
  }
  lines.push('', `Turn it off in the config with rules: { '${entry.id}': 'off' }.`);
  out(`${lines.join('\n')}\n`);
  return 0;
}

function shownPath(file: string, builtin: boolean): string {
  if (builtin) return file;
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

const MODULE_FILE = /\.(ts|mts|js|mjs)$/;

/** The plugin's entry file and the root its files are shown from: `rules/http` → rules/http/index.ts (or .js when built). */
async function entryFile(plugin: LoadedPlugin): Promise<{ file: string; root: string } | undefined> {
  if (!plugin.builtin) return { file: plugin.source, root: process.cwd() };
  for (const root of BUILTIN_ROOTS) {
    for (const name of ['index.ts', 'index.js', 'index.mts', 'index.mjs']) {
      const file = path.join(root, plugin.source, name);
      if (await isFile(file)) return { file, root };
    }
  }
  return undefined;
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then((s) => s.isFile(), () => false);
}

/** Relative imports of a module (`from './x.ts'`, `import('./y.ts')`), resolved to files. */
async function relativeImports(file: string, text: string): Promise<string[]> {
  const found: string[] = [];
  for (const match of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const target = path.resolve(path.dirname(file), match[1]!);
    for (const candidate of MODULE_FILE.test(target) ? [target] : ['.ts', '.js', '.mts', '.mjs'].map((ext) => target + ext)) {
      if (await isFile(candidate)) {
        found.push(candidate);
        break;
      }
    }
  }
  return found;
}

/**
 * The file that defines a rule. Rules do not record where they live, so this follows the plugin's
 * relative imports from its entry file and asks each module that mentions the rule's id whether it
 * exports that very rule object (Node caches modules by URL, so it is the instance the loader got).
 * A rule written inline in the plugin file is found in the entry file itself.
 */
async function ruleSourceFile(entry: RuleEntry): Promise<string> {
  const found = await entryFile(entry.plugin);
  if (!found) return entry.plugin.source;
  const { file: start, root } = found;
  const display = (file: string) => (entry.plugin.builtin ? path.relative(root, file).split(path.sep).join('/') : shownPath(file, false));
  const seen = new Set<string>();
  const queue: { file: string; depth: number }[] = [{ file: start, depth: 0 }];
  const mentions: string[] = [];
  const id = entry.rule.meta.id;
  while (queue.length > 0) {
    const { file, depth } = queue.shift()!;
    if (seen.has(file) || file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    seen.add(file);
    const text = await readFile(file, 'utf8').catch(() => '');
    if (text.includes(`'${id}'`) || text.includes(`"${id}"`) || text.includes(`\`${id}\``)) mentions.push(file);
    if (depth < 4) for (const next of await relativeImports(file, text)) queue.push({ file: next, depth: depth + 1 });
  }
  for (const file of mentions) {
    try {
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      if (Object.values(mod).includes(entry.rule)) return display(file);
    } catch {
      // a module that cannot be imported on its own is not where the rule lives
    }
  }
  // No module exports the very object (a bundled build has its own copies): the one file that names the id.
  return display(mentions.length === 1 ? mentions[0]! : start);
}

// ---------------------------------------------------------------------------------------------
// Causes and plugins
// ---------------------------------------------------------------------------------------------

function printCause(cause: CauseId, rules: readonly RuleEntry[], format: string): ExitCode {
  const reporters = rules.filter((r) => (r.rule.meta.causes as readonly string[]).includes(cause));
  const rank = cause === 'none' ? -1 : CAUSE_SPECIFICITY.indexOf(cause);
  if (format === 'json') {
    out(`${JSON.stringify({ kind: 'cause', id: cause, label: CAUSE_LABELS[cause], meaning: CAUSE_MEANINGS[cause], specificity: rank >= 0 ? rank + 1 : null, rules: reporters.map((r) => ({ id: r.id, title: r.rule.meta.title })) }, null, 2)}\n`);
    return 0;
  }
  const lines = [`${cause} — ${CAUSE_LABELS[cause]}`, '', `${CAUSE_MEANINGS[cause][0]!.toUpperCase()}${CAUSE_MEANINGS[cause].slice(1)}.`, ''];
  if (cause === 'none') {
    lines.push('A verdict, not a finding: no rule reports it. The verdict is none when no check fails and the status is not 401, 403 or 407 (exit code 0).');
  } else {
    lines.push(
      `Specificity: ${rank + 1} of ${CAUSE_SPECIFICITY.length}. When two failing findings are equally sure (definitive, likely, possible), the more specific cause wins the verdict; ${rank === 0 ? 'none is more specific than this one' : `more specific: ${CAUSE_SPECIFICITY.slice(0, rank).join(', ')}`}.`,
    );
    if (cause === 'unknown') lines.push('It is also the verdict when the status is 401, 403 or 407 (or there was no response) and no check could tell why.');
    lines.push('');
    if (reporters.length === 0) lines.push('No loaded rule reports it.');
    else {
      lines.push(`Reported by ${reporters.length} loaded rule${reporters.length === 1 ? '' : 's'}:`);
      const width = Math.max(...reporters.map((r) => r.id.length));
      for (const r of reporters) lines.push(`  ${r.id.padEnd(width)}  ${r.rule.meta.title}`);
    }
  }
  out(`${lines.join('\n')}\n`);
  return 0;
}

function printPlugin(plugin: LoadedPlugin, format: string): ExitCode {
  const p = plugin.plugin;
  const rules = (p.rules ?? []).map((r) => ({ id: `${p.name}/${r.meta.id}`, title: r.meta.title }));
  const actions = (p.actions ?? []).map((a) => ({ id: `${p.name}/${a.id}`, title: a.title }));
  if (format === 'json') {
    out(`${JSON.stringify({ kind: 'plugin', name: p.name, description: p.description ?? null, builtin: plugin.builtin, source: shownPath(plugin.source, plugin.builtin), rules, actions, auth: (p.auth ?? []).map((a) => a.scheme) }, null, 2)}\n`);
    return 0;
  }
  const lines = [`${p.name} — plugin (${plugin.builtin ? `built-in, ${plugin.source}` : shownPath(plugin.source, false)})`, ''];
  if (p.description) lines.push(p.description, '');
  const width = Math.max(...[...rules, ...actions].map((r) => r.id.length), 4);
  lines.push(`Rules (${rules.length}):`, ...rules.map((r) => `  ${r.id.padEnd(width)}  ${r.title}`));
  if (actions.length > 0) lines.push('', `Actions (${actions.length}):`, ...actions.map((a) => `  ${a.id.padEnd(width)}  ${a.title}`));
  if (p.auth?.length) lines.push('', `Applies credentials for: ${p.auth.map((a) => a.scheme).join(', ')}`);
  lines.push('', `Run "authdoctor explain <rule id>" for one rule.`);
  out(`${lines.join('\n')}\n`);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// "Did you mean"
// ---------------------------------------------------------------------------------------------

/** Levenshtein distance; ids are short, so the plain dynamic programme is enough. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return prev[b.length]!;
}

/** Up to three ids close to the query: by edit distance (to the full id, or to a rule's local id), then by containment. */
function closest(query: string, ids: readonly string[], rules: readonly RuleEntry[]): string[] {
  const q = query.toLowerCase();
  const scored = new Map<string, number>();
  const consider = (id: string, distance: number) => {
    const best = scored.get(id);
    if (best === undefined || distance < best) scored.set(id, distance);
  };
  const limit = Math.max(2, Math.floor(q.length / 3));
  for (const id of ids) {
    const d = editDistance(q, id.toLowerCase());
    if (d <= limit) consider(id, d);
    if (q.length >= 3 && id.toLowerCase().includes(q)) consider(id, limit + 1);
  }
  for (const r of rules) {
    const d = editDistance(q, r.rule.meta.id.toLowerCase());
    if (d <= limit) consider(r.id, d);
  }
  return [...scored.entries()]
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([id]) => id);
}
