/**
 * 5. A TUI session of 1,000 retries against a local API (BENCH_SOAK=N for another count).
 *    a) The real binary in tmux, R pressed 1,000 times, each retry waited for on screen: RSS and
 *       open sockets of the process (from /proc) at the start, along the way and at the end.
 *    b) The TUI's App rendered by Ink into a fake terminal and driven through its controller, in one
 *       process (bench/lib/soak-child.ts, bundled as the binary is, run with --expose-gc and the
 *       V8 flag the binary sets for `tui`): the live heap after a forced GC, and the handles still
 *       active (timers, sockets) during the session and after quitting.
 *    Run alone: node bench/5-soak.ts (after npm run build).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { bundle } from '../scripts/build.mjs';
import { expiredJwt } from './1-check.ts';
import { BIN, NODE, ROOT, benchEnv, scratchDir } from './lib/proc.ts';
import { defaultOptions, isMain, printSection, type RunOptions, type Section } from './lib/section.ts';
import { startApiProcess } from './lib/server.ts';
import { mb, ms, type Budget } from './lib/stats.ts';
import { Terminal } from './lib/tmux.ts';

const RSS_LIMIT_MB = 150;
/** "Not growing": the second half of the session may add at most this much RSS. */
const GROWTH_LIMIT_MB = 10;
/** The live heap (after a forced GC) may grow this much in the second half: the bounded history fills. */
const HEAP_GROWTH_LIMIT_MB = 1;

interface ProcReading {
  retries: number;
  rss: number;
  sockets: number;
}

function readProc(pid: number, retries: number): ProcReading {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) * 1024;
  let sockets = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) sockets++;
    } catch {
      // closed while reading
    }
  }
  return { retries, rss, sockets };
}

