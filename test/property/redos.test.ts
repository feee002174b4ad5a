import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, validateConfig } from '../../src/config/index.ts';
import { parseChallenges } from '../../src/core/challenge.ts';
import { decodeBasic, decodeJwtSafe } from '../../src/core/context.ts';
import { detectCredentials, parseAuthorization } from '../../src/core/credential.ts';
import type { LoadedPlugin } from '../../src/core/plugin.ts';
import { Redactor } from '../../src/core/redact.ts';
import { buildReport } from '../../src/core/report.ts';
import { runRules } from '../../src/core/runner.ts';
import { decideVerdict } from '../../src/core/verdict.ts';
import { harToExchange, loadHarFile } from '../../src/inputs/har.ts';
import { parseCurlArgs, parseCurlCommand } from '../../src/inputs/curl.ts';
import { loadPlugins } from '../../src/plugins/loader.ts';
import { formatReport } from '../../src/reporters/index.ts';
import { deniedHttp, makeExchange } from '../helpers/exchange.ts';

/**
 * No parser may take super-linear time on long hostile input (a backtracking regular expression
 * on `a="a="a="…`, a quadratic scan of `eyJ-eyJ-…`): authdoctor reads server bodies and headers
 * of any size, and a hang in the middle of an incident is as bad as a crash.
 *
 * How it is measured — ratio, not absolute time: each input is run at n and at 4n characters
 * (4n = 1 MB), best of three, and the 4n run must take less than 10× the n run. Linear code takes
 * ~4×, quadratic ~16×, a catastrophic backtrack far more; the ratio does not depend on how fast or
 * how loaded the machine is, which an absolute bound would (two shared CI cores). Runs faster than
 * FLOOR_MS are below the timer's noise and pass. A generous absolute bound still catches a hang.
 * (A separate benchmark script was the alternative; a test keeps the guard in CI with the rest.)
 */

const N = 256 * 1024;
const FLOOR_MS = 25;
const MAX_RATIO = 10;
const ABSOLUTE_LIMIT_MS = 30_000;

async function best(run: () => unknown, times: number): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await run();
    min = Math.min(min, performance.now() - started);
  }
  return min;
}

const ratioOf = (t: { small: number; large: number }) => t.large / Math.max(t.small, FLOOR_MS);

/**
 * Runs `fn` on inputs of size n and 4n; returns the timings for the assertion message. A ratio over
 * the limit is measured once more and the better of the two kept: a GC pause or a neighbour's
 * burst on a shared core can slow one run, but not the same way twice.
 */
async function growth<T>(make: (n: number) => T, fn: (input: T) => unknown, times = 3): Promise<{ small: number; large: number }> {
  const smallInput = make(N);
  const largeInput = make(4 * N);
  await fn(smallInput); // warm-up: JIT, lazy imports
  const measure = async () => ({ small: await best(() => fn(smallInput), times), large: await best(() => fn(largeInput), times) });
  const first = await measure();
  if (ratioOf(first) < MAX_RATIO) return first;
  const second = await measure();
  return ratioOf(second) < ratioOf(first) ? second : first;
}

function expectLinear(name: string, t: { small: number; large: number }): void {
  const ratio = ratioOf(t);
  // The name and timings go into the message: no secret is involved in these inputs.
  expect({ name, ratio: ratio < MAX_RATIO ? 'linear' : `×${ratio.toFixed(1)} (${Math.round(t.small)} ms → ${Math.round(t.large)} ms)` }).toEqual({ name, ratio: 'linear' });
  expect(t.large).toBeLessThan(ABSOLUTE_LIMIT_MS);
}

/** Calls a parser that may legitimately reject the input; only the time matters here. */
function quietly(fn: () => unknown): () => void {
  return () => {
    try {
      fn();
    } catch {
      // a UsageError/ConfigError is a fine answer to garbage
    }
  };
}

const rep = (unit: string, n: number) => unit.repeat(Math.max(1, Math.floor(n / unit.length)));

type Case = [string, (n: number) => string];

