import type { Report } from '../core/report.ts';
import { formatJson } from './json.ts';
import { formatMarkdown } from './markdown.ts';
import { formatText, type TextOptions } from './text.ts';

export { formatJson } from './json.ts';
export { codeBlock, codeSpan, escapeMarkdown, formatMarkdown, type MarkdownOptions } from './markdown.ts';
export { formatText, wrapText, type TextOptions } from './text.ts';
export { reportSchema, findingSchema, verdictSchema, causeIdSchema, findingStatusSchema } from './schema.ts';
export { causeLabel, CAUSE_LABELS, isRuleProblem, STATUS_LABELS, STATUS_SYMBOLS, statusSymbol } from './labels.ts';
export type { ActionHint } from './common.ts';

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
