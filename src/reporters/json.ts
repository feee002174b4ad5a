import type { Report } from '../core/report.ts';

/**
 * The JSON report of DESIGN.md §3: exactly the report object, nothing removed or renamed, two-space
 * indented, with a final newline. The report is already masked by `buildReport`.
 */
export function formatJson(report: Report): string {
  try {
    return `${JSON.stringify(report, null, 2)}\n`;
  } catch {
    // Only a report that is not plain JSON data gets here (a BigInt or a cycle in some plugin's
    // evidence); output it anyway rather than lose the diagnosis.
    return `${JSON.stringify(report, safeReplacer(), 2)}\n`;
  }
}

/** Turns BigInts into strings and cycles into "[Circular]" (shared, non-cyclic objects stay). */
function safeReplacer(): (this: unknown, key: string, value: unknown) => unknown {
  const ancestors: unknown[] = [];
  return function replacer(this: unknown, _key: string, value: unknown): unknown {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value !== 'object' || value === null) return value;
    // `this` is the object holding `value`: unwind the stack to it, so only real ancestors remain.
    while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
    if (ancestors.includes(value)) return '[Circular]';
    ancestors.push(value);
    return value;
  };
}
