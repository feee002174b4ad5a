import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginLoadError } from '../../src/core/errors.ts';
import type { LoadedPlugin, RuleDefinition } from '../../src/core/plugin.ts';
import { Redactor } from '../../src/core/redact.ts';
import { buildReport } from '../../src/core/report.ts';
import { runRules } from '../../src/core/runner.ts';
import type { Finding } from '../../src/core/types.ts';
import { decideVerdict } from '../../src/core/verdict.ts';
import { definePlugin, defineRule } from '../../src/plugins/define.ts';
import { loadPlugins } from '../../src/plugins/loader.ts';
import { formatReport } from '../../src/reporters/index.ts';
import { REPO, runCli } from '../helpers/cli.ts';
import { deniedHttp, makeExchange } from '../helpers/exchange.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/**
 * Plugins are third-party code running in the middle of an incident. One that throws, hangs,
 * returns garbage, mutates what it was given or prints must not take the diagnosis down: it
 * becomes an `error`/`timeout` finding and the other checks go on (DESIGN.md §4). What cannot be
 * contained in-process (a synchronous endless loop) is documented in SECURITY.md.
 */

const DEFINE = path.join(REPO, 'src/plugins/define.ts');
const TOKEN = 'tok-Zq7-plugin-0123456789';
const exchange = makeExchange({ status: 401, requestHeaders: { Authorization: `Bearer ${TOKEN}` }, responseHeaders: { 'WWW-Authenticate': 'Bearer error="invalid_token"' }, responseBody: '{"error":"invalid_token"}' });

/** A plugin `bad` with the misbehaving rule, and a plugin `good` whose rule must still run. */
function withNeighbour(rule: RuleDefinition<any>): LoadedPlugin[] {
  const good = definePlugin({ name: 'good', rules: [defineRule({ meta: { id: 'ok', title: 'Fine', causes: ['invalid_credentials'] }, check: () => [{ cause: 'invalid_credentials', confidence: 'likely', message: 'the token was refused' }] })] });
  return [
    { plugin: definePlugin({ name: 'bad', rules: [rule] }), source: '/plugins/bad.ts', builtin: false },
    { plugin: good, source: '/plugins/good.ts', builtin: false },
  ];
}

async function run(rule: RuleDefinition<any>, ruleTimeoutMs = 2_000): Promise<{ bad: Finding; good: Finding; all: Finding[] }> {
  const all = await runRules(withNeighbour(rule), { exchange, http: deniedHttp, signal: new AbortController().signal, redactor: new Redactor(), ruleTimeoutMs });
  return { bad: all.find((f) => f.plugin === 'bad')!, good: all.find((f) => f.plugin === 'good')!, all };
}

/** The report still renders in every format, whatever the rule put into its finding. */
function renders(findings: Finding[]): void {
  const redactor = new Redactor();
  const report = buildReport({ version: 't', exchange, evaluatedAt: exchange.sentAt, scheme: 'bearer', verdict: decideVerdict(findings, exchange), findings, requests: [] }, redactor);
  for (const format of ['json', 'text', 'markdown'] as const) expect(formatReport(report, format, { width: 80 }).length).toBeGreaterThan(0);
  JSON.parse(formatReport(report, 'json'));
}

