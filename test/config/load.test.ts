import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadConfig, SEARCH_PLACES, searchDirectories } from '../../src/config/load.ts';
import { configError, DEFINE_URL, sandbox } from './helpers.ts';

/** A config in the format of `place` whose tokenStore names the place, to tell which one was found. */
function configFor(place: string): string {
  const marker = { tokenStore: `from ${place}` };
  if (place === 'package.json') return JSON.stringify({ name: 'x', authdoctor: marker });
  if (place.endsWith('.json')) return JSON.stringify(marker);
  if (place.endsWith('rc')) return JSON.stringify(marker); // `.authdoctorrc` may hold JSON…
  if (place.endsWith('.yaml') || place.endsWith('.yml')) return `tokenStore: from ${place}\n`;
  return `export default ${JSON.stringify(marker)};\n`;
}

describe('search places', () => {
  test.each(SEARCH_PLACES)('finds a config in %s', async (place) => {
    const box = await sandbox();
    const path = await box.write(`repo/${place}`, configFor(place));
    const loaded = await loadConfig({ cwd: box.repo, homeDir: box.home });
    expect(loaded?.filepath).toBe(path);
    expect(loaded?.config.tokenStore).toBe(`from ${place}`);
  });

  test('takes the first place in the documented order when several exist', async () => {
    const box = await sandbox();
    for (const place of SEARCH_PLACES) await box.write(`repo/${place}`, configFor(place));
    for (const place of SEARCH_PLACES) {
      const loaded = await loadConfig({ cwd: box.repo, homeDir: box.home });
      expect(loaded?.config.tokenStore).toBe(`from ${place}`);
      await rm(join(box.repo, place));
    }
    expect(await loadConfig({ cwd: box.repo, homeDir: box.home })).toBeNull();
  });

  test('reads .authdoctorrc as YAML too', async () => {
    const box = await sandbox();
    await box.write('repo/.authdoctorrc', 'timeouts:\n  rule: 1500\nplugins:\n  - ./mine.ts\n');
    const loaded = await loadConfig({ cwd: box.repo, homeDir: box.home });
    expect(loaded?.config).toEqual({ timeouts: { rule: 1500 }, plugins: ['./mine.ts'] });
  });

  test('reads the authdoctor key of package.json and skips a package.json without it', async () => {
    const box = await sandbox();
    await box.write('repo/package.json', JSON.stringify({ name: 'app', authdoctor: { rules: { 'http/status': 'off' } } }));
    expect((await loadConfig({ cwd: box.repo, homeDir: box.home }))?.config).toEqual({ rules: { 'http/status': 'off' } });

    await box.write('repo/package.json', JSON.stringify({ name: 'app' }));
    const rc = await box.write('repo/.authdoctorrc.yml', 'tokenStore: ./tokens.json\n');
    expect((await loadConfig({ cwd: box.repo, homeDir: box.home }))?.filepath).toBe(rc);
  });

  test('returns null when there is no config anywhere', async () => {
    const box = await sandbox();
    expect(await loadConfig({ cwd: box.repo, homeDir: box.home })).toBeNull();
  });

  test('$import merges another file first (cosmiconfig), keys of the importing file winning', async () => {
    const box = await sandbox();
    await box.write('repo/config/base.yaml', 'tokenStore: base\ntimeouts:\n  rule: 100\n');
    await box.write('repo/.authdoctorrc.yaml', '$import: ./config/base.yaml\ntokenStore: own\n');
    expect((await loadConfig({ cwd: box.repo, homeDir: box.home }))?.config).toEqual({ tokenStore: 'own', timeouts: { rule: 100 } });
  });

  test('an empty config file found first is an empty config, not a reason to look further', async () => {
    const box = await sandbox();
    const empty = await box.write('repo/.authdoctorrc.yaml', '# nothing yet\n');
    await box.write('repo/authdoctor.config.mjs', 'export default { tokenStore: "x" };\n');
    const loaded = await loadConfig({ cwd: box.repo, homeDir: box.home });
    expect(loaded?.filepath).toBe(empty);
    expect(loaded?.config).toEqual({});
  });
});

