import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Loader } from 'cosmiconfig';
import { ConfigError } from '../core/errors.ts';
import { configPath } from './secrets.ts';
import type { AuthdoctorConfig } from './types.ts';

export const MODULE_NAME = 'authdoctor';

/**
 * Where a config is looked for in each directory, first match wins. Data files come before code
 * files, as in cosmiconfig's own defaults; `.ts` before `.js` so that a compiled copy lying next to
 * its source never shadows it.
 */
export const SEARCH_PLACES = [
  'package.json',
  '.authdoctorrc',
  '.authdoctorrc.json',
  '.authdoctorrc.yaml',
  '.authdoctorrc.yml',
  'authdoctor.config.ts',
  'authdoctor.config.mts',
  'authdoctor.config.js',
  'authdoctor.config.mjs',
] as const;

export interface LoadOptions {
  /** Directory the search starts from (and that a relative `configPath` is relative to). */
  cwd: string;
  /** `--config PATH`: load exactly this file; a missing file is an error. */
  configPath?: string | undefined;
  /** Home directory for `~` and for the user-wide fallback. @default os.homedir() */
  homeDir?: string | undefined;
}

export interface LoadedConfig {
  /** Absolute path of the file the config came from. */
  filepath: string;
  /** The validated config. */
  config: AuthdoctorConfig;
  /** Advice that does not stop the run (e.g. a secret written inline), each `<file>: <key.path>: …`. */
  warnings: string[];
  /** Home directory used for `~` in paths. @default os.homedir() */
  homeDir?: string | undefined;
}

/**
 * Finds, loads and validates the config. Returns null when no config file exists (that is not an
 * error: everything can come from the command line). Throws ConfigError for a file that cannot be
 * read or parsed, or that does not validate (every problem at once).
 *
 * Search order: `cwd`, then each parent directory up to and including the stop directory — the
 * nearest directory that holds `.git` (the project root) or, outside a git work tree, the home
 * directory. Outside both, only `cwd` is searched: walking up to `/` would let a file planted in a
 * shared directory such as `/tmp` run its code (a `.ts`/`.js` config is executed). Last, the home
 * directory itself, if it was not searched yet, so that `~/.authdoctorrc` holds user-wide profiles.
 */
export async function loadConfig(opts: LoadOptions): Promise<LoadedConfig | null> {
  const homeDir = resolve(opts.homeDir ?? homedir());
  const cwd = resolve(opts.cwd);
  const explorer = await createExplorer();

  if (opts.configPath !== undefined) {
    const filepath = configPath(opts.configPath, cwd, homeDir);
    await assertConfigFile(filepath);
    const result = await run(() => explorer.load(filepath), filepath);
    if (result === null) {
      throw new ConfigError(`${filepath}: has no "${MODULE_NAME}" key`, [`${filepath}: has no "${MODULE_NAME}" key`]);
    }
    return await finish(result.filepath, result.config, homeDir);
  }

  for (const dir of await searchDirectories(cwd, homeDir)) {
    const result = await run(() => explorer.search(dir), dir);
    if (result) return await finish(result.filepath, result.config, homeDir);
  }
  return null;
}

/** The directories `loadConfig` searches, in order (exported for diagnostics and tests). */
export async function searchDirectories(cwd: string, homeDir: string): Promise<string[]> {
  const home = resolve(homeDir);
  const dirs: string[] = [];
  let dir = resolve(cwd);
  for (;;) {
    dirs.push(dir);
    if (dir === home || (await exists(join(dir, '.git')))) break;
    const parent = dirname(dir);
    if (parent === dir) {
      // Reached the root without meeting a project root or the home directory: cwd only.
      dirs.splice(1);
      break;
    }
    dir = parent;
  }
  if (!dirs.includes(home)) dirs.push(home);
  return dirs;
}

async function finish(filepath: string, raw: unknown, homeDir: string): Promise<LoadedConfig> {
  // zod (the schema) loads only when there is a config to validate: most runs have none.
  const { validateConfig } = await import('./schema.ts');
  const { config, warnings } = validateConfig(raw, filepath);
  return { filepath, config: config satisfies AuthdoctorConfig, warnings, homeDir };
}

