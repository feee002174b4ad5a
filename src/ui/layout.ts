import type { SessionView } from '../core/session.ts';

/**
 * How the rows of the terminal are shared out. The frame is exactly the terminal's height, never
 * more: ink redraws the whole screen when a frame overflows it (flicker), and a frame that fits is
 * updated line by line. Pure, so the budgets are tested at 80×24, narrow and tall sizes.
 */
export interface Layout {
  columns: number;
  rows: number;
  header: number;
  exchange: number;
  /** The checks list heading plus rows. */
  list: number;
  /** One-line preview of the selected check's message under the list (small terminals). */
  preview: number;
  /** The detail pane: below the list (tall), beside it (wide), or instead of it (details view). */
  details: number;
  detailsBeside: boolean;
  /** Width of the list column when the details sit beside it. */
  listWidth: number;
  verdict: number;
  history: number;
  status: number;
  hints: number;
}

export const MIN_COLUMNS = 40;
export const MIN_ROWS = 10;

/**
 * `statusRows`: lines the status needs (a running action's wrapped progress, up to 3); they are
 * taken from the exchange, list or details, never from the frame's height.
 */
export function computeLayout(size: { columns: number; rows: number }, view: SessionView, statusRows = 1): Layout {
  const columns = Math.max(MIN_COLUMNS, size.columns);
  const rows = Math.max(MIN_ROWS, size.rows);
  const header = rows >= 14 ? 2 : 1;
  const verdict = rows >= 20 ? 2 : 1;
  // The chain of attempts, then what changed before the latest one.
  const history = rows >= 20 ? 2 : 1;
  // Extra status lines only while at least 4 rows stay for the rest of the body.
  const status = Math.max(1, Math.min(3, statusRows, rows - header - verdict - history - 1 - 4));
  const fixed = header + verdict + history + status + 1; /* hints */
  const remaining = rows - fixed;
  const base = { columns, rows, header, verdict, history, status, hints: 1, detailsBeside: false, listWidth: columns };
  const wide = columns >= 120 && remaining >= 10;

  if (view === 'details' && !wide) {
    return { ...base, exchange: 0, list: 0, preview: 0, details: remaining };
  }
  if (wide) {
    const exchange = clamp(Math.floor(remaining * 0.3), 2, 8);
    const body = remaining - exchange;
    return { ...base, exchange, list: body, preview: 0, details: body, detailsBeside: true, listWidth: Math.floor(columns * 0.45) };
  }
  if (rows >= 40) {
    const exchange = 8;
    const area = remaining - exchange;
    const list = Math.max(6, Math.floor(area * 0.45));
    return { ...base, exchange, list, preview: 0, details: area - list };
  }
  const exchange = clamp(Math.round(remaining * 0.3), remaining >= 10 ? 2 : 1, 6);
  const preview = remaining - exchange >= 12 ? 2 : remaining - exchange >= 6 ? 1 : 0;
  return { ...base, exchange, list: remaining - exchange - preview, preview, details: 0 };
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}
