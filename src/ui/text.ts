/**
 * Styled text as plain data (spans and lines), so that what goes on screen can be measured,
 * wrapped, windowed and tested without rendering. Components turn spans into ink `<Text>`.
 */

/** Semantic colours; the theme maps them to terminal colours, or to nothing under NO_COLOR. */
export type Tone = 'fail' | 'warn' | 'pass' | 'skip' | 'problem' | 'accent' | 'muted' | 'special' | 'sent' | 'received';

export interface Span {
  text: string;
  tone?: Tone | undefined;
  bold?: boolean | undefined;
  dim?: boolean | undefined;
  /** Reverse video: the selection, and control characters made visible (readable without colour). */
  inverse?: boolean | undefined;
}

export type Line = Span[];

/** Display width in cells. Code points, not UTF-16 units; ink truncates whatever is still too wide. */
export function cellWidth(text: string): number {
  let n = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    // Combining marks take no cell; East Asian wide and emoji take two.
    if (cp >= 0x300 && cp <= 0x36f) continue;
    n += (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0x1f300 && cp <= 0x1faff) ? 2 : 1;
  }
  return n;
}

export function lineWidth(line: Line): number {
  return line.reduce((n, s) => n + cellWidth(s.text), 0);
}

export function lineText(line: Line): string {
  return line.map((s) => s.text).join('');
}

/** Cuts text to `width` cells, ending with `…` when something was cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (cellWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = cellWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return `${out}…`;
}

const CONTROL_NAMES: Record<string, string> = { '\n': '⏎', '\r': '␍', '\t': '⇥' };
// C0/C1 controls, DEL, and the bidirectional overrides that can disguise text.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * A value from the exchange as spans, with every control character made visible instead of being
 * sent to the terminal: a stray newline in a decoded Basic value shows as `⏎` in reverse video, an
 * escape sequence as `\u001b`. This is both the evidence (the newline IS the bug) and the defence
 * against a response that tries to rewrite the screen.
 */
export function visibleSpans(text: string, style: Omit<Span, 'text'> = {}): Span[] {
  const spans: Span[] = [];
  let plain = '';
  for (const ch of text) {
    if (CONTROL.test(ch)) {
      if (plain) spans.push({ ...style, text: plain });
      plain = '';
      spans.push({ ...style, text: CONTROL_NAMES[ch] ?? `\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`, tone: 'special', inverse: true });
    } else {
      plain += ch;
    }
  }
  if (plain) spans.push({ ...style, text: plain });
  return spans;
}

/** One line of plain text with control characters escaped (for single-line slots). */
export function oneLine(text: string): string {
  return visibleSpans(text).map((s) => s.text).join('');
}

/**
 * Greedy word wrap of styled spans to `width` cells. Continuation lines get `indent` spaces. A word
 * longer than a line is cut into pieces; a masked secret (`eyJh…(812 chars, sha256:…)`) stays whole
 * when it fits.
 */
export function wrapLine(line: Line, width: number, indent = 0): Line[] {
  const max = Math.max(8, width);
  const tokens: Span[] = [];
  for (const span of line) {
    for (const piece of span.text.split(/( +)/)) if (piece) tokens.push({ ...span, text: piece });
  }
  const out: Line[] = [];
  let current: Line = [];
  let used = 0;
  // Right after a wrap, spaces are dropped (the indent replaces them); elsewhere they are kept.
  let atWrap = false;
  const push = () => {
    while (current.length && /^ +$/.test(current.at(-1)!.text)) current.pop();
    out.push(current);
    current = indent ? [{ text: ' '.repeat(indent) }] : [];
    used = indent;
    atWrap = true;
  };
  for (const token of tokens) {
    const w = cellWidth(token.text);
    const isSpace = /^ +$/.test(token.text);
    if (isSpace) {
      if (!atWrap && used + w <= max) {
        current.push(token);
        used += w;
      }
      continue;
    }
    if (used + w > max && used > indent) push();
    atWrap = false;
    if (w > max - used) {
      let rest = token.text;
      while (cellWidth(rest) > max - used) {
        const room = max - used;
        let cut = '';
        for (const ch of rest) {
          if (cellWidth(cut + ch) > room) break;
          cut += ch;
        }
        if (!cut) break;
        current.push({ ...token, text: cut });
        rest = rest.slice(cut.length);
        push();
      }
      if (rest) {
        current.push({ ...token, text: rest });
        used += cellWidth(rest);
        atWrap = false;
      }
      continue;
    }
    current.push(token);
    used += w;
  }
  if (current.length > (indent ? 1 : 0) || out.length === 0) out.push(current);
  return out;
}

/** A paragraph of prose (newlines start new lines; other controls made visible), wrapped. */
export function paragraph(text: string, width: number, style: Omit<Span, 'text'> = {}, indent = 0): Line[] {
  const lines: Line[] = [];
  for (const para of text.split(/\r?\n/)) {
    const prefix: Span[] = indent ? [{ text: ' '.repeat(indent) }] : [];
    lines.push(...wrapLine([...prefix, ...visibleSpans(para, style)], width, indent));
  }
  return lines;
}

/** `312 ms`, `1.4 s`, `2 min`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** A countdown: `42s`, `4m 12s`, `3h 02m`, `2d 3h`. */
export function formatSpan(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

/** At most `height` lines; when some are cut, the last one kept ends with `…`. */
export function fitLines(lines: Line[], height: number, width: number): Line[] {
  if (lines.length <= height) return lines;
  const kept = lines.slice(0, Math.max(0, height));
  const last = kept.at(-1);
  if (!last) return kept;
  const room = Math.max(1, width - 1);
  const cut: Line = [];
  let used = 0;
  for (const span of last) {
    const w = cellWidth(span.text);
    if (used + w <= room) {
      cut.push(span);
      used += w;
    } else {
      let piece = '';
      for (const ch of span.text) {
        if (used + cellWidth(piece + ch) > room) break;
        piece += ch;
      }
      cut.push({ ...span, text: piece });
      break;
    }
  }
  cut.push({ text: '…' });
  kept[kept.length - 1] = cut;
  return kept;
}