describe('a rule that throws or hangs', () => {
  it.each<[string, () => unknown]>([
    ['throws an Error', () => { throw new TypeError('cannot read x of undefined'); }],
    ['throws a string', () => { throw 'plain string'; }],
    ['throws null', () => { throw null; }],
    ['rejects', () => Promise.reject(new Error('async boom'))],
    ['throws an error whose message getter throws', () => { throw Object.defineProperty(new Error('x'), 'message', { get() { throw new Error('getter'); } }); }],
    ['overflows the stack', () => { const f = (n: number): number => f(n + 1) + 1; return f(0); }],
  ])('%s: an error finding; the other checks go on', async (_what, check) => {
    const { bad, good, all } = await run(defineRule({ meta: { id: 'r', title: 'R', causes: [] }, check: check as never }));
    expect(bad).toMatchObject({ ruleId: 'bad/r', status: 'error', cause: null });
    expect(good).toMatchObject({ status: 'fail', cause: 'invalid_credentials' });
    renders(all);
  });

  it('never resolves: a timeout finding after the rule timeout; the other checks go on', async () => {
    const { bad, good } = await run(defineRule({ meta: { id: 'hang', title: 'Hang', causes: [], timeoutMs: 100 }, check: () => new Promise(() => {}) }));
    expect(bad).toMatchObject({ status: 'timeout', evidence: { timeoutMs: 100 } });
    expect(good.status).toBe('fail');
  });

  it('throws in appliesTo: an error finding too', async () => {
    const { bad } = await run(defineRule({ meta: { id: 'r', title: 'R', causes: [] }, appliesTo: () => { throw new Error('nope'); }, check: () => [] }));
    expect(bad.status).toBe('error');
  });

  it('allocates without bound, asynchronously: stopped by the rule timeout (a timeout finding)', async () => {
    let stop = false;
    const hog: unknown[] = [];
    const rule = defineRule({
      meta: { id: 'hog', title: 'Hog', causes: [], timeoutMs: 150 },
      async check() {
        // Ignores ctx.signal on purpose and never ends by itself. It keeps at most 50 MB alive
        // (the oldest buffer goes) only so that the test process cannot run out of memory.
        while (!stop) {
          hog.push(Buffer.alloc(256 * 1024));
          if (hog.length > 200) hog.shift();
          await new Promise((r) => setImmediate(r));
        }
        return [];
      },
    });
    const { bad, good } = await run(rule);
    stop = true;
    hog.length = 0;
    expect(bad).toMatchObject({ status: 'timeout' });
    expect(good.status).toBe('fail');
  });

  it('aborts ctx.signal when a rule times out, so a well-behaved rule can stop its work', async () => {
    let aborted = false;
    const { bad } = await run(defineRule({ meta: { id: 'slow', title: 'Slow', causes: [], timeoutMs: 80 }, check: (ctx) => new Promise((resolve) => ctx.signal.addEventListener('abort', () => { aborted = true; resolve([]); })) }));
    expect(bad.status).toBe('timeout');
    expect(aborted).toBe(true);
  });
});

describe('a rule that returns the wrong shape', () => {
  const circular: Record<string, unknown> = { a: 1 };
  circular.self = circular;
  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['an object instead of a list', { message: 'x' }],
    ['a list of numbers', [1, 2]],
    ['a finding with a non-string fix', [{ status: 'warn', message: 'x', fixes: [42] }]],
    ['a finding with array evidence', [{ status: 'warn', message: 'x', evidence: [1] }]],
    ['a finding whose message getter throws', [Object.defineProperty({ status: 'warn' }, 'message', { enumerable: true, get() { throw new Error('boom'); } })]],
    ['a Proxy that throws on every access', [new Proxy({}, { get() { throw new Error('trap'); }, has() { throw new Error('trap'); }, ownKeys() { throw new Error('trap'); } })]],
  ])('%s: an error finding naming the rule and its file', async (_what, value) => {
    const { bad, good, all } = await run(defineRule({ meta: { id: 'shape', title: 'Shape', causes: ['unknown'] }, check: () => value as never }));
    expect(bad).toMatchObject({ ruleId: 'bad/shape', status: 'error' });
    expect(good.status).toBe('fail');
    renders(all);
  });

  it.each<[string, Record<string, unknown>]>([
    ['circular evidence', { loop: circular }],
    ['BigInt evidence', { big: 10n ** 30n }],
    ['a function in evidence', { fn: () => 1 }],
    ['evidence with a getter that throws', Object.defineProperty({}, 'bad', { enumerable: true, get() { throw new Error('getter'); } })],
    ['a megabyte of evidence', { blob: 'x'.repeat(1024 * 1024) }],
  ])('%s: the report still renders in every format', async (_what, evidence) => {
    const { all } = await run(defineRule({ meta: { id: 'odd', title: 'Odd', causes: [] }, check: () => [{ status: 'warn', message: 'odd evidence', evidence }] }));
    renders(all);
  });
});