describe('no super-linear time on 1 MB hostile input', () => {
  const cwd = mkdtempSync(path.join(tmpdir(), 'authdoctor-redos-'));

  it.each<Case>([
    ['a header value of a="a="…', (n) => `curl https://x.example -H 'X: ${rep('a="', n)}'`],
    ['a whitespace run', (n) => `curl ${' '.repeat(n)} https://x.example`],
    ['line continuations', (n) => `curl https://x.example ${rep('\\\n', n)}`],
    ['escaped quotes in a double-quoted body', (n) => `curl https://x.example -d "${rep('\\"', n)}"`],
    ['dollar signs', (n) => `curl https://x.example -H "X: ${rep('$a', n)}"`],
    ['an unterminated quote', (n) => `curl 'https://x.example ${rep('a', n)}`],
    ['carets (cmd.exe detection)', (n) => `curl https://x.example -d '${rep('^"', n)}'`],
    ['a long URL query', (n) => `curl 'https://x.example/?${rep('a=b&', n)}'`],
  ])('curl command: %s', async (name, make) => {
    expectLinear(name, await growth(make, (text) => quietly(() => parseCurlCommand(text, {}, { cwd }))()));
  }, 120_000);

  it.each<[string, (n: number) => string[]]>([
    ['a huge header', (n) => ['https://x.example', '-H', `X-Api-Key: ${rep('a', n)}`]],
    ['many --data-urlencode pairs', (n) => ['https://x.example', '--data-urlencode', rep('a=b&', n)]],
    ['a Basic credential', (n) => ['https://x.example', '-u', `user:${rep('p', n)}`]],
    ['a long JSON body full of secrets', (n) => ['https://x.example', '--json', `{"a":[${rep('{"client_secret":"s3cr3t-value"},', n)}{}]}`]],
  ])('curl argv: %s', async (name, make) => {
    expectLinear(name, await growth(make, (argv) => quietly(() => parseCurlArgs(argv, {}, { cwd }))()));
  }, 120_000);

  it.each<Case>([
    ['a="a="…', (n) => `Bearer ${rep('a="', n)}`],
    ['many params', (n) => `Bearer ${rep('a=b, ', n)}`],
    ['only spaces', (n) => ' '.repeat(n)],
    ['tokens without =', (n) => rep('a ', n)],
    ['quotes', (n) => rep('"', n)],
    ['commas', (n) => rep(',', n)],
    ['an unterminated quoted string of escapes', (n) => `Bearer realm="${rep('\\"', n)}`],
    ['token68 padding', (n) => `Negotiate ${rep('=', n)}`],
  ])('WWW-Authenticate: %s', async (name, make) => {
    expectLinear(name, await growth(make, (v) => parseChallenges([v])));
  }, 120_000);

  it.each<Case>([
    ['spaces after the scheme', (n) => `Bearer${' '.repeat(n)}x`],
    ['leading invisible characters', (n) => `${rep('\u200b', n)}Bearer x`],
    ['a base64 run with a bad tail', (n) => `${rep('A', n)}!`],
    ['eyJ-eyJ-…', (n) => rep('eyJ-', n)],
    ['dots', (n) => rep('.', n)],
  ])('Authorization value: %s', async (name, make) => {
    expectLinear(name, await growth(make, (v) => {
      parseAuthorization('Authorization', v);
      decodeBasic(v);
      decodeJwtSafe(v);
      detectCredentials({ method: 'POST', url: `https://x.example/?${v.slice(0, 1000)}`, headers: [{ name: 'Authorization', value: v }, { name: 'X-Api-Key', value: v }], body: `grant_type=${v}` });
    }));
  }, 120_000);

  it.each<Case>([
    ['eyJ-eyJ-…', (n) => rep('eyJ-', n)],
    ['JWT-shaped runs', (n) => rep('eyJaaaaaaaaa.aaaa!', n)],
    ['SendGrid-shaped runs', (n) => rep('SG.-', n)],
    ['key prefixes', (n) => rep('sk-ant-', n)],
    ['form pairs', (n) => rep('a=b&', n)],
    ['broken JSON pairs', (n) => rep('"access_token":"\\\\', n)],
    ['masks in the text', (n) => rep('…(', n)],
  ])('redaction: %s', async (name, make) => {
    expectLinear(name, await growth(make, (v) => {
      // A fresh redactor each time: a remembered secret would turn the next pass into a split.
      const redactor = new Redactor();
      redactor.addSecret('a-known-secret-value');
      redactor.text(v);
      redactor.body(v, 'application/x-www-form-urlencoded');
      redactor.url(`https://x.example/?token=${v}`);
      redactor.headerValue('Authorization', `Bearer ${v}`);
    }));
  }, 120_000);

  it.each<[string, (n: number) => unknown]>([
    ['a 1 MB header value', (n) => har([{ name: 'WWW-Authenticate', value: `Bearer ${rep('a="', n)}` }], 1)],
    ['thousands of entries', (n) => har([{ name: 'X-A', value: 'b' }], Math.floor(n / 200))],
    ['a base64 body', (n) => har([], 1, { text: Buffer.from(rep('x', n)).toString('base64'), encoding: 'base64', mimeType: 'application/json' })],
  ])('HAR: %s', async (name, make) => {
    expectLinear(name, await growth(make, (doc) => quietly(() => harToExchange(doc, 'x.har'))()));
  }, 120_000);

  it('HAR: a truncated file is located in linear time', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'authdoctor-redos-har-'));
    const file = (n: number) => {
      const f = path.join(dir, `t${n}.har`);
      writeFileSync(f, `{"log":{"entries":[${rep('{"a":"b"},', n)}{"a":"${rep('\\"', n)}`);
      return f;
    };
    expectLinear('truncated HAR', await growth(file, async (f) => { await loadHarFile(f).catch(() => undefined); }));
  }, 120_000);

  it.each<[string, (n: number) => unknown]>([
    ['thousands of profiles', (n) => ({ profiles: Object.fromEntries(Array.from({ length: Math.floor(n / 100) }, (_, i) => [`p${i}`, { request: { url: 'https://x.example/' }, auth: { scheme: 'bearer', token: { env: 'T' } } }])) })],
    ['a 1 MB unknown key (did-you-mean)', (n) => ({ profiles: { a: { [rep('requesst', n)]: 1 } } })],
    ['thousands of unknown keys', (n) => ({ profiles: { a: Object.fromEntries(Array.from({ length: Math.floor(n / 64) }, (_, i) => [`requesst${i}`, 1])) } })],
    ['a 1 MB URL', (n) => ({ profiles: { a: { request: { url: `https://x.example/${rep('a', n)}` } } } })],
  ])('config: %s', async (name, make) => {
    expectLinear(name, await growth(make, (doc) => quietly(() => validateConfig(doc, '/p/authdoctor.config.json'))()));
  }, 120_000);

  it.each<[string, string, (n: number) => string]>([
    ['deeply nested JSON', '.authdoctorrc.json', (n) => rep('[', n)],
    ['a JSON syntax error at the end', '.authdoctorrc.json', (n) => `{"profiles":{${rep('"a":{},', n)}`],
    ['a long YAML scalar', '.authdoctorrc.yaml', (n) => `profiles:\n  a:\n    request:\n      url: "https://x/${rep('a', n)}"\n`],
    ['many YAML aliases', '.authdoctorrc.yaml', (n) => `x: &a [1]\ny: [${rep('*a, ', n)}]\n`],
  ])('config file: %s', async (name, file, make) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'authdoctor-redos-config-'));
    const write = (n: number) => {
      const f = path.join(dir, `${n}${file}`);
      writeFileSync(f, make(n));
      return f;
    };
    expectLinear(name, await growth(write, async (f) => { await loadConfig({ cwd: dir, configPath: f, homeDir: dir }).catch(() => undefined); }, 2));
  }, 120_000);

  describe('every built-in rule, and the reporters', () => {
    let plugins: LoadedPlugin[];
    beforeAll(async () => {
      plugins = await loadPlugins();
    });

    it('an XML entity bomb (billion laughs) in an AWS-style error body is not expanded', async () => {
      const levels = Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('');
      const bomb = `<?xml version="1.0"?><!DOCTYPE e [<!ENTITY l0 "lollollollollol">${levels}]><Error><Code>&l9;</Code><Message>&l9;</Message></Error>`;
      const exchange = makeExchange({ status: 403, url: 'https://bucket.s3.amazonaws.com/key', responseHeaders: { 'Content-Type': 'application/xml' }, responseBody: bomb, requestHeaders: { Authorization: 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261128/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=abc' } });
      const before = process.memoryUsage().heapUsed;
      const findings = await runRules(plugins, { exchange, http: deniedHttp, signal: new AbortController().signal, redactor: new Redactor(), ruleTimeoutMs: 60_000 });
      expect(findings.filter((f) => f.status === 'error' || f.status === 'timeout').map((f) => f.ruleId)).toEqual([]);
      // Fully expanded, the two elements would hold 2 × 15 × 10^9 characters.
      expect(process.memoryUsage().heapUsed - before).toBeLessThan(200 * 1024 * 1024);
    }, 120_000);

    it.each<Case>([
      ['deeply nested JSON', (n) => `${rep('[', n / 2)}${rep(']', n / 2)}`],
      ['deeply nested objects', (n) => `${rep('{"error":', n / 2)}1${rep('}', n / 10)}`],
      ['a long error string', (n) => `{"error":"invalid_token","error_description":"${rep('a', n)}"}`],
      ['leading whitespace', (n) => `${' '.repeat(n)}{"error":"invalid_token"}`],
      ['deeply nested XML', (n) => `<?xml version="1.0"?>${rep('<a>', n)}`],
      ['an XML error with a 1 MB message', (n) => `<Error><Code>SignatureDoesNotMatch</Code><Message>${rep('a ', n)}</Message><StringToSign>${rep('x', n / 4)}</StringToSign></Error>`],
      ['a="a="…', (n) => rep('a="', n)],
      ['eyJ-eyJ-…', (n) => rep('eyJ-', n)],
      ['thousands of errors', (n) => `{"errors":[${rep('{"message":"Bad credentials","code":"invalid_token"},', n)}{}]}`],
    ])('response body: %s', async (name, make) => {
      const exchangeFor = (n: number) =>
        makeExchange({
          status: 401,
          requestHeaders: { Authorization: `Bearer ${rep('eyJ-', n / 4)}`, 'X-Api-Key': rep('k', n / 4) },
          responseHeaders: { 'Content-Type': name.includes('XML') ? 'application/xml' : 'application/json', 'WWW-Authenticate': `Bearer ${rep('a="', n / 4)}` },
          responseBody: make(n),
        });
      const t = await growth(exchangeFor, async (exchange) => {
        const redactor = new Redactor();
        const findings = await runRules(plugins, { exchange, http: deniedHttp, signal: new AbortController().signal, redactor, ruleTimeoutMs: 60_000 });
        const report = buildReport({ version: 't', exchange, evaluatedAt: exchange.sentAt, scheme: 'bearer', verdict: decideVerdict(findings, exchange), findings, requests: [] }, redactor);
        for (const format of ['text', 'json', 'markdown'] as const) formatReport(report, format, { width: 80, verbose: true });
        expect(findings.filter((f) => f.status === 'error' || f.status === 'timeout').map((f) => f.ruleId)).toEqual([]);
      }, 2);
      expectLinear(name, t);
    }, 180_000);
  });
});

function har(headers: { name: string; value: string }[], entries: number, content?: Record<string, string>): unknown {
  const entry = {
    startedDateTime: '2026-11-28T10:00:00.000Z',
    request: { method: 'GET', url: 'https://api.example.com/v1/me', headers: [{ name: 'Authorization', value: 'Bearer abc' }] },
    response: { status: 401, headers, content: content ?? { mimeType: 'application/json', text: '{"error":"invalid_token"}' } },
  };
  return { log: { version: '1.2', creator: { name: 't' }, entries: Array.from({ length: entries }, () => entry) } };
}
