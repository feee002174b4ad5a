import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Session } from '../cli/setup.ts';
import { decodeJwtSafe } from '../core/context.ts';
import { parseAuthorization } from '../core/credential.ts';
import type { DiagnoseHooks, Diagnosis, Engine } from '../core/engine.ts';
import { AuthdoctorError, ConfigError, type ExitCode } from '../core/errors.ts';
import type { OutgoingRequest } from '../core/plugin.ts';
import { compareProxyProbe } from '../core/probe.ts';
import { isSensitiveHeader } from '../core/redact.ts';
import { buildReport, type ActionRecord, type AttemptSummary, type Report } from '../core/report.ts';
import { planRules } from '../core/runner.ts';
import {
  commandBlocker,
  selectedCheck,
  type ActionView,
  type Capabilities,
  type EditField,
  type FatalView,
  type FindingView,
  type NavigationCommand,
  type Notice,
  type Overlay,
  type PlannedCheck,
  type RequestView,
  type SessionCommand,
  type SessionEvent,
  type TargetView,
} from '../core/session.ts';
import type { Exchange, Finding, HeaderEntry, RequestSpec } from '../core/types.ts';
import { decideVerdict } from '../core/verdict.ts';
import { VERSION } from '../version.ts';
import { replaceHeader, schemeWordOf, suggestFixes, typedValue, type CredentialFix } from './credential-fixes.ts';
import { buildCurl, curlScript } from './curl.ts';
import { listedActions } from './detail-lines.ts';
import type { SessionStore } from './session-store.ts';

/**
 * The glue between the engine and the session reducer, with no React in it: it opens the session,
 * sends requests, runs actions, and turns every engine callback into a (masked) event. All long
 * work hangs off one AbortController for the session; each user action gets a child signal so
 * that Esc cancels it. Cancelling aborts first and cleans up after, and late results of cancelled
 * work are dropped, never painted.
 */
export interface ControllerOptions {
  store: SessionStore;
  /** Config → target → plugins → engine (`openSession` from src/cli/setup.ts in the CLI). */
  open: (signal: AbortSignal) => Promise<Session>;
  /** Where `c` and `m` write their files. @default process.cwd() */
  outputDir?: string;
  /** Start in watch mode once the first diagnosis is in. */
  watch?: boolean;
  /** Wall clock, epoch ms (tests inject one). */
  now?: () => number;
  env?: NodeJS.ProcessEnv;
}

/** How many attempts and actions the exported report keeps (older ones are counted). */
const REPORT_KEEP = 50;
/** Watch mode refreshes this long before the token expires (or half the interval, if shorter). */
const REFRESH_MARGIN_MS = 60_000;

interface Work {
  id: number;
  label: string;
  abort: AbortController;
  signal: AbortSignal;
}

export interface CommandArgs {
  /** `run-action`: which listed action (0-based). */
  index?: number | undefined;
  /** `scroll-down`: how far the details can scroll. */
  maxScroll?: number | undefined;
  /** `edit-submit`: what the user typed into the masked input (a secret). */
  typed?: string | undefined;
}

export class SessionController {
  readonly #store: SessionStore;
  readonly #open: ControllerOptions['open'];
  readonly #outputDir: string;
  readonly #now: () => number;
  readonly #env: NodeJS.ProcessEnv;
  readonly #startWatching: boolean;
  /** The session's lifetime: aborted on quit, which aborts every piece of work hanging off it. */
  readonly #life = new AbortController();
  #session: Session | null = null;
  #spec: RequestSpec | null = null;
  #diagnosis: Diagnosis | null = null;
  #work: Work | null = null;
  #workIds = 0;
  #attemptN = 0;
  #attempts: AttemptSummary[] = [];
  #actions: ActionRecord[] = [];
  #editFixes: CredentialFix[][] = [];
  #editFieldNames: string[] = [];
  #watchTimer: NodeJS.Timeout | null = null;
  #watchRefreshedAt: number | null = null;
  #fatalError: unknown = null;
  /** Files written by `c` and `m`, and the last curl command: printed again on exit. */
  readonly written: string[] = [];
  lastCurl: string | null = null;

  constructor(options: ControllerOptions) {
    this.#store = options.store;
    this.#open = options.open;
    this.#outputDir = options.outputDir ?? process.cwd();
    this.#now = options.now ?? Date.now;
    this.#env = options.env ?? process.env;
    this.#startWatching = options.watch === true;
  }

  get engine(): Engine | null {
    return this.#session?.engine ?? null;
  }

  /** The error that stopped the session (config, plugin, input), for the CLI to print on exit. */
  get fatalError(): unknown {
    return this.#fatalError;
  }

  #dispatch: SessionStore['dispatch'] = (event) => {
    if (!this.#life.signal.aborted) this.#store.dispatch(event);
  };

