import type { ActionView, CheckRow, CheckStatus, FindingView } from '../core/session.ts';
import { canonicalDiffRows, humanDuration, IDENTICAL_CANONICAL_REQUESTS, show } from '../reporters/common.ts';
import { causeLabel, STATUS_SYMBOLS } from '../reporters/labels.ts';
import { formatDuration, paragraph, truncate, visibleSpans, wrapLine, type Line, type Span, type Tone } from './text.ts';

/**
 * The detail pane of one check as styled lines, wrapped to a width: title, cause, message,
 * evidence (the SigV4 canonical diff with the differing elements marked, strings with their stray
 * newlines visible), fix steps and the actions on offer. Pure, so the pane can scroll by slicing.
 */

export function statusTone(status: CheckStatus): Tone {
  switch (status) {
    case 'fail':
      return 'fail';
    case 'warn':
      return 'warn';
    case 'pass':
      return 'pass';
    case 'skip':
      return 'skip';
    case 'running':
      return 'accent';
    default:
      return 'problem';
  }
}

export function statusSymbol(status: CheckStatus): string {
  return status === 'running' ? '…' : STATUS_SYMBOLS[status];
}

/** The keys that run an action kind directly (they are also in key-bindings.ts). */
const KIND_KEYS: Partial<Record<ActionView['kind'], string>> = { refresh: 'r', 're-sign': 's', probe: 'p' };

/**
 * The actions listed in the details, numbered 1–9: the ones the finding offers first, then the
 * other available ones. `1`–`9` run them (the `run-action` binding).
 */
export function listedActions(finding: FindingView | undefined, available: readonly ActionView[]): { action: ActionView; offered: boolean }[] {
  const offered = new Set(finding?.actions ?? []);
  const first = available.filter((a) => offered.has(a.id)).map((action) => ({ action, offered: true }));
  const rest = available.filter((a) => !offered.has(a.id)).map((action) => ({ action, offered: false }));
  return [...first, ...rest].slice(0, 9);
}

export function detailLines(row: CheckRow, actions: readonly ActionView[], width: number): Line[] {
  const w = Math.max(20, width);
  const lines: Line[] = [];
  const f = row.finding;
  const tone = statusTone(row.status);
  lines.push(...wrapLine([{ text: `${statusSymbol(row.status)} `, tone }, ...visibleSpans(row.title, { bold: true }), { text: `  ${row.ruleId}`, dim: true }], w, 2));
  if (!f) {
    lines.push([{ text: '  running…', tone: 'accent' }]);
    return lines;
  }
  const facts: string[] = [];
  if (f.cause) facts.push(`${causeLabel(f.cause)} (${f.cause})`);
  if (f.confidence) facts.push(f.confidence);
  if (f.durationMs !== undefined) facts.push(formatDuration(f.durationMs));
  if (facts.length) lines.push(...wrapLine([{ text: '  ' }, { text: facts.join(' · '), tone: f.cause ? tone : 'muted' }], w, 2));
  lines.push([]);
  lines.push(...paragraph(f.message, w, {}, 2));

  const evidence = evidenceSection(f.evidence, w);
  if (evidence.length) {
    lines.push([], [{ text: 'Evidence', bold: true }], ...evidence);
  }
  if (f.fixes.length) {
    lines.push([], [{ text: 'Fix', bold: true }]);
    f.fixes.forEach((fix, i) => lines.push(...wrapLine([{ text: `  ${i + 1}. ` }, ...visibleSpans(fix)], w, 5)));
  }
  const listed = listedActions(f, actions);
  if (listed.length) {
    lines.push([], [{ text: 'Actions', bold: true }, { text: '  (press the number)', dim: true }]);
    listed.forEach(({ action, offered }, i) => {
      const key = KIND_KEYS[action.kind];
      lines.push(
        ...wrapLine(
          [
            { text: `  ${i + 1} `, bold: true, tone: 'accent' },
            ...visibleSpans(action.title),
            ...(key ? [{ text: `  (${key})`, dim: true }] : []),
            ...(offered ? [{ text: '  ← suggested by this check', tone: 'accent' as Tone }] : []),
          ],
          w,
          4,
        ),
      );
    });
  }
  return lines;
}

