import type { CauseId } from './causes.ts';
import type { Finding, FindingStatus } from './types.ts';

/**
 * The interactive session as a pure reducer: (state, event) → state. It knows nothing about
 * terminals, React or the engine. The UI reads this state and sends commands; the session
 * controller (src/ui) turns engine callbacks into events. Every string in this state is already
 * masked by the redactor before it gets here, so any part of it is safe to put on a screen.
 */

/** Where the session is. `acting` = a user action runs (refresh, re-sign, probe) before a retry. */
export type SessionPhase = 'loading' | 'sending' | 'checking' | 'ready' | 'acting' | 'failed';

/** The main area: the list of checks, or the selected check's details. */
export type SessionView = 'list' | 'details';

/** Everything the user can ask for; key bindings map keys to these (src/ui/key-bindings.ts). */
export type SessionCommand =
  | 'select-prev'
  | 'select-next'
  | 'next-failing'
  | 'prev-failing'
  | 'open-details'
  | 'back'
  | 'scroll-up'
  | 'scroll-down'
  | 'help'
  | 'quit'
  | 'refresh'
  | 'edit'
  | 'retry'
  | 'bypass-proxy'
  | 're-sign'
  | 'copy-curl'
  | 'export-markdown'
  | 'toggle-watch'
  | 'run-action'
  | 'edit-next-field'
  | 'edit-prev-suggestion'
  | 'edit-next-suggestion'
  | 'edit-submit';

/** The commands that only move around the screen: the reducer handles them without the engine. */
export type NavigationCommand = Extract<
  SessionCommand,
  'select-prev' | 'select-next' | 'next-failing' | 'prev-failing' | 'open-details' | 'back' | 'scroll-up' | 'scroll-down' | 'help' | 'edit-next-field' | 'edit-prev-suggestion' | 'edit-next-suggestion'
>;

export interface HeaderView {
  name: string;
  /** Masked. */
  value: string;
}

/** The target as far as it is known: from argv at first, from the loaded session later. */
export interface TargetView {
  /** One line: `GET https://api.example.com/v1/me`, `profile billing`, `capture.har entry 3 of 9`. */
  describe: string;
  method?: string | undefined;
  /** Masked. */
  url?: string | undefined;
  profile?: string | undefined;
  scheme?: string | undefined;
  /** Masked proxy URL and where it came from, or undefined for a direct connection. */
  proxy?: { url: string; source: string } | undefined;
  mode: 'live' | 'offline' | 'unknown';
}

export interface RequestView {
  method: string;
  url: string;
  headers: HeaderView[];
  body?: string | undefined;
}

export interface ResponseView {
  status: number;
  statusText: string;
  headers: HeaderView[];
  /** The start of the body, masked. */
  body: string;
  truncated: boolean;
}

/** A finding as the screen holds it: masked (evidence deeply), keyed, with its actions listed. */
export interface FindingView extends Omit<Finding, 'actions'> {
  /** Stable within an attempt: `<ruleId>#<index of the finding within its rule>`. */
  key: string;
  /** Full ids of the actions the finding offers (`oauth2/refresh-token`). */
  actions: string[];
}

/** A rule the runner will run, in declaration order (which is also the screen's order). */
export interface PlannedCheck {
  ruleId: string;
  plugin: string;
  title: string;
}

export type CheckStatus = 'running' | FindingStatus;

export interface CheckRow {
  key: string;
  ruleId: string;
  plugin: string;
  title: string;
  status: CheckStatus;
  /** Position of the rule in the plan, then of the finding within the rule: the sort order. */
  order: number;
  finding?: FindingView | undefined;
}

export interface VerdictView {
  cause: CauseId;
  ruleId: string | null;
  summary: string;
}

export interface AttemptView {
  n: number;
  /** What changed before this attempt ("Refresh access token · authorization changed"). */
  change?: string | undefined;
  /** Sent without the proxy. */
  direct: boolean;
  mode: 'live' | 'offline';
  planned: PlannedCheck[];
  request: RequestView | null;
  response: ResponseView | null;
  transportError?: { code: string; message: string } | undefined;
  durationMs?: number | undefined;
  evaluatedAt?: string | undefined;
  /** Notes about a HAR capture (the exporter removed headers…). */
  notes: string[];
  checks: CheckRow[];
  verdict: VerdictView | null;
}

