/**
 * 3. `authdoctor tui` in a real pseudo-terminal (tmux, 80×24): time from spawn to the first frame
 *    on screen, to the first key answered (the help overlay), and to "all checks done" (the
 *    history line of attempt #1), against a minimal Ink app bundled the same way and measured the
 *    same way, and against Node printing one word in the same terminal. Run alone:
 *    node bench/3-tui.ts (after npm run build).
 */
import path from 'node:path';
import { bundle } from '../scripts/build.mjs';
import { expiredJwt } from './1-check.ts';
import { BIN, NODE, ROOT, benchEnv, scratchDir, timeOnce } from './lib/proc.ts';
import { defaultOptions, isMain, printSection, type RunOptions, type Section } from './lib/section.ts';
import { startApiProcess } from './lib/server.ts';
import { mad, median, ms, ratio, type Budget } from './lib/stats.ts';
import { Terminal } from './lib/tmux.ts';

interface Sample {
  nodeWord: number;
  nodeSpawn: number;
  inkFrame: number;
  inkKey: number;
  tuiFrame: number;
  tuiInk: number;
  tuiDone: number;
  tuiKey: number;
}

export async function run(opts: RunOptions): Promise<Section> {
  const title = '3. TUI in a real terminal (tmux 80×24)';
  if (!Terminal.available()) {
    const skipped = 'tmux is not installed (apt-get install -y tmux)';
    return { title, rows: [], budgets: [{ name: 'TUI first frame', measured: NaN, limit: 3, shown: '', skipped }], notes: [skipped], data: {} };
  }
  const api = await startApiProcess();
  const dir = scratchDir('tui');
  const env = benchEnv(dir, { TERM: 'xterm-256color' });
  const inkDir = scratchDir('ink-hello');
  await bundle({ outdir: inkDir, entryPoints: { hello: path.join(ROOT, 'bench/fixtures/ink-hello.tsx') } });
  const term = new Terminal(env);
  const url = `${api.origin}/v1/me`;
  const tui = [NODE, BIN, 'tui', url, '-H', `Authorization: Bearer ${expiredJwt()}`];
  const header = (s: string) => s.includes(`authdoctor GET ${url}`);
  const samples: Sample[] = [];
  try {
    for (let i = 0; i < opts.warmup + opts.runs; i++) {
      const sample = {} as Sample;
      sample.nodeSpawn = await timeOnce({ label: 'node -e 0', argv: [NODE, '-e', '0'] }, { cwd: dir, env });

      let w = await term.start([NODE, '-e', "process.stdout.write('READY'); setTimeout(() => {}, 5000)"], dir);
      sample.nodeWord = await w.waitFor((s) => s.includes('READY'), 'node to print READY');
      await w.kill();

      w = await term.start([NODE, path.join(inkDir, 'hello.js')], dir);
      sample.inkFrame = await w.waitFor((s) => s.includes('hello'), 'the Ink app');
      await w.press('x');
      sample.inkKey = await w.waitFor((s) => s.includes('pressed x'), 'the Ink app to answer a key');
      await w.kill();

      w = await term.start(tui, dir);
      sample.tuiFrame = await w.waitFor(header, 'the TUI header');
      sample.tuiInk = await w.waitFor((s) => s.includes('q quit'), "the Ink app's first frame (its key hints)");
      sample.tuiDone = await w.waitFor((s) => /History #1 401/.test(s), 'all checks of attempt #1');
      await w.kill();

      w = await term.start(tui, dir);
      await w.waitFor(header, 'the TUI header');
      await w.press('?');
      sample.tuiKey = await w.waitFor((s) => s.includes('Keys (Esc or ? closes this)'), 'the help overlay');
      await w.kill();

      if (i >= opts.warmup) samples.push(sample);
      if (i >= opts.warmup) opts.log(`tui: run ${i - opts.warmup + 1}/${opts.runs}`);
    }
  } finally {
    term.close();
    await api.close();
  }
  const col = (k: keyof Sample) => samples.map((s) => s[k]);
  const m = (k: keyof Sample) => median(col(k));
  const rows = [
    ['what (spawn → text on screen)', 'median', '± MAD', 'vs node in tmux', 'vs node -e 0'],
    ['node -e 0 (plain spawn, no terminal)', ms(m('nodeSpawn')), ms(mad(col('nodeSpawn'))), '', '1.00×'],
    ['node printing a word in tmux', ms(m('nodeWord')), ms(mad(col('nodeWord'))), '1.00×', ratio(m('nodeWord'), m('nodeSpawn'))],
    ['minimal bundled Ink app: first frame', ms(m('inkFrame')), ms(mad(col('inkFrame'))), ratio(m('inkFrame'), m('nodeWord')), ratio(m('inkFrame'), m('nodeSpawn'))],
    ['minimal bundled Ink app: a key answered', ms(m('inkKey')), ms(mad(col('inkKey'))), ratio(m('inkKey'), m('nodeWord')), ratio(m('inkKey'), m('nodeSpawn'))],
    ['authdoctor tui: first frame (header, before Ink)', ms(m('tuiFrame')), ms(mad(col('tuiFrame'))), ratio(m('tuiFrame'), m('nodeWord')), ratio(m('tuiFrame'), m('nodeSpawn'))],
    ["authdoctor tui: Ink's first frame (key hints)", ms(m('tuiInk')), ms(mad(col('tuiInk'))), ratio(m('tuiInk'), m('nodeWord')), ratio(m('tuiInk'), m('nodeSpawn'))],
    ['authdoctor tui: a key answered (? → help)', ms(m('tuiKey')), ms(mad(col('tuiKey'))), ratio(m('tuiKey'), m('nodeWord')), ratio(m('tuiKey'), m('nodeSpawn'))],
    ['authdoctor tui: all checks done (History #1)', ms(m('tuiDone')), ms(mad(col('tuiDone'))), ratio(m('tuiDone'), m('nodeWord')), ratio(m('tuiDone'), m('nodeSpawn'))],
  ];
  const budgets: Budget[] = [
    {
      name: 'TUI first visible frame ≤ 3× node -e 0 (both measured in tmux)',
      measured: m('tuiFrame') / m('nodeWord'),
      limit: 3,
      shown: `${ratio(m('tuiFrame'), m('nodeWord'))} (${ms(m('tuiFrame'))} vs ${ms(m('nodeWord'))}; limit 3×; ${ratio(m('tuiFrame'), m('nodeSpawn'))} a plain node -e 0)`,
    },
    {
      name: 'Ink fully interactive ≤ 1.1× the minimal bundled Ink app (spawn → a key answered)',
      measured: m('tuiKey') / m('inkKey'),
      limit: 1.1,
      shown: `${ratio(m('tuiKey'), m('inkKey'))} (${ms(m('tuiKey'))} vs ${ms(m('inkKey'))}; limit 1.1×)`,
    },
  ];
  return {
    title,
    rows,
    budgets,
    notes: ['Every time includes tmux starting the window and the screen being polled every ~4 ms (the "node printing a word in tmux" row is that overhead plus Node\'s start).'],
    data: { samples },
  };
}

if (isMain(import.meta.url)) process.stdout.write(printSection(await run(defaultOptions())));
