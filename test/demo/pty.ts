import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A real pseudo-terminal for end-to-end tests: a tmux server on its own socket runs a command at a
 * fixed size, keys go in with send-keys, and the screen is read back with capture-pane — what a
 * person would see. Waits poll the screen until a deadline; there are no fixed sleeps.
 */
export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

export interface Pty {
  /** The screen now, as text. */
  screen(): string;
  /** Sends keys (tmux names: Enter, Escape, Down, C-c, or characters), one send-keys each. */
  keys(...keys: string[]): void;
  /** Polls the screen until `check` holds; fails with the last screen. */
  waitFor(check: string | RegExp | ((screen: string) => boolean), what: string, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

export async function startPty(command: string, options: { columns?: number; rows?: number; cwd?: string } = {}): Promise<Pty> {
  const dir = await mkdtemp(path.join(tmpdir(), 'authdoctor-pty-'));
  const socket = path.join(dir, 'tmux.sock');
  const script = path.join(dir, 'run.sh');
  // The shell stays after the command so the screen it leaves behind can be read.
  await writeFile(script, ['#!/bin/sh', ...(options.cwd ? [`cd '${options.cwd}'`] : []), command, 'echo "[exit $?]"', 'sleep 300', ''].join('\n'), { mode: 0o755 });
  const tmux = (...args: string[]) => execFileSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
  tmux('new-session', '-d', '-s', 'pty', '-x', String(options.columns ?? 80), '-y', String(options.rows ?? 24), `sh '${script}'`);
  const screen = () => tmux('capture-pane', '-p', '-t', 'pty');
  return {
    screen,
    keys(...keys) {
      for (const key of keys) tmux('send-keys', '-t', 'pty', key);
    },
    async waitFor(check, what, timeoutMs = 30_000) {
      const ok = typeof check === 'string' ? (s: string) => s.includes(check) : check instanceof RegExp ? (s: string) => check.test(s) : check;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const text = screen();
        if (ok(text)) return text;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen was:\n${text}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close() {
      spawnSync('tmux', ['-S', socket, 'kill-server']);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