function evidenceSection(evidence: Record<string, unknown>, width: number): Line[] {
  const lines: Line[] = [];
  for (const [key, value] of Object.entries(evidence).slice(0, 30)) {
    if (key === 'canonicalDiff') {
      lines.push(...canonicalDiffLines(value, width));
      continue;
    }
    lines.push(...valueLines(key, value, width, 2, 0));
  }
  return lines;
}

/**
 * DESIGN.md §3 `canonicalDiff`: one block per element; the elements where what was sent differs
 * from what the server computed are marked `≠` and coloured, the equal ones dimmed.
 */
function canonicalDiffLines(value: unknown, width: number): Line[] {
  const rows = canonicalDiffRows(value);
  if (!rows) return valueLines('canonicalDiff', value, width, 2, 0);
  const lines: Line[] = [[{ text: '  canonical request, sent vs. computed by the server:' }]];
  if (rows.length === 0) {
    lines.push(...paragraph(IDENTICAL_CANONICAL_REQUESTS, width, { tone: 'warn' }, 4));
    return lines;
  }
  for (const r of rows) {
    const differs = r.sent !== r.received;
    lines.push([{ text: differs ? '  ≠ ' : '  = ', tone: differs ? 'fail' : 'muted', bold: differs }, { text: r.element, bold: differs, dim: !differs }]);
    if (differs) {
      lines.push(...wrapLine([{ text: '      sent     ', dim: true }, ...visibleSpans(r.sent, { tone: 'sent', inverse: false })], width, 15));
      lines.push(...wrapLine([{ text: '      server   ', dim: true }, ...visibleSpans(r.received, { tone: 'received' })], width, 15));
    } else {
      lines.push([{ text: '      ', dim: true }, ...visibleSpans(truncate(r.sent, Math.max(10, width - 8)), { dim: true })]);
    }
  }
  return lines;
}

/** A reading of the well-known second counts (DESIGN.md §3). */
function annotate(key: string, value: number): string | undefined {
  if (key === 'expiredSeconds') return value >= 0 ? `expired ${humanDuration(value)} before the request` : `expires ${humanDuration(value)} after the request`;
  if (key === 'skewSeconds') return value === 0 ? 'clocks agree' : value > 0 ? `your clock is ${humanDuration(value)} behind the server` : `your clock is ${humanDuration(value)} ahead of the server`;
  if ((key === 'exp' || key === 'nbf' || key === 'iat') && value > 1e9 && value < 1e11) return new Date(value * 1000).toISOString();
  return undefined;
}

function valueLines(key: string, value: unknown, width: number, indent: number, depth: number): Line[] {
  const pad = ' '.repeat(indent);
  const label: Span = { text: `${pad}${key}: `, dim: true };
  if (typeof value === 'string') {
    return wrapLine([label, ...visibleSpans(value.length > 600 ? `${value.slice(0, 600)}…` : value)], width, indent + 2);
  }
  if (typeof value === 'number') {
    const note = annotate(key, value);
    return wrapLine([label, { text: String(value) }, ...(note ? [{ text: `  (${note})`, tone: 'accent' as Tone }] : [])], width, indent + 2);
  }
  if (value === null || typeof value !== 'object' || depth >= 3) return wrapLine([label, ...visibleSpans(show(value))], width, indent + 2);
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) return wrapLine([label, ...visibleSpans(value.map((v) => show(v)).join(', ') || '(none)')], width, indent + 2);
    const lines: Line[] = [[label]];
    value.slice(0, 20).forEach((item, i) => lines.push(...valueLines(`[${i}]`, item, width, indent + 2, depth + 1)));
    return lines;
  }
  const lines: Line[] = [[label]];
  for (const [k, v] of Object.entries(value).slice(0, 30)) lines.push(...valueLines(k, v, width, indent + 2, depth + 1));
  return lines;
}
