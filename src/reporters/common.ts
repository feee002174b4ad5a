import type { ActionDefinition } from '../core/plugin.ts';
import type { Report } from '../core/report.ts';
import type { Finding, FindingStatus } from '../core/types.ts';
import { isRuleProblem } from './labels.ts';

/**
 * What the text and markdown reporters share: turning untrusted values into safe, bounded strings,
 * laying out evidence, counting statuses. Everything here is pure and never throws.
 */

/** Evidence strings longer than this are cut with an ellipsis (the JSON report keeps them whole). */
export const EVIDENCE_STRING_LIMIT = 300;
/** Messages, summaries and fixes are prose, but a broken rule could still return a megabyte. */
export const PROSE_LIMIT = 2_000;
const MAX_ITEMS = 20;
const MAX_KEYS = 30;
const MAX_DEPTH = 4;

/** How the CLI describes an action a finding offers (from the loaded plugins' action definitions). */
export interface ActionHint {
  title?: string | undefined;
  kind?: ActionDefinition['kind'] | undefined;
}

/**
 * A masked secret as the redactor writes it: `eyJh…(812 chars, sha256:3f2a9c1e)`. Wrapping and
 * cutting treat it as one unbreakable word.
 */
export const MASK_PATTERN = /\S{0,16}…\(\d+ chars, sha256:[0-9a-f]{8}\)/g;

/** The marker `cap` leaves (`…(+99700 chars)`); wrapping keeps it on one line too. */
export const CAP_MARK_PATTERN = /…\(\+\d+ chars\)/g;

/**
 * Control characters (ANSI escapes, backspace, carriage return…) and bidirectional overrides in a
 * value from the exchange could rewrite the terminal or disguise text; show them escaped instead.
 * Newlines and tabs are kept (tabs as spaces) where `keepNewlines` is set.
 */
