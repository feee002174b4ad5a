/** Small statistics and printing helpers shared by the benchmark scripts. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median absolute deviation, for a ± next to a median. */
export function mad(values: readonly number[]): number {
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m)));
}

export function ms(value: number): string {
  return Number.isFinite(value) ? `${value < 10 ? value.toFixed(1) : Math.round(value)} ms` : 'n/a';
}

export function mb(bytes: number): string {
  return Number.isFinite(bytes) ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : 'n/a';
}

export function ratio(a: number, b: number): string {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a';
}

/** One measured figure with its baseline, as the suite prints it. */
export interface Figure {
  name: string;
  value: string;
  detail?: string;
}

/** A budget: `measured <= limit` (both in the same unit), PASS or OVER. */
export interface Budget {
  name: string;
  measured: number;
  limit: number;
  /** How the measured value and the limit read, e.g. "2.71× node -e 0 (limit 3×)". */
  shown: string;
  /** Why a budget cannot be judged here (e.g. a baseline that cannot be measured). */
  skipped?: string;
}

export function budgetLine(b: Budget): string {
  if (b.skipped) return `SKIP  ${b.name}: ${b.skipped}`;
  const verdict = Number.isFinite(b.measured) && b.measured <= b.limit ? 'PASS' : 'OVER';
  return `${verdict}  ${b.name}: ${b.shown}`;
}

export function passed(b: Budget): boolean | null {
  if (b.skipped) return null;
  return Number.isFinite(b.measured) && b.measured <= b.limit;
}

/** A plain two-column table. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n');
}
