import { describe, expect, it } from 'vitest';
import {
  commandBlocker,
  HISTORY_LIMIT,
  initialSessionState,
  NO_CAPABILITIES,
  PROGRESS_LIMIT,
  selectedCheck,
  sessionReducer,
  visibleChecks,
  type FindingView,
  type SessionEvent,
  type SessionState,
  type VerdictView,
} from '../../src/core/session.ts';

const target = { describe: 'GET https://api.test/me', method: 'GET', url: 'https://api.test/me', mode: 'live' as const };
const planned = [
  { ruleId: 'http/status', plugin: 'http', title: 'Status' },
  { ruleId: 'http/challenge', plugin: 'http', title: 'Challenge' },
  { ruleId: 'oauth2/token-expired', plugin: 'oauth2', title: 'Token expired' },
  { ruleId: 'basic/decode', plugin: 'basic', title: 'Basic decode' },
];

function finding(ruleId: string, status: FindingView['status'], index = 0, extra: Partial<FindingView> = {}): FindingView {
  return {
    key: `${ruleId}#${index}`,
    ruleId,
    plugin: ruleId.split('/')[0]!,
    status,
    cause: status === 'fail' ? 'expired_token' : null,
    title: ruleId,
    message: `${ruleId} ${status}`,
    evidence: {},
    fixes: [],
    actions: [],
    ...extra,
  };
}

const verdict: VerdictView = { cause: 'expired_token', ruleId: 'oauth2/token-expired', summary: 'expired' };
const findings = [finding('http/status', 'pass'), finding('http/challenge', 'warn'), finding('oauth2/token-expired', 'fail'), finding('basic/decode', 'skip')];

function run(state: SessionState, ...events: SessionEvent[]): SessionState {
  return events.reduce(sessionReducer, state);
}

const start = (n = 1, extra: Partial<Extract<SessionEvent, { type: 'attempt-start' }>> = {}): SessionEvent => ({ type: 'attempt-start', n, planned, mode: 'live', ...extra });
const exchange = (status: number): SessionEvent => ({
  type: 'exchange',
  request: { method: 'GET', url: 'https://api.test/me', headers: [] },
  response: { status, statusText: '', headers: [], body: '', truncated: false },
  durationMs: 12,
  evaluatedAt: '2026-11-28T10:00:00.000Z',
});
const diagnosed = (list = findings, v = verdict, extra: Partial<Extract<SessionEvent, { type: 'diagnosed' }>> = {}): SessionEvent => ({ type: 'diagnosed', findings: list, verdict: v, ...extra });

const fresh = () => initialSessionState(target);
/** One finished attempt on screen: 401, the oauth2 failure selected. */
const diagnosedState = () => run(fresh(), start(), exchange(401), diagnosed());

describe('sessionReducer: phases', () => {
  it.each<[string, () => SessionState, SessionEvent[], SessionState['phase']]>([
    ['starts loading', fresh, [], 'loading'],
    ['a live attempt starts by sending', fresh, [start()], 'sending'],
    ['an offline attempt starts by checking', fresh, [start(1, { mode: 'offline' })], 'checking'],
    ['the response moves it to checking', fresh, [start(), exchange(401)], 'checking'],
    ['the diagnosis makes it ready', fresh, [start(), exchange(401), diagnosed()], 'ready'],
    ['an action makes it acting', diagnosedState, [{ type: 'activity-start', id: 1, label: 'Refresh', at: 0 }], 'acting'],
    ['the action ending makes it ready', diagnosedState, [{ type: 'activity-start', id: 1, label: 'Refresh', at: 0 }, { type: 'activity-end', id: 1 }], 'ready'],
    ['a fatal error is final', fresh, [{ type: 'fatal', error: { message: 'bad config', problems: [], exitCode: 2 } }, start(), exchange(401)], 'failed'],
  ])('%s', (_name, state, events, phase) => {
    expect(run(state(), ...events).phase).toBe(phase);
  });
});

