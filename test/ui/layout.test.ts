import { describe, expect, it } from 'vitest';
import { computeLayout, type Layout } from '../../src/ui/layout.ts';

const total = (l: Layout) => l.header + l.exchange + (l.detailsBeside ? l.list : l.list + l.preview + l.details) + l.verdict + l.history + l.status + l.hints;

describe('layout', () => {
  it.each([
    [80, 24, 'list'],
    [80, 24, 'details'],
    [50, 16, 'list'],
    [40, 10, 'list'],
    [120, 40, 'list'],
    [100, 50, 'list'],
    [200, 60, 'details'],
  ] as const)('%i×%i (%s) fills the terminal exactly, never more', (columns, rows, view) => {
    expect(total(computeLayout({ columns, rows }, view))).toBe(rows);
  });

  it('80×24 keeps the request, nine checks, a preview, the verdict and a two-line history', () => {
    expect(computeLayout({ columns: 80, rows: 24 }, 'list')).toMatchObject({ header: 2, exchange: 5, list: 10, preview: 1, details: 0, verdict: 2, history: 2, status: 1, hints: 1 });
  });

  it('a wide terminal puts the details beside the list, a tall one below it', () => {
    expect(computeLayout({ columns: 140, rows: 30 }, 'list')).toMatchObject({ detailsBeside: true, listWidth: 63 });
    const tall = computeLayout({ columns: 90, rows: 50 }, 'list');
    expect(tall.detailsBeside).toBe(false);
    expect(tall.details).toBeGreaterThan(10);
  });

  it('a terminal smaller than the minimum is laid out at the minimum (ink cuts the rest)', () => {
    expect(computeLayout({ columns: 10, rows: 3 }, 'list').rows).toBe(10);
  });
});