export function clean(text: string, keepNewlines = true): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (ch) => {
    if (ch === '\t') return '  ';
    if (ch === '\n' && keepNewlines) return '\n';
    if (ch === '\r' && keepNewlines) return '';
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** One line: control characters and newlines escaped. */
export function oneLine(text: string): string {
  return clean(text.replace(/\r?\n/g, '\\n'), false);
}

/**
 * Cuts text to `limit` characters (code points) with an ellipsis that says how much was cut. A cut
 * never falls inside a masked secret: the whole mask goes instead.
 */
export function cap(text: string, limit: number): string {
  const chars = [...text];
  if (chars.length <= limit) return text;
  let cut = chars.slice(0, limit).join('').length; // in UTF-16 units
  for (const match of text.matchAll(MASK_PATTERN)) {
    const start = match.index;
    const end = start + match[0].length;
    if (start < cut && cut < end) {
      cut = start;
      break;
    }
  }
  const kept = text.slice(0, cut);
  const dropped = chars.length - [...kept].length;
  return `${kept}…(+${dropped} chars)`;
}

/** Any value as a short string: never throws, whatever a plugin put into evidence. */
export function show(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  return compactJson(value);
}

function compactJson(value: unknown): string {
  try {
    const ancestors: unknown[] = [];
    const out = JSON.stringify(value, function (this: unknown, _key, v: unknown) {
      if (typeof v === 'bigint') return v.toString();
      if (typeof v !== 'object' || v === null) return v;
      while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
      if (ancestors.includes(v)) return '[Circular]';
      ancestors.push(v);
      return v;
    });
    return out ?? String(value);
  } catch {
    return '[unprintable]';
  }
}

/** "3 h", "7 min", "45 s", "2 days": for the well-known second counts. */
export function humanDuration(seconds: number): string {
  const s = Math.abs(seconds);
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} days`;
}

/** A short reading of the well-known evidence keys of DESIGN.md §3, or undefined. */
function annotate(key: string, value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  if (key === 'skewSeconds') {
    if (value === 0) return 'clocks agree';
    // skewSeconds = server time minus client time.
    return value > 0 ? `client clock ${humanDuration(value)} behind the server` : `client clock ${humanDuration(value)} ahead of the server`;
  }
  if (key === 'expiredSeconds') {
    return value >= 0 ? `expired ${humanDuration(value)} before evaluation` : `expires ${humanDuration(value)} after evaluation`;
  }
  return undefined;
}

export interface DiffRow {
  element: string;
  sent: string;
  received: string;
}

/** The rows of a `canonicalDiff` evidence value, or null when it is not shaped like one. */
export function canonicalDiffRows(value: unknown): DiffRow[] | null {
  if (!Array.isArray(value)) return null;
  const rows: DiffRow[] = [];
  for (const item of value) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return null;
    const row = item as Record<string, unknown>;
    if (!('element' in row)) return null;
    rows.push({
      element: oneLine(cap(show(row.element), 80)),
      sent: oneLine(cap(row.sent === undefined ? '(absent)' : show(row.sent), EVIDENCE_STRING_LIMIT)),
      received: oneLine(cap(row.received === undefined ? '(absent)' : show(row.received), EVIDENCE_STRING_LIMIT)),
    });
  }
  return rows;
}

export const IDENTICAL_CANONICAL_REQUESTS =
  'The canonical requests are identical, so the secret access key or the signing-key derivation (date, region, service) is wrong.';

/**
 * Evidence as YAML-like plain lines (`key: value`, nested with two spaces), bounded in depth, items
 * and string length. The caller escapes or styles them for its format. `canonicalDiff` is laid out
 * by the caller and skipped here when `skipKeys` has it.
 */
export function evidenceLines(evidence: unknown, skipKeys: ReadonlySet<string> = new Set()): string[] {
  if (evidence === null || typeof evidence !== 'object' || Array.isArray(evidence)) {
    return evidence === undefined ? [] : [`value: ${scalar(evidence)}`];
  }
  const lines: string[] = [];
  const entries = safeEntries(evidence).filter(([key]) => !skipKeys.has(key));
  for (const [key, value] of entries.slice(0, MAX_KEYS)) {
    lines.push(...keyValue(oneLine(cap(key, 80)), value, 0, new Set([evidence])));
  }
  if (entries.length > MAX_KEYS) lines.push(`… ${entries.length - MAX_KEYS} more keys`);
  return lines;
}

function safeEntries(value: object): [string, unknown][] {
  try {
    return Object.entries(value);
  } catch {
    return [];
  }
}

function scalar(value: unknown): string {
  return oneLine(cap(show(value), EVIDENCE_STRING_LIMIT));
}

function isScalar(value: unknown): boolean {
  return value === null || (typeof value !== 'object' && typeof value !== 'function') || value instanceof Date;
}

function keyValue(key: string, value: unknown, depth: number, seen: Set<unknown>): string[] {
  const pad = '  '.repeat(depth);
  if (typeof value === 'string') {
    const text = clean(cap(value, EVIDENCE_STRING_LIMIT));
    if (text.includes('\n')) return [`${pad}${key}: |`, ...text.split('\n').map((l) => `${pad}  ${l}`)];
    return [`${pad}${key}: ${text}`];
  }
  if (isScalar(value)) {
    const note = annotate(key, value);
    return [`${pad}${key}: ${scalar(value)}${note ? ` (${note})` : ''}`];
  }
  if (seen.has(value) || depth >= MAX_DEPTH) return [`${pad}${key}: ${scalar(value)}`];
  const inner = new Set(seen).add(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}${key}: (none)`];
    if (value.every(isScalar)) {
      const shown = value.slice(0, MAX_ITEMS).map((v) => scalar(v));
      const more = value.length > MAX_ITEMS ? [`… ${value.length - MAX_ITEMS} more`] : [];
      const joined = [...shown, ...more].join(', ');
      if (joined.length <= 60 && !shown.some((s) => s.includes(','))) return [`${pad}${key}: ${joined}`];
      return [`${pad}${key}:`, ...[...shown, ...more].map((s) => `${pad}  - ${s}`)];
    }
    const lines = [`${pad}${key}:`];
    for (const item of value.slice(0, MAX_ITEMS)) lines.push(...listItem(item, depth + 1, inner));
    if (value.length > MAX_ITEMS) lines.push(`${pad}  … ${value.length - MAX_ITEMS} more`);
    return lines;
  }
  const entries = safeEntries(value as object);
  if (entries.length === 0) return [`${pad}${key}: {}`];
  const lines = [`${pad}${key}:`];
  for (const [k, v] of entries.slice(0, MAX_KEYS)) lines.push(...keyValue(oneLine(cap(k, 80)), v, depth + 1, inner));
  if (entries.length > MAX_KEYS) lines.push(`${pad}  … ${entries.length - MAX_KEYS} more keys`);
  return lines;
}

/** `- first: x` / `  second: y` for an object in a list; `- value` for anything else. */
function listItem(item: unknown, depth: number, seen: Set<unknown>): string[] {
  const pad = '  '.repeat(depth);
  if (isScalar(item) || typeof item === 'string' || seen.has(item) || depth >= MAX_DEPTH || Array.isArray(item)) {
    return [`${pad}- ${scalar(item)}`];
  }
  const entries = safeEntries(item as object);
  if (entries.length === 0) return [`${pad}- {}`];
  const inner = new Set(seen).add(item);
  const lines: string[] = [];
  for (const [k, v] of entries.slice(0, MAX_KEYS)) {
    const rendered = keyValue(oneLine(cap(k, 80)), v, depth + 1, inner);
    lines.push(...rendered);
  }
  // Turn the first line's indentation into the list marker: "    key: v" → "  - key: v".
  lines[0] = `${pad}- ${lines[0]!.slice(pad.length + 2)}`;
  if (entries.length > MAX_KEYS) lines.push(`${pad}  … ${entries.length - MAX_KEYS} more keys`);
  return lines;
}

export interface StatusCounts {
  fail: number;
  warn: number;
  pass: number;
  skip: number;
  error: number;
  timeout: number;
}

