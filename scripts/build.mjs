#!/usr/bin/env node
/**
 * The build: two outputs from one source tree.
 *
 *   dist/src, dist/rules  tsc: the library (`authdoctor`, `authdoctor/testing`) as plain ESM files
 *                         with declarations, for plugin authors and config files.
 *   dist/bundle           esbuild: the `authdoctor` binary, bundled with code splitting so that
 *                         start-up reads a handful of files instead of walking hundreds of ESM
 *                         modules, and every lazy `import()` stays a lazy chunk (Ink/React only for
 *                         `tui`/`demo`, got only to send a request, each plugin's heavy dependency
 *                         only when the plugin applies).
 *
 * Usage: node scripts/build.mjs [--bundle-only | --lib-only]
 * AUTHDOCTOR_METAFILE=path.json also writes esbuild's metafile (what went into which chunk).
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLE_DIR = path.join(root, 'dist/bundle');

/**
 * ESM `import … from 'node:http'` makes Node build a module facade of the built-in, which reads
 * every export — and some exports are lazy getters that load a lot: `node:http`'s pull in the whole
 * of undici (fetch, WebSocket, EventSource), `node:process`'s build the allowed-flags set.
 * `process.getBuiltinModule()` (Node 22.3+) returns the module object itself, and the code then reads
 * only the properties it uses. So the static imports of built-ins that esbuild leaves in its output
 * are rewritten into `process.getBuiltinModule()` calls, one statement for one, on the same lines
 * (the source maps stay right). Done on the output rather than with a virtual module per built-in,
 * because esbuild would give each such module a chunk of its own, and every chunk is a file to load.
 */