describe('directories searched', () => {
  test('searches from cwd upward and the nearest directory wins', async () => {
    const box = await sandbox();
    await box.write('repo/.authdoctorrc.yaml', 'tokenStore: root\n');
    const near = await box.write('repo/a/authdoctor.config.mjs', 'export default { tokenStore: "near" };\n');
    const loaded = await loadConfig({ cwd: join(box.repo, 'a', 'b', 'c'), homeDir: box.home });
    expect(loaded?.filepath).toBe(near);
  });

  test('finds a config at the git root from a subdirectory', async () => {
    const box = await sandbox();
    const root = await box.write('repo/.authdoctorrc.json', '{"tokenStore": "root"}');
    expect((await loadConfig({ cwd: join(box.repo, 'packages', 'api'), homeDir: box.home }))?.filepath).toBe(root);
  });

  test('stops at the git root: a config above the project is not used', async () => {
    const box = await sandbox();
    await box.write('.authdoctorrc.json', '{"tokenStore": "outside"}');
    expect(await loadConfig({ cwd: join(box.repo, 'src'), homeDir: box.home })).toBeNull();
    expect(await searchDirectories(join(box.repo, 'src'), box.home)).toEqual([join(box.repo, 'src'), box.repo, box.home]);
  });

  test('falls back to the home directory for user-wide profiles', async () => {
    const box = await sandbox();
    const user = await box.write('home/.authdoctorrc', 'profiles: {}\n');
    expect((await loadConfig({ cwd: box.repo, homeDir: box.home }))?.filepath).toBe(user);
  });

  test('inside the home directory without git, walks up to the home directory', async () => {
    const box = await sandbox();
    const mid = await box.write('home/work/.authdoctorrc.yml', 'tokenStore: mid\n');
    const cwd = join(box.home, 'work', 'scratch', 'deep');
    expect((await loadConfig({ cwd, homeDir: box.home }))?.filepath).toBe(mid);
    expect(await searchDirectories(cwd, box.home)).toEqual([cwd, join(box.home, 'work', 'scratch'), join(box.home, 'work'), box.home]);
  });

  test('outside any project and the home directory, searches only cwd (then home)', async () => {
    const box = await sandbox();
    await box.write('loose/.authdoctorrc.yml', 'tokenStore: planted\n');
    const cwd = join(box.base, 'loose', 'inner');
    expect(await loadConfig({ cwd, homeDir: box.home })).toBeNull();
    expect(await searchDirectories(cwd, box.home)).toEqual([cwd, box.home]);
  });
});

describe('--config PATH', () => {
  test('loads exactly the given file, relative to cwd, whatever its name', async () => {
    const box = await sandbox();
    await box.write('repo/.authdoctorrc.yaml', 'tokenStore: searched\n');
    const chosen = await box.write('repo/conf/team.yaml', 'tokenStore: chosen\n');
    const loaded = await loadConfig({ cwd: box.repo, configPath: 'conf/team.yaml', homeDir: box.home });
    expect(loaded?.filepath).toBe(chosen);
    expect(loaded?.config.tokenStore).toBe('chosen');
  });

  test('expands ~ in the path', async () => {
    const box = await sandbox();
    const file = await box.write('home/cfg/authdoctor.json', '{"tokenStore": "home"}');
    expect((await loadConfig({ cwd: box.repo, configPath: '~/cfg/authdoctor.json', homeDir: box.home }))?.filepath).toBe(file);
  });

  test('accepts a CommonJS file', async () => {
    const box = await sandbox();
    const path = await box.write('repo/conf/authdoctor.cjs', 'module.exports = { tokenStore: "cjs" };\n');
    expect((await loadConfig({ cwd: box.repo, configPath: path, homeDir: box.home }))?.config).toEqual({ tokenStore: 'cjs' });
  });

  test('a missing file is an error naming it', async () => {
    const box = await sandbox();
    const error = await configError(() => loadConfig({ cwd: box.repo, configPath: 'nope.yaml', homeDir: box.home }));
    expect(error.message).toBe(`config file not found: ${join(box.repo, 'nope.yaml')}`);
    expect(error.exitCode).toBe(2);
  });

  test('a package.json without the authdoctor key is an error', async () => {
    const box = await sandbox();
    await box.write('repo/package.json', '{"name": "x"}');
    const error = await configError(() => loadConfig({ cwd: box.repo, configPath: 'package.json', homeDir: box.home }));
    expect(error.message).toContain('has no "authdoctor" key');
  });

  test('an unsupported extension is an error', async () => {
    const box = await sandbox();
    await box.write('repo/authdoctor.toml', 'a = 1');
    const error = await configError(() => loadConfig({ cwd: box.repo, configPath: 'authdoctor.toml', homeDir: box.home }));
    expect(error.message).toContain('unsupported config file type ".toml"');
  });
});

