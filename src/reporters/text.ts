import type { Report } from '../core/report.ts';
import type { Finding } from '../core/types.ts';
import {
  actionAdvice,
  attemptsChain,
  bySeverity,
  canonicalDiffRows,
  cap,
  CAP_MARK_PATTERN,
  clean,
  EVIDENCE_STRING_LIMIT,
  evidenceLines,
  findingsOf,
  groupFindings,
  IDENTICAL_CANONICAL_REQUESTS,
  MASK_PATTERN,
  modeLine,
  oneLine,
  PROSE_LIMIT,
  requestsLine,
  responseLine,
  show,
  summaryLine,
  type ActionHint,
  type DiffRow,
} from './common.ts';
import { causeLabel, statusSymbol } from './labels.ts';

export interface TextOptions {
  /** ANSI colours; the CLI passes false when NO_COLOR is set or stdout is not a TTY. Symbols stay. */
  color: boolean;
  /** Wrap prose to this many columns. @default 80 */
  width?: number | undefined;
  /** List skipped checks one by one, show pass messages, durations, and the request/response. @default false */
  verbose?: boolean | undefined;
  /**
   * What the CLI knows about the actions findings offer (from the loaded plugins), by full action
   * id; with `kind: 'refresh'` the advice reads "run again with --refresh". The report itself
   * carries only the ids.
   */
  actionHints?: Readonly<Record<string, ActionHint>> | undefined;
}

const DEFAULT_WIDTH = 80;
const MIN_TEXT_WIDTH = 24;

type Style = (text: string) => string;

interface Palette {
  bold: Style;
  dim: Style;
  red: Style;
  green: Style;
  yellow: Style;
  cyan: Style;
  magenta: Style;
}

// Hand-written rather than node:util styleText: styleText consults process.stdout and the
// environment by default, and this reporter must be a pure function of its arguments.
const sgr = (open: number, close: number): Style => (text) => (text.length === 0 ? text : `\u001b[${open}m${text}\u001b[${close}m`);
const identity: Style = (text) => text;

function palette(color: boolean): Palette {
  if (!color) return { bold: identity, dim: identity, red: identity, green: identity, yellow: identity, cyan: identity, magenta: identity };
  return { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), cyan: sgr(36, 39), magenta: sgr(35, 39) };
}

const width = (s: string) => [...s].length;

/**
 * Word-wraps one piece of prose into lines of at most `avail` columns. Masked secrets
 * (`eyJh…(812 chars, sha256:3f2a9c1e)`) are single words; a word longer than the line (a long URL)
 * gets a line of its own rather than being cut, so it stays copyable.
 */
export function wrapText(text: string, avail: number): string[] {
  const out: string[] = [];
  const max = Math.max(MIN_TEXT_WIDTH, avail);
  for (const paragraph of text.split('\n')) {
    // \u0000 cannot occur here: clean() has escaped every control character before wrapping.
    const glue = (m: string) => m.replaceAll(' ', '\u0000');
    const glued = paragraph.replace(MASK_PATTERN, glue).replace(CAP_MARK_PATTERN, glue);
    const words = glued.split(/ +/).filter((w) => w.length > 0);
    if (words.length === 0) {
      out.push('');
      continue;
    }
    let line = '';
    for (const word of words) {
      if (line.length === 0) line = word;
      else if (width(line) + 1 + width(word) <= max) line += ` ${word}`;
      else {
        out.push(line);
        line = word;
      }
    }
    out.push(line);
  }
  return out.map((l) => l.replaceAll('\u0000', ' '));
}