describe('a rule that mutates what it was given', () => {
  it.each<[string, (ctx: any) => void]>([
    ['pushes a request header', (ctx) => ctx.request.headers.push({ name: 'X-Injected', value: '1' })],
    ['rewrites the response body', (ctx) => { ctx.response.body = 'rewritten'; }],
    ['changes the status', (ctx) => { ctx.exchange.response.status = 200; }],
    ['replaces a header value', (ctx) => { ctx.request.headers[0].value = 'Bearer other'; }],
    ['reassigns ctx.now', (ctx) => { ctx.now = () => new Date(0); }],
    ['adds a redirect', (ctx) => ctx.exchange.redirects.push({ status: 302 })],
  ])('%s: a TypeError (frozen) becomes an error finding, and the next rule sees the original', async (_what, mutate) => {
    const seen: unknown[] = [];
    const mutator = defineRule({ meta: { id: 'mutate', title: 'Mutates', causes: [] }, check: (ctx) => { mutate(ctx); return []; } });
    const observer = defineRule({
      meta: { id: 'observe', title: 'Observes', causes: [] },
      check: (ctx) => {
        seen.push({ headers: ctx.request.headers.map((h) => `${h.name}: ${h.value}`), body: ctx.response?.body, status: ctx.response?.status, now: ctx.now().toISOString(), redirects: ctx.exchange.redirects.length });
        return [];
      },
    });
    const plugins: LoadedPlugin[] = [{ plugin: definePlugin({ name: 'p', rules: [mutator, observer] }), source: 'test', builtin: false }];
    const findings = await runRules(plugins, { exchange, http: deniedHttp, signal: new AbortController().signal, redactor: new Redactor() });
    expect(findings[0]).toMatchObject({ ruleId: 'p/mutate', status: 'error' });
    expect(findings[0]!.message).toMatch(/TypeError/);
    expect(seen).toEqual([{ headers: [`Authorization: Bearer ${TOKEN}`], body: '{"error":"invalid_token"}', status: 401, now: exchange.sentAt.toISOString(), redirects: 0 }]);
    // …and the caller's exchange is untouched.
    expect(exchange.request.headers).toHaveLength(1);
    expect(exchange.response?.body).toBe('{"error":"invalid_token"}');
  });

  it("moving its own copy of the clock (sentAt.setTime) changes nothing for the next rule", async () => {
    let seen = '';
    const plugins: LoadedPlugin[] = [{
      plugin: definePlugin({
        name: 'p',
        rules: [
          defineRule({ meta: { id: 'clock', title: 'Clock', causes: [] }, check: (ctx) => { ctx.exchange.sentAt.setTime(0); return []; } }),
          defineRule({ meta: { id: 'read', title: 'Read', causes: [] }, check: (ctx) => { seen = `${ctx.now().toISOString()} ${ctx.exchange.sentAt.toISOString()}`; return []; } }),
        ],
      }),
      source: 'test',
      builtin: false,
    }];
    await runRules(plugins, { exchange, now: exchange.sentAt, http: deniedHttp, signal: new AbortController().signal, redactor: new Redactor() });
    expect(seen).toBe(`${exchange.sentAt.toISOString()} ${exchange.sentAt.toISOString()}`);
    expect(exchange.sentAt.getTime()).not.toBe(0);
  });
});

