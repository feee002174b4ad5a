import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/**
 * A real pseudo-terminal for the screen benchmarks: a private tmux server (Debian's tmux, as in
 * test/e2e) with an 80×24 session. Each measured run gets a window of its own; the screen is read
 * as a person would see it (capture-pane), polled every few milliseconds, and every time is taken
 * from the moment the window is asked for. Panes stay after their program exits (remain-on-exit),
 * so a program that prints and quits can be read too.
 */
export class Terminal {
  readonly #dir: string;
  readonly #socket: string;
  #n = 0;

  static available(): boolean {
    return spawnSync('tmux', ['-V']).status === 0;
  }

  /** `env`: the environment of every program started in it (the server's own). */
  constructor(env: Record<string, string>, columns = 80, rows = 24) {
    this.#dir = mkdtempSync(path.join(tmpdir(), 'authdoctor-bench-tmux-'));
    this.#socket = path.join(this.#dir, 'tmux.sock');
    execFileSync('tmux', ['-S', this.#socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'bench', '-x', String(columns), '-y', String(rows), 'sleep 86400'], { env: { ...env, TERM: env.TERM ?? 'xterm-256color' } });
    this.#tmux('set-option', '-g', 'remain-on-exit', 'on');
    this.#tmux('set-option', '-g', 'default-size', `${columns}x${rows}`);
    this.#tmux('set-option', '-g', 'status', 'off');
  }

  #tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.#socket, ...args], { encoding: 'utf8' });
  }

  /** Starts `argv` in `cwd` in a new window; returns the window with its start time. */
  async start(argv: readonly string[], cwd: string): Promise<Window> {
    const name = `w${++this.#n}`;
    const command = `exec ${argv.map(shellQuote).join(' ')}`;
    const started = performance.now();
    await exec('tmux', ['-S', this.#socket, 'new-window', '-d', '-t', 'bench:', '-n', name, '-c', cwd, command]);
    return new Window(this.#socket, `bench:${name}`, started);
  }

  close(): void {
    spawnSync('tmux', ['-S', this.#socket, 'kill-server']);
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

export class Window {
  readonly socket: string;
  readonly target: string;
  /** performance.now() when the window was asked for. */
  readonly started: number;

  constructor(socket: string, target: string, started: number) {
    this.socket = socket;
    this.target = target;
    this.started = started;
  }

  async screen(): Promise<string> {
    const { stdout } = await exec('tmux', ['-S', this.socket, 'capture-pane', '-p', '-t', this.target]);
    return stdout;
  }

  /** Polls the screen until `check` holds; resolves with ms since the start. */
  async waitFor(check: (screen: string) => boolean, what: string, timeoutMs = 30_000, intervalMs = 4): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const text = await this.screen();
      const at = performance.now();
      if (check(text)) return at - this.started;
      if (at > deadline) throw new Error(`timed out waiting for ${what}; the screen was:\n${text}`);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }

  async press(...keys: string[]): Promise<void> {
    await exec('tmux', ['-S', this.socket, 'send-keys', '-t', this.target, ...keys]);
  }

  /** The pid of the program in the window (for /proc readings). */
  async pid(): Promise<number> {
    const { stdout } = await exec('tmux', ['-S', this.socket, 'display-message', '-p', '-t', this.target, '#{pane_pid}']);
    return Number(stdout.trim());
  }

  async kill(): Promise<void> {
    await exec('tmux', ['-S', this.socket, 'kill-window', '-t', this.target]).catch(() => undefined);
  }
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
