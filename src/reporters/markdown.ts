import type { Report } from '../core/report.ts';
import type { Finding } from '../core/types.ts';
import {
  actionAdvice,
  attemptsChain,
  bySeverity,
  canonicalDiffRows,
  cap,
  clean,
  countStatuses,
  EVIDENCE_STRING_LIMIT,
  evidenceLines,
  findingsOf,
  IDENTICAL_CANONICAL_REQUESTS,
  modeLine,
  oneLine,
  PROSE_LIMIT,
  requestsLine,
  responseLine,
  show,
  summaryLine,
  type ActionHint,
} from './common.ts';
import { causeLabel, isRuleProblem, statusSymbol } from './labels.ts';

export interface MarkdownOptions {
  /** As in TextOptions: how to phrase the actions findings offer. */
  actionHints?: Readonly<Record<string, ActionHint>> | undefined;
}

/** How much of each body the collapsible section shows (the report holds at most 2 KiB anyway). */
const BODY_LIMIT = 4_000;

/**
 * Escapes text from the exchange for inline Markdown (GitHub/GitLab flavoured): HTML special
 * characters become entities, so `<script>` or `<img onerror>` stays text; the Markdown punctuation
 * that opens links, emphasis, code spans, strikethrough or table cells is backslash-escaped, and so
 * are the characters that open a heading or list at the start of a line; newlines become `<br>` so a
 * value cannot start a block of its own.
 */
