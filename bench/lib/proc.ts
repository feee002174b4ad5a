import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** How processes are run and measured: wall time from spawn to exit, and peak RSS. */

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin/authdoctor.cjs');
/** The Node that runs the benchmark (Node 24 from node_modules when started with `npm run bench`). */
export const NODE = process.execPath;
/** GNU time reports a child's peak RSS (`%M`, from wait4's rusage). */
export const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

export interface Command {
  /** Shown in the output. */
  label: string;
  argv: readonly string[];
  /** Exit codes that count as a successful run (authdoctor check exits 1 for a diagnosed 401). */
  okCodes?: readonly number[];
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/** A quiet, reproducible environment: no proxies, no colour, a home without an authdoctor config. */
export function benchEnv(home: string, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = { ...process.env, HOME: home, NO_COLOR: '1', ...extra };
  for (const key of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy', 'NODE_OPTIONS', 'AUTHDOCTOR_DEBUG']) delete env[key];
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return env as Record<string, string>;
}

/** A scratch directory (cwd and HOME of the measured runs), removed at exit. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `authdoctor-bench-${prefix}-`));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs a command once; resolves with its wall time (spawn → exit) in ms. Rejects on an unexpected exit code. */
export function timeOnce(cmd: Command, defaults: { cwd: string; env: Record<string, string> }): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd.argv[0]!, cmd.argv.slice(1), { cwd: cmd.cwd ?? defaults.cwd, env: { ...defaults.env, ...(cmd.env as Record<string, string>) }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
      if (!(cmd.okCodes ?? [0]).includes(code ?? -1)) reject(new Error(`${cmd.label} exited with ${code}: ${stderr.trim().split('\n')[0] ?? ''}`));
      else resolve(elapsed);
    });
  });
}

/** Peak RSS of one run, in bytes (GNU time), or NaN when GNU time is not installed. */
export function peakRss(cmd: Command, defaults: { cwd: string; env: Record<string, string> }): number {
  if (!GNU_TIME) return Number.NaN;
  const dir = mkdtempSync(path.join(tmpdir(), 'authdoctor-bench-rss-'));
  try {
    const out = path.join(dir, 'rss');
    const r = spawnSync(GNU_TIME, ['-f', '%M', '-o', out, ...cmd.argv], { cwd: cmd.cwd ?? defaults.cwd, env: { ...defaults.env, ...(cmd.env as Record<string, string>) }, stdio: 'ignore' });
    if (!(cmd.okCodes ?? [0]).includes(r.status ?? -1)) throw new Error(`${cmd.label} exited with ${r.status} under ${GNU_TIME}`);
    const kb = Number(readFileSync(out, 'utf8').trim().split('\n').pop());
    return kb * 1024;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Measures several commands in one run, interleaved (A B C A B C …) so that a change in the
 * machine's load hits every command alike. `warmup` runs of each are discarded (they fill Node's
 * compile cache and the page cache).
 */
export async function interleave(cmds: readonly Command[], opts: { runs: number; warmup: number; cwd: string; env: Record<string, string>; onProgress?: (done: number, total: number) => void }): Promise<number[][]> {
  const times: number[][] = cmds.map(() => []);
  for (let i = 0; i < opts.warmup; i++) for (const cmd of cmds) await timeOnce(cmd, opts);
  for (let i = 0; i < opts.runs; i++) {
    for (const [j, cmd] of cmds.entries()) times[j]!.push(await timeOnce(cmd, opts));
    opts.onProgress?.(i + 1, opts.runs);
  }
  return times;
}

/** `which`, without a shell. */
export function which(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}
