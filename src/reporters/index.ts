export { formatReport, REPORT_FORMATS, type FormatOptions, type ReportFormat } from './format.ts';
export { formatJson } from './json.ts';
export { codeBlock, codeSpan, escapeMarkdown, formatMarkdown, type MarkdownOptions } from './markdown.ts';
export { formatText, wrapText, type TextOptions } from './text.ts';
export { reportSchema, findingSchema, verdictSchema, causeIdSchema, findingStatusSchema } from './schema.ts';
export { causeLabel, CAUSE_LABELS, isRuleProblem, STATUS_LABELS, STATUS_SYMBOLS, statusSymbol } from './labels.ts';
export type { ActionHint } from './common.ts';

