import { UsageError, type ExitCode } from '../core/errors.ts';
import type { Diagnosis } from '../core/engine.ts';
import { compareProxyProbe } from '../core/probe.ts';
import { buildReport, type ActionRecord, type AttemptSummary, type Report } from '../core/report.ts';
import type { Finding, FindingInput, RequestSpec } from '../core/types.ts';
import { VERSION } from '../version.ts';
import type { ReportFormat } from '../reporters/format.ts';
import { helpFor, splitArgs, type OptionSpec, type ParsedOptions } from './args.ts';
import { out } from './output.ts';
import { INPUT_OPTIONS } from './input-options.ts';
import { openSession, type Session } from './setup.ts';

export const CHECK_OPTIONS: readonly OptionSpec[] = [
  ...INPUT_OPTIONS,
  { name: 'format', value: true, valueName: 'text|json|markdown', description: 'report format (default: text)' },
  { name: 'refresh', description: 'if a refresh action applies (OAuth2 refresh, AWS re-resolve), run it and retry once' },
  { name: 'probe', description: 'when a proxy is in use, also send the request directly and compare' },
  { name: 'verbose', description: 'list skipped checks too' },
  { name: 'no-color', description: 'no colours (also: NO_COLOR=1, or when stdout is not a terminal)' },
  { name: 'help', short: 'h', description: 'show this help' },
];

export const CHECK_HELP = `Usage: authdoctor check [URL [curl flags]] [options]

Diagnose why a request is rejected, without a screen: for scripts, CI and tickets.
Sends the request exactly once (nothing for --har); --refresh and --probe send more, and say so.

Inputs (one of):
  URL -X METHOD -H 'Name: value' -d DATA -u USER:PASS   a request with curl-like flags
${helpFor(INPUT_OPTIONS)}

Options:
${helpFor(CHECK_OPTIONS.filter((o) => !INPUT_OPTIONS.some((i) => i.name === o.name)))}

Exit codes: 0 no authentication failure · 1 a failure was diagnosed · 2 usage or config error ·
3 no HTTP response at all (refused, DNS, timeout, TLS).

Examples:
  authdoctor check https://api.github.com/user -H "Authorization: Bearer $GITHUB_TOKEN"
  authdoctor check --curl 'curl -u me:secret https://jira.example.com/rest/api/2/myself'
  authdoctor check --har capture.har --format json
  authdoctor check --profile billing --refresh`;

const FORMATS = new Set(['text', 'json', 'markdown']);

export async function runCheck(argv: readonly string[]): Promise<ExitCode> {
  const { options, rest } = splitArgs(argv, CHECK_OPTIONS);
  if (options.help) {
    out(`${CHECK_HELP}\n`);
    return 0;
  }
  const format = String(options.format ?? 'text');
  if (!FORMATS.has(format)) throw new UsageError('E_USAGE', `--format must be text, json or markdown (got "${format}").`);
  const session = await openSession(options, rest);
  if (session.target.kind === 'offline' && (options.refresh || options.probe)) {
    throw new UsageError('E_USAGE', `--${options.refresh ? 'refresh' : 'probe'} needs a live request; a HAR capture is analysed offline and nothing is sent.`);
  }
  const report = await checkSession(session, { probe: options.probe === true, refresh: options.refresh === true });
  await printReport(report, session, format as ReportFormat, options);
  return exitCodeFor(report);
}

/**
 * The `check` flow on an opened session (also the demo's `--check`): the request once (or the
 * capture), then --probe and --refresh when asked, and the masked report.
 */
