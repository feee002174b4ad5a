import { readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isCauseId } from '../core/causes.ts';
import { PluginLoadError } from '../core/errors.ts';
import type { LoadedPlugin, PluginDefinition } from '../core/plugin.ts';
import { BUILTIN_PLUGINS } from './builtin.ts';

const PLUGIN_FILE = /\.(ts|mts|js|mjs)$/;

export interface LoadPluginsOptions {
  /** Plugin specifiers from the config: absolute paths, or package names resolved from `baseDir`. */
  specifiers?: readonly string[];
  /** A folder whose plugin files (or sub-folders with an index file) are all loaded. */
  rulesDir?: string | undefined;
  /** Where package names are resolved from (the config file's folder). */
  baseDir?: string;
  /** Leave the built-in plugins out (tests, and the plugin kit). */
  builtins?: boolean;
}

/** Loads the built-in plugins and the user's, validates each, and refuses clashing names. */
export async function loadPlugins(options: LoadPluginsOptions = {}): Promise<LoadedPlugin[]> {
  const loaded: LoadedPlugin[] = [];
  if (options.builtins !== false) {
    for (const builtin of BUILTIN_PLUGINS) {
      const mod = await builtin.load();
      loaded.push({ plugin: validatePlugin(mod, builtin.source), source: builtin.source, builtin: true });
    }
  }
  const baseDir = options.baseDir ?? process.cwd();
  for (const spec of options.specifiers ?? []) {
    loaded.push(await loadUserPlugin(spec, baseDir));
  }
  if (options.rulesDir) {
    for (const file of await rulesDirFiles(options.rulesDir)) loaded.push(await loadUserPlugin(file, baseDir));
  }
  refuseClashes(loaded);
  return loaded;
}

async function loadUserPlugin(specifier: string, baseDir: string): Promise<LoadedPlugin> {
  const isPath = specifier.startsWith('.') || path.isAbsolute(specifier);
  let file: string;
  try {
    file = isPath ? path.resolve(baseDir, specifier) : createRequire(path.join(baseDir, 'noop.js')).resolve(specifier);
  } catch {
    throw new PluginLoadError(`Plugin "${specifier}" could not be found: no such package is installed (resolved from ${baseDir}).`, {
      hint: `Install it with: npm install --save-dev ${specifier}`,
    });
  }
  let mod: unknown;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (error) {
    const reason = error instanceof Error ? firstLine(error.message) : String(error);
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && reason.includes(file)) {
      throw new PluginLoadError(`Plugin ${specifier} could not be found: ${file} does not exist.`);
    }
    throw new PluginLoadError(`Plugin ${specifier} failed to load: ${reason}`, { cause: error });
  }
  return { plugin: validatePlugin(mod, specifier), source: file, builtin: false };
}

async function rulesDirFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    throw new PluginLoadError(`rulesDir ${dir} cannot be read: no such folder.`);
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isFile() && PLUGIN_FILE.test(entry.name) && !/\.(test|spec|d)\.[mc]?[jt]s$/.test(entry.name)) files.push(full);
    if (entry.isDirectory()) {
      for (const index of ['index.ts', 'index.mts', 'index.js', 'index.mjs']) {
        const candidate = path.join(full, index);
        if (await stat(candidate).then((s) => s.isFile(), () => false)) {
          files.push(candidate);
          break;
        }
      }
    }
  }
  return files;
}

/** A plugin's default export must be a definePlugin() object; say exactly what is wrong. */
export function validatePlugin(mod: unknown, source: string): PluginDefinition {
  const candidate = (mod as { default?: unknown } | null)?.default ?? mod;
  const problems: string[] = [];
  if (candidate === null || typeof candidate !== 'object') {
    throw new PluginLoadError(`Plugin ${source} has no default export: export default definePlugin({ name, rules }).`);
  }
  const p = candidate as Record<string, unknown>;
  if (typeof p.name !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/i.test(p.name)) problems.push('name must be a string of letters, digits, ".", "_" or "-"');
  if (p.rules !== undefined && !Array.isArray(p.rules)) problems.push('rules must be an array');
  const seen = new Set<string>();
  for (const [i, rule] of (Array.isArray(p.rules) ? p.rules : []).entries()) {
    const r = rule as { meta?: Record<string, unknown>; check?: unknown; appliesTo?: unknown } | null;
    const meta = r?.meta;
    if (!meta || typeof meta.id !== 'string' || meta.id.length === 0) {
      problems.push(`rules[${i}].meta.id must be a non-empty string`);
      continue;
    }
    if (seen.has(meta.id)) problems.push(`rules[${i}]: rule id "${meta.id}" is declared twice`);
    seen.add(meta.id);
    if (typeof meta.title !== 'string') problems.push(`rule ${meta.id}: meta.title must be a string`);
    if (!Array.isArray(meta.causes) || meta.causes.some((c) => !isCauseId(c) || c === 'none')) problems.push(`rule ${meta.id}: meta.causes must list cause ids from DESIGN.md §2`);
    if (typeof r.check !== 'function') problems.push(`rule ${meta.id}: check must be a function`);
    if (r.appliesTo !== undefined && typeof r.appliesTo !== 'function') problems.push(`rule ${meta.id}: appliesTo must be a function`);
  }
  for (const [i, a] of (Array.isArray(p.actions) ? p.actions : []).entries()) {
    const action = a as Record<string, unknown> | null;
    if (!action || typeof action.id !== 'string' || typeof action.run !== 'function' || typeof action.available !== 'function') {
      problems.push(`actions[${i}] must have an id, available() and run()`);
    }
  }
  for (const [i, a] of (Array.isArray(p.auth) ? p.auth : []).entries()) {
    const strategy = a as Record<string, unknown> | null;
    if (!strategy || typeof strategy.scheme !== 'string' || typeof strategy.apply !== 'function') problems.push(`auth[${i}] must have a scheme and apply()`);
  }
  if (problems.length > 0) throw new PluginLoadError(`Plugin ${source} is not a valid plugin: ${problems.join('; ')}.`);
  return candidate as PluginDefinition;
}

function refuseClashes(loaded: readonly LoadedPlugin[]): void {
  const byName = new Map<string, LoadedPlugin>();
  for (const entry of loaded) {
    const other = byName.get(entry.plugin.name);
    if (other) {
      throw new PluginLoadError(
        `Two plugins are named "${entry.plugin.name}" (${describe(other)} and ${describe(entry)}), so their rule ids would clash. Rename one of them.`,
      );
    }
    byName.set(entry.plugin.name, entry);
  }
}

function describe(p: LoadedPlugin): string {
  return p.builtin ? `built-in ${p.source}` : p.source;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