async function createExplorer() {
  // Imported here, not at the top: `authdoctor --help` and the commands that read no config never load it.
  const { cosmiconfig } = await import('./cosmiconfig.ts');
  const moduleLoader: Loader = loadModule;
  return cosmiconfig(MODULE_NAME, {
    searchPlaces: [...SEARCH_PLACES],
    packageProp: MODULE_NAME,
    // We walk the directories ourselves (searchDirectories): 'none' = look in the given one only.
    searchStrategy: 'none',
    // An empty file found first is still the config (an empty one), not a reason to look elsewhere.
    ignoreEmptySearchPlaces: false,
    // A long-running TUI re-reads the config after the user edits it.
    cache: false,
    loaders: {
      '.json': loadJson,
      '.yaml': loadYaml,
      '.yml': loadYaml,
      noExt: loadYaml,
      '.ts': moduleLoader,
      '.mts': moduleLoader,
      '.cts': moduleLoader,
      '.js': moduleLoader,
      '.mjs': moduleLoader,
      '.cjs': moduleLoader,
    },
  });
}

async function run<T>(fn: () => Promise<T>, where: string): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const file = (error as { filepath?: string } | null)?.filepath ?? where;
    const reason = error instanceof Error ? error.message : String(error);
    const message = `${file}: cannot load config: ${reason}`;
    throw new ConfigError(message, [message], { cause: error });
  }
}

