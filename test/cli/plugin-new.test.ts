import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../helpers/cli.ts';

/**
 * The scaffold is proven the way a user meets it: generated into a project whose
 * node_modules/authdoctor is this repository as a package — its real package.json (so the "exports"
 * map, `authdoctor/testing` included, is what resolves the imports) and a dist/ built from this
 * source. dist/ is bundled with esbuild rather than compiled with tsc: the same modules, in a second
 * instead of the twenty a full tsc build takes on two cores. The generated files are also
 * type-checked against the public API's source.
 */
let project: string;

function run(command: string, args: readonly string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

beforeAll(async () => {
  project = await mkdtemp(path.join(tmpdir(), 'authdoctor-scaffold-'));
  const pkg = path.join(project, 'node_modules', 'authdoctor');
  await mkdir(pkg, { recursive: true });
  await copyFile(path.join(REPO, 'package.json'), path.join(pkg, 'package.json'));
  await symlink(path.join(REPO, 'node_modules'), path.join(pkg, 'node_modules'), 'dir');
  await build({
    absWorkingDir: REPO,
    entryPoints: ['src/index.ts', 'src/testing/index.ts'],
    outbase: '.',
    outdir: path.join(pkg, 'dist'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    packages: 'external',
    logLevel: 'silent',
  });
});

afterAll(async () => {
  // rm does not follow the node_modules symlink into the repository.
  await rm(project, { recursive: true, force: true });
});

describe('authdoctor plugin new', () => {
  it('creates NAME/ with the plugin, one rule, its RuleTester tests, a README and a package.json, and says what to do next', async () => {
    const { code, stdout, stderr } = await runCli(['plugin', 'new', 'acme-widgets'], { cwd: project });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('Created the plugin "acme-widgets" in acme-widgets/:');
    expect(stdout).toContain("1. Load it: add plugins: ['./acme-widgets/index.ts'] to your authdoctor config.");
    expect(stdout).toContain('2. Run its tests: cd acme-widgets && node --test');
    expect((await readdir(path.join(project, 'acme-widgets'))).sort()).toEqual(['README.md', 'error-code.test.ts', 'error-code.ts', 'index.ts', 'package.json']);
    const index = await readFile(path.join(project, 'acme-widgets', 'index.ts'), 'utf8');
    expect(index).toContain("import { definePlugin } from 'authdoctor';");
    expect(index).toContain("name: 'acme-widgets',");
    const test = await readFile(path.join(project, 'acme-widgets', 'error-code.test.ts'), 'utf8');
    expect(test).toContain("import { RuleTester } from 'authdoctor/testing';");
    const pkg = JSON.parse(await readFile(path.join(project, 'acme-widgets', 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg).toMatchObject({ name: 'authdoctor-plugin-acme-widgets', type: 'module', peerDependencies: { authdoctor: expect.stringMatching(/^\^\d+\.\d+\.\d+$/) } });
    const readme = await readFile(path.join(project, 'acme-widgets', 'README.md'), 'utf8');
    expect(readme).toContain("plugins: ['./acme-widgets/index.ts']");
    expect(readme).toContain('node --test');
  });

  it('generates tests that pass under node --test, importing authdoctor/testing through the package exports', async () => {
    const { code, output } = await run(process.execPath, ['--test', '--test-reporter=spec'], path.join(project, 'acme-widgets'));
    expect(output).toContain('▶ acme-widgets/error-code');
    expect(output).toContain('✔ insufficient_scope names the missing scope');
    expect(output).toContain('✔ invalid_token in a nested error object');
    expect(output).toMatch(/ℹ pass 4\b/);
    expect(output).toMatch(/ℹ fail 0\b/);
    expect(code).toBe(0);
  });

  it('generates a plugin that loads from the config and diagnoses a real answer', async () => {
    await writeFile(path.join(project, '.authdoctorrc.json'), JSON.stringify({ plugins: ['./acme-widgets/index.ts'] }));
    const har = {
      log: {
        version: '1.2',
        creator: { name: 'test', version: '1' },
        entries: [
          {
            startedDateTime: '2026-03-02T10:00:00.000Z',
            request: { method: 'POST', url: 'https://api.widgets.example/v1/orders', httpVersion: 'HTTP/1.1', headers: [{ name: 'Authorization', value: 'Bearer tok_4f9a1c7e2b8d6053e1a9' }] },
            response: { status: 403, statusText: 'Forbidden', httpVersion: 'HTTP/1.1', headers: [{ name: 'Content-Type', value: 'application/json' }], content: { mimeType: 'application/json', text: '{"error":"insufficient_scope","scope":"orders:write"}' } },
          },
        ],
      },
    };
    await writeFile(path.join(project, 'scope.har'), JSON.stringify(har));
    const list = await runCli(['rules', 'list'], { cwd: project });
    expect(list.stdout).toMatch(/acme-widgets {2}acme-widgets\/index\.ts\n {2}acme-widgets\/error-code +The API's error code/);
    const check = await runCli(['check', '--har', 'scope.har', '--format', 'json'], { cwd: project });
    expect(check.code).toBe(1);
    const report = JSON.parse(check.stdout) as { findings: { ruleId: string; status: string; cause: string; evidence: Record<string, unknown> }[] };
    expect(report.findings.find((f) => f.ruleId === 'acme-widgets/error-code')).toMatchObject({ status: 'fail', cause: 'insufficient_permissions', evidence: { code: 'insufficient_scope', scope: 'orders:write' } });
  });

  it('generates code that type-checks against the public API', { timeout: 120_000 }, async () => {
    const tsconfig = {
      compilerOptions: {
        target: 'ES2023',
        lib: ['ES2023', 'DOM'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noUncheckedIndexedAccess: true,
        verbatimModuleSyntax: true,
        erasableSyntaxOnly: true,
        allowImportingTsExtensions: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [path.join(REPO, 'node_modules', '@types')],
        // The package's types entries point into a tsc build (dist/*.d.ts); the source they come from stands in.
        paths: { authdoctor: [path.join(REPO, 'src/index.ts')], 'authdoctor/testing': [path.join(REPO, 'src/testing/index.ts')] },
      },
      include: ['acme-widgets'],
    };
    await writeFile(path.join(project, 'tsconfig.json'), JSON.stringify(tsconfig));
    const { code, output } = await run(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--pretty', 'false'], project);
    expect(code).not.toBeNull();
    // Only the generated files are judged: the source they import is type-checked by the project itself.
    expect(output.split('\n').filter((line) => line.startsWith('acme-widgets/'))).toEqual([]);
  });

  it('takes --dir PATH, and strips authdoctor-plugin- from the plugin name but keeps it in the package name', async () => {
    const { code, stdout } = await runCli(['plugin', 'new', 'authdoctor-plugin-billing', '--dir', 'plugins/billing'], { cwd: project });
    expect(code).toBe(0);
    expect(stdout).toContain(`Created the plugin "billing" in ${path.join('plugins', 'billing')}/:`);
    expect(await readFile(path.join(project, 'plugins', 'billing', 'index.ts'), 'utf8')).toContain("name: 'billing',");
    expect(JSON.parse(await readFile(path.join(project, 'plugins', 'billing', 'package.json'), 'utf8'))).toMatchObject({ name: 'authdoctor-plugin-billing' });
    expect(stdout).toContain("1. Load it: add plugins: ['./plugins/billing/index.ts'] to your authdoctor config.");
    expect(await readFile(path.join(project, 'plugins', 'billing', 'README.md'), 'utf8')).toContain("plugins: ['./plugins/billing/index.ts']");
  });

  it('refuses to overwrite a folder that exists and is not empty, or a file, and leaves them untouched', async () => {
    await mkdir(path.join(project, 'taken'));
    await writeFile(path.join(project, 'taken', 'index.ts'), '// mine\n');
    const folder = await runCli(['plugin', 'new', 'taken'], { cwd: project });
    expect(folder.code).toBe(2);
    expect(folder.stderr).toBe('authdoctor: taken already exists and is not empty; refusing to overwrite it. Choose another NAME or --dir PATH.\n');
    expect(await readFile(path.join(project, 'taken', 'index.ts'), 'utf8')).toBe('// mine\n');
    await writeFile(path.join(project, 'a-file'), 'x');
    const file = await runCli(['plugin', 'new', 'ok-name', '--dir', 'a-file'], { cwd: project });
    expect(file.code).toBe(2);
    expect(file.stderr).toBe('authdoctor: a-file already exists and is a file; refusing to overwrite it. Choose another NAME or --dir PATH.\n');
    await mkdir(path.join(project, 'empty'));
    expect((await runCli(['plugin', 'new', 'empty'], { cwd: project })).code).toBe(0);
  });

  it.each([
    ['Acme', /"Acme" is not a valid plugin name: use lower-case letters/],
    ['my plugin', /"my plugin" is not a valid plugin name/],
    ['.hidden', /"\.hidden" is not a valid plugin name/],
    ['@acme/rules', /"@acme\/rules" is a scoped package name; give the plugin's own name \(authdoctor plugin new rules\)/],
    ['oauth2', /"oauth2" is the name of a built-in plugin; its rule ids would clash/],
  ])('refuses the name %s with exit code 2 and creates nothing', async (name, message) => {
    const before = await readdir(project);
    const { code, stderr, stdout } = await runCli(['plugin', 'new', name], { cwd: project });
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stdout).toBe('');
    expect(await readdir(project)).toEqual(before);
  });

  it('prints its help with --help, and usage errors for a missing NAME or an unknown subcommand', async () => {
    const help = await runCli(['plugin', 'new', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: authdoctor plugin new NAME [--dir PATH]');
    expect((await runCli(['plugin', '--help'])).stdout).toContain('Usage: authdoctor plugin new NAME');
    const missing = await runCli(['plugin', 'new'], { cwd: project });
    expect(missing).toMatchObject({ code: 2, stderr: 'authdoctor: plugin new needs a NAME: authdoctor plugin new NAME [--dir PATH].\n' });
    const unknown = await runCli(['plugin', 'create', 'x'], { cwd: project });
    expect(unknown).toMatchObject({ code: 2, stderr: 'authdoctor: Unknown subcommand "plugin create". Did you mean "plugin new NAME"?\n' });
    expect((await runCli(['--help'])).stdout).toContain('plugin new NAME create a plugin folder');
  });
});
