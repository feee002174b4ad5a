import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PluginLoadError } from '../../src/core/errors.ts';
import { loadPlugins } from '../../src/plugins/loader.ts';

const DEFINE = path.resolve('src/plugins/define.ts');

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'authdoctor-plugins-'));
}

const goodPlugin = (name: string) => `import { definePlugin, defineRule } from ${JSON.stringify(DEFINE)};
export default definePlugin({
  name: ${JSON.stringify(name)},
  rules: [defineRule({ meta: { id: 'always', title: 'Always fine', causes: [] }, check: () => [] })],
});
`;

describe('loadPlugins', () => {
  it('loads a TypeScript plugin file without a build step, and the built-ins first', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'acme.ts'), goodPlugin('acme'));
    const loaded = await loadPlugins({ specifiers: ['./acme.ts'], baseDir: dir });
    expect(loaded.at(-1)).toMatchObject({ builtin: false, source: path.join(dir, 'acme.ts') });
    expect(loaded.at(-1)!.plugin.name).toBe('acme');
    expect(loaded[0]!.builtin).toBe(true);
  });

  it('loads every plugin file and plugin folder of a rules directory', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'one.ts'), goodPlugin('one'));
    await mkdir(path.join(dir, 'two'));
    await writeFile(path.join(dir, 'two', 'index.ts'), goodPlugin('two'));
    await writeFile(path.join(dir, 'one.test.ts'), 'throw new Error("tests are not plugins")');
    const loaded = await loadPlugins({ rulesDir: dir, builtins: false });
    expect(loaded.map((p) => p.plugin.name)).toEqual(['one', 'two']);
  });

  it('names the plugin and the reason when it throws at import', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'bad.ts'), 'throw new Error("cannot start: missing ACME_URL");\nexport default {};\n');
    const error = await loadPlugins({ specifiers: ['./bad.ts'], baseDir: dir, builtins: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginLoadError);
    expect((error as Error).message).toBe('Plugin ./bad.ts failed to load: cannot start: missing ACME_URL');
  });

  it('says what is wrong with a default export that is not a plugin', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'shape.ts'), 'export default { name: "shape", rules: [{ meta: { id: "x", title: "X", causes: ["nope"] } }] };\n');
    const error = await loadPlugins({ specifiers: ['./shape.ts'], baseDir: dir, builtins: false }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/Plugin \.\/shape\.ts is not a valid plugin: rule x: meta\.causes must list cause ids.*check must be a function/);
  });

  it('reports a missing file and a package that is not installed', async () => {
    const dir = await tempDir();
    await expect(loadPlugins({ specifiers: ['./nope.ts'], baseDir: dir, builtins: false })).rejects.toThrow(/could not be found/);
    const error = (await loadPlugins({ specifiers: ['authdoctor-plugin-not-installed'], baseDir: dir, builtins: false }).catch((e: unknown) => e)) as PluginLoadError;
    expect(error.message).toMatch(/"authdoctor-plugin-not-installed" could not be found: no such package is installed/);
    expect(error.hint).toBe('Install it with: npm install --save-dev authdoctor-plugin-not-installed');
  });

  it('loads an ESM-only package whose "exports" has only an import condition', async () => {
    const dir = await tempDir();
    const pkg = path.join(dir, 'node_modules', 'authdoctor-plugin-esm-only');
    await mkdir(pkg, { recursive: true });
    await writeFile(path.join(pkg, 'package.json'), JSON.stringify({ name: 'authdoctor-plugin-esm-only', type: 'module', exports: { '.': { import: './index.mjs' } } }));
    await writeFile(path.join(pkg, 'index.mjs'), 'export default { name: "esm-only", rules: [] };\n');
    // Resolved from a sub-folder, so the lookup walks up to the parent's node_modules like import does.
    const project = path.join(dir, 'project', 'config');
    await mkdir(project, { recursive: true });
    const loaded = await loadPlugins({ specifiers: ['authdoctor-plugin-esm-only'], baseDir: project, builtins: false });
    expect(loaded.map((p) => [p.plugin.name, p.source])).toEqual([['esm-only', path.join(pkg, 'index.mjs')]]);
  });

  it('follows nested import conditions and subpath exports of a scoped ESM-only package', async () => {
    const dir = await tempDir();
    const pkg = path.join(dir, 'node_modules', '@acme', 'authdoctor-plugin-hmac');
    await mkdir(path.join(pkg, 'dist'), { recursive: true });
    const exportsField = { '.': { types: './dist/index.d.ts', node: { require: './dist/missing.cjs', import: './dist/index.mjs' } }, './extra': [{ import: './dist/extra.mjs' }] };
    await writeFile(path.join(pkg, 'package.json'), JSON.stringify({ name: '@acme/authdoctor-plugin-hmac', type: 'module', exports: exportsField }));
    await writeFile(path.join(pkg, 'dist', 'index.mjs'), 'export default { name: "acme-hmac", rules: [] };\n');
    await writeFile(path.join(pkg, 'dist', 'extra.mjs'), 'export default { name: "acme-extra", rules: [] };\n');
    const loaded = await loadPlugins({ specifiers: ['@acme/authdoctor-plugin-hmac', '@acme/authdoctor-plugin-hmac/extra'], baseDir: dir, builtins: false });
    expect(loaded.map((p) => p.plugin.name)).toEqual(['acme-hmac', 'acme-extra']);
  });

  it('says so when an installed package exports nothing import can load, and still reports a missing one as not installed', async () => {
    const dir = await tempDir();
    const pkg = path.join(dir, 'node_modules', 'authdoctor-plugin-types-only');
    await mkdir(pkg, { recursive: true });
    await writeFile(path.join(pkg, 'package.json'), JSON.stringify({ name: 'authdoctor-plugin-types-only', exports: { '.': { types: './index.d.ts' } } }));
    const error = (await loadPlugins({ specifiers: ['authdoctor-plugin-types-only'], baseDir: dir, builtins: false }).catch((e: unknown) => e)) as PluginLoadError;
    expect(error).toBeInstanceOf(PluginLoadError);
    expect(error.message).toBe(`Plugin "authdoctor-plugin-types-only" is installed in ${pkg}, but its package.json "exports" has no "." entry that import can load.`);

    const missing = (await loadPlugins({ specifiers: ['authdoctor-plugin-esm-only'], baseDir: dir, builtins: false }).catch((e: unknown) => e)) as PluginLoadError;
    expect(missing).toBeInstanceOf(PluginLoadError);
    expect(missing.message).toBe(`Plugin "authdoctor-plugin-esm-only" could not be found: no such package is installed (resolved from ${dir}).`);
    expect(missing.hint).toBe('Install it with: npm install --save-dev authdoctor-plugin-esm-only');
  });

  it('refuses two plugins with the same name, naming both', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'a.ts'), goodPlugin('dup'));
    await writeFile(path.join(dir, 'b.ts'), goodPlugin('dup'));
    await expect(loadPlugins({ specifiers: ['./a.ts', './b.ts'], baseDir: dir, builtins: false })).rejects.toThrow(/Two plugins are named "dup" \(.*a\.ts and .*b\.ts\)/);
  });
});
