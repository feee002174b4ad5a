/*
 * formatReport on its own, apart from index.ts: index.ts also exports the zod schema of the report
 * (for tests and tools), and printing a report should not load zod.
 */
import type { Report } from '../core/report.ts';
import { formatJson } from './json.ts';
import { formatMarkdown } from './markdown.ts';
import { formatText, type TextOptions } from './text.ts';

/** The `--format` values of `authdoctor check` (DESIGN.md §3). */
export const REPORT_FORMATS = ['text', 'json', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Options for any format; only the text reporter reads `color`, `width` and `verbose`. */
export type FormatOptions = Partial<TextOptions>;

/** Renders a (masked) report in one of the `--format`s. Pure: returns the string, prints nothing. */
export function formatReport(report: Report, format: ReportFormat, options: FormatOptions = {}): string {
  switch (format) {
    case 'json':
      return formatJson(report);
    case 'markdown':
      return formatMarkdown(report, { actionHints: options.actionHints });
    case 'text':
    default:
      return formatText(report, { ...options, color: options.color === true });
  }
}
