/**
 * 2. `authdoctor check --har` on corpus captures (offline: nothing is sent), against `node -e 0`
 *    measured in the same run. The budget is judged on the first file; the second shows a plugin
 *    whose heavy dependency (the AWS SigV4 signer) loads because the plugin applies.
 *    Run alone: node bench/2-har.ts (after npm run build).
 */
import path from 'node:path';
import { BIN, GNU_TIME, NODE, ROOT, benchEnv, interleave, peakRss, scratchDir, type Command } from './lib/proc.ts';
import { defaultOptions, isMain, printSection, type RunOptions, type Section } from './lib/section.ts';
import { mad, mb, median, ms, ratio, type Budget } from './lib/stats.ts';

export const HAR_FILES = ['azure-graph-token-expired-or-not-yet-valid.har', 'aws-s3-authorizationheadermalformed-region.har'];

export async function run(opts: RunOptions): Promise<Section> {
  const dir = scratchDir('har');
  const env = benchEnv(dir);
  const node: Command = { label: 'node -e 0', argv: [NODE, '-e', '0'] };
  const hars: Command[] = HAR_FILES.map((file) => ({
    label: `check --har ${file}`,
    argv: [NODE, BIN, 'check', '--har', path.join(ROOT, 'test/fixtures/corpus', file)],
    okCodes: [1],
  }));
  const cmds = [node, ...hars];
  opts.log(`har: ${opts.runs} runs of ${cmds.length} commands (interleaved)`);
  const times = await interleave(cmds, { runs: opts.runs, warmup: opts.warmup, cwd: dir, env });
  const med = times.map(median);
  const rss = cmds.map((c) => median(Array.from({ length: 3 }, () => peakRss(c, { cwd: dir, env }))));
  const rows = [['command', 'median wall', '± MAD', 'vs node -e 0', 'peak RSS']];
  cmds.forEach((c, i) => rows.push([c.label, ms(med[i]!), ms(mad(times[i]!)), ratio(med[i]!, med[0]!), mb(rss[i]!)]));
  const budgets: Budget[] = [
    { name: `check --har ≤ 3× node -e 0 (${HAR_FILES[0]})`, measured: med[1]! / med[0]!, limit: 3, shown: `${ratio(med[1]!, med[0]!)} node -e 0 (${ms(med[1]!)} vs ${ms(med[0]!)}; limit 3×)` },
    { name: 'check --har peak RSS ≤ 80 MB', measured: rss[1]! / 1024 / 1024, limit: 80, shown: `${mb(rss[1]!)} (limit 80 MB)`, ...(GNU_TIME ? {} : { skipped: 'GNU time (/usr/bin/time) is not installed' }) },
  ];
  return { title: '2. check --har on corpus captures (offline)', rows, budgets, notes: [], data: { commands: cmds.map((c) => c.label), medianMs: med, madMs: times.map(mad), peakRssBytes: rss } };
}

if (isMain(import.meta.url)) process.stdout.write(printSection(await run(defaultOptions())));
