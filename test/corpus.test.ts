import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportSchema } from '../src/reporters/schema.ts';
import { REPO, runCli } from './helpers/cli.ts';

/**
 * Every real provider failure in the corpus (copied from shared/corpus) is a regression test:
 * `authdoctor check --har FILE --format json` must give its expected cause, and the report must
 * follow DESIGN.md §3. Time-based checks evaluate at the capture time, not today.
 */
const DIR = path.join(REPO, 'test/fixtures/corpus');
const expected = JSON.parse(readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as Record<string, { expected: { cause: string; accept?: string[] } }>;
const files = readdirSync(DIR).filter((f) => f.endsWith('.har')).sort();

describe('corpus of real provider failures', () => {
  it('has an expectation for every capture', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(expected[file.replace(/\.har$/, '')], file).toBeDefined();
  });

  it.each(files)('%s gives its expected cause', async (file) => {
    const { expected: want } = expected[file.replace(/\.har$/, '')]!;
    const result = await runCli(['check', '--har', path.join(DIR, file), '--format', 'json']);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as { verdict: { cause: string }; mode: string; evaluatedAt: string; requests: unknown[] };
    expect(reportSchema.safeParse(report).success).toBe(true);
    expect(report.mode).toBe('offline');
    expect(report.requests).toEqual([]);
    const acceptable = want.accept ?? [want.cause];
    expect(acceptable).toContain(report.verdict.cause);
    expect(result.code).toBe(report.verdict.cause === 'none' ? 0 : 1);
  });
});
