import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { maskSecret } from '../../src/core/redact.ts';
import { REPORT_SCHEMA, type Report } from '../../src/core/report.ts';
import { formatText, wrapText } from '../../src/reporters/text.ts';
import { ACCESS_TOKEN, expiredTokenReport, finding, offlineReport, signatureReport, transportFailureReport } from './fixtures.ts';

const ESC = '\u001b';
const plain = (report: Report, extra: Partial<Parameters<typeof formatText>[1]> = {}) => formatText(report, { color: false, ...extra });
const lines = (text: string) => text.split('\n');
const indexOfLine = (text: string, predicate: (line: string) => boolean) => lines(text).findIndex(predicate);

describe('formatText', () => {
  it('opens with the request, the response status line, the scheme and the mode', () => {
    const out = plain(expiredTokenReport());
    const ls = lines(out);
    expect(ls).toContain('GET https://api.example.com/v1/me');
    expect(ls).toContain('  Response  401 Unauthorized');
    expect(ls).toContain('  Scheme    bearer');
    expect(ls).toContain('  Mode      live, evaluated at 2026-11-28T10:00:00.000Z');
  });

  it('shows the verdict with its human name before any check', () => {
    const out = plain(expiredTokenReport());
    const verdict = indexOfLine(out, (l) => l === '✖ Expired token (expired_token)');
    const firstGroup = indexOfLine(out, (l) => l === 'oauth2');
    expect(verdict).toBeGreaterThan(0);
    expect(firstGroup).toBeGreaterThan(verdict);
    expect(out).toContain('Diagnosed by oauth2/token-expired (definitive).');
  });

  it('groups checks by plugin with a symbol per status, failures first', () => {
    const out = plain(expiredTokenReport());
    const ls = lines(out);
    const start = ls.indexOf('oauth2');
    const group = ls.slice(start, ls.indexOf('', start));
    const titles = group.filter((l) => /^ {2}\S/.test(l));
    expect(titles).toEqual([
      '  ✖ Access token is expired (expired_token, definitive)',
      '  ⚠ Audience not checked',
      '  ✔ Token is a well-formed JWT',
    ]);
    expect(ls).toContain('  ⚠ Client clock is ahead of the server (clock_skew)');
  });

  it('collapses skipped checks into a count per plugin unless verbose', () => {
    const report = expiredTokenReport();
    const out = plain(report);
    const ls = lines(out);
    expect(ls[ls.indexOf('aws-sigv4') + 1]).toBe('  ○ 2 skipped (not applicable to this request)');
    expect(out.includes('SigV4 region and service')).toBe(false);

    const verbose = plain(report, { verbose: true });
    expect(verbose).toContain('  ○ SigV4 signature [aws-sigv4/signature]');
    expect(verbose).toContain('  ○ SigV4 region and service [aws-sigv4/region]');
    expect(verbose.includes('2 skipped')).toBe(false);
  });

  it('keeps rule errors and timeouts apart from the findings, after every plugin group', () => {
    const out = plain(expiredTokenReport());
    const ls = lines(out);
    const problems = ls.findIndex((l) => l.startsWith('Rule problems'));
    expect(problems).toBeGreaterThan(ls.indexOf('basic'));
    expect(ls).not.toContain('acme');
    expect(ls[problems + 1]).toBe('  ! acme/broken — Acme tenant check');
    expect(ls).toContain('  ⏱ acme/slow — Acme introspection');
    expect(out).toContain("Rule threw: TypeError: Cannot read properties of undefined (reading\n    'tenant')");
  });

  it('lists evidence as key: value lines, reading the well-known second counts', () => {
    const out = plain(expiredTokenReport());
    expect(lines(out)).toContain('    exp: 2026-11-28T07:00:00Z');
    expect(out).toContain('    expiredSeconds: 10800 (expired 3 h before evaluation)');
    expect(out).toContain('    skewSeconds: -420 (client clock 7 min ahead of the server)');
    expect(out).toContain('    scopes: read:user, read:org');
  });

  it('writes fixes under "Fix:" and offers actions with the check flag that runs them', () => {
    const report = expiredTokenReport();
    const hinted = plain(report, { width: 200, actionHints: { 'oauth2/refresh-token': { kind: 'refresh' } } });
    expect(hinted).toContain(
      '    Fix: Refresh the access token with your refresh token, or request a new one from the token endpoint, then send the request again.',
    );
    expect(hinted).toContain('    Action: oauth2/refresh-token — run again with --refresh');
    const bare = plain(report, { width: 200 });
    expect(bare).toContain('    Action: oauth2/refresh-token — available in the interactive screen (authdoctor tui)');
  });

  it('puts several fixes in a list under one "Fix:" label', () => {
    const report = expiredTokenReport();
    report.findings[0]!.fixes = ['First do this.', 'Then do that.'];
    const ls = lines(plain(report));
    const at = ls.indexOf('    Fix:');
    expect(ls.slice(at + 1, at + 3)).toEqual(['      • First do this.', '      • Then do that.']);
  });

  it('ends with a summary line counting every status and naming the verdict', () => {
    const out = plain(expiredTokenReport(), { width: 120 });
    expect(lines(out).at(-2)).toBe('1 failed, 2 warnings, 2 passed, 3 skipped, 1 rule error, 1 timed out — verdict: expired_token');
    expect(out).toContain('Requests sent by authdoctor: api.example.com ×1');
    // Too long for 80 columns: the verdict moves to a line of its own, whole.
    expect(lines(plain(expiredTokenReport())).slice(-3, -1)).toEqual(['1 failed, 2 warnings, 2 passed, 3 skipped, 1 rule error, 1 timed out', '— verdict: expired_token']);
  });

  it('reports a transport failure with no response and does not blame the credentials', () => {
    const out = plain(transportFailureReport());
    expect(out).toContain('  Response  no response — ECONNREFUSED during connect: connect ECONNREFUSED\n            127.0.0.1:9');
    expect(lines(out)).toContain('✖ No HTTP response (unknown)');
    expect(out).toContain('0 failed, 1 warning, 0 passed, 1 skipped — verdict: unknown');
    expect(plain(transportFailureReport(), { verbose: true })).toContain('Response (masked)\n    no response — ECONNREFUSED');
  });

  it('lays out canonicalDiff evidence as an element/sent/received table', () => {
    const ls = lines(plain(signatureReport()));
    const at = ls.indexOf('    canonicalDiff:');
    expect(ls.slice(at + 1, at + 4)).toEqual([
      '      element      sent                        received',
      '      path         /bucket/key.txt             /bucket/key%2Etxt',
      '      header:host  s3.eu-west-1.amazonaws.com  s3.amazonaws.com',
    ]);
  });

  it('falls back to one block per element when the diff table is wider than the terminal', () => {
    const ls = lines(plain(signatureReport(), { width: 50 }));
    const at = ls.indexOf('    canonicalDiff:');
    const block = ls.slice(at + 1, at + 7);
    expect(block).toEqual([
      '      path',
      '        sent:     /bucket/key.txt',
      '        received: /bucket/key%2Etxt',
      '      header:host',
      '        sent:     s3.eu-west-1.amazonaws.com',
      '        received: s3.amazonaws.com',
    ]);
  });

  it('explains an empty canonicalDiff: the canonical requests are identical', () => {
    const out = plain(signatureReport([]));
    expect(out).toContain('    canonicalDiff: (identical)\n      The canonical requests are identical');
  });

  it('shows the attempt history and the actions run', () => {
    const out = plain(signatureReport(), { width: 100 });
    expect(out).toContain('  Attempts  #1 403 signature_mismatch 312 ms → #2 200 none 95 ms\n            #2: re-signed for region eu-west-1');
    expect(out).toContain('    ✔ aws-sigv4/re-sign — Re-signed the request for eu-west-1/s3.\n      region: eu-west-1');
    // The finding's action already ran: say so rather than offer it again.
    expect(out).toContain('    Action: aws-sigv4/re-sign — ran: Re-signed the request for eu-west-1/s3.');
    expect(out).toContain('Requests sent by authdoctor: s3.eu-west-1.amazonaws.com ×2, sts.amazonaws.com ×1');
  });

  it('names the capture file, entry and the headers its exporter removed in offline mode', () => {
    const out = plain(offlineReport(), { width: 200 });
    expect(out).toContain('  Mode      offline capture captures/login.har (entry 3 of 120, written by WebInspector 537.36), evaluated at 2026-11-28T10:00:00.000Z');
    expect(out).toContain('  ⚠ The tool that wrote this capture removed authorization, cookie');
    expect(out).toContain('Requests sent by authdoctor: none (offline analysis)');
  });

  it('shows the proxy and warns when TLS verification was off', () => {
    const report = expiredTokenReport();
    report.request.proxy = { url: 'http://proxy.internal:3128', source: 'env' };
    report.request.insecure = true;
    const out = plain(report);
    expect(out).toContain('  Proxy     http://proxy.internal:3128 (from env)');
    expect(out).toContain('  ⚠ TLS certificate verification was disabled (-k/--insecure)');
  });

  it('writes no ANSI codes without colour, and the same text with them when colour is on', () => {
    for (const report of [expiredTokenReport(), transportFailureReport(), signatureReport(), offlineReport()]) {
      const noColor = plain(report);
      expect(noColor.includes(ESC)).toBe(false);
      const color = formatText(report, { color: true });
      expect(color.includes(`${ESC}[`)).toBe(true);
      expect(stripVTControlCharacters(color)).toBe(noColor);
    }
  });

  it('wraps prose to the width with hanging indents', () => {
    for (const width of [40, 60, 80]) {
      const out = plain(expiredTokenReport(), { width });
      for (const line of lines(out)) {
        // A single word longer than the line (a URL, a masked token) may overflow; nothing else.
        const words = line.trim().split(' ');
        if (words.length > 1 && !/…\(\d+ chars/.test(line)) expect([...line].length, line).toBeLessThanOrEqual(width);
      }
    }
  });

  it('never breaks a masked secret across lines, and never shows the raw token', () => {
    const mask = maskSecret(ACCESS_TOKEN);
    for (let width = 30; width <= 100; width += 1) {
      const out = plain(expiredTokenReport(), { width, verbose: true });
      expect(out.includes(ACCESS_TOKEN)).toBe(false);
      expect(out.split(mask).length - 1).toBeGreaterThanOrEqual(3); // verdict, finding, request header
    }
  });

  it('escapes control characters from the exchange instead of sending them to the terminal', () => {
    const report = expiredTokenReport();
    report.response!.statusText = `Unauthorized${ESC}[2J${ESC}]0;pwned\u0007`;
    report.findings[1]!.evidence = { note: `a\rb${ESC}[31mred` };
    report.findings[1]!.message = 'Informative pass.';
    const out = plain(report, { verbose: true });
    expect(out.includes(ESC)).toBe(false);
    expect(out.includes('\r')).toBe(false);
    expect(out).toContain('  Response  401 Unauthorized\\u001b[2J\\u001b]0;pwned\\u0007');
    expect(out).toContain('note: ab\\u001b[31mred');
  });

  it('caps huge evidence values at a few hundred characters', () => {
    const report = expiredTokenReport();
    report.findings[0]!.evidence = { blob: 'x'.repeat(100_000), list: Array.from({ length: 500 }, (_, i) => i) };
    const out = plain(report);
    expect(out.length).toBeLessThan(10_000);
    expect(out).toMatch(/blob:\s+x{300}…\(\+99700 chars\)/);
    expect(out).toContain('… 480 more');
  });

  it('does not throw on an empty or odd report', () => {
    const odd = {
      schema: REPORT_SCHEMA,
      tool: { name: 'authdoctor', version: '0.1.0' },
      mode: 'live',
      evaluatedAt: '2026-11-28T10:00:00.000Z',
      request: { method: 'GET', url: 'https://x.test/', headers: {}, scheme: 'none' },
      response: null,
      verdict: { cause: 'none', ruleId: null, summary: '' },
      findings: [
        finding({ ruleId: 'odd/one', status: 'fail', cause: 'not_a_cause' as never, evidence: { deep: { a: { b: { c: { d: { e: 1 } } } } }, n: 10n, d: new Date('x') } }),
        { ruleId: 'odd/two', status: 'mystery' } as never,
        null as never,
      ],
      requests: [],
    } as unknown as Report;
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    odd.findings[0]!.evidence.cyclic = cyclic;
    expect(() => plain(odd)).not.toThrow();
    expect(() => plain(odd, { verbose: true, width: 5 })).not.toThrow();
    expect(() => plain({} as Report)).not.toThrow();
    expect(plain(odd, { width: 100 })).toContain('1 failed, 0 warnings, 0 passed, 0 skipped — verdict: none');
    expect(plain(odd)).toContain('  ? odd/two');
  });

  it('renders a small passing report exactly', () => {
    const report: Report = {
      schema: REPORT_SCHEMA,
      tool: { name: 'authdoctor', version: '0.1.0' },
      mode: 'live',
      evaluatedAt: '2026-11-28T10:00:00.000Z',
      request: { method: 'GET', url: 'https://api.example.com/health', headers: {}, scheme: 'none' },
      response: { status: 200, statusText: 'OK', headers: {}, body: '' },
      verdict: { cause: 'none', ruleId: null, summary: 'No authentication failure: the server answered 200.' },
      findings: [finding({ ruleId: 'http/status', status: 'pass', title: 'Status class' })],
      requests: [{ host: 'api.example.com', count: 1 }],
    };
    expect(plain(report)).toBe(
      [
        'authdoctor 0.1.0 · authdoctor.report/v1',
        '',
        'GET https://api.example.com/health',
        '  Response  200 OK',
        '  Scheme    none',
        '  Mode      live, evaluated at 2026-11-28T10:00:00.000Z',
        '',
        '✔ No authentication failure (none)',
        '  No authentication failure: the server answered 200.',
        '',
        'http',
        '  ✔ Status class',
        '',
        'Requests sent by authdoctor: api.example.com ×1',
        '',
        '0 failed, 0 warnings, 1 passed, 0 skipped — verdict: none',
        '',
      ].join('\n'),
    );
  });
});

describe('wrapText', () => {
  it('keeps a masked secret whole even where its inner spaces fall at the edge', () => {
    const mask = 'eyJh…(812 chars, sha256:3f2a9c1e)';
    for (let width = 24; width < 60; width += 1) {
      const wrapped = wrapText(`The token Bearer ${mask} was rejected by the server today.`, width);
      expect(wrapped.some((l) => l.includes(mask))).toBe(true);
    }
  });

  it('gives a word longer than the line a line of its own instead of cutting it', () => {
    const url = `https://example.com/${'a'.repeat(60)}`;
    expect(wrapText(`see ${url} now`, 30)).toEqual(['see', url, 'now']);
  });
});