describe('sessionReducer: checks as they arrive', () => {
  it.each<[string, SessionEvent[], (s: SessionState) => unknown, unknown]>([
    ['a started rule shows as running', [start(), { type: 'rule-start', ruleId: 'oauth2/token-expired' }], (s) => s.attempt!.checks.map((c) => [c.key, c.status]), [['oauth2/token-expired#0', 'running']]],
    [
      'a finding replaces the running row',
      [start(), { type: 'rule-start', ruleId: 'oauth2/token-expired' }, { type: 'finding', finding: finding('oauth2/token-expired', 'fail') }],
      (s) => s.attempt!.checks.map((c) => [c.key, c.status]),
      [['oauth2/token-expired#0', 'fail']],
    ],
    [
      'rows stay in plan order whatever order they finish in',
      [start(), { type: 'finding', finding: finding('basic/decode', 'pass') }, { type: 'finding', finding: finding('http/status', 'pass') }, { type: 'finding', finding: finding('oauth2/token-expired', 'fail') }],
      (s) => s.attempt!.checks.map((c) => c.ruleId),
      ['http/status', 'oauth2/token-expired', 'basic/decode'],
    ],
    [
      'a rule with two findings gets two rows',
      [start(), { type: 'finding', finding: finding('http/challenge', 'warn', 0) }, { type: 'finding', finding: finding('http/challenge', 'fail', 1) }],
      (s) => s.attempt!.checks.map((c) => c.key),
      ['http/challenge#0', 'http/challenge#1'],
    ],
    ['skipped checks are not selectable', [start(), exchange(401), diagnosed()], (s) => visibleChecks(s).map((c) => c.ruleId), ['http/status', 'http/challenge', 'oauth2/token-expired']],
    ['the verdict check is selected when the diagnosis is in', [start(), exchange(401), diagnosed()], (s) => s.selectedKey, 'oauth2/token-expired#0'],
    ['the history gets the attempt', [start(), exchange(401), diagnosed()], (s) => s.history.entries, [{ n: 1, status: 401, statusText: '', cause: 'expired_token', durationMs: 12, change: undefined }]],
  ])('%s', (_name, events, select, expected) => {
    expect(select(run(fresh(), ...events))).toEqual(expected);
  });

  it('a later attempt is built aside and replaces the one on screen in one step', () => {
    const building = run(diagnosedState(), start(2, { change: 'refreshed' }), exchange(200), { type: 'finding', finding: finding('http/status', 'pass') });
    expect(building.attempt!.n).toBe(1);
    expect(building.attempt!.response!.status).toBe(401);
    expect(building.next!.checks).toHaveLength(1);
    const done = run(building, diagnosed([finding('http/status', 'pass')], { cause: 'none', ruleId: null, summary: 'ok' }));
    expect(done.next).toBeNull();
    expect(done.attempt!.n).toBe(2);
    expect(done.history.entries.map((e) => [e.n, e.status, e.cause, e.change])).toEqual([
      [1, 401, 'expired_token', undefined],
      [2, 200, 'none', 'refreshed'],
    ]);
  });

  it('a probe attempt goes into the history only; the attempt on screen stays', () => {
    const s = run(diagnosedState(), start(2, { direct: true }), exchange(200), diagnosed([], { cause: 'none', ruleId: null, summary: 'ok' }, { show: false }));
    expect(s.attempt!.n).toBe(1);
    expect(s.history.entries.at(-1)).toMatchObject({ n: 2, status: 200, direct: true });
  });

  it('an abandoned attempt is dropped and the one on screen stays', () => {
    const s = run(diagnosedState(), start(2), exchange(200), { type: 'attempt-abandoned' });
    expect(s.next).toBeNull();
    expect(s.attempt!.n).toBe(1);
    expect(s.history.entries).toHaveLength(1);
  });

  it('a finished row keeps its identity when the diagnosis restates it (finished rows do not re-render)', () => {
    const live = run(fresh(), start(), exchange(401), { type: 'finding', finding: findings[2]! });
    const row = live.attempt!.checks[0]!;
    const done = run(live, diagnosed());
    expect(done.attempt!.checks.find((c) => c.key === row.key)).toBe(row);
  });

  it('1,000 attempts keep the history bounded and count the rest', () => {
    let s = diagnosedState();
    for (let n = 2; n <= 1000; n++) s = run(s, start(n), exchange(200), diagnosed([finding('http/status', 'pass')], { cause: 'none', ruleId: null, summary: 'ok' }));
    expect(s.history.entries).toHaveLength(HISTORY_LIMIT);
    expect(s.history.dropped).toBe(1000 - HISTORY_LIMIT);
    expect(s.history.entries.at(-1)!.n).toBe(1000);
    expect(s.attempt!.checks).toHaveLength(1);
  });
});

