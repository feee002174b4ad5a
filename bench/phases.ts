/**
 * Where the time of one `check` goes: the steps of a live check run one after another in a fresh
 * process, bundled exactly as the binary is (scripts/build.mjs), each timed in CPU milliseconds
 * (process.cpuUsage: steadier than wall time on a busy machine). Not part of `npm run bench`: run it
 * when a budget is over, to see which step to work on: node bench/phases.ts [--har]
 *
 * The steps themselves are in bench/lib/phases-child.ts, which this script bundles and spawns.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { bundle } from '../scripts/build.mjs';
import { expiredJwt } from './1-check.ts';
import { HEADLINE } from './4-rules.ts';
import { NODE, ROOT, benchEnv, scratchDir } from './lib/proc.ts';
import { isMain } from './lib/section.ts';
import { startApiProcess } from './lib/server.ts';
import { median } from './lib/stats.ts';

async function parent(): Promise<void> {
  const runs = Number(process.env.BENCH_RUNS ?? 9);
  const out = scratchDir('phases');
  await bundle({ outdir: out, entryPoints: { phases: path.join(ROOT, 'bench/lib/phases-child.ts') } });
  const api = await startApiProcess();
  try {
    const har = process.argv[2] === '--har' ? path.join(ROOT, 'test/fixtures/corpus', HEADLINE) : '';
    const env = benchEnv(out, { PHASES_URL: `${api.origin}/v1/me`, PHASES_TOKEN: expiredJwt(), PHASES_HAR: har });
    const all: [string, number][][] = [];
    for (let i = 0; i < runs + 1; i++) {
      const r = spawnSync(NODE, ['-e', `require('node:module').enableCompileCache(); import(${JSON.stringify(path.join(out, 'phases.js'))})`], { cwd: out, env, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
      if (i > 0) all.push(JSON.parse(r.stdout) as [string, number][]);
    }
    const node = Array.from({ length: runs }, () => {
      const r = spawnSync(NODE, ['-e', 'const u = process.cpuUsage(); process.stdout.write(String((u.user + u.system) / 1000))'], { encoding: 'utf8' });
      return Number(r.stdout);
    });
    process.stdout.write(`CPU ms per step of ${har ? `check --har ${HEADLINE}` : 'a live check'} (median of ${runs} fresh processes, bundled as the binary):\n`);
    process.stdout.write(`${median(node).toFixed(1).padStart(7)}  Node's own start (node -e, until its code runs)\n`);
    for (const [j, [label]] of all[0]!.entries()) process.stdout.write(`${median(all.map((m) => m[j]![1])).toFixed(1).padStart(7)}  ${label}\n`);
  } finally {
    await api.close();
  }
}

if (isMain(import.meta.url)) await parent();