export interface HistoryEntry {
  n: number;
  status: number | null;
  statusText?: string | undefined;
  cause: CauseId | null;
  durationMs?: number | undefined;
  change?: string | undefined;
  direct?: boolean | undefined;
}

export interface ActionView {
  id: string;
  title: string;
  kind: 'refresh' | 'probe' | 're-sign' | 'reauth' | 'inspect' | 'other';
}

/** What the loaded session can do; the key hints and the help screen show why something cannot. */
export interface Capabilities {
  /** A request can be sent again (false for a HAR capture). */
  live: boolean;
  /** How `r` refreshes: a plugin action, or re-reading the profile's sources. */
  refresh: { label: string; actionId?: string | undefined } | null;
  /** Why `r` cannot refresh, when it cannot. */
  refreshReason?: string | undefined;
  /** How `s` re-signs, or null. */
  resign: { label: string; actionId?: string | undefined } | null;
  /** A proxy is in use, so `p` can send around it. */
  proxy: boolean;
  /** There are headers to edit (plain headers, not ones a plugin computes at send time). */
  edit: boolean;
}

export interface Activity {
  id: number;
  label: string;
  /** The last few progress lines (masked), newest last. */
  progress: string[];
  startedAt: number;
}

export interface Notice {
  tone: 'info' | 'success' | 'warning' | 'error';
  text: string;
  /** Extra lines (why a refresh failed, what to export before running the curl command). */
  detail?: string[] | undefined;
}

export interface EditSuggestion {
  label: string;
  /** The value after the fix, masked. */
  preview: string;
}

export interface EditField {
  name: string;
  /** Masked. */
  current: string;
  /** The scheme word kept in front of what the user types (`Bearer`), if any. */
  schemeWord?: string | undefined;
  suggestions: EditSuggestion[];
}

export type Overlay =
  | { kind: 'none' }
  | { kind: 'help' }
  | {
      kind: 'edit';
      fields: EditField[];
      field: number;
      suggestion: number;
      /** What the selected check found (the damage the fix repairs), one line. */
      reason?: string | undefined;
      /** Why editing may not be the way (credentials a plugin applies at send time). */
      note?: string | undefined;
    }
  | { kind: 'text'; title: string; lines: string[] };

export interface FatalView {
  message: string;
  hint?: string | undefined;
  problems: string[];
  exitCode: 0 | 1 | 2 | 3;
}

export interface WatchState {
  on: boolean;
  intervalMs: number;
  /** When the next automatic check (or refresh) runs, epoch ms. */
  nextAt: number | null;
  /** What runs then. */
  next?: 'retry' | 'refresh' | undefined;
}

export interface SessionState {
  phase: SessionPhase;
  target: TargetView;
  fatal: FatalView | null;
  /** The attempt on screen. */
  attempt: AttemptView | null;
  /**
   * A later attempt being built. It replaces `attempt` in one step when its diagnosis is done, so
   * that a retry (or a watch-mode re-check every 30 s) does not empty and refill the screen.
   */
  next: AttemptView | null;
  history: { entries: HistoryEntry[]; dropped: number };
  selectedKey: string | null;
  /** The user moved the selection: keep it across attempts instead of jumping to the verdict. */
  selectionTouched: boolean;
  view: SessionView;
  detailScroll: number;
  overlay: Overlay;
  activity: Activity | null;
  notice: Notice | null;
  /** Every request authdoctor itself sent (DESIGN.md §4), shown on screen. */
  requestCount: number;
  /** `exp` of the bearer JWT that was sent, epoch ms. */
  tokenExpiresAt: number | null;
  watch: WatchState;
  actions: ActionView[];
  capabilities: Capabilities;
}

/** How many attempts the history keeps; older ones are only counted (a long watch session stays small). */
export const HISTORY_LIMIT = 50;
/** How many progress lines of a running action are kept. */
export const PROGRESS_LIMIT = 3;