/** Formats a report for a terminal, in the doctor style: header, verdict, checks by plugin, summary. */
export function formatText(report: Report, options: TextOptions): string {
  const p = palette(options.color === true);
  const cols = typeof options.width === 'number' && Number.isFinite(options.width) && options.width > 0 ? Math.floor(options.width) : DEFAULT_WIDTH;
  const verbose = options.verbose === true;
  const out: string[] = [];

  /** Wrapped prose: `first` before the first line, `rest` before the others (both unstyled). */
  const prose = (first: string, rest: string, text: string, style: Style = identity, firstStyled?: string) => {
    const lines = wrapText(clean(text), cols - width(first));
    lines.forEach((line, i) => out.push(`${i === 0 ? (firstStyled ?? first) : rest}${line.length ? style(line) : ''}`.trimEnd()));
  };
  /** A `Label     value` row of the header. */
  const row = (label: string, value: string) => {
    const head = `  ${label.padEnd(10)}`;
    prose(head, ' '.repeat(width(head)), value, identity, `  ${p.dim(label.padEnd(10))}`);
  };

  // Header: what was sent, what came back.
  const req = report.request ?? ({} as Partial<Report['request']>);
  const tool = report.tool ? `authdoctor ${oneLine(show(report.tool.version))}` : 'authdoctor';
  out.push(p.dim(`${tool} · ${oneLine(show(report.schema))}`), '');
  prose('', '    ', `${oneLine(show(req.method ?? '?'))} ${oneLine(show(req.url ?? ''))}`, p.bold);
  row('Response', responseLine(report));
  row('Scheme', oneLine(show(req.scheme ?? 'unknown')));
  row('Mode', modeLine(report));
  if (report.profile) row('Profile', oneLine(show(report.profile)));
  if (req.proxy) row('Proxy', oneLine(`${show(req.proxy.url)} (from ${show(req.proxy.source)})`));
  for (const hop of Array.isArray(report.redirects) ? report.redirects : []) {
    const dropped = hop.crossOrigin ? ` — cross-origin, ${hop.droppedHeaders?.length ? `dropped ${hop.droppedHeaders.join(', ')}` : 'credentials not carried'}` : '';
    row('Redirect', oneLine(`${show(hop.status)} ${show(hop.from)} → ${show(hop.to)}${dropped}`));
  }
  if (req.insecure) {
    prose('  ⚠ ', '    ', 'TLS certificate verification was disabled (-k/--insecure): the response may not come from the real server.', p.yellow, `  ${p.yellow('⚠')} `);
  }
  const sanitized = report.capture?.sanitizedHeaders;
  if (Array.isArray(sanitized) && sanitized.length > 0) {
    prose(
      '  ⚠ ',
      '    ',
      `The tool that wrote this capture removed ${oneLine(sanitized.join(', '))}: their absence here says nothing about the request that was really sent.`,
      p.yellow,
      `  ${p.yellow('⚠')} `,
    );
  }
  out.push('');

  // The verdict, first and prominent.
  const verdict = report.verdict ?? { cause: 'unknown', ruleId: null, summary: '' };
  const ok = verdict.cause === 'none';
  const heading = report.response === null && verdict.cause === 'unknown' ? 'No HTTP response' : causeLabel(verdict.cause);
  const vColor = ok ? p.green : p.red;
  prose(`${ok ? '✔' : '✖'} `, '  ', `${heading} (${oneLine(show(verdict.cause))})`, (s) => p.bold(vColor(s)), `${vColor(ok ? '✔' : '✖')} `);
  if (verdict.summary) prose('  ', '  ', cap(show(verdict.summary), PROSE_LIMIT));
  const findings = findingsOf(report);
  if (verdict.ruleId) {
    const source = findings.find((f) => f.ruleId === verdict.ruleId && f.status === 'fail');
    const confidence = source?.confidence ? ` (${source.confidence})` : '';
    prose('  ', '  ', `Diagnosed by ${oneLine(show(verdict.ruleId))}${confidence}.`, p.dim);
  }

  // Checks, grouped by plugin; rule problems apart.
  const { groups, problems } = groupFindings(findings);
  const statusColor: Record<string, Style> = { fail: p.red, warn: p.yellow, pass: p.green, skip: p.dim, error: p.magenta, timeout: p.magenta };
  const symbolOf = (f: Finding) => (statusColor[f.status] ?? identity)(statusSymbol(f.status));

  const detail = (f: Finding, indent: string, withMessage: boolean) => {
    if (withMessage && f.message) prose(indent, indent, cap(show(f.message), PROSE_LIMIT));
    renderEvidence(f.evidence, indent);
    const fixes = Array.isArray(f.fixes) ? f.fixes : [];
    if (fixes.length === 1) {
      prose(`${indent}Fix: `, `${indent}     `, cap(show(fixes[0]), PROSE_LIMIT), identity, `${indent}${p.cyan('Fix:')} `);
    } else if (fixes.length > 1) {
      out.push(`${indent}${p.cyan('Fix:')}`);
      for (const fix of fixes) prose(`${indent}  • `, `${indent}    `, cap(show(fix), PROSE_LIMIT));
    }
    for (const id of Array.isArray(f.actions) ? f.actions : []) {
      const text = `${oneLine(show(id))} — ${actionAdvice(show(id), report, options.actionHints)}`;
      prose(`${indent}Action: `, `${indent}        `, text, identity, `${indent}${p.cyan('Action:')} `);
    }
    if (verbose && typeof f.durationMs === 'number') out.push(`${indent}${p.dim(`(${Math.round(f.durationMs * 10) / 10} ms)`)}`);
  };

  const renderEvidence = (evidence: unknown, indent: string) => {
    if (evidence === null || typeof evidence !== 'object') return;
    const record = evidence as Record<string, unknown>;
    const rows = 'canonicalDiff' in record ? canonicalDiffRows(record.canonicalDiff) : null;
    for (const line of evidenceLines(record, rows ? new Set(['canonicalDiff']) : new Set())) {
      const pad = /^ */.exec(line)?.[0] ?? '';
      prose(`${indent}${pad}`, `${indent}${pad}  `, line.slice(pad.length));
    }
    if (rows) renderDiff(rows, indent);
  };

  const renderDiff = (rows: DiffRow[], indent: string) => {
    if (rows.length === 0) {
      out.push(`${indent}canonicalDiff: (identical)`);
      prose(`${indent}  `, `${indent}  `, IDENTICAL_CANONICAL_REQUESTS);
      return;
    }
    out.push(`${indent}canonicalDiff:`);
    const header: DiffRow = { element: 'element', sent: 'sent', received: 'received' };
    const all = [header, ...rows];
    const w = {
      element: Math.max(...all.map((r) => width(r.element))),
      sent: Math.max(...all.map((r) => width(r.sent))),
    };
    const fits = all.every((r) => width(indent) + 2 + w.element + 2 + w.sent + 2 + width(r.received) <= cols);
    if (fits) {
      const line = (r: DiffRow) => `${indent}  ${r.element.padEnd(w.element)}  ${r.sent.padEnd(w.sent)}  ${r.received}`.trimEnd();
      out.push(p.dim(line(header)));
      for (const r of rows) out.push(line(r));
      return;
    }
    // Too wide for a table: one block per element.
    for (const r of rows) {
      out.push(`${indent}  ${r.element}`);
      prose(`${indent}    sent:     `, `${indent}              `, r.sent);
      prose(`${indent}    received: `, `${indent}              `, r.received);
    }
  };

  for (const [plugin, list] of groups) {
    out.push('', p.bold(oneLine(plugin)));
    const skipped = list.filter((f) => f.status === 'skip');
    for (const f of bySeverity(list)) {
      if (f.status === 'skip' && !verbose) continue;
      const title = oneLine(cap(show(f.title || f.ruleId), PROSE_LIMIT));
      const tags: string[] = [];
      if ((f.status === 'fail' || f.status === 'warn') && f.cause) tags.push(oneLine(show(f.cause)));
      if (f.status === 'fail' && f.confidence) tags.push(oneLine(show(f.confidence)));
      const tagText = tags.length ? ` (${tags.join(', ')})` : '';
      const idText = verbose ? ` [${oneLine(show(f.ruleId))}]` : '';
      const sym = statusSymbol(f.status);
      const titleStyle: Style = f.status === 'fail' || f.status === 'warn' ? p.bold : identity;
      prose(`  ${sym} `, '    ', `${title}${tagText}${idText}`, titleStyle, `  ${symbolOf(f)} `);
      if (f.status === 'fail' || f.status === 'warn') detail(f, '    ', true);
      else if (f.status === 'pass') {
        const informative = f.message && f.message !== 'No problem found.';
        if (verbose || informative || Object.keys(f.evidence ?? {}).length > 0 || (f.fixes?.length ?? 0) > 0) detail(f, '    ', Boolean(informative || verbose));
      } else if (verbose) detail(f, '    ', true);
    }
    if (skipped.length > 0 && !verbose) prose('  ', '    ', `${statusSymbol('skip')} ${skipped.length} skipped (not applicable to this request)`, p.dim);
  }

  if (problems.length > 0) {
    out.push('');
    prose('', '  ', 'Rule problems (bugs or hangs in rules, not findings about your request)', p.bold);
    for (const f of problems) {
      prose(`  ${statusSymbol(f.status)} `, '    ', `${oneLine(show(f.ruleId))} — ${oneLine(cap(show(f.title), PROSE_LIMIT))}`, identity, `  ${symbolOf(f)} `);
      detail(f, '    ', true);
    }
  }

  // What happened around the diagnosis.
  const attempts = Array.isArray(report.attempts) ? report.attempts : [];
  const actions = Array.isArray(report.actions) ? report.actions : [];
  if (attempts.length > 0 || actions.length > 0) out.push('');
  if (attempts.length > 0) {
    row('Attempts', attemptsChain(report));
    for (const a of attempts) if (a.change) prose(`  ${' '.repeat(10)}`, `  ${' '.repeat(12)}`, oneLine(`#${show(a.n)}: ${cap(show(a.change), PROSE_LIMIT)}`), p.dim);
  }
  if (actions.length > 0) {
    out.push(`  ${p.dim('Actions run')}`);
    for (const a of actions) {
      const sym = a.ok ? p.green('✔') : p.red('✖');
      prose(`    ${a.ok ? '✔' : '✖'} `, '      ', `${oneLine(show(a.id))} — ${cap(show(a.message), PROSE_LIMIT)}`, identity, `    ${sym} `);
      if (a.details && typeof a.details === 'object') renderEvidence(a.details, '      ');
    }
  }

  if (verbose) renderExchange(report, out, p, prose);

  out.push('');
  const label = 'Requests sent by authdoctor:';
  const sent = requestsLine(report);
  if (width(label) + 1 + width(sent) <= cols) out.push(`${p.dim(label)} ${sent}`);
  else {
    out.push(p.dim(label));
    prose('  ', '  ', sent);
  }
  out.push('');
  const summary = summaryLine(report);
  if (width(summary) <= cols) out.push(p.bold(summary));
  else {
    // Keep "verdict: <cause>" whole on a line of its own rather than split at the edge.
    const at = summary.lastIndexOf(' — verdict: ');
    prose('', '', summary.slice(0, at), p.bold);
    out.push(p.bold(summary.slice(at + 1)));
  }
  return `${out.join('\n')}\n`;
}

type Prose = (first: string, rest: string, text: string, style?: Style) => void;

/** Verbose only: the masked request and response, headers and a bounded body. */
function renderExchange(report: Report, out: string[], p: Palette, prose: Prose): void {
  const headers = (value: unknown) => {
    if (!value || typeof value !== 'object') return;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) prose('    ', '        ', `${oneLine(k)}: ${oneLine(cap(show(v), EVIDENCE_STRING_LIMIT))}`);
  };
  const body = (text: unknown) => {
    if (typeof text !== 'string' || text.length === 0) return;
    out.push('');
    prose('    ', '    ', cap(text, 1_000));
  };
  const req = report.request;
  out.push('', p.bold('Request (masked)'));
  if (req) {
    prose('    ', '        ', `${oneLine(show(req.method))} ${oneLine(show(req.url))}`);
    headers(req.headers);
    body(req.body);
  }
  out.push('', p.bold('Response (masked)'));
  const res = report.response;
  prose('    ', '        ', responseLine(report));
  if (!res) return;
  headers(res.headers);
  body(res.body);
  if (res.bodyTruncated) out.push(p.dim('    (body truncated)'));
}