export async function checkSession(session: Session, options: { probe: boolean; refresh: boolean }): Promise<Report> {
  const { engine, target } = session;
  let spec: RequestSpec | null = target.kind === 'live' ? target.spec : null;
  let diagnosis: Diagnosis = target.kind === 'live' ? await engine.diagnoseLive(target.spec) : await engine.diagnose(target.exchange, null);
  const attempts: AttemptSummary[] = [summary(1, diagnosis)];
  const actions: ActionRecord[] = [];

  if (options.probe && spec) {
    if (!diagnosis.exchange.proxy) {
      actions.push({ id: 'http/bypass-proxy', ok: false, message: 'No proxy was in use, so there is nothing to bypass.' });
    } else {
      const direct = await engine.diagnoseLive(spec, {}, { direct: true });
      const finding = compareProxyProbe(diagnosis, direct);
      actions.push({ id: 'http/bypass-proxy', ok: true, message: `Sent the request again without the proxy: ${direct.exchange.response ? `HTTP ${direct.exchange.response.status}` : direct.exchange.transportError?.message ?? 'no response'}.` });
      if (finding) diagnosis = await withFindings(diagnosis, [finding]);
    }
  }

  if (options.refresh && spec && diagnosis.verdict.cause !== 'none') {
    const refresh = engine.availableActions(spec, diagnosis).find((a) => a.action.kind === 'refresh');
    if (!refresh) {
      actions.push({ id: 'refresh', ok: false, message: 'No refresh action applies to this request (it needs e.g. an OAuth2 profile with a refresh token or client credentials, or AWS credentials from a source that can be re-read).' });
    } else {
      const result = await engine.runAction(refresh.id, spec, diagnosis);
      actions.push({ id: refresh.id, ok: result.ok, message: result.message, ...(result.details ? { details: result.details } : {}) });
      if (result.ok && result.spec && result.retry !== false) {
        spec = result.spec;
        diagnosis = await engine.diagnoseLive(spec);
        attempts.push(summary(2, diagnosis, refresh.action.title));
        // The refreshed token worked: the token store may drop the previous one (DESIGN.md §4).
        const storeKey = result.details?.tokenStoreKey;
        if (diagnosis.verdict.cause === 'none' && typeof storeKey === 'string') await engine.options.tokenStore?.confirm(storeKey);
      }
      // What the action found (why a refresh failed: the token endpoint's answer, a timeout…) is
      // part of the diagnosis, as in the TUI; without it the report says only that it failed.
      const found = actionFindings(refresh.id, result.findings);
      if (found.length > 0) diagnosis = await withFindings(diagnosis, found);
    }
  }

  return buildReport(
    {
      version: VERSION,
      exchange: diagnosis.exchange,
      evaluatedAt: diagnosis.evaluatedAt,
      scheme: diagnosis.scheme,
      verdict: diagnosis.verdict,
      findings: diagnosis.findings,
      requests: engine.recorder.list(),
      ...(attempts.length > 1 ? { attempts } : {}),
      ...(actions.length ? { actions } : {}),
      profile: session.profileName,
    },
    engine.redactor,
  );
}

/** Writes the report in the asked format, colours only on a terminal and without NO_COLOR. */
export async function printReport(report: Report, session: Session, format: ReportFormat, options: ParsedOptions): Promise<void> {
  const { formatReport } = await import('../reporters/format.ts');
  const color = !options['no-color'] && !process.env.NO_COLOR && process.stdout.isTTY === true;
  const actionHints = Object.fromEntries(session.engine.actions().map(({ id, action }) => [id, { title: action.title, kind: action.kind }]));
  out(formatReport(report, format, { color, width: process.stdout.columns ?? 80, verbose: options.verbose === true, actionHints }));
}

async function withFindings(diagnosis: Diagnosis, added: readonly Finding[]): Promise<Diagnosis> {
  const { decideVerdict } = await import('../core/verdict.ts');
  const findings = [...diagnosis.findings, ...added];
  return { ...diagnosis, findings, verdict: decideVerdict(findings, diagnosis.exchange) };
}

/** An action's own findings as report findings, under the action's id. */
function actionFindings(id: string, inputs: readonly FindingInput[] | undefined): Finding[] {
  const plugin = id.split('/')[0] ?? id;
  return (inputs ?? []).map((f) => ({
    ruleId: id,
    plugin,
    status: f.status ?? 'fail',
    cause: f.status === 'pass' || f.status === 'skip' ? null : (f.cause ?? null),
    ...(f.confidence ? { confidence: f.confidence } : {}),
    ...(f.messageId ? { messageId: f.messageId } : {}),
    title: f.title ?? 'Action',
    message: f.message ?? f.title ?? '',
    evidence: f.evidence ?? {},
    fixes: f.fixes ?? [],
    ...(f.actions?.length ? { actions: f.actions } : {}),
  }));
}

function summary(n: number, d: Diagnosis, change?: string): AttemptSummary {
  return {
    n,
    status: d.exchange.response?.status ?? null,
    cause: d.verdict.cause,
    ...(d.exchange.durationMs !== undefined ? { durationMs: d.exchange.durationMs } : {}),
    ...(change ? { change } : {}),
  };
}

/**
 * DESIGN.md §3: 0 none, 1 a diagnosed failure, 3 a transport failure with nothing else to say —
 * no HTTP response at all, or none to judge: the body broke off, the redirects never ended, a
 * redirect was not followed (a transport error is recorded) and no check found an auth failure.
 */
export function exitCodeFor(report: Report): ExitCode {
  if (report.verdict.cause === 'none') return 0;
  const explained = report.findings.some((f) => f.status === 'fail');
  if ((report.response === null || report.transportError !== undefined) && !explained) return 3;
  return 1;
}