export type SessionEvent =
  | { type: 'loaded'; target: TargetView; actions: ActionView[]; capabilities: Capabilities }
  | { type: 'attempt-start'; n: number; planned: PlannedCheck[]; change?: string | undefined; direct?: boolean | undefined; mode: 'live' | 'offline' }
  | { type: 'request-sent'; request: RequestView }
  | {
      type: 'exchange';
      request: RequestView;
      response: ResponseView | null;
      transportError?: { code: string; message: string } | undefined;
      durationMs?: number | undefined;
      evaluatedAt: string;
      notes?: string[] | undefined;
    }
  | { type: 'rule-start'; ruleId: string }
  | { type: 'finding'; finding: FindingView }
  | {
      type: 'diagnosed';
      findings: FindingView[];
      verdict: VerdictView;
      /** False for a probe attempt: it goes into the history, the attempt on screen stays. */
      show?: boolean | undefined;
      tokenExpiresAt?: number | null | undefined;
      actions?: ActionView[] | undefined;
      capabilities?: Capabilities | undefined;
    }
  | { type: 'attempt-abandoned' }
  | { type: 'findings-added'; findings: FindingView[]; verdict: VerdictView; select?: string | undefined }
  | { type: 'activity-start'; id: number; label: string; at: number }
  | { type: 'activity-progress'; id: number; line: string }
  | { type: 'activity-end'; id: number; notice?: Notice | undefined }
  | { type: 'notice'; notice: Notice | null }
  | { type: 'requests'; count: number }
  | { type: 'fatal'; error: FatalView }
  | { type: 'watch'; watch: Partial<WatchState> }
  | { type: 'overlay'; overlay: Overlay }
  | { type: 'command'; command: NavigationCommand; maxScroll?: number | undefined };

export const NO_CAPABILITIES: Capabilities = { live: false, refresh: null, resign: null, proxy: false, edit: false };

export function initialSessionState(target: TargetView, options: { watchIntervalMs?: number } = {}): SessionState {
  return {
    phase: 'loading',
    target,
    fatal: null,
    attempt: null,
    next: null,
    history: { entries: [], dropped: 0 },
    selectedKey: null,
    selectionTouched: false,
    view: 'list',
    detailScroll: 0,
    overlay: { kind: 'none' },
    activity: null,
    notice: null,
    requestCount: 0,
    tokenExpiresAt: null,
    watch: { on: false, intervalMs: options.watchIntervalMs ?? 30_000, nextAt: null },
    actions: [],
    capabilities: NO_CAPABILITIES,
  };
}