describe('sessionReducer: moving around', () => {
  const nav = (command: Extract<SessionEvent, { type: 'command' }>['command'], maxScroll?: number): SessionEvent => ({ type: 'command', command, maxScroll });
  it.each<[string, SessionEvent[], (s: SessionState) => unknown, unknown]>([
    ['↓ moves to the next check', [nav('select-next')], (s) => s.selectedKey, 'oauth2/token-expired#0'],
    ['↓ at the end stays', [nav('select-next'), nav('select-next')], (s) => s.selectedKey, 'oauth2/token-expired#0'],
    ['↑ moves to the previous check', [nav('select-prev')], (s) => s.selectedKey, 'http/challenge#0'],
    ['moving marks the selection as the user’s', [nav('select-prev')], (s) => s.selectionTouched, true],
    ['n finds the failing check, wrapping', [nav('select-prev'), nav('select-prev'), nav('next-failing')], (s) => s.selectedKey, 'oauth2/token-expired#0'],
    ['N finds the failing check backwards, wrapping', [nav('select-prev'), nav('select-prev'), nav('prev-failing')], (s) => s.selectedKey, 'oauth2/token-expired#0'],
    ['Enter opens the details', [nav('open-details')], (s) => s.view, 'details'],
    ['Esc closes the details', [nav('open-details'), nav('back')], (s) => s.view, 'list'],
    ['scrolling stops at the end', [nav('open-details'), nav('scroll-down', 3)], (s) => s.detailScroll, 3],
    ['scrolling up stops at the top', [nav('open-details'), nav('scroll-down', 10), nav('scroll-up'), nav('scroll-up'), nav('scroll-up')], (s) => s.detailScroll, 0],
    ['moving resets the scroll', [nav('open-details'), nav('scroll-down', 10), nav('select-prev')], (s) => s.detailScroll, 0],
    ['? opens help, ? closes it', [nav('help'), nav('help')], (s) => s.overlay.kind, 'none'],
    ['Esc closes help before anything else', [nav('open-details'), nav('help'), nav('back')], (s) => [s.overlay.kind, s.view], ['none', 'details']],
  ])('%s', (_name, events, select, expected) => {
    expect(select(run(diagnosedState(), ...events))).toEqual(expected);
  });

  it('keeps the user’s selection across attempts, but shows the verdict otherwise', () => {
    const moved = run(diagnosedState(), { type: 'command', command: 'select-prev' });
    const again = run(moved, start(2), exchange(401), diagnosed());
    expect(again.selectedKey).toBe('http/challenge#0');
    const untouched = run(diagnosedState(), start(2), exchange(401), diagnosed());
    expect(selectedCheck(untouched)?.ruleId).toBe('oauth2/token-expired');
  });

  it('the edit overlay cycles fields and suggestions', () => {
    const fields = [
      { name: 'Authorization', current: 'Bearer x…', suggestions: [{ label: 'trim', preview: 'a' }, { label: 'drop', preview: 'b' }] },
      { name: 'Accept', current: '*/*', suggestions: [] },
    ];
    const s = run(diagnosedState(), { type: 'overlay', overlay: { kind: 'edit', fields, field: 0, suggestion: 0 } });
    const down = run(s, { type: 'command', command: 'edit-next-suggestion' }, { type: 'command', command: 'edit-next-suggestion' });
    expect(down.overlay).toMatchObject({ field: 0, suggestion: 0 });
    const up = run(s, { type: 'command', command: 'edit-prev-suggestion' });
    expect(up.overlay).toMatchObject({ suggestion: 1 });
    const tab = run(up, { type: 'command', command: 'edit-next-field' });
    expect(tab.overlay).toMatchObject({ field: 1, suggestion: 0 });
  });
});

