/**
 * `npm run bench`: every benchmark in one run, each against baselines measured in the same run,
 * then every budget with PASS / OVER. Writes bench/results/latest.json and latest.md (the figures
 * that go into bench/RESULTS.md). Knobs: BENCH_RUNS (default 15), BENCH_WARMUP (3), BENCH_SOAK
 * (1000), BENCH_ONLY=1,3 (a subset).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { ROOT } from './lib/proc.ts';
import { defaultOptions, printSection, type Section } from './lib/section.ts';
import { budgetLine, passed } from './lib/stats.ts';

const SCRIPTS: Record<string, () => Promise<{ run: (o: ReturnType<typeof defaultOptions>) => Promise<Section> }>> = {
  '1': () => import('./1-check.ts'),
  '2': () => import('./2-har.ts'),
  '3': () => import('./3-tui.ts'),
  '4': () => import('./4-rules.ts'),
  '5': () => import('./5-soak.ts'),
};

function machine(): string[] {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  let tmux = 'not installed';
  try {
    tmux = execFileSync('tmux', ['-V'], { encoding: 'utf8' }).trim();
  } catch {
    // reported as not installed
  }
  return [`date: ${new Date().toISOString()}`, `machine: ${cpus().length} × ${cpu}, ${process.platform} ${process.arch}`, `node: ${process.version}`, `${tmux}`, `load average at start: ${load}`];
}

const only = (process.env.BENCH_ONLY ?? '1,2,3,4,5').split(',').map((s) => s.trim());
const opts = defaultOptions();
const header = machine();
process.stdout.write(`# authdoctor benchmark\n\n${header.join('\n')}\nruns per figure: ${opts.runs} (after ${opts.warmup} warm-up runs), medians\n\n`);
if (!(globalThis as { gc?: unknown }).gc) process.stdout.write('note: started without --expose-gc; the soak has no heap-after-GC figures\n\n');

const sections: Section[] = [];
for (const key of only) {
  const load = SCRIPTS[key];
  if (!load) continue;
  const section = await (await load()).run(opts);
  sections.push(section);
  process.stdout.write(`${printSection(section)}\n`);
}

const budgets = sections.flatMap((s) => s.budgets);
const summary = ['## Budgets', '', ...budgets.map(budgetLine), '', `load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`];
process.stdout.write(`${summary.join('\n')}\n`);

const dir = path.join(ROOT, 'bench/results');
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify({ machine: header, runs: opts.runs, warmup: opts.warmup, sections, budgets: budgets.map((b) => ({ ...b, passed: passed(b) })) }, null, 2)}\n`);
writeFileSync(path.join(dir, 'latest.md'), [`# authdoctor benchmark`, '', ...header.map((h) => `- ${h}`), '', ...sections.map((s) => ['```', printSection(s).trimEnd(), '```', ''].join('\n')), '```', summary.join('\n'), '```', ''].join('\n'));
process.stdout.write(`\nwritten: bench/results/latest.md, bench/results/latest.json\n`);