async function assertConfigFile(filepath: string): Promise<void> {
  let info;
  try {
    info = await stat(filepath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? `config file not found: ${filepath}` : `cannot read config file ${filepath}: ${code ?? String(error)}`;
    throw new ConfigError(message, [message]);
  }
  if (!info.isFile()) {
    const message = `config file ${filepath} is not a file`;
    throw new ConfigError(message, [message]);
  }
  const ext = extname(filepath);
  if (ext !== '' && !['.json', '.yaml', '.yml', '.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'].includes(ext)) {
    const message = `${filepath}: unsupported config file type "${ext}" (use .json, .yaml, .yml, .ts, .mts, .js, .mjs, or no extension for YAML/JSON)`;
    throw new ConfigError(message, [message]);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function syntaxError(filepath: string, kind: string, reason: string, line?: number, column?: number): ConfigError {
  const where = line === undefined ? filepath : column === undefined ? `${filepath}:${line}` : `${filepath}:${line}:${column}`;
  const message = `${where}: ${kind} syntax error: ${reason}`;
  return new ConfigError(message, [message]);
}

/**
 * JSON via JSON.parse, with our own error text: V8's message for some errors quotes the start of
 * the file (which may hold an inline secret) and for others gives no position at all.
 */
function loadJson(filepath: string, content: string): unknown {
  try {
    return JSON.parse(content) as unknown;
  } catch (error) {
    const reason = (error as Error).message
      .split(/, (?:\.\.\.)?"/)[0]!
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/^Unexpected end of JSON input$/, 'unexpected end of file');
    const offset = jsonErrorOffset(content);
    const { line, column } = lineColumn(content, offset);
    throw syntaxError(filepath, 'JSON', reason, line, column);
  }
}

/**
 * Offset of the first character where `text` stops being JSON (RFC 8259). JSON.parse knows it but
 * does not always say; no installed library reports it either, and the grammar is small enough to
 * walk. Only called after JSON.parse has failed.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw new JsonStop(i);
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === '\\') {
        const next = text[i + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            i += 2;
            fail();
          }
          i += 6;
          continue;
        }
        if (next === undefined || !'"\\/bfnrt'.includes(next)) {
          i++;
          fail();
        }
        i += 2;
        continue;
      }
      if (ch < ' ') fail();
      i++;
    }
    fail();
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const value = (depth: number): void => {
    if (depth > 512) fail();
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail();
      }
    }
    if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail();
      }
    }
    if (ch === '"') return string();
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(text);
    if (number) {
      i += number[0].length;
      return;
    }
    const word = ['true', 'false', 'null'].find((w) => w[0] === ch);
    if (word) {
      // Stop at the first character that differs, where JSON.parse stops too.
      for (const expected of word) {
        if (text[i] !== expected) fail();
        i++;
      }
      return;
    }
    fail();
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail();
    return text.length;
  } catch (error) {
    if (error instanceof JsonStop) return error.offset;
    throw error;
  }
}

class JsonStop {
  readonly offset: number;
  constructor(offset: number) {
    this.offset = offset;
  }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column };
}

/**
 * YAML (and `.authdoctorrc`, which may be YAML or JSON: JSON is YAML 1.2) with the `yaml` package:
 * it rejects duplicate keys and gives error offsets. `prettyErrors: false` keeps the source line
 * (which may hold an inline secret) out of the message.
 */
async function loadYaml(filepath: string, content: string): Promise<unknown> {
  const { LineCounter, parseDocument } = await import('./yaml.ts');
  const lineCounter = new LineCounter();
  const doc = parseDocument(content, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const [first] = doc.errors;
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    throw syntaxError(filepath, 'YAML', first.message, line, col);
  }
  try {
    // A document of only comments is an empty config, not "no config here" (null would mean that).
    return doc.toJS({ maxAliasCount: 100 }) ?? undefined;
  } catch (error) {
    throw syntaxError(filepath, 'YAML', (error as Error).message);
  }
}

/*
 * cosmiconfig 10 has no TypeScript loader, and none is needed: Node 24 (and 22.18+) strips types
 * natively when it imports a `.ts`/`.mts` file, so a plain `import()` of the file URL loads a
 * TypeScript config with no compiler in the loop — which is also why only erasable syntax works
 * there (no enums or namespaces).
 *
 * That `import()` lives in native-import.ts, loaded with `require` (Node's require(esm)) rather
 * than imported: a literal `import()` here would be rewritten by Vitest or a bundler into their own
 * module loader, which transpiles TypeScript by other rules (it accepts enums, reports other
 * errors), and the tests would not test what users run. Keep that file separate and unbundled.
 */
const nativeImport = (() => {
  const self = fileURLToPath(import.meta.url);
  const helper = join(dirname(self), `native-import${extname(self)}`);
  return (createRequire(import.meta.url)(helper) as typeof import('./native-import.ts')).nativeImport;
})();

async function loadModule(filepath: string): Promise<unknown> {
  const info = await stat(filepath);
  // Node caches modules by URL; a changed file gets a new URL so that a re-read sees the edit.
  const url = `${pathToFileURL(filepath).href}?mtime=${info.mtimeMs}-${info.size}`;
  let namespace: Record<string, unknown>;
  try {
    namespace = await nativeImport(url);
  } catch (error) {
    throw moduleError(filepath, error);
  }
  if (!('default' in namespace) || namespace.default === undefined) {
    const message = `${filepath}: has no default export; write \`export default defineConfig({ … })\``;
    throw new ConfigError(message, [message]);
  }
  const config = namespace.default;
  if (typeof config === 'function') {
    const message = `${filepath}: the default export is a function; export the config object itself`;
    throw new ConfigError(message, [message]);
  }
  // null would make cosmiconfig look for another file; an explicit null is an (invalid) config.
  return config === null ? {} : config;
}

function moduleError(filepath: string, error: unknown): ConfigError {
  const err = error as (Error & { code?: string }) | undefined;
  const reason = err?.message ?? String(error);
  const stack = err?.stack ?? '';
  if (err?.code === 'ERR_INVALID_TYPESCRIPT_SYNTAX' || err?.code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX') {
    // Node's decorated stack starts with "<path>:<line>\n<source line>\n<carets>".
    const [head = '', , carets = ''] = stack.split('\n');
    const line = /:(\d+)$/.exec(head)?.[1];
    const caret = /^\s*\^/.test(carets) ? carets.indexOf('^') + 1 : undefined;
    const unsupported = err.code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX' ? ' (Node runs TypeScript configs by stripping types, so enums, namespaces and parameter properties are not available)' : '';
    return syntaxError(filepath, 'TypeScript', reason + unsupported, line === undefined ? undefined : Number(line), line === undefined ? undefined : caret);
  }
  if (err instanceof SyntaxError) {
    const at = frameIn(stack, filepath);
    return syntaxError(filepath, basename(filepath).endsWith('ts') ? 'TypeScript' : 'JavaScript', reason, at?.line, at?.column);
  }
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && /Cannot find package 'authdoctor'/.test(reason)) {
    const message = `${filepath}: cannot import 'authdoctor': install it in the project (npm install --save-dev authdoctor), or drop the import and export a plain object`;
    return new ConfigError(message, [message], { cause: error });
  }
  const at = frameIn(stack, filepath);
  const where = at ? `${filepath}:${at.line}:${at.column}` : filepath;
  const message = `${where}: the config file failed to load: ${err?.name ?? 'Error'}: ${reason}`;
  return new ConfigError(message, [message], { cause: error });
}

/** Line and column of the first stack frame in the config file itself (the URL carries our `?mtime=`). */
function frameIn(stack: string, filepath: string): { line: number; column: number } | undefined {
  const url = pathToFileURL(filepath).href.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${url}(?:\\?[^:\\s)]*)?:(\\d+):(\\d+)`).exec(stack);
  return match ? { line: Number(match[1]), column: Number(match[2]) } : undefined;
}