export function sessionReducer(state: SessionState, event: SessionEvent): SessionState {
  switch (event.type) {
    case 'loaded':
      return { ...state, target: event.target, actions: event.actions, capabilities: event.capabilities };
    case 'attempt-start': {
      const attempt: AttemptView = {
        n: event.n,
        change: event.change,
        direct: event.direct === true,
        mode: event.mode,
        planned: event.planned,
        request: null,
        response: null,
        notes: [],
        checks: [],
        verdict: null,
      };
      const phase = event.mode === 'offline' ? 'checking' : 'sending';
      return state.attempt === null ? { ...state, phase: keepFailed(state, phase), attempt } : { ...state, phase: keepFailed(state, phase), next: attempt };
    }
    case 'request-sent':
      return updateBuilding(state, (a) => ({ ...a, request: event.request }));
    case 'exchange':
      return {
        ...updateBuilding(state, (a) => ({
          ...a,
          request: event.request,
          response: event.response,
          transportError: event.transportError,
          durationMs: event.durationMs,
          evaluatedAt: event.evaluatedAt,
          notes: event.notes ?? [],
        })),
        phase: keepFailed(state, 'checking'),
      };
    case 'rule-start':
      return updateBuilding(state, (a) => {
        const order = planIndex(a, event.ruleId) * 1000;
        if (a.checks.some((c) => c.ruleId === event.ruleId)) return a;
        const planned = a.planned.find((p) => p.ruleId === event.ruleId);
        const row: CheckRow = {
          key: `${event.ruleId}#0`,
          ruleId: event.ruleId,
          plugin: planned?.plugin ?? event.ruleId.split('/')[0] ?? '',
          title: planned?.title ?? event.ruleId,
          status: 'running',
          order,
        };
        return { ...a, checks: insertSorted(a.checks, row) };
      });
    case 'finding':
      return updateBuilding(state, (a) => ({ ...a, checks: addFinding(a, event.finding) }));
    case 'diagnosed':
      return diagnosed(state, event);
    case 'attempt-abandoned':
      return state.next ? { ...state, next: null, phase: keepFailed(state, state.activity ? 'acting' : 'ready') } : { ...state, phase: keepFailed(state, 'ready') };
    case 'findings-added': {
      if (!state.attempt) return state;
      let checks = state.attempt.checks;
      for (const f of event.findings) checks = addFinding({ ...state.attempt, checks }, f);
      const attempt = { ...state.attempt, checks, verdict: event.verdict };
      // The attempt's diagnosis changed (a probe explained it): its history entry says so too.
      const entries = state.history.entries.map((e) => (e.n === attempt.n ? { ...e, cause: event.verdict.cause } : e));
      return { ...state, attempt, history: { ...state.history, entries }, ...(event.select ? { selectedKey: event.select, detailScroll: 0 } : {}) };
    }
    case 'activity-start':
      return { ...state, phase: keepFailed(state, 'acting'), activity: { id: event.id, label: event.label, progress: [], startedAt: event.at }, notice: null };
    case 'activity-progress':
      if (!state.activity || state.activity.id !== event.id) return state;
      return { ...state, activity: { ...state.activity, progress: [...state.activity.progress, event.line].slice(-PROGRESS_LIMIT) } };
    case 'activity-end': {
      if (!state.activity || state.activity.id !== event.id) return state;
      const phase = state.next ? state.phase : 'ready';
      return { ...state, activity: null, phase: keepFailed(state, phase), notice: event.notice ?? state.notice };
    }
    case 'notice':
      return { ...state, notice: event.notice };
    case 'requests':
      return event.count === state.requestCount ? state : { ...state, requestCount: event.count };
    case 'fatal':
      return { ...state, phase: 'failed', fatal: event.error, activity: null, overlay: { kind: 'none' } };
    case 'watch':
      return { ...state, watch: { ...state.watch, ...event.watch } };
    case 'overlay':
      return { ...state, overlay: event.overlay };
    case 'command':
      return navigate(state, event.command, event.maxScroll);
  }
}

/** A fatal error is final: later events (a late rule result) must not paint over it. */
function keepFailed(state: SessionState, phase: SessionPhase): SessionPhase {
  return state.phase === 'failed' ? 'failed' : phase;
}

function updateBuilding(state: SessionState, update: (a: AttemptView) => AttemptView): SessionState {
  if (state.next) return { ...state, next: update(state.next) };
  if (state.attempt) return { ...state, attempt: update(state.attempt) };
  return state;
}

function planIndex(a: AttemptView, ruleId: string): number {
  const i = a.planned.findIndex((p) => p.ruleId === ruleId);
  return i < 0 ? a.planned.length : i;
}

function insertSorted(rows: readonly CheckRow[], row: CheckRow): CheckRow[] {
  const at = rows.findIndex((r) => r.order > row.order);
  return at < 0 ? [...rows, row] : [...rows.slice(0, at), row, ...rows.slice(at)];
}

/** A rule's first finding replaces its running row; further findings of the same rule follow it. */
function addFinding(a: AttemptView, finding: FindingView): CheckRow[] {
  const base = planIndex(a, finding.ruleId) * 1000;
  const index = Number(finding.key.slice(finding.key.lastIndexOf('#') + 1)) || 0;
  const row: CheckRow = { key: finding.key, ruleId: finding.ruleId, plugin: finding.plugin, title: finding.title, status: finding.status, order: base + index, finding };
  const without = a.checks.filter((c) => c.key !== finding.key && !(c.ruleId === finding.ruleId && c.status === 'running'));
  return insertSorted(without, row);
}