const IMPORT_STATEMENT = /^import\s*([^;"']*?)\s*from\s*"([^"]+)";$|^import\s*"([^"]+)";$/gm;

export function rewriteBuiltinImports(code, file = 'output') {
  for (const [, specifier] of code.matchAll(/^export\s*[^;"']*from\s*"([^"]+)";$/gm)) {
    if (isBuiltin(specifier)) throw new Error(`${file}: re-exports the built-in ${specifier}, which rewriteBuiltinImports does not handle`);
  }
  return code.replace(IMPORT_STATEMENT, (statement, clause, from, bare) => {
    const specifier = from ?? bare;
    if (!isBuiltin(specifier)) return statement;
    const mod = `globalThis.process.getBuiltinModule(${JSON.stringify(specifier.startsWith('node:') ? specifier : `node:${specifier}`)})`;
    if (bare !== undefined) return `${mod};`;
    const parts = [];
    let named = clause;
    let first = null;
    const head = /^([\w$]+)\s*(?:,\s*|$)/.exec(clause);
    if (head) {
      first = head[1];
      parts.push(`${first} = ${mod}`);
      named = clause.slice(head[0].length);
    }
    const ns = /^\*\s*as\s+([\w$]+)$/.exec(named.trim());
    if (ns) parts.push(`${ns[1]} = ${first ?? mod}`);
    else if (named.trim()) {
      const list = /^\{([^}]*)\}$/.exec(named.trim());
      if (!list) throw new Error(`${file}: cannot rewrite ${statement}`);
      const bindings = [];
      for (const item of list[1].split(',').map((s) => s.trim()).filter(Boolean)) {
        const [imported, local = imported] = item.split(/\s+as\s+/);
        // `default` of a built-in is its module object, not a property of it.
        if (imported === 'default') parts.push(`${local} = ${first ?? mod}`);
        else bindings.push(imported === local ? imported : `${imported}: ${local}`);
      }
      if (bindings.length) parts.push(`{ ${bindings.join(', ')} } = ${first ?? mod}`);
    }
    const newlines = statement.split('\n').length - 1;
    return `const ${parts.join(', ')};${'\n'.repeat(newlines)}`;
  });
}

/**
 * ESM output has no `require`, but CommonJS dependencies bundled into it (React, parts of got's
 * tree) call `require('node:…')`: give every output file one, made for its own URL.
 */
const REQUIRE_BANNER = 'const require = globalThis.process.getBuiltinModule("node:module").createRequire(import.meta.url);';

/**
 * Bundles `entryPoints` (default: the CLI) into `outdir`. The benchmark uses it too, for its minimal
 * Ink app, so that both are built the same way.
 */
export async function bundle({ outdir = BUNDLE_DIR, entryPoints = { cli: 'src/cli.ts' } } = {}) {
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node22.18',
    format: 'esm',
    // Packages that ship both prefer their ESM build (jsonc-parser's "main" is a UMD file that
    // requires its parts at run time, which a bundle cannot follow).
    mainFields: ['module', 'main'],
    // Syntax only: identifiers and lines stay readable in a stack trace (AUTHDOCTOR_DEBUG=1), and
    // one statement per line lets rewriteBuiltinImports keep the source maps right.
    minifySyntax: true,
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'linked',
    logLevel: 'warning',
    absWorkingDir: root,
    outdir,
    write: false,
  };
  const result = await build({
    ...common,
    entryPoints,
    splitting: true,
    chunkNames: '[name]-[hash]',
    // React ships a development and a production build chosen by NODE_ENV at run time; a tool
    // people run is the production one (and the development build is several times slower).
    define: { 'process.env.NODE_ENV': '"production"' },
    // Ink imports its devtools bridge only when DEV=true; that module needs react-devtools-core,
    // which is not a dependency. Leave it out of the bundle, behind Ink's own lazy import.
    external: ['react-devtools-core'],
    banner: { js: REQUIRE_BANNER },
    metafile: true,
  });
  refuseDefaultOnlyChunks(result.metafile);
  // src/config/native-import.ts is loaded with `require` by config/load.ts from the folder of the
  // code that needs it, so that a config file goes through Node's own loader: ship it next to the
  // chunks, unbundled.
  const helper = await build({ ...common, entryPoints: { 'native-import': 'src/config/native-import.ts' }, bundle: false, sourcemap: false });

  if (process.env.AUTHDOCTOR_METAFILE) await writeFile(process.env.AUTHDOCTOR_METAFILE, JSON.stringify(result.metafile));
  await mkdir(outdir, { recursive: true });
  const written = new Set();
  for (const file of [...result.outputFiles, ...helper.outputFiles]) {
    const text = file.path.endsWith('.js') ? rewriteBuiltinImports(file.text, path.relative(root, file.path)) : file.text;
    await writeFile(file.path, text);
    written.add(path.basename(file.path));
  }
  // Chunk names carry a content hash: remove the ones an earlier build left behind.
  for (const name of await readdir(outdir)) if (!written.has(name)) await rm(path.join(outdir, name), { force: true });
  return result;
}

/**
 * `await import('some-commonjs-package')` works under Node (named exports are detected), but with
 * code splitting esbuild turns such a module into a chunk whose only export is `default`, so
 * `const { name } = await import(…)` gets undefined in the binary only. Import it through a small ES
 * module that re-exports the names (as src/config/cosmiconfig.ts does) — this check finds the cases.
 */
function refuseDefaultOnlyChunks(metafile) {
  const bad = Object.values(metafile.outputs)
    .filter((o) => o.entryPoint && o.entryPoint.includes('node_modules/') && o.exports.length === 1 && o.exports[0] === 'default')
    .map((o) => o.entryPoint);
  if (bad.length) {
    throw new Error(`these CommonJS modules are imported with import() and would lose their named exports in the bundle; import each through an ES module that re-exports its names:\n  ${bad.join('\n  ')}`);
  }
}

function tsc() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`tsc exited with ${code}`))));
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const only = process.argv[2];
  const started = Date.now();
  const jobs = [];
  if (only !== '--lib-only') jobs.push(bundle().then(() => process.stdout.write(`build: dist/bundle (${Date.now() - started} ms)\n`)));
  if (only !== '--bundle-only') jobs.push(tsc().then(() => process.stdout.write(`build: dist/src, dist/rules (${Date.now() - started} ms)\n`)));
  const results = await Promise.allSettled(jobs);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) {
    process.stderr.write(`build failed: ${failed.reason instanceof Error ? failed.reason.message : String(failed.reason)}\n`);
    process.exitCode = 1;
  }
}
