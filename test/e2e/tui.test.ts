import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jwt, startApi, type Api } from '../ui/fixtures.ts';

/*
 * The built binary in a real pseudo-terminal: tmux (Debian's package; .ci/run installs it) runs
 * `bin/authdoctor.cjs tui` at 80×24 against a local API that rejects the expired token; the test
 * reads the screen as a person would (tmux capture-pane), presses r, and sees the 200 and the
 * history line. No fixed sleeps: every step polls the pane until a deadline.
 */

const root = path.resolve(import.meta.dirname, '../..');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux && process.env.CI) throw new Error('tmux is required for the TUI end-to-end test: apt-get install -y tmux');

const run = promisify(execFile);
let api: Api;
let dir: string;
let socket: string;

/** The refresh half of a plugin, as a user would write it in plain JavaScript next to the config. */
const PLUGIN = `export default {
  name: 'e2e',
  actions: [{
    id: 'refresh-token',
    title: 'Refresh the access token',
    kind: 'refresh',
    available: ({ spec }) => spec.headers.some((h) => h.name.toLowerCase() === 'authorization'),
    async run(ctx) {
      ctx.progress('calling the token endpoint…');
      const res = await ctx.http.request({ method: 'POST', url: new URL('/token', ctx.spec.url).href, body: 'grant_type=refresh_token', credentialed: true, signal: ctx.signal });
      if (res.status !== 200) return { ok: false, message: 'The token endpoint answered ' + res.status };
      const token = JSON.parse(res.body).access_token;
      const headers = ctx.spec.headers.map((h) => (h.name.toLowerCase() === 'authorization' ? { name: h.name, value: 'Bearer ' + token } : h));
      return { ok: true, message: 'Got a new access token', spec: { ...ctx.spec, headers, secrets: [...(ctx.spec.secrets ?? []), token] } };
    },
  }],
};
`;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
}

function pane(): string {
  return tmux('capture-pane', '-p', '-t', 'tui');
}

async function waitForPane(check: (text: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = pane();
    if (check(text)) return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen was:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!hasTmux)('authdoctor tui in a real terminal (tmux)', () => {
  beforeAll(async () => {
    // Build the binary (dist/bundle, esbuild: type errors elsewhere in the tree do not stop it) from
    // the sources under test, and check that it was emitted.
    const started = Date.now();
    await run(process.execPath, [path.join(root, 'scripts/build.mjs'), '--bundle-only'], { cwd: root });
    for (const file of ['dist/bundle/cli.js']) {
      const full = path.join(root, file);
      if (!existsSync(full) || statSync(full).mtimeMs < started - 1_000) throw new Error(`the build did not emit ${file}`);
    }
    api = await startApi();
    dir = await mkdtemp(path.join(tmpdir(), 'authdoctor-e2e-'));
    socket = path.join(dir, 'tmux.sock');
    await writeFile(path.join(dir, 'refresh-plugin.mjs'), PLUGIN);
    await writeFile(path.join(dir, '.authdoctorrc.json'), JSON.stringify({ plugins: ['./refresh-plugin.mjs'] }));
  }, 240_000);

  afterAll(async () => {
    if (socket) spawnSync('tmux', ['-S', socket, 'kill-server']);
    await api?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows the failing check, refreshes with r, and shows the 200 and the history; q restores the terminal', async () => {
    const expired = jwt(-600, 'e2e');
    const script = path.join(dir, 'run.sh');
    await writeFile(
      script,
      [
        '#!/bin/sh',
        `cd '${dir}'`,
        `'${path.join(root, 'node_modules/.bin/node')}' '${path.join(root, 'bin/authdoctor.cjs')}' tui '${api.origin}/v1/me' -H 'Authorization: Bearer ${expired}' --config .authdoctorrc.json`,
        'echo "[exit $?]"',
        'sleep 120',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    tmux('new-session', '-d', '-s', 'tui', '-x', '80', '-y', '24', `sh '${script}'`);

    const failing = await waitForPane((t) => /History #1 401 \S+/.test(t), 'the first attempt');
    expect(failing).toContain('← 401 Unauthorized');
    expect(failing).toContain('www-authenticate: Bearer error="invalid_token"');
    expect(failing).toMatch(/✖ .*(expired|invalid_token)/i);
    expect(failing).toContain('1 request sent');
    expect(failing.includes(expired)).toBe(false);
    expect(failing.split('\n').every((line) => [...line].length <= 80)).toBe(true);

    tmux('send-keys', '-t', 'tui', 'r');
    const fixed = await waitForPane((t) => t.includes('#2 200 OK'), 'the refreshed attempt');
    expect(fixed).toMatch(/History #1 401 \S+ \d+ ms → #2 200 OK \d+ ms/);
    expect(fixed).toContain('what changed before #2: Refresh the access token · authorization changed');
    expect(fixed).toContain('✔ No authentication failure');
    expect(fixed).toContain('3 requests sent');

    tmux('send-keys', '-t', 'tui', 'q');
    const after = await waitForPane((t) => t.includes('[exit 0]'), 'the exit');
    // The alternate screen is gone: the shell's screen is back, with the outcome left on it.
    expect(after).not.toContain('Checks ');
    expect(after).toContain('authdoctor: ✔ none');
    expect(after).toContain('requests sent by authdoctor: 3');
  }, 60_000);
});