describe('a rule that prints', () => {
  it('console output and stream writes inside a rule go to onOutput, masked, attributed to the rule', async () => {
    const printed: [string, string][] = [];
    const rule = defineRule({
      meta: { id: 'chatty', title: 'Chatty', causes: [] },
      async check(ctx) {
        console.log('headers:', ctx.request.headers);
        console.error('about to wait');
        await new Promise((r) => setTimeout(r, 5));
        process.stdout.write(`raw write ${ctx.helpers.requestHeader('authorization')}\n`);
        return [];
      },
    });
    const redactor = new Redactor();
    redactor.addSecret(TOKEN);
    await runRules(withNeighbour(rule), { exchange, http: deniedHttp, signal: new AbortController().signal, redactor, onOutput: (id, text) => printed.push([id, text]) });
    const all = printed.map(([, t]) => t).join('');
    expect(printed.every(([id]) => id === 'bad/chatty')).toBe(true);
    expect(all).toMatch(/headers:/);
    expect(all).toMatch(/about to wait/);
    expect(all).toMatch(/raw write Bearer/);
    expect(all.includes(TOKEN)).toBe(false);
  });

  it('output from outside any rule is left alone, even while rules run', async () => {
    const printed: string[] = [];
    const rule = defineRule({ meta: { id: 'slow', title: 'Slow', causes: [] }, check: () => new Promise((r) => setTimeout(() => r([]), 30)) });
    const running = runRules(withNeighbour(rule), { exchange, http: deniedHttp, signal: new AbortController().signal, redactor: new Redactor(), onOutput: (_id, text) => printed.push(text) });
    await new Promise((r) => setTimeout(r, 5));
    console.info('authdoctor test: written outside any rule, while one runs');
    await running;
    expect(printed.join('')).not.toMatch(/outside any rule/);
  });
});