export function escapeMarkdown(text: string): string {
  return clean(text)
    .split('\n')
    .map((line) =>
      line
        .replace(/[\\`*_[\]|~]/g, (ch) => `\\${ch}`)
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        // Only at the start of a line can these open a heading, list or setext underline.
        .replace(/^(\s*)([#+=-])/, '$1\\$2')
        .replace(/^(\s*\d+)([.)])/, '$1\\$2'),
    )
    .join('<br>');
}

/** An inline code span that no backtick in the value can close early. */
export function codeSpan(text: string, inTable = false): string {
  const value = oneLine(text);
  const longest = Math.max(0, ...[...value.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  const pad = value.startsWith('`') || value.endsWith('`') || value.length === 0 ? ' ' : '';
  // GFM splits table rows on `|` even inside code spans unless it is escaped.
  const body = inTable ? value.replace(/\|/g, '\\|') : value;
  return `${ticks}${pad}${body}${pad}${ticks}`;
}

/** A fenced code block whose fence is longer than any backtick run in the content. */
export function codeBlock(content: string, info = '', indent = ''): string[] {
  const text = clean(content);
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${indent}${fence}${info}`, ...text.split('\n').map((l) => `${indent}${l}`.trimEnd()), `${indent}${fence}`];
}

const cell = (text: string) => escapeMarkdown(oneLine(text));

/** Formats a report for a ticket or pull request: verdict, facts table, findings, masked exchange. */
export function formatMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const out: string[] = [];
  const findings = findingsOf(report);
  const verdict = report.verdict ?? { cause: 'unknown', ruleId: null, summary: '' };
  const heading = report.response === null && verdict.cause === 'unknown' ? 'No HTTP response' : causeLabel(verdict.cause);

  out.push(`## authdoctor: ${escapeMarkdown(heading)} (${codeSpan(show(verdict.cause))})`, '');
  if (verdict.summary) out.push(`> ${escapeMarkdown(cap(show(verdict.summary), PROSE_LIMIT))}`, '');

  // The facts, one table.
  const req = report.request ?? ({} as Partial<Report['request']>);
  const rows: [string, string][] = [
    ['Request', codeSpan(`${show(req.method ?? '?')} ${show(req.url ?? '')}`, true)],
    ['Response', cell(responseLine(report))],
    ['Scheme', cell(show(req.scheme ?? 'unknown'))],
    ['Mode', cell(modeLine(report))],
  ];
  if (report.profile) rows.push(['Profile', cell(show(report.profile))]);
  if (req.proxy) rows.push(['Proxy', `${codeSpan(show(req.proxy.url), true)} (from ${cell(show(req.proxy.source))})`]);
  for (const hop of Array.isArray(report.redirects) ? report.redirects : []) {
    const dropped = hop.crossOrigin ? ` — cross-origin${hop.droppedHeaders?.length ? `, dropped ${hop.droppedHeaders.join(', ')}` : ''}` : '';
    rows.push(['Redirect', cell(`${show(hop.status)} ${show(hop.from)} → ${show(hop.to)}${dropped}`)]);
  }
  if (verdict.ruleId) {
    const source = findings.find((f) => f.ruleId === verdict.ruleId && f.status === 'fail');
    rows.push(['Diagnosed by', `${codeSpan(show(verdict.ruleId), true)}${source?.confidence ? ` (${cell(show(source.confidence))})` : ''}`]);
  }
  rows.push(['Checks', cell(summaryLine(report))]);
  rows.push(['Requests sent by authdoctor', cell(requestsLine(report))]);
  out.push('| Fact | Value |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v} |`), '');

  if (req.insecure) out.push('> ⚠ TLS certificate verification was disabled (`-k`/`--insecure`): the response may not come from the real server.', '');
  const sanitized = report.capture?.sanitizedHeaders;
  if (Array.isArray(sanitized) && sanitized.length > 0) {
    out.push(`> ⚠ The tool that wrote this capture removed ${sanitized.map((h) => codeSpan(show(h))).join(', ')}: their absence says nothing about the request that was really sent.`, '');
  }

  // Findings that matter, then rule problems; passes and skips folded away.
  const notable = bySeverity(findings.filter((f) => f.status === 'fail' || f.status === 'warn'));
  const problems = findings.filter((f) => isRuleProblem(f.status));
  const quiet = bySeverity(findings.filter((f) => f.status === 'pass' || f.status === 'skip'));
  out.push('### Findings', '');
  if (notable.length === 0) out.push('_No failing or warning checks._', '');
  for (const f of notable) out.push(...findingItem(f, report, options), '');
  if (problems.length > 0) {
    out.push('### Rule problems', '', '_Bugs or hangs in rules, not findings about the request._', '');
    for (const f of problems) out.push(...findingItem(f, report, options), '');
  }
  if (quiet.length > 0) {
    const c = countStatuses(findings);
    out.push('<details>', `<summary>Passed (${c.pass}) and skipped (${c.skip}) checks</summary>`, '');
    for (const f of quiet) out.push(`- ${statusSymbol(f.status)} ${escapeMarkdown(oneLine(cap(show(f.title || f.ruleId), PROSE_LIMIT)))} — ${codeSpan(show(f.ruleId))}`);
    out.push('', '</details>', '');
  }

  const attempts = Array.isArray(report.attempts) ? report.attempts : [];
  if (attempts.length > 0) {
    out.push('### Attempts', '', codeSpan(attemptsChain(report)), '');
    const changes = attempts.filter((a) => a.change);
    for (const a of changes) out.push(`- #${escapeMarkdown(show(a.n))}: ${escapeMarkdown(oneLine(cap(show(a.change), PROSE_LIMIT)))}`);
    if (changes.length > 0) out.push('');
  }
  const actions = Array.isArray(report.actions) ? report.actions : [];
  if (actions.length > 0) {
    out.push('### Actions run', '');
    for (const a of actions) {
      out.push(`- ${a.ok ? '✔' : '✖'} ${codeSpan(show(a.id))} — ${escapeMarkdown(oneLine(cap(show(a.message), PROSE_LIMIT)))}`);
      const details = a.details && typeof a.details === 'object' ? evidenceLines(a.details) : [];
      if (details.length > 0) out.push('', ...codeBlock(details.join('\n'), '', '  '));
    }
    out.push('');
  }

  out.push(...exchangeDetails(report), '');
  const tool = report.tool ? `authdoctor ${show(report.tool.version)}` : 'authdoctor';
  out.push(`<sub>${escapeMarkdown(oneLine(`${tool} · ${show(report.schema)}`))}</sub>`);
  return `${out.join('\n')}\n`;
}

function findingItem(f: Finding, report: Report, options: MarkdownOptions): string[] {
  const title = escapeMarkdown(oneLine(cap(show(f.title || f.ruleId), PROSE_LIMIT)));
  const tags: string[] = [];
  if (f.cause) tags.push(codeSpan(show(f.cause)));
  if (f.confidence) tags.push(escapeMarkdown(show(f.confidence)));
  const lines = [`- ${statusSymbol(f.status)} **${title}**${tags.length ? ` (${tags.join(', ')})` : ''} — ${codeSpan(show(f.ruleId))}`];
  const indent = '  ';
  if (f.message) lines.push('', `${indent}${escapeMarkdown(cap(show(f.message), PROSE_LIMIT))}`);

  const evidence = f.evidence && typeof f.evidence === 'object' ? (f.evidence as Record<string, unknown>) : {};
  const diff = 'canonicalDiff' in evidence ? canonicalDiffRows(evidence.canonicalDiff) : null;
  const evLines = evidenceLines(evidence, diff ? new Set(['canonicalDiff']) : new Set());
  if (evLines.length > 0) lines.push('', ...codeBlock(evLines.join('\n'), '', indent));
  if (diff) {
    lines.push('', `${indent}Canonical request differences:`, '');
    if (diff.length === 0) lines.push(`${indent}_None — ${escapeMarkdown(IDENTICAL_CANONICAL_REQUESTS)}_`);
    else {
      lines.push(`${indent}| element | sent | received |`, `${indent}| --- | --- | --- |`);
      for (const r of diff) lines.push(`${indent}| ${codeSpan(r.element, true)} | ${codeSpan(r.sent, true)} | ${codeSpan(r.received, true)} |`);
    }
  }

  const fixes = Array.isArray(f.fixes) ? f.fixes : [];
  if (fixes.length > 0) {
    lines.push('', `${indent}**Fix:**`, '');
    for (const fix of fixes) lines.push(`${indent}- ${escapeMarkdown(cap(show(fix), PROSE_LIMIT))}`);
  }
  const actions = Array.isArray(f.actions) ? f.actions : [];
  if (actions.length > 0) {
    lines.push('');
    for (const id of actions) {
      lines.push(`${indent}**Action:** ${codeSpan(show(id))} — ${escapeMarkdown(actionAdvice(show(id), report, options.actionHints))}`);
    }
  }
  return lines;
}

/** The masked request and response in a collapsible section: headers and bodies in code blocks. */
function exchangeDetails(report: Report): string[] {
  const headerText = (headers: unknown) =>
    headers && typeof headers === 'object'
      ? Object.entries(headers as Record<string, unknown>).map(([k, v]) => `${oneLine(k)}: ${oneLine(cap(show(v), EVIDENCE_STRING_LIMIT * 4))}`)
      : [];
  const req = report.request;
  const request = req ? [`${oneLine(show(req.method))} ${oneLine(show(req.url))}`, ...headerText(req.headers)] : ['(no request)'];
  if (req && typeof req.body === 'string' && req.body.length > 0) request.push('', cap(req.body, BODY_LIMIT));
  const res = report.response;
  const response = res ? [responseLine(report), ...headerText(res.headers)] : [responseLine(report)];
  if (res && typeof res.body === 'string' && res.body.length > 0) {
    response.push('', cap(res.body, BODY_LIMIT));
    if (res.bodyTruncated) response.push('', '(body truncated)');
  }
  return [
    '<details>',
    '<summary>Masked request and response</summary>',
    '',
    '**Request**',
    '',
    ...codeBlock(request.join('\n'), 'http'),
    '',
    '**Response**',
    '',
    ...codeBlock(response.join('\n'), 'http'),
    '',
    '</details>',
  ];
}