  async start(): Promise<void> {
    let session: Session;
    try {
      session = await this.#open(this.#life.signal);
    } catch (error) {
      this.#fatal(error);
      return;
    }
    if (this.#life.signal.aborted) return;
    this.#session = session;
    const { target } = session;
    this.#spec = target.kind === 'live' ? target.spec : null;
    this.#dispatch({ type: 'loaded', target: this.#targetView(), actions: [], capabilities: this.#capabilities() });
    try {
      if (target.kind === 'live') await this.#attempt({ signal: this.#life.signal });
      else await this.#offline(target.exchange);
    } catch (error) {
      this.#fatal(error);
      return;
    }
    if (this.#startWatching && target.kind === 'live') this.#setWatch(true);
  }

  /** Quit: abort everything first, then clean up timers. */
  dispose(): void {
    this.#life.abort(new Error('authdoctor quit'));
    this.#work = null;
    if (this.#watchTimer) clearTimeout(this.#watchTimer);
    this.#watchTimer = null;
  }

  /** The exit code of the session (DESIGN.md §3), from the attempt on screen. */
  exitCode(): ExitCode {
    const fatal = this.#store.getState().fatal;
    if (fatal) return fatal.exitCode;
    const report = this.report();
    if (!report) return 2;
    if (report.verdict.cause === 'none') return 0;
    if (report.response === null && !report.findings.some((f) => f.status === 'fail')) return 3;
    return 1;
  }

  /** What stays in the terminal after the screen closes: verdict, history, files written. */
  exitSummary(): string[] {
    const state = this.#store.getState();
    const lines: string[] = [];
    const v = state.attempt?.verdict;
    if (v) lines.push(`authdoctor: ${v.cause === 'none' ? '✔' : '✖'} ${v.cause}: ${v.summary}`);
    const chain = state.history.entries.map((e) => `#${e.n} ${e.status ?? 'no response'} ${e.cause === 'none' ? 'OK' : e.cause}`).join(' → ');
    if (state.history.entries.length > 1) lines.push(`  attempts: ${state.history.dropped ? `(${state.history.dropped} earlier) ` : ''}${chain}`);
    if (state.requestCount) lines.push(`  requests sent by authdoctor: ${state.requestCount}`);
    for (const file of this.written) lines.push(`  wrote ${file}`);
    if (this.lastCurl) lines.push('', this.lastCurl);
    return lines;
  }

  /** Runs a command from a key. Navigation goes straight to the reducer; the rest may send requests. */
  run(command: SessionCommand, args: CommandArgs = {}): void {
    const state = this.#store.getState();
    if (command === 'back' && this.#work) {
      this.cancel();
      return;
    }
    if (isNavigation(command)) {
      this.#dispatch({ type: 'command', command, maxScroll: args.maxScroll });
      return;
    }
    if (command === 'quit') return;
    if (command === 'edit-submit') {
      void this.#applyEdit(args.typed ?? '');
      return;
    }
    const blocker = commandBlocker(state, command);
    if (blocker) {
      this.#notice({ tone: 'warning', text: `Cannot ${COMMAND_VERBS[command] ?? command}: ${blocker}.` });
      return;
    }
    switch (command) {
      case 'refresh':
        void this.#refresh();
        return;
      case 'retry':
        void this.#retry();
        return;
      case 'bypass-proxy':
        void this.#probe();
        return;
      case 're-sign':
        void this.#resign();
        return;
      case 'edit':
        this.#openEdit();
        return;
      case 'copy-curl':
        void this.#copyCurl();
        return;
      case 'export-markdown':
        void this.#exportMarkdown();
        return;
      case 'toggle-watch':
        this.#setWatch(!state.watch.on);
        return;
      case 'run-action':
        void this.#runListed(args.index ?? 0);
        return;
      default:
        return;
    }
  }

  /** Esc while something runs: abort it first, then tidy the screen. Late results are ignored. */
  cancel(): boolean {
    const work = this.#work;
    if (!work) return false;
    work.abort.abort(new Error('cancelled'));
    this.#work = null;
    this.#dispatch({ type: 'attempt-abandoned' });
    this.#dispatch({ type: 'activity-end', id: work.id, notice: { tone: 'warning', text: `Cancelled: ${work.label}.` } });
    this.#dispatch({ type: 'requests', count: this.engine?.recorder.total ?? 0 });
    return true;
  }

  // ── work ────────────────────────────────────────────────────────────────────────────────────

  #begin(label: string): Work | null {
    if (this.#work) {
      this.#notice({ tone: 'warning', text: `Busy: ${this.#work.label} (Esc cancels it).` });
      return null;
    }
    const abort = new AbortController();
    const work: Work = { id: ++this.#workIds, label, abort, signal: AbortSignal.any([this.#life.signal, abort.signal]) };
    this.#work = work;
    this.#dispatch({ type: 'activity-start', id: work.id, label, at: this.#now() });
    return work;
  }

  #live(work: Work): boolean {
    return this.#work?.id === work.id && !work.signal.aborted;
  }

  #end(work: Work, notice?: Notice): void {
    if (!this.#live(work)) return;
    this.#work = null;
    this.#dispatch({ type: 'requests', count: this.engine?.recorder.total ?? 0 });
    this.#dispatch({ type: 'activity-end', id: work.id, notice });
    if (this.#store.getState().watch.on) this.#scheduleWatch();
  }

  #progress(work: Work, line: string): void {
    if (this.#live(work)) this.#dispatch({ type: 'activity-progress', id: work.id, line: this.#mask(line) });
  }

  /** Runs `fn` as one cancellable unit of user work; a throw becomes an error notice, not a crash. */
  async #activity(label: string, fn: (work: Work) => Promise<Notice | undefined>): Promise<void> {
    const work = this.#begin(label);
    if (!work) return;
    try {
      const notice = await fn(work);
      this.#end(work, notice);
    } catch (error) {
      this.#end(work, { tone: 'error', text: `${label} failed: ${this.#errorText(error)}` });
    }
  }

  // ── attempts ────────────────────────────────────────────────────────────────────────────────

  #planned(engine: Engine): PlannedCheck[] {
    return planRules(engine.plugins, engine.options.ruleSettings).map((p) => ({ ruleId: p.ruleId, plugin: p.plugin, title: this.#mask(p.rule.meta.title) }));
  }

  #hooks(signal: AbortSignal): DiagnoseHooks {
    const perRule = new Map<string, number>();
    const live = () => !signal.aborted;
    return {
      signal,
      onSending: (request) => {
        if (live()) this.#dispatch({ type: 'request-sent', request: this.#requestView(request) });
      },
      onExchange: (exchange) => {
        if (!live()) return;
        this.#dispatch({ type: 'exchange', ...this.#exchangeView(exchange) });
        this.#dispatch({ type: 'requests', count: this.engine?.recorder.total ?? 0 });
      },
      onRuleStart: (ruleId) => {
        if (live()) this.#dispatch({ type: 'rule-start', ruleId });
      },
      onFinding: (finding) => {
        if (!live()) return;
        const i = perRule.get(finding.ruleId) ?? 0;
        perRule.set(finding.ruleId, i + 1);
        this.#dispatch({ type: 'finding', finding: this.#findingView(finding, i) });
      },
    };
  }

  /**
   * Sends the request once and diagnoses it, painting as results arrive. Returns null when the
   * work was cancelled (the half-built attempt is dropped).
   */
  async #attempt(options: { signal: AbortSignal; change?: string; direct?: boolean; show?: boolean }): Promise<Diagnosis | null> {
    const engine = this.engine!;
    const spec = this.#spec!;
    const n = ++this.#attemptN;
    this.#dispatch({ type: 'attempt-start', n, planned: this.#planned(engine), change: options.change, direct: options.direct, mode: 'live' });
    let diagnosis: Diagnosis;
    try {
      diagnosis = await engine.diagnoseLive(spec, this.#hooks(options.signal), { direct: options.direct === true });
    } catch (error) {
      this.#dispatch({ type: 'attempt-abandoned' });
      if (options.signal.aborted) return null;
      throw error;
    }
    if (options.signal.aborted) {
      this.#dispatch({ type: 'attempt-abandoned' });
      return null;
    }
    this.#finish(n, diagnosis, options.change, options.show !== false);
    return diagnosis;
  }

  async #offline(exchange: Exchange): Promise<void> {
    const engine = this.engine!;
    const n = ++this.#attemptN;
    this.#dispatch({ type: 'attempt-start', n, planned: this.#planned(engine), mode: 'offline' });
    this.#dispatch({ type: 'exchange', ...this.#exchangeView(exchange) });
    const diagnosis = await engine.diagnose(exchange, null, this.#hooks(this.#life.signal));
    if (!this.#life.signal.aborted) this.#finish(n, diagnosis, undefined, true);
  }

  #finish(n: number, diagnosis: Diagnosis, change: string | undefined, show: boolean): void {
    const engine = this.engine!;
    this.#remember(this.#attempts, {
      n,
      status: diagnosis.exchange.response?.status ?? null,
      cause: diagnosis.verdict.cause,
      ...(diagnosis.exchange.durationMs !== undefined ? { durationMs: diagnosis.exchange.durationMs } : {}),
      ...(change ? { change } : {}),
    });
    if (show) this.#diagnosis = diagnosis;
    this.#dispatch({ type: 'requests', count: engine.recorder.total });
    this.#dispatch({
      type: 'diagnosed',
      findings: this.#findingViews(diagnosis.findings),
      verdict: { ...diagnosis.verdict, summary: this.#mask(diagnosis.verdict.summary) },
      show,
      ...(show ? { tokenExpiresAt: tokenExpiry(diagnosis.exchange.request.headers) } : {}),
      actions: this.#actionViews(),
      capabilities: this.#capabilities(),
    });
    if (show) this.#dispatch({ type: 'loaded', target: this.#targetView(), actions: this.#actionViews(), capabilities: this.#capabilities() });
  }

