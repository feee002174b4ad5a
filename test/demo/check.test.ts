import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSession } from '../../src/cli/check.ts';
import { startDemoCloud, type DemoCloud } from '../../src/demo/cloud.ts';
import { SCENARIOS } from '../../src/demo/scenarios/index.ts';
import { openDemoSession } from '../../src/demo/session.ts';
import { formatReport } from '../../src/reporters/index.ts';
import { runCli } from '../helpers/cli.ts';

/*
 * `check` on every scenario finds the cause the scenario is built to show — through the same
 * session, engine and report as `authdoctor demo --scenario NAME --check`, against the real demo
 * cloud on 127.0.0.1. And no report shows a credential of the scenario in clear.
 */


let cloud: DemoCloud;
beforeAll(async () => {
  cloud = await startDemoCloud();
});
afterAll(async () => {
  await cloud?.close();
});

describe('check against each demo scenario', () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: the verdict is ${scenario.intended.cause}`, async () => {
      const session = await openDemoSession(cloud, scenario.name);
      const probe = scenario.intended.checkFlags?.includes('--probe') ?? false;
      const report = await checkSession(session, { probe, refresh: false });
      expect(report.verdict.cause).toBe(scenario.intended.cause);
      // Nothing but the demo cloud was contacted: the request, and the probe when asked.
      expect(report.requests.every((r) => r.host.startsWith('127.0.0.1:'))).toBe(true);
      for (const format of ['json', 'text', 'markdown'] as const) {
        const out = formatReport(report, format);
        for (const secret of session.secrets) expect(out.includes(secret), `${format} report shows a credential of ${scenario.name}`).toBe(false);
      }
    });
  }

  it('the proxy scenario needs the probe: without it, nothing in the 401 alone names the proxy', async () => {
    const session = await openDemoSession(cloud, 'proxy-strips-auth');
    const report = await checkSession(session, { probe: false, refresh: false });
    expect(report.verdict.cause).not.toBe('proxy_auth');
    expect(report.findings.some((f) => f.ruleId === 'http/proxy' && f.messageId === 'proxy-used')).toBe(true);
  });

  it('check --refresh on the expired-token scenario refreshes (rotating the refresh token) and the retry is accepted', async () => {
    const session = await openDemoSession(cloud, 'oauth-expired');
    const report = await checkSession(session, { probe: false, refresh: true });
    expect(report.verdict.cause).toBe('none');
    expect(report.attempts?.map((a) => [a.status, a.cause])).toEqual([
      [401, 'expired_token'],
      [200, 'none'],
    ]);
    expect(report.actions?.[0]).toMatchObject({ id: 'oauth2/refresh-token', ok: true });
  });
});

describe('authdoctor demo --scenario NAME --check (the command)', () => {
  it('prints the JSON report with the intended cause, exit code 1, and masks the credentials', async () => {
    const result = await runCli(['demo', '--scenario', 'sigv4-wrong-region', '--check', '--format', 'json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { verdict: { cause: string }; request: { url: string; headers: Record<string, string> } };
    expect(report.verdict.cause).toBe('signature_mismatch');
    expect(report.request.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sigv4-wrong-region\/demo-bucket\/report\.csv$/);
    expect(report.request.headers.authorization).toMatch(/…\(\d+ chars, sha256:[0-9a-f]{8}\)$/);
  }, 40_000);

  it('runs the probe when asked, and the proxy scenario then says proxy_auth', async () => {
    const result = await runCli(['demo', '--scenario', 'proxy-strips-auth', '--check', '--probe', '--format', 'json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { verdict: { cause: string }; requests: { host: string; count: number }[] };
    expect(report.verdict.cause).toBe('proxy_auth');
    expect(report.requests.reduce((n, r) => n + r.count, 0)).toBe(2);
  }, 40_000);
});