describe('through the CLI', () => {
  let dir: string;
  let server: TestServer;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'authdoctor-plugins-sec-'));
    server = await startServer((_req, res) => { res.writeHead(401, { 'WWW-Authenticate': 'Bearer error="invalid_token"' }); res.end('{"error":"invalid_token"}'); });
    const plugin = (name: string, body: string) => `import { definePlugin, defineRule } from ${JSON.stringify(DEFINE)};\nexport default definePlugin({ name: ${JSON.stringify(name)}, rules: [defineRule({ meta: { id: 'r', title: 'R', causes: [] }, ${body} })] });\n`;
    writeFileSync(path.join(dir, 'chatty.ts'), plugin('chatty', `async check(ctx) { console.log('DEBUG', JSON.stringify(ctx.request.headers)); process.stdout.write('{"not":"the report"}\\n'); console.warn('careful'); return []; }`));
    writeFileSync(path.join(dir, 'throws.ts'), plugin('throws', `check() { throw new Error('plugin bug'); }`));
    writeFileSync(path.join(dir, 'hangs.ts'), plugin('hangs', `check() { return new Promise(() => {}); }`));
    writeFileSync(path.join(dir, 'at-import.ts'), `throw new Error('needs ACME_URL');\n`);
    writeFileSync(path.join(dir, 'leaks.ts'), plugin('leaks', `check() { setInterval(() => {}, 1000); return []; }`));
    // Allocates for ever, ignoring its abort signal (a ring of 50 MB at most, so the machine survives).
    writeFileSync(path.join(dir, 'hog.ts'), plugin('hog', `async check() { const ring = []; for (;;) { ring.push(Buffer.alloc(256 * 1024)); if (ring.length > 200) ring.shift(); await new Promise((r) => setImmediate(r)); } }`));
    writeFileSync(path.join(dir, 'http-clone.ts'), plugin('http', `check() { return []; }`));
    writeFileSync(path.join(dir, 'dup-a.ts'), plugin('acme', `check() { return []; }`));
    writeFileSync(path.join(dir, 'dup-b.ts'), plugin('acme', `check() { return []; }`));
    const config = (name: string, plugins: string[], extra: Record<string, unknown> = {}) => writeFileSync(path.join(dir, `${name}.json`), JSON.stringify({ plugins, ...extra }));
    config('chatty', ['./chatty.ts']);
    config('misbehaving', ['./throws.ts', './hangs.ts'], { timeouts: { rule: 300 } });
    config('at-import', ['./at-import.ts']);
    config('leaks', ['./leaks.ts']);
    config('hog', ['./hog.ts'], { timeouts: { rule: 300 } });
    config('builtin-clash', ['./http-clone.ts']);
    config('clash', ['./dup-a.ts', './dup-b.ts']);
  });
  afterAll(() => server.close());

  const cli = (config: string, format = 'json') => runCli(['check', '--config', path.join(dir, `${config}.json`), `${server.origin}/v1/me`, '-H', `Authorization: Bearer ${TOKEN}`, '--format', format]);

  it('a rule that prints does not corrupt the JSON report on stdout; its output goes to stderr, masked', async () => {
    const result = await cli('chatty');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { schema: string };
    expect(report.schema).toBe('authdoctor.report/v1');
    expect(result.stderr).toMatch(/rule chatty\/r printed: DEBUG/);
    expect(result.stderr).toMatch(/rule chatty\/r printed: \{"not":"the report"\}/);
    expect(result.stderr).toMatch(/rule chatty\/r printed: careful/);
    expect((result.stdout + result.stderr).includes(TOKEN)).toBe(false);
  });

  it('a rule that throws and one that hangs: error and timeout findings, the diagnosis still made (exit 1)', async () => {
    const result = await cli('misbehaving');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { findings: Finding[]; verdict: { cause: string } };
    expect(report.findings.find((f) => f.ruleId === 'throws/r')).toMatchObject({ status: 'error' });
    expect(report.findings.find((f) => f.ruleId === 'hangs/r')).toMatchObject({ status: 'timeout' });
    expect(report.verdict.cause).not.toBe('none');
    const text = await cli('misbehaving', 'text');
    expect(text.stdout).toMatch(/Rule problems/);
    expect(text.stdout + text.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('a rule that leaves a timer running does not keep `check` alive after the report', async () => {
    const result = await runCli(['check', '--config', path.join(dir, 'leaks.json'), `${server.origin}/v1/me`, '--format', 'json'], { timeoutMs: 15_000 });
    expect(result.code).toBe(1);
    JSON.parse(result.stdout);
  });

  it('a rule that allocates for ever: a timeout finding, the report, and the process ends', async () => {
    const result = await runCli(['check', '--config', path.join(dir, 'hog.json'), `${server.origin}/v1/me`, '-H', `Authorization: Bearer ${TOKEN}`, '--format', 'json'], { timeoutMs: 15_000 });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { findings: Finding[] };
    expect(report.findings.find((f) => f.ruleId === 'hog/r')).toMatchObject({ status: 'timeout' });
  });

  it('a plugin that throws at import: exit 2, naming the plugin and the reason, nothing sent', async () => {
    const before = server.received.length;
    const result = await cli('at-import', 'text');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/at-import\.ts failed to load: needs ACME_URL/);
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(server.received.length).toBe(before);
  });

  it('a plugin whose rule ids would clash with a built-in: exit 2, naming both', async () => {
    const result = await cli('builtin-clash', 'text');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Two plugins are named "http" \(built-in rules\/http and .*http-clone\.ts\)/);
  });

  it('two user plugins whose rule ids would clash: exit 2, naming both files', async () => {
    const result = await cli('clash', 'text');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Two plugins are named "acme" \(.*dup-a\.ts and .*dup-b\.ts\)/);
  });
});

describe('loading', () => {
  it('a rule id declared twice in one plugin is refused, naming it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'authdoctor-plugins-dup-'));
    writeFileSync(path.join(dir, 'twice.ts'), `import { definePlugin } from ${JSON.stringify(DEFINE)};\nexport default definePlugin({ name: 'twice', rules: [{ meta: { id: 'x', title: 'X', causes: [] }, check: () => [] }, { meta: { id: 'x', title: 'X again', causes: [] }, check: () => [] }] });\n`);
    const error = await loadPlugins({ specifiers: ['./twice.ts'], baseDir: dir, builtins: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginLoadError);
    expect((error as Error).message).toMatch(/rule id "x" is declared twice/);
  });
});
