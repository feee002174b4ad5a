import { describe, expect, it } from 'vitest';
import { historyChain } from '../../src/ui/components/HistoryLine.tsx';
import { windowStart } from '../../src/ui/components/CheckList.tsx';
import { cellWidth, formatSpan, lineText, paragraph, truncate, visibleSpans, wrapLine } from '../../src/ui/text.ts';

describe('text for the screen', () => {
  it('makes control characters visible instead of sending them to the terminal', () => {
    const spans = visibleSpans('user:pass\n\u001b[2J\u202e');
    expect(spans.map((s) => s.text).join('')).toBe('user:pass⏎\\u001b[2J\\u202e');
    expect(spans.filter((s) => s.tone === 'special').map((s) => s.inverse)).toEqual([true, true, true]);
  });

  it('wraps at word boundaries with a hanging indent and cuts words longer than a line', () => {
    const lines = wrapLine([{ text: '  1. ' }, { text: 'Refresh the token and try again with a much longer sentence' }], 24, 5);
    expect(lines.map(lineText)).toEqual(['  1. Refresh the token', '     and try again with', '     a much longer', '     sentence']);
    expect(wrapLine([{ text: 'x'.repeat(20) }], 8).map(lineText)).toEqual(['xxxxxxxx', 'xxxxxxxx', 'xxxx']);
    expect(paragraph('a\nb', 10).map(lineText)).toEqual(['a', 'b']);
  });

  it('measures wide characters as two cells and truncates with an ellipsis', () => {
    expect(cellWidth('日本')).toBe(4);
    expect(truncate('abcdefgh', 5)).toBe('abcd…');
    expect(truncate('abc', 5)).toBe('abc');
  });

  it('counts down in readable units', () => {
    expect([42_000, 252_000, 3 * 3600_000 + 120_000, 2 * 86_400_000 + 3 * 3600_000].map(formatSpan)).toEqual(['42s', '4m 12s', '3h 02m', '2d 3h']);
  });

  it('the history shows the newest attempts that fit and counts the others', () => {
    const entries = Array.from({ length: 5 }, (_, i) => ({ n: i + 1, status: i === 4 ? 200 : 401, cause: i === 4 ? ('none' as const) : ('expired_token' as const), durationMs: 100 }));
    expect(historyChain(entries.slice(0, 2), 0, 80)).toBe('#1 401 expired_token 100 ms → #2 401 expired_token 100 ms');
    expect(historyChain(entries, 995, 62)).toBe('… 998 earlier → #4 401 expired_token 100 ms → #5 200 OK 100 ms');
  });

  it('the check list window follows the selection and shows its plugin heading', () => {
    expect(windowStart(0, 3, 5, 20, false)).toBe(0);
    expect(windowStart(0, 7, 5, 20, false)).toBe(3);
    expect(windowStart(3, 2, 5, 20, true)).toBe(1);
    expect(windowStart(10, 0, 5, 3, false)).toBe(0);
  });
});
