import type { CauseId } from '../../core/causes.ts';
import { cellWidth, fitLines, paragraph, truncate, wrapLine, type Line } from '../text.ts';
import { pickerHints } from './picker-keys.ts';

/** What the picker shows about one scenario (plain data: the picker does not import the demo). */
export interface PickerItem {
  name: string;
  title: string;
  summary: string;
  story: readonly string[];
  fix: readonly { keys: string; how: string; or?: boolean | undefined }[];
  cause: CauseId;
  /** How it went the last time it was opened in this demo. */
  result?: PickerResult | undefined;
}

export interface PickerResult {
  /** The last attempt was accepted (200). */
  ok: boolean;
  /** `#1 401 expired_token → #2 200 OK`. */
  chain: string;
}

export interface PickerHeader {
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  /** The demo's temp folder (credential files). */
  dir: string;
}

export interface PickerLayout {
  top: Line[];
  list: Line[];
  /** Index into `list` of the selected row (drawn in reverse video). */
  selectedRow: number;
  details: Line[];
  hints: Line;
}

const NAME_WIDTH = 19;

/** The whole screen as lines, for a terminal of `columns` × `rows`. Pure, so tests read it directly. */
export function pickerLayout(items: readonly PickerItem[], selected: number, header: PickerHeader, columns: number, rows: number): PickerLayout {
  const width = Math.max(40, columns) - 1;
  const top: Line[] = [
    [{ text: 'authdoctor demo', bold: true }, { text: ' · demo cloud at ', dim: true }, { text: header.origin, tone: 'accent' }, { text: ' (loopback only)', dim: true }],
  ];
  if (rows >= 20) top.push([{ text: 'Each one fails like a real API. Open it, see why, fix it from the keyboard.', dim: true }]);
  top.push([]);

  const list: Line[] = items.map((item, i) => {
    const mark: Line[number] = item.result ? (item.result.ok ? { text: '✔', tone: 'pass' } : { text: '✖', tone: 'fail' }) : { text: ' ' };
    const number = `${i === 9 ? 0 : i + 1}`.padStart(2);
    const lead = `${i === selected ? '❯' : ' '} `;
    const room = width - 2 - 2 - 3 - NAME_WIDTH - 1;
    return [
      { text: lead, tone: 'accent', bold: true },
      mark,
      { text: ` ${number} `, dim: true },
      { text: item.name.padEnd(NAME_WIDTH), bold: i === selected },
      { text: ' ' },
      { text: truncate(item.summary, Math.max(10, room)), dim: i !== selected },
    ];
  });

  const hints: Line = pickerHints().flatMap((h, i) => [...(i ? [{ text: '  ' }] : []), { text: h.keys, bold: true, tone: 'accent' as const }, { text: ` ${h.label}`, dim: true }]);

  const item = items[selected];
  const detailRows = Math.max(1, rows - top.length - list.length - 2);
  const details: Line[] = [];
  if (item) {
    details.push(...wrapLine([{ text: item.title, bold: true }, { text: `  expect ${item.cause}`, tone: 'muted' }, { text: `  --scenario ${item.name}`, dim: true }], width, 2));
    item.fix.forEach((step, i) => {
      const word = i === 0 ? 'fix ' : step.or ? ' or ' : 'then';
      details.push(...wrapLine([{ text: `  ${word} `, dim: true }, { text: step.keys.padEnd(8), bold: true, tone: 'accent' }, { text: step.how }], width, 15));
    });
    if (item.result) details.push([{ text: '  last run ', dim: true }, { text: item.result.chain, tone: item.result.ok ? 'pass' : 'fail' }]);
    for (const para of item.story) details.push(...paragraph(para, width, { dim: false }, 2));
    details.push(...paragraph(`Credential files and the config: ${header.dir}`, width, { dim: true }, 2));
  }
  const clip = (line: Line) => clipLine(line, width);
  return { top: top.map(clip), list: list.map(clip), selectedRow: selected, details: fitLines(details, detailRows, width).map(clip), hints: clip(hints) };
}

/**
 * Cuts a line to `width` cells (ending with `…`), so that the terminal never has to: a line that
 * the terminal wraps would push the whole screen down by one row.
 */
export function clipLine(line: Line, width: number): Line {
  let used = 0;
  const out: Line = [];
  for (const span of line) {
    const w = cellWidth(span.text);
    if (used + w <= width) {
      out.push(span);
      used += w;
      continue;
    }
    // `truncate` ends what it cuts with `…`; with no room left at all, the line just ends.
    if (width - used >= 1) out.push({ ...span, text: truncate(span.text, width - used) });
    break;
  }
  return out.filter((s) => s.text.length > 0);
}

/** `#1 401 expired_token → #2 200 OK`, from the attempts of a session. */
export function attemptChain(attempts: readonly { n: number; status: number | null; cause: string }[]): string {
  return attempts.map((a) => `#${a.n} ${a.status ?? 'no response'} ${a.cause === 'none' ? 'OK' : a.cause}`).join(' → ');
}
