import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlugins } from '../../src/plugins/loader.ts';
import wrongScheme from '../../rules/basic/wrong-scheme.ts';
import { REPO, runCli } from '../helpers/cli.ts';

const DEFINE = path.join(REPO, 'src/plugins/define.ts');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'authdoctor-explain-'));
  // A plugin whose rules are written inline, one without a description, one whose local id is also a built-in's.
  await writeFile(
    path.join(dir, 'inline.ts'),
    `import { definePlugin, defineRule } from ${JSON.stringify(DEFINE)};
export default definePlugin({
  name: 'inline',
  rules: [
    defineRule({ meta: { id: 'terse', title: 'A terse rule', causes: ['invalid_credentials', 'unknown'], network: true, timeoutMs: 5000, messages: { nope: 'No {{thing}}.' } }, check: () => [] }),
    defineRule({ meta: { id: 'status', title: 'Another status', description: 'Shares its local id with http/status.', causes: [] }, check: () => [] }),
  ],
});
`,
  );
  await writeFile(path.join(dir, 'inline.json'), JSON.stringify({ plugins: ['./inline.ts'] }));
  await writeFile(path.join(dir, 'acme.json'), JSON.stringify({ plugins: [path.join(REPO, 'examples/plugins/acme/index.ts')] }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('authdoctor explain RULE_ID', () => {
  it("prints a built-in rule's title, its own description, the causes it reports, network use, plugin and source file", async () => {
    const { code, stdout, stderr } = await runCli(['explain', 'basic/wrong-scheme']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`basic/wrong-scheme — ${wrongScheme.meta.title}`);
    expect(lines[2]).toBe(wrongScheme.meta.description);
    expect(stdout).toContain("Reports:  wrong_scheme — the credential travels by a mechanism the server does not accept for it: Bearer where Basic is expected, an API key in `Authorization` instead of its own header (or the reverse), one kind of key in another kind's header\n");
    expect(stdout).toContain('Network:  no — it reads only the request and the response\n');
    expect(stdout).toContain('Timeout:  2000 ms (the default; config timeouts.rule changes it)\n');
    expect(stdout).toMatch(/Plugin: {3}basic \(built-in, rules\/basic\) — Basic authentication/);
    expect(stdout).toContain('Source:   rules/basic/wrong-scheme.ts\n');
    expect(stdout).toContain("Turn it off in the config with rules: { 'basic/wrong-scheme': 'off' }.");
  });

  it('finds a rule by its local id when only one rule has it, and lists the candidates when several do', async () => {
    const local = await runCli(['explain', 'wrong-scheme']);
    expect(local.code).toBe(0);
    expect(local.stdout.split('\n')[0]).toBe(`basic/wrong-scheme — ${wrongScheme.meta.title}`);
    const ambiguous = await runCli(['explain', 'status', '--config', path.join(dir, 'inline.json')]);
    expect(ambiguous).toMatchObject({ code: 2, stdout: '' });
    expect(ambiguous.stderr).toBe('authdoctor: "status" is the id of 2 rules: http/status, inline/status. Name one, e.g. authdoctor explain http/status.\n');
  });

  it('prints what a rule declares and nothing invented: no description, network, its own timeout and messages, the plugin file as source', async () => {
    const { code, stdout } = await runCli(['explain', 'inline/terse', '--config', path.join(dir, 'inline.json')]);
    expect(code).toBe(0);
    expect(stdout).toContain('inline/terse — A terse rule\n\n(This rule declares no description: its title above is all it says about itself. Its source file below has the details.)\n');
    expect(stdout).toContain('Reports:  invalid_credentials — a credential the server does not accept: wrong, unknown, revoked, or from another tenant or environment\n          unknown — an authentication failure whose cause could not be determined\n');
    expect(stdout).toContain('Network:  yes — it may send requests of its own');
    expect(stdout).toContain('Timeout:  5000 ms\n');
    expect(stdout).toContain('Messages: nope: No {{thing}}.\n');
    expect(stdout).toContain(`Source:   ${path.join(dir, 'inline.ts')}\n`);
  });

  it("explains a config plugin's rule with the file that defines it and the plugin's actions", async () => {
    const { code, stdout } = await runCli(['explain', 'acme/missing-permission', '--config', path.join(dir, 'acme.json')]);
    expect(code).toBe(0);
    expect(stdout).toContain('Reports:  insufficient_permissions — authenticated, but not allowed: scope, audience, role, policy\n');
    expect(stdout).toContain(`Plugin:   acme (${path.join('examples', 'plugins', 'acme', 'index.ts')}) — Acme Cloud's error codes`);
    expect(stdout).toContain(`Source:   ${path.join('examples', 'plugins', 'acme', 'rules', 'missing-permission.ts')}\n`);
    expect(stdout).toContain("The acme plugin offers these actions (a finding's fix may point to one):\n  acme/key-info — Show the key's scopes\n");
  });

  it('gives the same facts as JSON with --format json', async () => {
    const { code, stdout } = await runCli(['explain', 'oauth2/token-endpoint', '--format', 'json']);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({ kind: 'rule', id: 'oauth2/token-endpoint', network: true, timeoutMs: 10_000, source: 'rules/oauth2/token-endpoint.ts', plugin: { name: 'oauth2', builtin: true, source: 'rules/oauth2' } });
    expect(Array.isArray(doc.causes)).toBe(true);
  });

  it('exits 2 on an unknown id and suggests the closest ids', async () => {
    const typo = await runCli(['explain', 'basic/wrong-schem']);
    expect(typo).toMatchObject({ code: 2, stdout: '' });
    expect(typo.stderr.split('\n')[0]).toBe('authdoctor: No rule, cause or plugin is called "basic/wrong-schem". Did you mean basic/wrong-scheme?');
    expect(typo.stderr).toContain('Rule ids: run "authdoctor rules list". Cause ids: missing_credentials, invalid_credentials,');
    const cause = await runCli(['explain', 'expired-token']);
    expect(cause.code).toBe(2);
    expect(cause.stderr.split('\n')[0]).toMatch(/Did you mean expired_token\b/);
    const nothing = await runCli(['explain', 'zzzzzzzzzzzzzzzz']);
    expect(nothing.stderr.split('\n')[0]).toBe('authdoctor: No rule, cause or plugin is called "zzzzzzzzzzzzzzzz".');
  });
});

describe('authdoctor explain CAUSE_ID', () => {
  it('prints what the cause means (DESIGN.md §2), its rank in the verdict, and every loaded rule that reports it', async () => {
    const { code, stdout } = await runCli(['explain', 'insufficient_permissions', '--config', path.join(dir, 'acme.json')]);
    expect(code).toBe(0);
    expect(stdout).toContain('insufficient_permissions — Insufficient permissions\n\nAuthenticated, but not allowed: scope, audience, role, policy.\n');
    expect(stdout).toContain('Specificity: 10 of 12.');
    const plugins = await loadPlugins();
    const reporters = plugins.flatMap((p) => (p.plugin.rules ?? []).filter((r) => r.meta.causes.includes('insufficient_permissions')).map((r) => `${p.plugin.name}/${r.meta.id}`));
    reporters.push('acme/missing-permission');
    expect(stdout).toContain(`Reported by ${reporters.length} loaded rules:\n`);
    const listed = stdout.split('\n').filter((l) => /^ {2}\S+\/\S+ {2,}/.test(l)).map((l) => l.trim().split(/\s+/)[0]);
    expect(listed).toEqual(reporters);
  });

  it('says that none is a verdict that no rule reports', async () => {
    const { code, stdout } = await runCli(['explain', 'none']);
    expect(code).toBe(0);
    expect(stdout).toContain('none — No authentication failure\n\nThe exchange shows no authentication failure.\n\nA verdict, not a finding: no rule reports it.');
  });
});

describe('authdoctor explain PLUGIN and help', () => {
  it("lists a plugin's rules and actions", async () => {
    const { code, stdout } = await runCli(['explain', 'acme', '--config', path.join(dir, 'acme.json')]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^acme — plugin \(examples\/plugins\/acme\/index\.ts\)\n/);
    expect(stdout).toMatch(/Rules \(4\):\n {2}acme\/key-revoked +The Acme API key is not revoked\n/);
    expect(stdout).toMatch(/Actions \(1\):\n {2}acme\/key-info +Show the key's scopes\n/);
  });

  it('prints help with --help (exit 0) and without an id (exit 2)', async () => {
    const help = await runCli(['explain', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: authdoctor explain ID [options]');
    const bare = await runCli(['explain']);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toContain('Usage: authdoctor explain ID [options]');
    expect((await runCli(['explain', 'a', 'b'])).stderr).toBe('authdoctor: explain takes one ID (got "a", "b").\n');
    expect((await runCli(['--help'])).stdout).toContain('explain ID      what a rule checks and reports, or what a cause id means');
  });
});