  #remember<T>(list: T[], item: T): void {
    list.push(item);
    if (list.length > REPORT_KEEP) list.splice(0, list.length - REPORT_KEEP);
  }

  /** Retries after a change of the request: says what changed, in header names (never values). */
  async #retryWith(work: Work, next: RequestSpec, label: string): Promise<Diagnosis | null> {
    const changed = describeChange(this.#spec!, next);
    this.#spec = next;
    this.#progress(work, 'sending the request again…');
    return this.#attempt({ signal: work.signal, change: changed ? `${label} · ${changed}` : label });
  }

  #outcome(d: Diagnosis, prefix: string): Notice {
    const status = d.exchange.response ? `HTTP ${d.exchange.response.status}` : 'no response';
    const ok = d.verdict.cause === 'none';
    return { tone: ok ? 'success' : 'warning', text: this.#mask(`${prefix} → ${status}${ok ? ', accepted' : `, still failing: ${d.verdict.cause}`}.`) };
  }

  async #retry(change = 'retried as is', label = 'Retrying the request'): Promise<void> {
    await this.#activity(label, async (work) => {
      const d = await this.#attempt({ signal: work.signal, change });
      return d ? this.#outcome(d, 'Retried') : undefined;
    });
  }

  /** `r`: the refresh action the selected check offers, else any refresh action, else re-read the profile. */
  async #refresh(): Promise<void> {
    const engine = this.engine!;
    const available = engine.availableActions(this.#spec!, this.#diagnosis).filter((a) => a.action.kind === 'refresh');
    const offered = new Set(selectedCheck(this.#store.getState())?.finding?.actions ?? []);
    const action = available.find((a) => offered.has(a.id)) ?? available[0];
    if (action) {
      await this.#runAction(action.id, action.action.title);
      return;
    }
    await this.#reread();
  }

  /** Re-resolves the profile: values from files are read again (the user fixed the file elsewhere). */
  async #reread(): Promise<void> {
    const session = this.#session!;
    const name = session.profileName;
    if (!session.config || !name) {
      this.#notice({ tone: 'warning', text: 'Cannot refresh: no plugin can refresh these credentials, and they came from the command line. Edit them with e.' });
      return;
    }
    await this.#activity(`Re-reading profile ${name}`, async (work) => {
      const { resolveProfile } = await import('../config/index.ts');
      this.#progress(work, `reading the credentials of profile ${name} from their sources…`);
      const resolved = await resolveProfile(session.config!, name, { env: this.#env, redactor: this.engine!.redactor });
      if (!this.#live(work)) return undefined;
      const changed = describeChange(this.#spec!, resolved.spec);
      if (!changed) {
        return {
          tone: 'warning',
          text: `Re-read profile ${name}: the credentials are unchanged.`,
          detail: [
            'A value from a file is read again each time: fix the file, then press r.',
            'An environment variable cannot change while authdoctor runs: restart it, or edit the value here with e.',
          ],
        };
      }
      const d = await this.#retryWith(work, resolved.spec, `re-read profile ${name}`);
      return d ? this.#outcome(d, `Re-read profile ${name}`) : undefined;
    });
  }

  async #resign(): Promise<void> {
    const caps = this.#store.getState().capabilities.resign;
    if (caps?.actionId) {
      await this.#runAction(caps.actionId, caps.label);
      return;
    }
    await this.#activity('Re-signing the request', async (work) => {
      const d = await this.#attempt({ signal: work.signal, change: `re-signed (${this.#spec!.auth?.scheme ?? 'signature'}) at send time` });
      return d ? this.#outcome(d, 'Re-signed') : undefined;
    });
  }

  async #runListed(index: number): Promise<void> {
    const state = this.#store.getState();
    const listed = listedActions(selectedCheck(state)?.finding, state.actions);
    const entry = listed[index];
    if (!entry) {
      this.#notice({ tone: 'warning', text: `There is no action ${index + 1}: open a check's details (Enter) to see the numbered actions.` });
      return;
    }
    await this.#runAction(entry.action.id, entry.action.title);
  }

  /** Any plugin action: progress lines while it runs, its result inline, and a retry when it changed the request. */
  async #runAction(id: string, title: string): Promise<void> {
    await this.#activity(title, async (work) => {
      const engine = this.engine!;
      const result = await engine.runAction(id, this.#spec!, this.#diagnosis, { signal: work.signal, progress: (line) => this.#progress(work, line) });
      if (!this.#live(work)) return undefined;
      this.#remember(this.#actions, { id, ok: result.ok, message: this.#mask(result.message), ...(result.details ? { details: engine.redactor.value(result.details) } : {}) });
      const message = this.#mask(result.message);
      if (!result.ok) {
        const detail = (result.findings ?? []).flatMap((f) => [this.#mask(f.message ?? ''), ...(f.fixes ?? []).map((x) => `→ ${this.#mask(x)}`)]).filter(Boolean);
        if (detail.length) this.#dispatch({ type: 'overlay', overlay: { kind: 'text', title: `${title}: failed`, lines: [message, '', ...detail] } });
        return { tone: 'error', text: `${title} failed: ${message}`, detail };
      }
      const retry = result.retry ?? true;
      let overlay: Overlay | null = null;
      const detailLines = result.details ? Object.entries(engine.redactor.value(result.details)).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`) : [];
      if (detailLines.length) {
        // The retry's outcome goes right under the action's message: the overlay covers the status
        // and history lines, so it must say itself how the retry ended.
        overlay = { kind: 'text', title, lines: [message, ...(retry ? ['→ sending the request again…'] : []), '', ...detailLines] };
        this.#dispatch({ type: 'overlay', overlay });
      }
      if (retry) {
        const d = await this.#retryWith(work, result.spec ?? this.#spec!, title);
        if (overlay) this.#retryOutcomeInOverlay(overlay, d);
        // A refreshed token that worked is confirmed in the token store: the previous one may go.
        const storeKey = result.details?.tokenStoreKey;
        if (d?.verdict.cause === 'none' && typeof storeKey === 'string') await engine.options.tokenStore?.confirm(storeKey).catch(() => undefined);
        return d ? this.#outcome(d, message) : undefined;
      }
      return { tone: 'success', text: message };
    });
  }

  /** Replaces the overlay's "sending the request again…" line with how the retry ended, if that overlay is still open. */
  #retryOutcomeInOverlay(opened: Overlay, d: Diagnosis | null): void {
    const current = this.#store.getState().overlay;
    if (current !== opened || current.kind !== 'text') return;
    const entry = this.#store.getState().history.entries.at(-1);
    let outcome: string;
    if (!d) outcome = '→ the retry was cancelled';
    else {
      const status = d.exchange.response ? `HTTP ${d.exchange.response.status}` : 'no response';
      const attempt = entry ? ` (attempt #${entry.n})` : '';
      outcome = d.verdict.cause === 'none' ? `→ retried: ${status}, accepted${attempt}` : `→ retried: still ${status}, ${d.verdict.cause}${attempt}`;
    }
    const lines = current.lines.map((l, i) => (i === 1 ? this.#mask(outcome) : l));
    this.#dispatch({ type: 'overlay', overlay: { ...current, lines } });
  }

  /** `p`: the same request without the proxy; if only that one works, the proxy is the cause. */
  async #probe(): Promise<void> {
    await this.#activity('Sending the request without the proxy', async (work) => {
      const viaProxy = this.#diagnosis!;
      const direct = await this.#attempt({ signal: work.signal, direct: true, show: false, change: 'sent directly, bypassing the proxy' });
      if (!direct) return undefined;
      const finding = compareProxyProbe(viaProxy, direct);
      const status = direct.exchange.response ? `HTTP ${direct.exchange.response.status}` : 'no response';
      if (finding) {
        const findings = [...viaProxy.findings, finding];
        const verdict = decideVerdict(findings, viaProxy.exchange);
        this.#diagnosis = { ...viaProxy, findings, verdict };
        const view = this.#findingView(finding, 0);
        this.#dispatch({ type: 'findings-added', findings: [view], verdict: { ...verdict, summary: this.#mask(verdict.summary) }, select: view.key });
        this.#remember(this.#actions, { id: 'http/bypass-proxy', ok: true, message: `Sent the request again without the proxy: ${status}.` });
        return { tone: finding.status === 'fail' ? 'warning' : 'info', text: this.#mask(`Without the proxy: ${status}. ${finding.message}`) };
      }
      return { tone: 'info', text: `Without the proxy: ${status}; the result does not tell the proxy apart.` };
    });
  }

  // ── edit ────────────────────────────────────────────────────────────────────────────────────

  #openEdit(): void {
    const spec = this.#spec!;
    const redactor = this.engine!.redactor;
    const editable = spec.headers.filter((h) => !/^(content-length|host)$/i.test(h.name));
    const ranked = editable
      .map((h, i) => ({ h, i, fixes: suggestFixes(h.name, h.value), sensitive: isSensitiveHeader(h.name) }))
      .sort((a, b) => Number(b.fixes.length > 0) - Number(a.fixes.length > 0) || Number(b.sensitive) - Number(a.sensitive) || a.i - b.i);
    this.#editFixes = ranked.map((r) => r.fixes);
    this.#editFieldNames = ranked.map((r) => r.h.name);
    const fields: EditField[] = ranked.map(({ h, fixes }) => ({
      name: h.name,
      current: redactor.headerValue(h.name, h.value),
      schemeWord: schemeWordOf(h.value),
      suggestions: fixes.map((f) => ({ label: f.label, preview: redactor.headerValue(h.name, f.value) })),
    }));
    const note = spec.auth ? `The ${spec.auth.scheme} plugin adds this profile's credentials when the request is sent; change them in the profile, or refresh with r.` : undefined;
    const selected = selectedCheck(this.#store.getState())?.finding;
    const reason = selected && selected.status !== 'pass' ? `${selected.title}: ${selected.message}` : undefined;
    this.#dispatch({ type: 'overlay', overlay: { kind: 'edit', fields, field: 0, suggestion: 0, reason, note } });
  }

  async #applyEdit(typed: string): Promise<void> {
    const overlay = this.#store.getState().overlay;
    if (overlay.kind !== 'edit') return;
    const name = this.#editFieldNames[overlay.field];
    const current = name === undefined ? undefined : this.#spec!.headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
    if (name === undefined || current === undefined) return;
    let value: string;
    let label: string;
    const secrets = [...(this.#spec!.secrets ?? [])];
    if (typed.length > 0) {
      value = typedValue(current, typed);
      label = `typed a new ${name}`;
      this.engine!.redactor.addSecret(typed);
      if (isSensitiveHeader(name)) secrets.push(typed, value);
    } else {
      const fix = this.#editFixes[overlay.field]?.[overlay.suggestion];
      if (!fix) {
        this.#notice({ tone: 'warning', text: `Type a new value for ${name} (it is masked), or Esc to cancel: there is no suggested fix for it.` });
        return;
      }
      value = fix.value;
      label = fix.label;
      if (isSensitiveHeader(name)) secrets.push(value);
    }
    this.#dispatch({ type: 'overlay', overlay: { kind: 'none' } });
    const next: RequestSpec = { ...this.#spec!, headers: replaceHeader(this.#spec!.headers, name, value), secrets };
    await this.#activity(`Editing ${name}`, async (work) => {
      const d = await this.#retryWith(work, next, `edited ${name}: ${label}`);
      return d ? this.#outcome(d, `Edited ${name} (${label})`) : undefined;
    });
  }

  // ── share ───────────────────────────────────────────────────────────────────────────────────

  async #copyCurl(): Promise<void> {
    const spec = this.#spec;
    const sent = this.#diagnosis?.exchange.request;
    const engine = this.engine!;
    // Credentials a plugin adds at send time (OAuth2) are only in the request that was sent.
    const source = spec && !spec.auth ? spec : null;
    const sigv4 = spec?.auth?.scheme === 'aws-sigv4' ? { region: String(spec.auth.params.region ?? 'us-east-1'), service: String(spec.auth.params.service ?? 'execute-api') } : undefined;
    const curl = buildCurl({
      method: source?.method ?? sent?.method ?? 'GET',
      url: source?.url ?? sent?.url ?? '',
      headers: source?.headers ?? sent?.headers ?? [],
      body: source ? source.body : sent?.body,
      proxy: spec ? engine.proxyFor(spec)?.url : this.#diagnosis?.exchange.proxy?.url,
      insecure: spec?.insecure,
      sigv4,
    });
    const file = path.join(this.#outputDir, 'authdoctor-request.sh');
    // The command holds no secret (credentials are $VARIABLES), but it is still the user's request.
    await writeFile(file, curlScript(curl), { mode: 0o600 });
    const command = this.#mask(curl.command);
    this.lastCurl = command;
    if (!this.written.includes(file)) this.written.push(file);
    const exports = curl.variables.map((v) => `export ${v.name}=…   # ${v.from}`);
    this.#dispatch({
      type: 'overlay',
      overlay: {
        kind: 'text',
        title: 'Copy as curl',
        lines: [`Saved to ${file}; it is printed again when you quit (q), to copy from the terminal.`, ...(exports.length ? ['', 'Set the credentials first:', ...exports] : []), '', ...command.split('\n')],
      },
    });
    this.#notice({ tone: 'success', text: `curl command saved to ${file} (credentials as $VARIABLES).` });
  }

  /** The report of the attempt on screen, with the history and actions of the session. */
  report(): Report | null {
    const d = this.#diagnosis;
    const engine = this.engine;
    if (!d || !engine) return null;
    return buildReport(
      {
        version: VERSION,
        exchange: d.exchange,
        evaluatedAt: d.evaluatedAt,
        scheme: d.scheme,
        verdict: d.verdict,
        findings: d.findings,
        requests: engine.recorder.list(),
        ...(this.#attempts.length > 1 ? { attempts: [...this.#attempts] } : {}),
        ...(this.#actions.length ? { actions: [...this.#actions] } : {}),
        profile: this.#session?.profileName,
      },
      engine.redactor,
    );
  }

  async #exportMarkdown(): Promise<void> {
    const report = this.report();
    if (!report) return;
    const { formatReport } = await import('../reporters/format.ts');
    const stamp = new Date(this.#now()).toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z');
    const file = path.join(this.#outputDir, `authdoctor-report-${stamp}.md`);
    await writeFile(file, formatReport(report, 'markdown'), { mode: 0o600 });
    if (!this.written.includes(file)) this.written.push(file);
    this.#notice({ tone: 'success', text: `Report saved to ${file}.` });
  }

  // ── watch ───────────────────────────────────────────────────────────────────────────────────

  #setWatch(on: boolean): void {
    if (this.#watchTimer) clearTimeout(this.#watchTimer);
    this.#watchTimer = null;
    if (!on) {
      this.#dispatch({ type: 'watch', watch: { on: false, nextAt: null, next: undefined } });
      this.#notice({ tone: 'info', text: 'Watch mode off.' });
      return;
    }
    this.#dispatch({ type: 'watch', watch: { on: true } });
    const seconds = Math.round(this.#store.getState().watch.intervalMs / 1000);
    this.#notice({ tone: 'info', text: `Watch mode on: re-checks every ${seconds} s (each one is a request) and refreshes before the token expires. w stops it.` });
    this.#scheduleWatch();
  }

  #scheduleWatch(): void {
    if (this.#watchTimer) clearTimeout(this.#watchTimer);
    const state = this.#store.getState();
    if (!state.watch.on || this.#life.signal.aborted) return;
    const now = this.#now();
    let nextAt = now + state.watch.intervalMs;
    let next: 'retry' | 'refresh' = 'retry';
    if (state.tokenExpiresAt !== null && state.capabilities.refresh) {
      const margin = Math.min(REFRESH_MARGIN_MS, state.watch.intervalMs / 2);
      // A refresh that did not help (the token endpoint refused) is not retried sooner than the
      // interval: every attempt is a request.
      const earliest = this.#watchRefreshedAt === null ? now + 1_000 : Math.max(now + 1_000, this.#watchRefreshedAt + state.watch.intervalMs);
      // Due before the next re-check (or already): refresh instead — re-checking an expired token says nothing new.
      const due = state.tokenExpiresAt - margin;
      if (due <= nextAt) {
        nextAt = Math.max(earliest, due);
        next = 'refresh';
      }
    }
    this.#dispatch({ type: 'watch', watch: { nextAt, next } });
    this.#watchTimer = setTimeout(() => this.#watchTick(next), nextAt - now);
  }

  #watchTick(next: 'retry' | 'refresh'): void {
    this.#watchTimer = null;
    if (!this.#store.getState().watch.on) return;
    if (this.#work) {
      // The user's own action runs; the watch resumes when it ends (#end reschedules).
      return;
    }
    if (next === 'refresh' && !commandBlocker(this.#store.getState(), 'refresh')) {
      this.#watchRefreshedAt = this.#now();
      void this.#refresh();
    }
    else void this.#retry('watch: re-checked', 'Watch: re-checking');
  }

  // ── views (everything masked here, before it enters the state) ─────────────────────────────

  #mask(text: string): string {
    return this.engine ? this.engine.redactor.text(text) : text;
  }

  #notice(notice: Notice | null): void {
    this.#dispatch({ type: 'notice', notice });
  }

  #errorText(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    return this.#mask(message.split('\n')[0] ?? message);
  }

  #fatal(error: unknown): void {
    this.#fatalError = error;
    const redact = (t: string) => this.#mask(t);
    let view: FatalView;
    if (error instanceof AuthdoctorError) {
      view = {
        message: redact(error.message),
        hint: error.hint ? redact(error.hint) : undefined,
        problems: error instanceof ConfigError ? error.problems.map(redact) : [],
        exitCode: error.exitCode,
      };
    } else {
      view = {
        message: `internal error: ${this.#errorText(error)}`,
        hint: 'This is a bug; please report it with the command you ran (secrets are masked).',
        problems: [],
        exitCode: 2,
      };
    }
    this.#dispatch({ type: 'fatal', error: view });
  }

  #targetView(): TargetView {
    const session = this.#session!;
    const engine = session.engine;
    const { target } = session;
    if (target.kind === 'offline') {
      const req = target.exchange.request;
      return { describe: this.#mask(target.describe), method: req.method, url: engine.redactor.url(req.url), mode: 'offline', scheme: this.#diagnosis?.scheme };
    }
    const spec = this.#spec ?? target.spec;
    const proxy = engine.proxyFor(spec);
    return {
      describe: session.profileName ? `profile ${session.profileName}` : `${spec.method} ${engine.redactor.url(spec.url)}`,
      method: spec.method,
      url: engine.redactor.url(spec.url),
      profile: session.profileName,
      scheme: spec.auth?.scheme ?? this.#diagnosis?.scheme,
      proxy: proxy ? { url: engine.redactor.url(proxy.url), source: proxy.source } : undefined,
      mode: 'live',
    };
  }

  #requestView(request: OutgoingRequest | Exchange['request']): RequestView {
    const redactor = this.engine!.redactor;
    const contentType = request.headers.find((h) => h.name.toLowerCase() === 'content-type')?.value;
    return {
      method: request.method,
      url: redactor.url(request.url),
      headers: redactor.headers(request.headers),
      ...(request.body !== undefined ? { body: redactor.body(request.body.slice(0, 2_048), contentType) } : {}),
    };
  }

  #exchangeView(exchange: Exchange): Omit<Extract<SessionEvent, { type: 'exchange' }>, 'type'> {
    const redactor = this.engine!.redactor;
    const res = exchange.response;
    const notes: string[] = [];
    const capture = exchange.capture;
    if (capture) {
      notes.push(`Offline: ${path.basename(capture.file)} entry ${capture.entryIndex + 1} of ${capture.entryCount}${capture.creator ? `, written by ${capture.creator}` : ''}; nothing is sent.`);
      if (capture.sanitizedHeaders.length) notes.push(`The tool that wrote the capture removed ${capture.sanitizedHeaders.join(', ')}: the request may have carried them.`);
    }
    return {
      request: this.#requestView(exchange.request),
      response: res
        ? {
            status: res.status,
            statusText: res.statusText,
            headers: redactor.headers(res.headers),
            body: redactor.body(res.body.slice(0, 2_048), res.mimeType),
            truncated: res.bodyTruncated === true || res.body.length > 2_048,
          }
        : null,
      transportError: exchange.transportError ? { code: exchange.transportError.code, message: this.#mask(exchange.transportError.message) } : undefined,
      durationMs: exchange.durationMs,
      evaluatedAt: exchange.sentAt.toISOString(),
      notes: notes.map((n) => this.#mask(n)),
    };
  }

  #findingView(f: Finding, index: number): FindingView {
    const r = this.engine!.redactor;
    return {
      key: `${f.ruleId}#${index}`,
      ruleId: f.ruleId,
      plugin: f.plugin,
      status: f.status,
      cause: f.cause,
      confidence: f.confidence,
      messageId: f.messageId,
      title: r.text(f.title),
      message: r.text(f.message),
      evidence: r.value(f.evidence),
      fixes: f.fixes.map((x) => r.text(x)),
      actions: f.actions ?? [],
      durationMs: f.durationMs,
    };
  }

  #findingViews(findings: readonly Finding[]): FindingView[] {
    const perRule = new Map<string, number>();
    return findings.map((f) => {
      const i = perRule.get(f.ruleId) ?? 0;
      perRule.set(f.ruleId, i + 1);
      return this.#findingView(f, i);
    });
  }

  #actionViews(): ActionView[] {
    const spec = this.#spec;
    if (!spec) return [];
    return this.engine!.availableActions(spec, this.#diagnosis).map((a) => ({ id: a.id, title: this.#mask(a.action.title), kind: a.action.kind }));
  }

  #capabilities(): Capabilities {
    const session = this.#session;
    const spec = this.#spec;
    if (!session || !spec) return { live: false, refresh: null, resign: null, proxy: false, edit: false };
    const available = session.engine.availableActions(spec, this.#diagnosis);
    const refresh = available.find((a) => a.action.kind === 'refresh');
    const resign = available.find((a) => a.action.kind === 're-sign');
    const reread = session.config && session.profileName ? { label: `Re-read profile ${session.profileName} from its sources` } : null;
    return {
      live: true,
      refresh: refresh ? { label: refresh.action.title, actionId: refresh.id } : reread,
      refreshReason: refresh || reread ? undefined : 'no plugin can refresh these credentials, and they came from the command line (edit them with e)',
      resign: resign ? { label: resign.action.title, actionId: resign.id } : spec.auth ? { label: `Re-sign (${spec.auth.scheme}) at send time` } : null,
      proxy: session.engine.proxyFor(spec) !== undefined,
      edit: spec.headers.some((h) => !/^(content-length|host)$/i.test(h.name)),
    };
  }
}