function diagnosed(state: SessionState, event: Extract<SessionEvent, { type: 'diagnosed' }>): SessionState {
  const building = state.next ?? state.attempt;
  if (!building) return state;
  let checks: CheckRow[] = [];
  for (const f of event.findings) checks = addFinding({ ...building, checks }, f);
  // The diagnosis restates every finding; rows that were already painted keep their identity, so
  // that a memoised row component does not render them again.
  const painted = new Map(building.checks.map((c) => [c.key, c]));
  checks = checks.map((row) => {
    const old = painted.get(row.key);
    return old && sameRow(old, row) ? old : row;
  });
  const done: AttemptView = { ...building, checks, verdict: event.verdict };
  const entry: HistoryEntry = {
    n: done.n,
    status: done.response?.status ?? null,
    statusText: done.response?.statusText,
    cause: event.verdict.cause,
    durationMs: done.durationMs,
    change: done.change,
    ...(done.direct ? { direct: true } : {}),
  };
  const entries = [...state.history.entries, entry];
  const overflow = Math.max(0, entries.length - HISTORY_LIMIT);
  const history = { entries: overflow ? entries.slice(overflow) : entries, dropped: state.history.dropped + overflow };
  const base: SessionState = {
    ...state,
    history,
    next: null,
    phase: keepFailed(state, state.activity ? 'acting' : 'ready'),
    ...(event.actions ? { actions: event.actions } : {}),
    ...(event.capabilities ? { capabilities: event.capabilities } : {}),
  };
  if (event.show === false) return base;
  const shown: SessionState = { ...base, attempt: done, ...(event.tokenExpiresAt !== undefined ? { tokenExpiresAt: event.tokenExpiresAt } : {}) };
  return reselect(shown);
}

function sameRow(a: CheckRow, b: CheckRow): boolean {
  if (a.status !== b.status || a.title !== b.title || a.order !== b.order) return false;
  const fa = a.finding;
  const fb = b.finding;
  if (!fa || !fb) return fa === fb;
  return (
    fa.message === fb.message &&
    fa.cause === fb.cause &&
    fa.durationMs === fb.durationMs &&
    fa.fixes.join('\n') === fb.fixes.join('\n') &&
    fa.actions.join('\n') === fb.actions.join('\n') &&
    JSON.stringify(fa.evidence) === JSON.stringify(fb.evidence)
  );
}

/** After a new attempt: keep the user's selection if it still exists, else show the verdict's check. */
function reselect(state: SessionState): SessionState {
  const rows = visibleChecks(state);
  if (state.selectionTouched && state.selectedKey && rows.some((r) => r.key === state.selectedKey)) return state;
  const verdictRule = state.attempt?.verdict?.ruleId;
  const pick =
    rows.find((r) => verdictRule && r.ruleId === verdictRule && r.status === 'fail') ??
    rows.find((r) => r.status === 'fail') ??
    rows.find((r) => r.status === 'warn' || r.status === 'error' || r.status === 'timeout') ??
    rows[0];
  const selectedKey = pick?.key ?? null;
  return { ...state, selectedKey, selectionTouched: state.selectionTouched && selectedKey === state.selectedKey, detailScroll: selectedKey === state.selectedKey ? state.detailScroll : 0 };
}

function navigate(state: SessionState, command: NavigationCommand, maxScroll?: number): SessionState {
  const overlay = state.overlay;
  switch (command) {
    case 'help':
      return { ...state, overlay: overlay.kind === 'help' ? { kind: 'none' } : { kind: 'help' } };
    case 'back':
      if (overlay.kind !== 'none') return { ...state, overlay: { kind: 'none' } };
      if (state.view === 'details') return { ...state, view: 'list', detailScroll: 0 };
      return state.notice ? { ...state, notice: null } : state;
    case 'open-details':
      return selectedCheck(state) ? { ...state, view: 'details', detailScroll: 0 } : state;
    case 'scroll-down':
      return { ...state, detailScroll: Math.min(maxScroll ?? Number.MAX_SAFE_INTEGER, state.detailScroll + 5) };
    case 'scroll-up':
      return { ...state, detailScroll: Math.max(0, state.detailScroll - 5) };
    case 'select-next':
    case 'select-prev':
      return moveSelection(state, command === 'select-next' ? 1 : -1, () => true);
    case 'next-failing':
    case 'prev-failing':
      return moveSelection(state, command === 'next-failing' ? 1 : -1, (r) => r.status === 'fail', true);
    case 'edit-next-field':
      if (overlay.kind !== 'edit' || overlay.fields.length === 0) return state;
      return { ...state, overlay: { ...overlay, field: (overlay.field + 1) % overlay.fields.length, suggestion: 0 } };
    case 'edit-next-suggestion':
    case 'edit-prev-suggestion': {
      if (overlay.kind !== 'edit') return state;
      const count = overlay.fields[overlay.field]?.suggestions.length ?? 0;
      if (count === 0) return state;
      const delta = command === 'edit-next-suggestion' ? 1 : -1;
      return { ...state, overlay: { ...overlay, suggestion: (overlay.suggestion + delta + count) % count } };
    }
  }
}