describe('TypeScript and JavaScript configs', () => {
  test('loads a TypeScript config with types natively, through defineConfig', async () => {
    const box = await sandbox();
    const path = await box.write(
      'repo/authdoctor.config.ts',
      [
        `import { defineConfig } from '${DEFINE_URL}';`,
        `import type { AuthdoctorConfig, Profile } from '${DEFINE_URL}';`,
        'interface Env { name: string }',
        "const env: Env = { name: 'STRIPE_KEY' };",
        "const stripe: Profile = { request: { url: 'https://api.stripe.com/v1/balance' }, auth: { scheme: 'api-key', key: { env: env.name }, header: 'Authorization', prefix: 'Bearer ' } };",
        'const timeouts = { rule: 1_000 as number } satisfies AuthdoctorConfig["timeouts"];',
        'export default defineConfig({ profiles: { stripe }, timeouts });',
      ].join('\n'),
    );
    const loaded = await loadConfig({ cwd: box.repo, homeDir: box.home });
    expect(loaded?.filepath).toBe(path);
    expect(loaded?.config.timeouts).toEqual({ rule: 1000 });
    expect(loaded?.config.profiles?.stripe?.auth).toEqual({ scheme: 'api-key', key: { env: 'STRIPE_KEY' }, header: 'Authorization', prefix: 'Bearer ' });
  });

  test('TypeScript is loaded by Node itself: syntax that needs a compiler (an enum) is reported as such', async () => {
    const box = await sandbox();
    const path = await box.write('repo/authdoctor.config.mts', "enum Mode { Off = 'off' }\nexport default { rules: { 'http/status': Mode.Off } };\n");
    const error = await configError(() => loadConfig({ cwd: box.repo, homeDir: box.home }));
    expect(error.message).toContain(`${path}:1`);
    expect(error.message).toContain('enums');
  });

  test('a config module without a default export is an error, not "no config"', async () => {
    const box = await sandbox();
    const path = await box.write('repo/authdoctor.config.mjs', 'export const config = {};\n');
    const error = await configError(() => loadConfig({ cwd: box.repo, homeDir: box.home }));
    expect(error.message).toBe(`${path}: has no default export; write \`export default defineConfig({ … })\``);
  });

  test('a config that throws while loading is reported with its file and line', async () => {
    const box = await sandbox();
    const path = await box.write('repo/authdoctor.config.ts', "const n: number = 1;\nthrow new RangeError('no tenant configured');\nexport default { n };\n");
    const error = await configError(() => loadConfig({ cwd: box.repo, homeDir: box.home }));
    expect(error.message).toBe(`${path}:2:7: the config file failed to load: RangeError: no tenant configured`);
  });

  test('re-loading picks up an edited TypeScript config', async () => {
    const box = await sandbox();
    await box.write('repo/authdoctor.config.ts', 'export default { tokenStore: "one" as string };\n');
    expect((await loadConfig({ cwd: box.repo, homeDir: box.home }))?.config.tokenStore).toBe('one');
    await box.write('repo/authdoctor.config.ts', 'export default { tokenStore: "second" as string };\n');
    expect((await loadConfig({ cwd: box.repo, homeDir: box.home }))?.config.tokenStore).toBe('second');
  });
});

describe('syntax errors name the file and the position', () => {
  test('JSON', async () => {
    const box = await sandbox();
    const path = await box.write('repo/.authdoctorrc.json', '{\n  "profiles": {\n    "a": }\n}\n');
    const error = await configError(() => loadConfig({ cwd: box.repo, homeDir: box.home }));
    expect(error.message).toBe(`${path}:3:10: JSON syntax error: Unexpected token '}'`);
    expect(error.problems).toEqual([error.message]);
  });

  test('JSON errors never quote the file content (an inline secret could be in it)', async () => {
    const box = await sandbox();
    const secret = 'sk_live_51HvQ2eLkdIwHu7ixQ9';
    const path = await box.write('repo/.authdoctorrc.json', `{"profiles": {"a": {"auth": {"scheme": "bearer", "token": "${secret}"}}}}}`);
    const error = await configError(() => loadConfig({ cwd: box.repo, homeDir: box.home }));
    expect(error.message.startsWith(`${path}:1:`)).toBe(true);
    expect(error.message.includes(secret)).toBe(false);
  });

  test('JSON in package.json', async () => {
    const box = await sandbox();
    const path = await box.write('repo/package.json', '{"name": "x",\n "authdoctor": {"rules": {,}}}');
    const error = await configError(() => loadConfig({ cwd: box.repo, homeDir: box.home }));
    expect(error.message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:27: JSON syntax error: `));
  });

  test('YAML', async () => {
    const box = await sandbox();
    const path = await box.write('repo/.authdoctorrc.yaml', 'profiles:\n  a:\n    request:\n      url: https://x.example\n     method: GET\n');
    const error = await configError(() => loadConfig({ cwd: box.repo, homeDir: box.home }));
    expect(error.message.startsWith(`${path}:5:`)).toBe(true);
    expect(error.message).toContain('YAML syntax error');
  });

  test('YAML duplicate keys', async () => {
    const box = await sandbox();
    const path = await box.write('repo/.authdoctorrc', 'tokenStore: a\ntokenStore: b\n');
    const error = await configError(() => loadConfig({ cwd: box.repo, homeDir: box.home }));
    expect(error.message).toBe(`${path}:2:1: YAML syntax error: Map keys must be unique`);
  });

  test('TypeScript', async () => {
    const box = await sandbox();
    const secret = 'tok_4f9a8b7c6d5e4f3a2b1c';
    const path = await box.write('repo/authdoctor.config.ts', `const token: string = '${secret}';\nexport default {\n  profiles: { a: { auth: { scheme: 'bearer', token } } \n`);
    const error = await configError(() => loadConfig({ cwd: box.repo, homeDir: box.home }));
    expect(error.message).toMatch(/:\d+(:\d+)?: TypeScript syntax error: /);
    expect(error.message.startsWith(`${path}:`)).toBe(true);
    expect(error.message.includes(secret)).toBe(false);
  });

  test('JavaScript', async () => {
    const box = await sandbox();
    const path = await box.write('repo/authdoctor.config.mjs', 'export default { tokenStore: };\n');
    const error = await configError(() => loadConfig({ cwd: box.repo, homeDir: box.home }));
    expect(error.message.startsWith(path)).toBe(true);
    expect(error.message).toContain('JavaScript syntax error');
  });
});