describe('sessionReducer: actions', () => {
  it.each<[string, SessionEvent[], (s: SessionState) => unknown, unknown]>([
    ['progress keeps the last lines only', [{ type: 'activity-start', id: 7, label: 'Refresh', at: 0 }, ...[1, 2, 3, 4, 5].map((i): SessionEvent => ({ type: 'activity-progress', id: 7, line: `step ${i}` }))], (s) => s.activity!.progress, ['step 3', 'step 4', 'step 5'].slice(-PROGRESS_LIMIT)],
    ['progress of other (cancelled) work is ignored', [{ type: 'activity-start', id: 7, label: 'Refresh', at: 0 }, { type: 'activity-progress', id: 6, line: 'late' }], (s) => s.activity!.progress, []],
    ['the end of other work does not end this one', [{ type: 'activity-start', id: 7, label: 'Refresh', at: 0 }, { type: 'activity-end', id: 6 }], (s) => s.activity?.id, 7],
    ['the result line stays after the action', [{ type: 'activity-start', id: 7, label: 'Refresh', at: 0 }, { type: 'activity-end', id: 7, notice: { tone: 'success', text: 'done' } }], (s) => s.notice, { tone: 'success', text: 'done' }],
    ['starting an action clears the old result line', [{ type: 'notice', notice: { tone: 'error', text: 'old' } }, { type: 'activity-start', id: 1, label: 'x', at: 0 }], (s) => s.notice, null],
    ['the request count follows the engine', [{ type: 'requests', count: 3 }], (s) => s.requestCount, 3],
    [
      'a probe finding joins the attempt and is selected',
      [{ type: 'findings-added', findings: [finding('http/proxy-bypass-probe', 'fail')], verdict: { cause: 'proxy_auth', ruleId: 'http/proxy-bypass-probe', summary: 'proxy' }, select: 'http/proxy-bypass-probe#0' }],
      (s) => [s.selectedKey, s.attempt!.verdict!.cause, s.attempt!.checks.at(-1)!.ruleId, s.history.entries[0]!.cause],
      ['http/proxy-bypass-probe#0', 'proxy_auth', 'http/proxy-bypass-probe', 'proxy_auth'],
    ],
  ])('%s', (_name, events, select, expected) => {
    expect(select(run(diagnosedState(), ...events))).toEqual(expected);
  });
});

describe('commandBlocker', () => {
  const caps = { live: true, refresh: { label: 'Refresh', actionId: 'oauth2/refresh-token' }, resign: null, proxy: false, edit: true };
  const ready = () => run(diagnosedState(), { type: 'loaded', target, actions: [], capabilities: caps });
  it.each<[string, () => SessionState, Parameters<typeof commandBlocker>[1], string | null]>([
    ['refresh runs when a refresh applies', ready, 'refresh', null],
    ['nothing runs while loading', fresh, 'retry', 'still loading'],
    ['no proxy, no bypass', ready, 'bypass-proxy', 'no proxy is in use'],
    ['nothing signs, no re-sign', ready, 're-sign', 'nothing to re-sign: no plugin signs this request (SigV4 profiles do)'],
    ['an action in progress blocks another', () => run(ready(), { type: 'activity-start', id: 1, label: 'Refreshing', at: 0 }), 'retry', 'busy: Refreshing (Esc cancels it)'],
    ['offline, nothing is sent', () => run(diagnosedState(), { type: 'loaded', target: { ...target, mode: 'offline' }, actions: [], capabilities: NO_CAPABILITIES }), 'retry', 'a HAR capture is analysed offline: nothing can be sent'],
    ['offline, the report can still be exported', () => run(diagnosedState(), { type: 'loaded', target: { ...target, mode: 'offline' }, actions: [], capabilities: NO_CAPABILITIES }), 'export-markdown', null],
    ['without a failing check, n has nowhere to go', () => run(fresh(), start(), exchange(200), diagnosed([finding('http/status', 'pass')], { cause: 'none', ruleId: null, summary: 'ok' })), 'next-failing', 'no failing check'],
  ])('%s', (_name, state, command, expected) => {
    expect(commandBlocker(state(), command)).toBe(expected);
  });
});
