/**
 * 4. The rule engine alone, in this process: every built-in rule on one exchange (each corpus
 *    capture in turn), and a synthetic plugin set of 200 rules. Time per exchange, after a warm-up
 *    (the first, cold diagnosis is shown apart: it pays for compiling the rules' code).
 *    Run alone: node bench/4-rules.ts (no build needed: runs from source).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Engine } from '../src/core/engine.ts';
import type { LoadedPlugin, RuleContext } from '../src/core/plugin.ts';
import { processRedactor } from '../src/core/redact.ts';
import type { Exchange, FindingInput } from '../src/core/types.ts';
import { loadHarFile } from '../src/inputs/har.ts';
import { loadPlugins } from '../src/plugins/loader.ts';
import { definePlugin, defineRule } from '../src/plugins/define.ts';
import { ROOT } from './lib/proc.ts';
import { defaultOptions, isMain, printSection, type RunOptions, type Section } from './lib/section.ts';
import { median, type Budget } from './lib/stats.ts';

const CORPUS = path.join(ROOT, 'test/fixtures/corpus');
/** The exchange the headline figure is about: an expired JWT bearer token (the commonest 401). */
export const HEADLINE = 'azure-graph-token-expired-or-not-yet-valid.har';

const us = (ms: number) => `${Math.round(ms * 1000)} µs`;

/**
 * 200 rules shaped like a user's: each reads the request and response through the context, tests
 * a pattern, and one in ten reports a warning (so findings go through validation and the verdict).
 */
export function syntheticPlugin(count = 200): LoadedPlugin {
  const rules = Array.from({ length: count }, (_, i) => {
    const header = ['authorization', 'x-api-key', 'www-authenticate', 'content-type', 'date'][i % 5]!;
    const pattern = new RegExp(`(token|key|${i})`, 'i');
    return defineRule({
      meta: { id: `synthetic-${i}`, title: `Synthetic rule ${i}`, causes: ['invalid_credentials'] },
      appliesTo: (ctx: RuleContext) => ctx.response !== null,
      check: (ctx: RuleContext): FindingInput[] => {
        const value = [...ctx.request.headers, ...(ctx.response?.headers ?? [])].find((h) => h.name.toLowerCase() === header)?.value ?? '';
        if (i % 10 !== 0 || !pattern.test(value + (ctx.response?.body.slice(0, 200) ?? ''))) return [];
        return [{ status: 'warn', cause: null, title: `Synthetic finding ${i}`, message: `Header ${header} matched.`, messageId: 'synthetic' }];
      },
    });
  });
  return { plugin: definePlugin({ name: 'synthetic', rules }), source: 'bench/4-rules.ts', builtin: false };
}

/** Rules that make network calls (JWKS, discovery…) measure the network, not the engine: left out. */
function offlineOnly(plugins: LoadedPlugin[]): { settings: Record<string, 'off'>; off: number } {
  const settings: Record<string, 'off'> = {};
  for (const p of plugins) for (const r of p.plugin.rules ?? []) if (r.meta.network) settings[`${p.plugin.name}/${r.meta.id}`] = 'off';
  return { settings, off: Object.keys(settings).length };
}

async function timeDiagnoses(engine: Engine, exchange: Exchange, iterations: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await engine.diagnose(exchange, null);
    times.push(performance.now() - started);
  }
  return times;
}

export async function run(opts: RunOptions): Promise<Section> {
  const iterations = Math.max(20, opts.runs * 10);
  const files = readdirSync(CORPUS).filter((f) => f.endsWith('.har')).sort((a, b) => (a === HEADLINE ? -1 : b === HEADLINE ? 1 : a.localeCompare(b)));
  const exchanges = await Promise.all(files.map(async (f) => ({ file: f, exchange: (await loadHarFile(path.join(CORPUS, f))).exchange })));
  const builtins = await loadPlugins({});
  const { settings, off } = offlineOnly(builtins);
  const ruleCount = builtins.reduce((n, p) => n + (p.plugin.rules?.length ?? 0), 0);
  const engine = new Engine({ plugins: builtins, redactor: processRedactor, ruleSettings: settings });

  // The first diagnosis in the process: what one `check` run pays.
  const coldStarted = performance.now();
  await engine.diagnose(exchanges[0]!.exchange, null);
  const coldMs = performance.now() - coldStarted;

  opts.log(`rules: ${iterations} diagnoses of each of ${exchanges.length} corpus exchanges`);
  const perFile: { file: string; ms: number }[] = [];
  for (const { file, exchange } of exchanges) {
    await timeDiagnoses(engine, exchange, 5);
    perFile.push({ file, ms: median(await timeDiagnoses(engine, exchange, iterations)) });
  }
  const headline = perFile[0]!.ms;
  const all = median(perFile.map((p) => p.ms));
  const worst = perFile.reduce((a, b) => (b.ms > a.ms ? b : a));

  const synthetic = syntheticPlugin(200);
  const syntheticEngine = new Engine({ plugins: [synthetic], redactor: processRedactor });
  const withBuiltins = new Engine({ plugins: [...builtins, synthetic], redactor: processRedactor, ruleSettings: settings });
  const x = exchanges[0]!.exchange;
  await timeDiagnoses(syntheticEngine, x, 5);
  await timeDiagnoses(withBuiltins, x, 5);
  const syntheticMs = median(await timeDiagnoses(syntheticEngine, x, iterations));
  const bothMs = median(await timeDiagnoses(withBuiltins, x, iterations));

  const rows = [
    ['what', 'median per exchange', 'note'],
    [`built-in rules (${ruleCount}, ${off} network rules off), ${HEADLINE}`, us(headline), 'warm'],
    [`built-in rules, median over the ${exchanges.length} corpus captures`, us(all), `slowest: ${worst.file} ${us(worst.ms)}`],
    ['built-in rules, first diagnosis in the process (cold)', us(coldMs), 'includes compiling the rules'],
    ['synthetic plugin, 200 rules', us(syntheticMs), `${us(syntheticMs / 200)} per rule`],
    ['built-in rules + 200 synthetic rules', us(bothMs), ''],
  ];
  const budgets: Budget[] = [
    { name: 'all built-in rules on one exchange ≤ 5 ms', measured: headline, limit: 5, shown: `${us(headline)} warm on ${HEADLINE}; slowest capture ${us(worst.ms)}; cold first run ${us(coldMs)} (limit 5 ms)` },
  ];
  return {
    title: '4. rule engine alone (in-process)',
    rows,
    budgets,
    notes: [`${off} rules declare network access (JWKS, discovery, introspection) and are turned off here: they measure the network, not the engine.`],
    data: { iterations, perFileMs: perFile, coldMs, syntheticMs, bothMs, ruleCount, networkRulesOff: off },
  };
}

if (isMain(import.meta.url)) process.stdout.write(printSection(await run(defaultOptions())));
