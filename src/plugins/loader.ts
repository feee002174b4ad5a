import { readFileSync } from 'node:fs';
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
  const file = isPath ? path.resolve(baseDir, specifier) : resolvePackage(specifier, baseDir);
  if (file === undefined) {
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

/**
 * The file a package plugin specifier names, resolved from `baseDir` the way `import` would, or
 * undefined when no such package is installed.
 *
 * `require.resolve` handles every package whose "exports" has a `require`/`default` condition (or
 * no "exports"), but it skips an ESM-only package whose "exports" lists only `import`, failing with
 * ERR_PACKAGE_PATH_NOT_EXPORTED. For those the package's "exports" target is picked by hand
 * (`importTarget`): Node has no synchronous resolver for the import conditions from another
 * directory: `import.meta.resolve(name, parent)` takes a parent only behind the experimental
 * --experimental-import-meta-resolve flag, and without one it resolves from this file, not from
 * the user's project.
 */
function resolvePackage(specifier: string, baseDir: string): string | undefined {
  const require = createRequire(path.join(baseDir, 'noop.js'));
  try {
    return require.resolve(specifier);
  } catch {
    // Not exported for require, or not installed: look for the package.json ourselves.
  }
  const { name, subpath } = splitSpecifier(specifier);
  for (const dir of require.resolve.paths(name) ?? []) {
    const root = path.join(dir, name);
    let manifest: { exports?: unknown; main?: unknown };
    try {
      manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { exports?: unknown; main?: unknown };
    } catch {
      continue;
    }
    // No "exports" yet require.resolve failed: its main file is missing, which import then reports.
    if (manifest.exports === undefined) return path.resolve(root, subpath === '.' ? (typeof manifest.main === 'string' ? manifest.main : 'index.js') : subpath);
    const target = importTarget(manifest.exports, subpath);
    if (target === undefined) {
      throw new PluginLoadError(`Plugin "${specifier}" is installed in ${root}, but its package.json "exports" has no "${subpath}" entry that import can load.`, {
        hint: `Give "exports" a "${subpath}" entry with an "import" or "default" condition pointing at the plugin's JavaScript file.`,
      });
    }
    return path.resolve(root, target);
  }
  return undefined;
}

/** `@scope/pkg/sub/path` → `{ name: '@scope/pkg', subpath: './sub/path' }`; no subpath → `'.'`. */
function splitSpecifier(specifier: string): { name: string; subpath: string } {
  const parts = specifier.split('/');
  const count = specifier.startsWith('@') ? 2 : 1;
  const rest = parts.slice(count).join('/');
  return { name: parts.slice(0, count).join('/'), subpath: rest === '' ? '.' : `./${rest}` };
}

/** The conditions `import` matches in Node, in the package's own key order (Node's PACKAGE_RESOLVE). */
const IMPORT_CONDITIONS = new Set(['node', 'import', 'module-sync', 'default']);

/**
 * The relative file "exports" maps `subpath` to under the import conditions (exact subpaths and
 * the sugar forms; `*` patterns are not used by plugins and are not handled). Undefined when none.
 */
function importTarget(exportsField: unknown, subpath: string): string | undefined {
  const isSubpathMap = typeof exportsField === 'object' && exportsField !== null && !Array.isArray(exportsField) && Object.keys(exportsField).some((k) => k.startsWith('.'));
  if (!isSubpathMap) return subpath === '.' ? conditionalTarget(exportsField) : undefined;
  const map = exportsField as Record<string, unknown>;
  return Object.hasOwn(map, subpath) ? conditionalTarget(map[subpath]) : undefined;
}

function conditionalTarget(target: unknown): string | undefined {
  if (typeof target === 'string') return target.startsWith('./') ? target : undefined;
  if (Array.isArray(target)) {
    for (const entry of target) {
      const found = conditionalTarget(entry);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof target === 'object' && target !== null) {
    for (const [condition, value] of Object.entries(target)) {
      if (!IMPORT_CONDITIONS.has(condition)) continue;
      const found = conditionalTarget(value);
      if (found !== undefined) return found;
    }
  }
  return undefined;
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