function moveSelection(state: SessionState, delta: 1 | -1, match: (r: CheckRow) => boolean, wrap = false): SessionState {
  const rows = visibleChecks(state);
  if (rows.length === 0) return state;
  const current = rows.findIndex((r) => r.key === state.selectedKey);
  for (let step = 1; step <= rows.length; step++) {
    let i = current + delta * step;
    if (wrap) i = ((i % rows.length) + rows.length) % rows.length;
    else if (current < 0) i = delta > 0 ? step - 1 : rows.length - step;
    if (i < 0 || i >= rows.length) return state;
    const row = rows[i]!;
    if (match(row)) {
      if (row.key === state.selectedKey) return state;
      return { ...state, selectedKey: row.key, selectionTouched: true, detailScroll: 0 };
    }
  }
  return state;
}

/** The rows one can select: every check but the ones that did not apply (those are only counted). */
export function visibleChecks(state: SessionState): CheckRow[] {
  return (state.attempt?.checks ?? []).filter((c) => c.status !== 'skip');
}

export function selectedCheck(state: SessionState): CheckRow | undefined {
  const rows = visibleChecks(state);
  return rows.find((r) => r.key === state.selectedKey);
}

export interface CheckCounts {
  running: number;
  fail: number;
  warn: number;
  pass: number;
  skip: number;
  problem: number;
}

export function countChecks(rows: readonly CheckRow[]): CheckCounts {
  const counts: CheckCounts = { running: 0, fail: 0, warn: 0, pass: 0, skip: 0, problem: 0 };
  for (const r of rows) {
    if (r.status === 'error' || r.status === 'timeout') counts.problem++;
    else counts[r.status]++;
  }
  return counts;
}

/** Why a command cannot run now, or null when it can. The hint bar dims it and the help says why. */
export function commandBlocker(state: SessionState, command: SessionCommand): string | null {
  const caps = state.capabilities;
  const busy = state.activity ? `busy: ${state.activity.label} (Esc cancels it)` : null;
  const loading = state.phase === 'loading' || state.attempt === null ? 'still loading' : null;
  const offline = state.target.mode === 'offline' ? 'a HAR capture is analysed offline: nothing can be sent' : null;
  switch (command) {
    case 'select-prev':
    case 'select-next':
      return visibleChecks(state).length === 0 ? 'no checks yet' : null;
    case 'next-failing':
    case 'prev-failing':
      return visibleChecks(state).some((r) => r.status === 'fail') ? null : 'no failing check';
    case 'open-details':
      return selectedCheck(state) ? null : 'no check selected';
    case 'refresh':
      return state.fatal ? 'nothing loaded' : loading ?? offline ?? (caps.refresh ? busy : (caps.refreshReason ?? 'no refresh applies to this request'));
    case 'edit':
      return state.fatal ? 'nothing loaded' : loading ?? offline ?? (caps.edit ? busy : 'no headers to edit: the credentials are applied by a plugin when the request is sent');
    case 'retry':
      return state.fatal ? 'nothing loaded' : loading ?? offline ?? busy;
    case 'bypass-proxy':
      return state.fatal ? 'nothing loaded' : loading ?? offline ?? (caps.proxy ? busy : 'no proxy is in use');
    case 're-sign':
      return state.fatal ? 'nothing loaded' : loading ?? offline ?? (caps.resign ? busy : 'nothing to re-sign: no plugin signs this request (SigV4 profiles do)');
    case 'toggle-watch':
      return state.fatal ? 'nothing loaded' : loading ?? offline;
    case 'copy-curl':
    case 'export-markdown':
      return state.fatal ? 'nothing loaded' : state.attempt?.verdict ? null : 'no diagnosis yet';
    case 'run-action':
      return state.fatal ? 'nothing loaded' : loading ?? offline ?? (state.actions.length ? busy : 'no actions apply');
    default:
      return null;
  }
}