const NAVIGATION = new Set<SessionCommand>(['select-prev', 'select-next', 'next-failing', 'prev-failing', 'open-details', 'back', 'scroll-up', 'scroll-down', 'help', 'edit-next-field', 'edit-prev-suggestion', 'edit-next-suggestion']);

function isNavigation(command: SessionCommand): command is NavigationCommand {
  return NAVIGATION.has(command);
}

const COMMAND_VERBS: Partial<Record<SessionCommand, string>> = {
  refresh: 'refresh',
  edit: 'edit',
  retry: 'retry',
  'bypass-proxy': 'bypass the proxy',
  're-sign': 're-sign',
  'copy-curl': 'copy as curl',
  'export-markdown': 'export the report',
  'toggle-watch': 'watch',
  'run-action': 'run an action',
  'select-next': 'move',
  'select-prev': 'move',
  'next-failing': 'jump to a failing check',
  'prev-failing': 'jump to a failing check',
  'open-details': 'open the details',
};

/** `exp` of the bearer JWT that was sent, epoch ms, or null. */
export function tokenExpiry(headers: readonly HeaderEntry[]): number | null {
  const auth = headers.find((h) => h.name.toLowerCase() === 'authorization');
  if (!auth) return null;
  const carrier = parseAuthorization(auth.name, auth.value);
  if (carrier.scheme !== 'bearer') return null;
  const exp = decodeJwtSafe(carrier.credential)?.payload.exp;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : null;
}

/** "authorization changed, x-api-key added": header names and auth fields, never values. */
export function describeChange(before: RequestSpec, after: RequestSpec): string {
  const changes: string[] = [];
  if (before.method !== after.method) changes.push('method changed');
  if (before.url !== after.url) changes.push('URL changed');
  const names = new Set([...before.headers, ...after.headers].map((h) => h.name.toLowerCase()));
  for (const name of names) {
    const a = before.headers.filter((h) => h.name.toLowerCase() === name).map((h) => h.value);
    const b = after.headers.filter((h) => h.name.toLowerCase() === name).map((h) => h.value);
    if (a.length === 0) changes.push(`${name} added`);
    else if (b.length === 0) changes.push(`${name} removed`);
    else if (a.join('\n') !== b.join('\n')) changes.push(`${name} changed`);
  }
  if (before.body !== after.body) changes.push('body changed');
  const pa = before.auth?.params ?? {};
  const pb = after.auth?.params ?? {};
  for (const key of new Set([...Object.keys(pa), ...Object.keys(pb)])) {
    if (JSON.stringify(pa[key]) !== JSON.stringify(pb[key])) changes.push(`${key} changed`);
  }
  if (before.proxy !== after.proxy) changes.push('proxy changed');
  return changes.join(', ');
}
