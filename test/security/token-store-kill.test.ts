import { spawn } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openTokenStore } from '../../src/core/token-store.ts';

/**
 * "Nothing is lost" (DESIGN.md §4): a `kill -9` at any moment of a refresh leaves a usable token
 * store. A child process writes, confirms and reverts tokens as fast as it can; it is killed with
 * SIGKILL at a spread of moments (so some kills land mid-write, mid-fsync, mid-rename). After every
 * kill the store must still parse, hold a value the child really wrote, keep mode 0600, and take
 * the next write. (test/core/token-store.test.ts kills at the one worst moment on purpose; this
 * kills wherever the moment falls.)
 */

const STORE_MODULE = fileURLToPath(new URL('../../src/core/token-store.ts', import.meta.url));

function writer(file: string): string {
  return `
    const { openTokenStore } = await import(${JSON.stringify(STORE_MODULE)});
    const store = openTokenStore(${JSON.stringify(file)});
    let n = 0;
    for (;;) {
      n++;
      await store.write('p', { accessToken: 'at-' + n, refreshToken: 'rt-' + n, n });
      if (n === 1) process.stdout.write('ready\\n');
      if (n % 3 === 0) await store.confirm('p');
      if (n % 7 === 0) await store.revert('p');
    }
  `;
}

/** Starts the writer, waits for its first write, lets it go on for `ms`, then kills it with SIGKILL. */
function killAfter(file: string, ms: number): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', writer(file)], { stdio: ['ignore', 'pipe', 'ignore'] });
    child.on('error', reject);
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), ms));
    child.on('exit', (_code, signal) => resolve(signal));
  });
}

describe('the token store under kill -9', () => {
  it('stays usable whenever the writing process dies', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'authdoctor-kill-'));
    const file = path.join(dir, 'tokens.json');
    let lastSeen = 0;
    // Prime numbers of milliseconds, so that the kills do not line up with any period of the loop.
    for (const ms of [3, 11, 29, 53, 97, 151, 227, 331]) {
      expect(await killAfter(file, ms)).toBe('SIGKILL');
      // The file parses as a whole store: no half-written JSON.
      const data = JSON.parse(readFileSync(file, 'utf8')) as { version: number; entries: Record<string, { current: { n: number; accessToken: string } }> };
      expect(data.version).toBe(1);
      const current = data.entries.p?.current;
      expect(current).toBeDefined();
      // …holding a value the child wrote whole (accessToken and n from the same write).
      expect(current!.accessToken).toBe(`at-${current!.n}`);
      expect(current!.n).toBeGreaterThan(0);
      expect(lstatSync(file).mode & 0o777).toBe(0o600);
      // The store opens and reads, and the next write works, whatever temp file was left behind.
      const store = openTokenStore(file);
      expect(await store.read('p')).toMatchObject({ accessToken: current!.accessToken });
      lastSeen = current!.n;
    }
    const store = openTokenStore(file);
    await store.write('p', { accessToken: 'after-all-the-kills' });
    expect(await store.read('p')).toEqual({ accessToken: 'after-all-the-kills' });
    expect(lastSeen).toBeGreaterThan(0);
    // Temp files a killed writer left behind hold tokens: they are private to the user too.
    for (const leftover of readdirSync(dir).filter((f) => f !== 'tokens.json')) {
      expect({ leftover, mode: lstatSync(path.join(dir, leftover)).mode & 0o077 }).toEqual({ leftover, mode: 0 });
    }
  }, 60_000);
});
