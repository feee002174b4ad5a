import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasTmux, startPty, type Pty } from './pty.ts';

/*
 * The built binary in a real terminal (tmux, 80×24): `authdoctor demo` opens the picker, two
 * scenarios are opened, diagnosed and fixed from the keyboard with the keys the picker names, each
 * ends in 200, the picker marks them, and q leaves the demo with the terminal restored and the
 * outcome printed.
 */

const root = path.resolve(import.meta.dirname, '../..');
if (!hasTmux && process.env.CI) throw new Error('tmux is required for the demo end-to-end test: apt-get install -y tmux');
const run = promisify(execFile);
let pty: Pty | undefined;

afterEach(async () => {
  await pty?.close();
  pty = undefined;
});

describe.skipIf(!hasTmux)('authdoctor demo in a real terminal (tmux)', () => {
  beforeAll(async () => {
    // The binary runs dist/: build it from the sources under test. Other parts of the tree may
    // still have type errors while they are being written; tsc emits anyway, so check ours were.
    const started = Date.now();
    await run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root }).catch(() => undefined);
    for (const file of ['dist/src/cli/demo.js', 'dist/src/demo/cloud.js', 'dist/src/ui/demo/start-picker.js', 'dist/src/ui/start.js']) {
      const full = path.join(root, file);
      if (!existsSync(full) || statSync(full).mtimeMs < started - 1_000) throw new Error(`the build did not emit ${file}`);
    }
  }, 240_000);

  it('picks two scenarios, fixes each from the keyboard, sees 200, and quits', async () => {
    pty = await startPty(`'${path.join(root, 'node_modules/.bin/node')}' '${path.join(root, 'bin/authdoctor.cjs')}' demo`, { cwd: root });
    const picker = await pty.waitFor(/authdoctor demo · demo cloud at http:\/\/127\.0\.0\.1:\d+/, 'the picker');
    expect(picker).toContain('❯    1 oauth-expired');
    expect(picker.split('\n').every((line) => [...line].length <= 80)).toBe(true);

    // 5: Basic made with echo. e opens the edit screen with the fix suggested; Enter applies it.
    pty.keys('5');
    await pty.waitFor('❯    5 echo-basic', 'echo-basic selected');
    pty.keys('Enter');
    const failing = await pty.waitFor(/History #1 401 malformed_credentials/, 'the first diagnosis');
    expect(failing).toContain('← 401 Unauthorized');
    pty.keys('e');
    await pty.waitFor('re-encode the Basic value without the stray newline', 'the suggested fix');
    pty.keys('Enter');
    const fixed = await pty.waitFor(/#2 200 OK/, 'the fixed attempt');
    expect(fixed).toMatch(/History #1 401 malformed_credentials \d+ ms → #2 200 OK/);
    expect(fixed).toContain('← 200 OK');

    // Back to the picker, which marks it done and keeps the place.
    pty.keys('q');
    const back = await pty.waitFor('❯ ✔  5 echo-basic', 'the picker again, with echo-basic done');
    expect(back).toContain('last run #1 401 malformed_credentials → #2 200 OK');

    // 9: AWS AccessDenied, signed for real; action 2 grants the permission in the demo cloud.
    pty.keys('9');
    await pty.waitFor('❯    9 access-denied', 'access-denied selected');
    pty.keys('Enter');
    const denied = await pty.waitFor(/History #1 403 insufficient_permissions/, 'the AccessDenied diagnosis');
    expect(denied).toContain('← 403 Forbidden');
    pty.keys('2');
    const granted = await pty.waitFor(/#2 200 OK/, 'the retry after the grant');
    expect(granted).toMatch(/History #1 403 insufficient_permissions \d+ ms → #2 200 OK/);

    pty.keys('q');
    await pty.waitFor('❯ ✔  9 access-denied', 'the picker, with access-denied done');
    pty.keys('q');
    const after = await pty.waitFor('[exit 0]', 'the demo to end');
    // The alternate screen is gone; the outcome of each scenario stays in the terminal.
    expect(after).not.toContain('demo cloud at');
    expect(after).toContain('authdoctor demo: 2 scenarios tried');
    expect(after).toMatch(/✔ echo-basic +#1 401 malformed_credentials → #2 200 OK/);
    expect(after).toMatch(/✔ access-denied +#1 403 insufficient_permissions → #2 200 OK/);
  }, 120_000);

  it('--scenario skips the picker and ends with that scenario', async () => {
    pty = await startPty(`'${path.join(root, 'node_modules/.bin/node')}' '${path.join(root, 'bin/authdoctor.cjs')}' demo --scenario wrong-header`, { cwd: root });
    await pty.waitFor(/History #1 401 wrong_scheme/, 'the first diagnosis');
    pty.keys('1');
    await pty.waitFor(/#2 200 OK/, 'the key moved to x-api-key');
    pty.keys('q');
    const after = await pty.waitFor('[exit 0]', 'the demo to end');
    expect(after).toMatch(/✔ wrong-header +#1 401 wrong_scheme → #2 200 OK/);
  }, 60_000);
});
