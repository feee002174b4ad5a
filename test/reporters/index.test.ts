import { describe, expect, it } from 'vitest';
import { formatJson } from '../../src/reporters/json.ts';
import { formatMarkdown } from '../../src/reporters/markdown.ts';
import { formatReport, REPORT_FORMATS } from '../../src/reporters/index.ts';
import { formatText } from '../../src/reporters/text.ts';
import { expiredTokenReport } from './fixtures.ts';

describe('formatReport', () => {
  it('offers the three --format values of DESIGN.md §3', () => {
    expect(REPORT_FORMATS).toEqual(['text', 'json', 'markdown']);
  });

  it('renders each format with its reporter', () => {
    const report = expiredTokenReport();
    const hints = { 'oauth2/refresh-token': { kind: 'refresh' as const } };
    expect(formatReport(report, 'json')).toBe(formatJson(report));
    expect(formatReport(report, 'markdown', { actionHints: hints })).toBe(formatMarkdown(report, { actionHints: hints }));
    expect(formatReport(report, 'text', { color: true, width: 100, verbose: true, actionHints: hints })).toBe(
      formatText(report, { color: true, width: 100, verbose: true, actionHints: hints }),
    );
  });

  it('writes text without colour unless asked for it', () => {
    expect(formatReport(expiredTokenReport(), 'text').includes('\u001b')).toBe(false);
  });
});
