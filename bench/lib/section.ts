import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { budgetLine, table, type Budget } from './stats.ts';

/** What one benchmark script hands back: rows to print, budgets to judge, raw data for the JSON. */
export interface Section {
  title: string;
  rows: string[][];
  budgets: Budget[];
  notes: string[];
  data: Record<string, unknown>;
}

export interface RunOptions {
  /** Measured runs per command (after the warm-up). */
  runs: number;
  warmup: number;
  /** Progress lines on stderr. */
  log: (line: string) => void;
}

export function defaultOptions(): RunOptions {
  const runs = Number(process.env.BENCH_RUNS ?? 15);
  const warmup = Number(process.env.BENCH_WARMUP ?? 3);
  return { runs, warmup, log: (line) => process.stderr.write(`  … ${line}\n`) };
}

export function printSection(s: Section): string {
  const lines = [`## ${s.title}`, '', table(s.rows), ''];
  if (s.budgets.length) lines.push(...s.budgets.map(budgetLine), '');
  if (s.notes.length) lines.push(...s.notes.map((n) => `note: ${n}`), '');
  return lines.join('\n');
}

/** True when the module at `url` is the script Node was started with. */
export function isMain(url: string): boolean {
  return !!process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(url);
}
