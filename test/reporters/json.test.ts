import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { CAUSE_IDS } from '../../src/core/causes.ts';
import type { Report } from '../../src/core/report.ts';
import { formatJson } from '../../src/reporters/json.ts';
import { reportSchema } from '../../src/reporters/schema.ts';
import { ACCESS_TOKEN, expiredTokenReport, offlineReport, signatureReport, transportFailureReport } from './fixtures.ts';

const all = () => ({
  expired: expiredTokenReport(),
  transport: transportFailureReport(),
  signature: signatureReport(),
  identical: signatureReport([]),
  offline: offlineReport(),
});

// The schema and the core's Report type describe the same thing, in both directions.
const toSchema: (r: Report) => z.input<typeof reportSchema> = (r) => r;
const fromSchema: (r: z.output<typeof reportSchema>) => Report = (r) => r;
void toSchema;
void fromSchema;

const issuesOf = (value: unknown) => {
  const result = reportSchema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('formatJson', () => {
  it('is exactly the report, two-space indented, with a final newline', () => {
    for (const report of Object.values(all())) {
      const out = formatJson(report);
      expect(out).toBe(`${JSON.stringify(report, null, 2)}\n`);
      expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(report)));
    }
  });

  it('keeps every field of the report, the optional ones included', () => {
    const parsed = JSON.parse(formatJson(signatureReport())) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['schema', 'tool', 'mode', 'evaluatedAt', 'request', 'response', 'verdict', 'findings', 'requests', 'attempts', 'actions']);
    expect((parsed.findings as { evidence: Record<string, unknown> }[])[0]!.evidence.canonicalDiff).toHaveLength(2);
    const transport = JSON.parse(formatJson(transportFailureReport())) as Report;
    expect(transport.response).toBeNull();
    expect(transport.transportError).toEqual({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9', phase: 'connect' });
  });

  it('carries the masked credential, never the raw one', () => {
    const out = formatJson(expiredTokenReport());
    expect(out.includes(ACCESS_TOKEN)).toBe(false);
    expect(out).toMatch(/"authorization": "Bearer eyJh…\(\d+ chars, sha256:[0-9a-f]{8}\)"/);
  });

  it('does not throw on evidence that is not plain JSON data', () => {
    const report = expiredTokenReport();
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const shared = { a: 1 };
    report.findings[0]!.evidence = { big: 12n, cyclic, one: shared, two: shared };
    const parsed = JSON.parse(formatJson(report)) as Report;
    expect(parsed.findings[0]!.evidence).toEqual({ big: '12', cyclic: { name: 'loop', self: '[Circular]' }, one: { a: 1 }, two: { a: 1 } });
  });
});

describe('reportSchema', () => {
  it('accepts every report the core builds, after a JSON round trip', () => {
    for (const [name, report] of Object.entries(all())) {
      expect(issuesOf(JSON.parse(formatJson(report))), name).toEqual([]);
    }
  });

  it('accepts fields added by a newer version (more may be added)', () => {
    const report = expiredTokenReport();
    const newer = { ...report, extra: { anything: true }, findings: report.findings.map((f) => ({ ...f, severity: 3 })) };
    expect(issuesOf(newer)).toEqual([]);
  });

  it('requires every field of DESIGN.md §3', () => {
    for (const key of ['schema', 'tool', 'mode', 'evaluatedAt', 'request', 'response', 'verdict', 'findings', 'requests'] as const) {
      const report: Record<string, unknown> = { ...expiredTokenReport() };
      delete report[key];
      expect(issuesOf(report).length, key).toBeGreaterThan(0);
    }
    for (const key of ['ruleId', 'plugin', 'status', 'cause', 'title', 'message', 'evidence', 'fixes'] as const) {
      const report = expiredTokenReport();
      delete (report.findings[0] as unknown as Record<string, unknown>)[key];
      expect(issuesOf(report).length, key).toBeGreaterThan(0);
    }
  });

  it('knows the cause ids and finding statuses', () => {
    for (const cause of CAUSE_IDS) {
      const report = expiredTokenReport();
      report.verdict = { cause, ruleId: null, summary: 's' };
      expect(issuesOf(report), cause).toEqual([]);
    }
    const badCause = expiredTokenReport();
    badCause.findings[0]!.cause = 'token_expired' as never;
    expect(issuesOf(badCause)).toContain('findings.0.cause: Invalid option: expected one of "missing_credentials"|"invalid_credentials"|"malformed_credentials"|"expired_token"|"wrong_scheme"|"signature_mismatch"|"clock_skew"|"insufficient_permissions"|"client_auth_failed"|"refresh_failed"|"proxy_auth"|"none"|"unknown"');
    const badStatus = expiredTokenReport();
    badStatus.findings[1]!.status = 'ok' as never;
    expect(issuesOf(badStatus).some((i) => i.startsWith('findings.1.status'))).toBe(true);
  });

  it('rejects a failing finding without a cause and a pass with one', () => {
    const fail = expiredTokenReport();
    fail.findings[0]!.cause = null;
    expect(issuesOf(fail)).toContain('findings.0.cause: a failing finding needs a cause other than "none"');
    const pass = expiredTokenReport();
    pass.findings[1]!.cause = 'expired_token';
    expect(issuesOf(pass)).toContain('findings.1.cause: a pass finding has cause null');
  });

  it('checks the well-known evidence keys', () => {
    const diff = signatureReport([{ element: 'path', sent: '/a' } as never, 'not a row' as never]);
    expect(issuesOf(diff)).toContain('findings.0.evidence.canonicalDiff: canonicalDiff is an array of { element, sent, received }');
    const skew = expiredTokenReport();
    skew.findings[4]!.evidence.skewSeconds = '-420';
    expect(issuesOf(skew)).toContain('findings.4.evidence.skewSeconds: skewSeconds is a number of seconds');
  });

  it('rejects a verdict that names a rule no finding has, and a wrong schema id', () => {
    const dangling = expiredTokenReport();
    dangling.verdict = { ...dangling.verdict, ruleId: 'oauth2/nope' };
    expect(issuesOf(dangling)).toContain('verdict.ruleId: no finding has ruleId "oauth2/nope"');
    expect(issuesOf({ ...expiredTokenReport(), schema: 'authdoctor.report/v2' }).length).toBeGreaterThan(0);
    expect(issuesOf({ ...expiredTokenReport(), evaluatedAt: 'yesterday' }).length).toBeGreaterThan(0);
  });
});