async function soakBinary(count: number, origin: string, log: (line: string) => void): Promise<{ readings: ProcReading[]; perRetryMs: number } | { skipped: string }> {
  if (!Terminal.available()) return { skipped: 'tmux is not installed' };
  if (process.platform !== 'linux') return { skipped: 'RSS and sockets are read from /proc (Linux only)' };
  const dir = scratchDir('soak');
  const term = new Terminal(benchEnv(dir, { TERM: 'xterm-256color' }));
  try {
    const w = await term.start([NODE, BIN, 'tui', `${origin}/v1/me`, '-H', `Authorization: Bearer ${expiredJwt()}`], dir);
    await w.waitFor((s) => /History #1 401/.test(s), 'attempt #1');
    const pid = await w.pid();
    const readings = [readProc(pid, 0)];
    const started = performance.now();
    const every = Math.max(1, Math.floor(count / 10));
    for (let k = 1; k <= count; k++) {
      await w.press('R');
      await w.waitFor((s) => s.includes(`#${k + 1} 401`) && !s.includes('Retrying the request'), `retry ${k}`, 30_000, 2);
      if (k % every === 0 || k === count) {
        readings.push(readProc(pid, k));
        log(`soak (binary): ${k}/${count} retries, RSS ${mb(readings.at(-1)!.rss)}`);
      }
    }
    const perRetryMs = (performance.now() - started) / count;
    await w.press('q');
    return { readings, perRetryMs };
  } finally {
    term.close();
  }
}

interface InProcess {
  retries: number;
  heapStart: number;
  heapMid: number;
  heapEnd: number;
  rssStart: number;
  rssEnd: number;
  before: Record<string, number>;
  during: Record<string, number>;
  afterQuit: Record<string, number>;
  historyKept: number;
  frames: number;
}

/** bench/lib/soak-child.ts, bundled as the binary is, in a process of its own with --expose-gc. */
async function soakInProcess(count: number, origin: string, log: (line: string) => void): Promise<InProcess> {
  const out = scratchDir('soak-child');
  await bundle({ outdir: out, entryPoints: { soak: path.join(ROOT, 'bench/lib/soak-child.ts') } });
  log(`soak (in-process): ${count} retries through the App and its controller`);
  // --optimize-for-size: what bin/authdoctor.cjs sets for `tui`.
  const r = spawnSync(NODE, ['--expose-gc', '--optimize-for-size', path.join(out, 'soak.js')], {
    cwd: out,
    env: benchEnv(out, { SOAK_URL: `${origin}/v1/me`, SOAK_TOKEN: expiredJwt(), SOAK_COUNT: String(count) }),
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`the in-process soak failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  return JSON.parse(r.stdout) as InProcess;
}

function fmtResources(r: Record<string, number>): string {
  return Object.entries(r)
    .map(([k, v]) => `${k}×${v}`)
    .join(' ') || 'none';
}

export async function run(opts: RunOptions): Promise<Section> {
  const count = Number(process.env.BENCH_SOAK ?? 1000);
  const api = await startApiProcess();
  try {
    const binary = await soakBinary(count, api.origin, opts.log);
    const inproc = await soakInProcess(count, api.origin, opts.log);
    const rows = [['what', 'start', 'middle', 'end', 'note']];
    const budgets: Budget[] = [];
    const notes: string[] = [];
    if ('skipped' in binary) {
      notes.push(`the binary soak is skipped: ${binary.skipped}`);
      budgets.push({ name: `TUI after ${count} retries ≤ ${RSS_LIMIT_MB} MB`, measured: NaN, limit: RSS_LIMIT_MB, shown: '', skipped: binary.skipped });
    } else {
      const r = binary.readings;
      const first = r[0]!;
      const mid = r[Math.floor((r.length - 1) / 2)]!;
      const last = r.at(-1)!;
      rows.push([`binary: RSS (after #1, after ${mid.retries}, after ${last.retries} retries)`, mb(first.rss), mb(mid.rss), mb(last.rss), `${ms(binary.perRetryMs)} per retry, screen included`]);
      rows.push(['binary: open sockets', String(first.sockets), String(mid.sockets), String(last.sockets), '']);
      const growth = (last.rss - mid.rss) / 1024 / 1024;
      budgets.push({ name: `TUI RSS after ${count} retries ≤ ${RSS_LIMIT_MB} MB`, measured: last.rss / 1024 / 1024, limit: RSS_LIMIT_MB, shown: `${mb(last.rss)} (limit ${RSS_LIMIT_MB} MB)` });
      budgets.push({ name: `TUI RSS not growing (second half of the session ≤ +${GROWTH_LIMIT_MB} MB)`, measured: growth, limit: GROWTH_LIMIT_MB, shown: `${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB from ${mid.retries} to ${last.retries} retries` });
      budgets.push({ name: 'no leaked sockets (binary: open sockets at the end ≤ at the start)', measured: last.sockets - first.sockets, limit: 0, shown: `${first.sockets} → ${last.sockets}` });
    }
    rows.push([`in-process (App + controller): heap after GC (after #1, ${count / 2}, ${count} retries)`, mb(inproc.heapStart), mb(inproc.heapMid), mb(inproc.heapEnd), `history keeps ${inproc.historyKept} attempts`]);
    rows.push(['in-process: RSS', mb(inproc.rssStart), '', mb(inproc.rssEnd), `${inproc.frames} writes to the terminal`]);
    const heapGrowth = (inproc.heapEnd - inproc.heapMid) / 1024 / 1024;
    budgets.push({ name: `live heap not growing (in-process, after GC: second half ≤ +${HEAP_GROWTH_LIMIT_MB} MB)`, measured: heapGrowth, limit: HEAP_GROWTH_LIMIT_MB, shown: `${heapGrowth >= 0 ? '+' : ''}${heapGrowth.toFixed(2)} MB from ${count / 2} to ${count} retries (${mb(inproc.heapStart)} → ${mb(inproc.heapEnd)})` });
    rows.push(['in-process: active handles', fmtResources(inproc.before), fmtResources(inproc.during), fmtResources(inproc.afterQuit), 'before / mid-session / after quitting']);
    const leaked = Object.entries(inproc.afterQuit).reduce((n, [k, v]) => n + Math.max(0, v - (inproc.before[k] ?? 0)), 0);
    budgets.push({ name: 'no leaked timers or sockets (in-process: handles after quitting ≤ before the session)', measured: leaked, limit: 0, shown: `${leaked} more after quitting (${fmtResources(inproc.afterQuit)})` });
    return { title: `5. TUI session of ${count} retries`, rows, budgets, notes, data: { binary, inproc } };
  } finally {
    await api.close();
  }
}

if (isMain(import.meta.url)) process.stdout.write(printSection(await run(defaultOptions())));