export function countStatuses(findings: readonly Finding[]): StatusCounts {
  const counts: StatusCounts = { fail: 0, warn: 0, pass: 0, skip: 0, error: 0, timeout: 0 };
  for (const f of findings) {
    if (f && Object.hasOwn(counts, f.status)) counts[f.status as FindingStatus] += 1;
  }
  return counts;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** `1 failed, 2 warnings, 14 passed, 9 skipped — verdict: expired_token` */
export function summaryLine(report: Report): string {
  const c = countStatuses(findingsOf(report));
  const parts = [`${c.fail} failed`, plural(c.warn, 'warning', 'warnings'), `${c.pass} passed`, `${c.skip} skipped`];
  if (c.error > 0) parts.push(plural(c.error, 'rule error', 'rule errors'));
  if (c.timeout > 0) parts.push(`${c.timeout} timed out`);
  return `${parts.join(', ')} — verdict: ${oneLine(show(report.verdict?.cause ?? 'unknown'))}`;
}

/** The findings, tolerating a report whose `findings` is missing or holds non-objects. */
export function findingsOf(report: Report): Finding[] {
  return Array.isArray(report.findings) ? report.findings.filter((f): f is Finding => f !== null && typeof f === 'object') : [];
}

export function pluginOf(f: Finding): string {
  if (typeof f.plugin === 'string' && f.plugin.length > 0) return f.plugin;
  const id = typeof f.ruleId === 'string' ? f.ruleId : '';
  const slash = id.indexOf('/');
  return slash > 0 ? id.slice(0, slash) : '(no plugin)';
}

/** Findings grouped by plugin in first-appearance order; rule problems (error/timeout) apart. */
export function groupFindings(findings: readonly Finding[]): { groups: Map<string, Finding[]>; problems: Finding[] } {
  const groups = new Map<string, Finding[]>();
  const problems: Finding[] = [];
  for (const f of findings) {
    if (isRuleProblem(f.status)) {
      problems.push(f);
      continue;
    }
    const name = pluginOf(f);
    const list = groups.get(name) ?? [];
    list.push(f);
    groups.set(name, list);
  }
  return { groups, problems };
}

const STATUS_ORDER: Record<string, number> = { fail: 0, warn: 1, pass: 2, skip: 3 };

/** Failures first, then warnings, passes, skips; declaration order within each. */
export function bySeverity(findings: readonly Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => (STATUS_ORDER[a.f.status] ?? 4) - (STATUS_ORDER[b.f.status] ?? 4) || a.i - b.i)
    .map(({ f }) => f);
}

/** `#1 401 expired_token 312 ms → #2 200 none 95 ms` */
export function attemptsChain(report: Report): string {
  const attempts = Array.isArray(report.attempts) ? report.attempts : [];
  return attempts
    .map((a) => {
      const status = a.status === null || a.status === undefined ? 'no response' : show(a.status);
      const duration = typeof a.durationMs === 'number' && Number.isFinite(a.durationMs) ? ` ${Math.round(a.durationMs)} ms` : '';
      return oneLine(`#${show(a.n)} ${status} ${show(a.cause)}${duration}`);
    })
    .join(' → ');
}

/** How to take an action a finding offers, from `check`. */
export function actionAdvice(id: string, report: Report, hints: Readonly<Record<string, ActionHint>> | undefined): string {
  const ran = (Array.isArray(report.actions) ? report.actions : []).find((a) => a?.id === id);
  if (ran) return ran.ok ? `ran: ${show(ran.message)}` : `ran and failed: ${show(ran.message)}`;
  const hint = hints?.[id];
  const title = hint?.title ? `${hint.title}: ` : '';
  if (hint?.kind === 'refresh') return `${title}run again with --refresh`;
  if (hint?.kind === 'probe') return `${title}run again with --probe`;
  return `${title}available in the interactive screen (authdoctor tui)`;
}

/** The human form of the response line: `401 Unauthorized`, or the transport failure. */
export function responseLine(report: Report): string {
  const r = report.response;
  if (r) return oneLine(`${show(r.status)} ${show(r.statusText ?? '')}`.trim());
  const t = report.transportError;
  if (t) return oneLine(`no response — ${show(t.code)}${t.phase ? ` during ${show(t.phase)}` : ''}: ${cap(show(t.message), PROSE_LIMIT)}`);
  return 'no response';
}

export function modeLine(report: Report): string {
  const at = oneLine(show(report.evaluatedAt));
  const c = report.capture;
  if (report.mode === 'offline' || c) {
    if (!c) return `offline capture, evaluated at ${at}`;
    const entry = `entry ${show(c.entryIndex)}${typeof c.entryCount === 'number' ? ` of ${c.entryCount}` : ''}`;
    const creator = c.creator ? `, written by ${show(c.creator)}` : '';
    return oneLine(`offline capture ${show(c.file)} (${entry}${creator}), evaluated at ${at}`);
  }
  return `live, evaluated at ${at}`;
}

export function requestsLine(report: Report): string {
  const requests = Array.isArray(report.requests) ? report.requests : [];
  if (requests.length === 0) return report.mode === 'offline' ? 'none (offline analysis)' : 'none';
  return oneLine(requests.map((r) => `${show(r?.host)} ×${show(r?.count)}`).join(', '));
}
