/**
 * The child of bench/phases.ts: the steps of a live check (or, with PHASES_HAR, of check --har),
 * one after another, each timed in CPU milliseconds; prints them as JSON. Bundled by the parent
 * exactly as the binary is.
 */
async function child(url: string, token: string, har: string | undefined): Promise<void> {
  const c0 = process.cpuUsage();
  const marks: [string, number][] = [];
  let last = 0;
  const mark = (label: string) => {
    const u = process.cpuUsage(c0);
    const t = (u.user + u.system) / 1000;
    marks.push([label, t - last]);
    last = t;
  };
  const { processRedactor } = await import('../../src/core/redact.ts');
  mark('core: redaction (node:crypto)');
  const { Engine } = await import('../../src/core/engine.ts');
  mark('core: engine, runner, context');
  const { loadConfig } = await import('../../src/config/load.ts');
  await loadConfig({ cwd: process.cwd() });
  mark('config search (cosmiconfig, no file)');
  const { loadPlugins } = await import('../../src/plugins/loader.ts');
  const { buildReport } = await import('../../src/core/report.ts');
  const report = async (d: Awaited<ReturnType<InstanceType<typeof Engine>['diagnose']>>, engine: InstanceType<typeof Engine>) => {
    const built = buildReport({ version: '0', exchange: d.exchange, evaluatedAt: d.evaluatedAt, scheme: d.scheme, verdict: d.verdict, findings: d.findings, requests: engine.recorder.list() }, engine.redactor);
    mark('report built (masked)');
    const { formatReport } = await import('../../src/reporters/format.ts');
    formatReport(built, 'text', { color: false, width: 80 });
    mark('text report formatted');
  };
  if (har) {
    const { loadHarFile } = await import('../../src/inputs/har.ts');
    mark('HAR reader imported (zod, jsonc-parser)');
    const { exchange } = await loadHarFile(har);
    mark('HAR read and validated');
    const plugins = await loadPlugins({});
    mark('built-in plugins loaded');
    const engine = new Engine({ plugins, redactor: processRedactor });
    const first = await engine.diagnose(exchange, null);
    mark('engine: all rules, first time');
    await report(first, engine);
    await engine.diagnose(exchange, null);
    mark('(again, warm: all rules)');
  } else {
    const { parseCurlArgs } = await import('../../src/inputs/curl.ts');
    const spec = parseCurlArgs([url, '-H', `Authorization: Bearer ${token}`], process.env, { cwd: process.cwd() });
    mark('curl-style arguments');
    const plugins = await loadPlugins({});
    mark('built-in plugins loaded');
    const got = (await import('got')).default;
    mark('got imported');
    await got(url, { throwHttpErrors: false, retry: { limit: 0 } });
    mark('got: its first request (bare)');
    const engine = new Engine({ plugins, redactor: processRedactor });
    const first = await engine.diagnoseLive(spec);
    mark('engine: request + all rules, first time');
    await report(first, engine);
    await engine.diagnoseLive(spec);
    mark('(again, warm: request + all rules)');
  }
  process.stdout.write(JSON.stringify(marks));
}

await child(process.env.PHASES_URL!, process.env.PHASES_TOKEN!, process.env.PHASES_HAR || undefined);
