import { Agent as HttpAgent, globalAgent } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/core/engine.ts';
import type { LoadedPlugin } from '../../src/core/plugin.ts';
import { Redactor } from '../../src/core/redact.ts';
import { buildReport } from '../../src/core/report.ts';
import { parseCurlArgs } from '../../src/inputs/curl.ts';
import { loadPlugins } from '../../src/plugins/loader.ts';
import { formatReport } from '../../src/reporters/index.ts';
import { freePort, startServer, type TestServer } from '../helpers/server.ts';

/**
 * Load and soak: `check` run many times in one process — the TUI retries the same way — against
 * real local servers, through the Engine as `check` runs it (one process, not a thousand). Nothing
 * may grow with the number of runs: heap after GC, server-side connections, client sockets,
 * timers and other handles. CI runs a short loop; `npm run soak` runs 1,000 (SOAK_ITERATIONS).
 */

const ITERATIONS = Number(process.env.SOAK_ITERATIONS ?? 100);

// A real GC before each heap reading, without a command-line flag (vitest starts the worker).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let plugins: LoadedPlugin[];
let api: TestServer;
let refused: number;
let open = 0;

beforeAll(async () => {
  plugins = await loadPlugins();
  api = await startServer((req, res) => {
    if (req.url?.startsWith('/redirect')) {
      res.writeHead(302, { Location: '/v1/me' });
      res.end();
      return;
    }
    if (req.url?.startsWith('/big')) {
      res.writeHead(401, { 'Content-Type': 'text/plain' });
      res.end(Buffer.alloc(2 * 1024 * 1024, 'x'));
      return;
    }
    res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="The access token expired"', Date: new Date().toUTCString() });
    res.end(JSON.stringify({ error: 'invalid_token', error_description: 'The access token expired' }));
  });
  api.server.on('connection', (socket) => {
    open++;
    socket.on('close', () => open--);
  });
  refused = await freePort();
});
afterAll(() => api.close());

const JWT = `${Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ exp: 1_700_000_000, iss: 'https://login.example.com', aud: 'api', scope: 'read' })).toString('base64url')}.c2lnbmF0dXJl`;

/** One `check`, as the CLI does it: parse, a fresh engine, diagnose, build and format the report. */
async function checkOnce(i: number): Promise<number> {
  const origin = api.origin;
  const scenarios: string[][] = [
    [`${origin}/v1/me`, '-H', `Authorization: Bearer ${JWT}`],
    [`${origin}/redirect`, '-H', `X-API-Key: key-${i % 7}-0123456789abcdef`],
    [`${origin}/big`, '-u', `alice:secret-${i % 5}-0123456789`],
    [`http://127.0.0.1:${refused}/v1/me`, '-H', 'Authorization: Bearer abc'],
    [`${origin}/oauth/token`, '-d', `grant_type=refresh_token&refresh_token=rt-${i % 3}-0123456789abcdef`],
  ];
  // The test server keeps every request it received; that log is the test's, not authdoctor's.
  api.received.length = 0;
  const spec = parseCurlArgs(scenarios[i % scenarios.length]!);
  const redactor = new Redactor();
  const engine = new Engine({ plugins, redactor, timeouts: { connect: 2_000, response: 5_000 } });
  const d = await engine.diagnoseLive(spec);
  const report = buildReport({ version: 'soak', exchange: d.exchange, evaluatedAt: d.evaluatedAt, scheme: d.scheme, verdict: d.verdict, findings: d.findings, requests: engine.recorder.list() }, redactor);
  let size = 0;
  for (const format of ['text', 'json', 'markdown'] as const) size += formatReport(report, format, { width: 100 }).length;
  return size;
}

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Handles that keep a process alive or hold a resource, by type (timers, sockets, servers…). */
function resources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

function clientSockets(agent: HttpAgent = globalAgent): number {
  const count = (m: NodeJS.ReadOnlyDict<unknown[]>) => Object.values(m).reduce((n, list) => n + (list?.length ?? 0), 0);
  return count(agent.sockets) + count(agent.freeSockets);
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return condition();
}

describe(`check ${ITERATIONS} times in one process`, () => {
  it('does not grow the heap, the sockets or the handles', async () => {
    // Warm-up: lazy imports (got, jose, fast-xml-parser), JIT, caches that fill once.
    for (let i = 0; i < 25; i++) await checkOnce(i);
    const heapStart = heapAfterGc();
    const resourcesStart = resources();
    const samples: number[] = [];
    let maxOpen = 0;
    let maxClient = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      expect(await checkOnce(i)).toBeGreaterThan(0);
      maxOpen = Math.max(maxOpen, open);
      maxClient = Math.max(maxClient, clientSockets());
      if ((i + 1) % Math.max(1, Math.floor(ITERATIONS / 4)) === 0) samples.push(heapAfterGc());
    }
    const heapEnd = heapAfterGc();

    // Sockets: keep-alive reuses one or two connections; they never pile up, and the idle ones
    // are closed by the keep-alive timeout (5 s in Node's global agent) — back to none.
    expect(maxOpen).toBeLessThanOrEqual(4);
    expect(maxClient).toBeLessThanOrEqual(4);
    expect(await until(() => open === 0, 15_000)).toBe(true);
    expect(await until(() => clientSockets() === 0, 5_000)).toBe(true);

    // Handles: the same kinds and no more of them than before the loop (timers of rules that
    // finished are cleared; nothing is left listening or connecting).
    const resourcesEnd = resources();
    for (const [type, n] of resourcesEnd) expect({ type, n: Math.max(0, n - (resourcesStart.get(type) ?? 0)) }).toEqual({ type, n: 0 });

    // Heap: a leak of even 10 KB a run would show as 1 MB per 100 runs and keep rising; the
    // allowance is for the GC's own noise, not for growth with the number of runs.
    const growth = heapEnd - heapStart;
    process.stderr.write(`soak: ${ITERATIONS} runs, heap after GC ${(heapStart / 2 ** 20).toFixed(1)} → ${(heapEnd / 2 ** 20).toFixed(1)} MB, at most ${maxOpen} server connection(s) and ${maxClient} client socket(s) open\n`);
    const allowance = 8 * 1024 * 1024 + ITERATIONS * 2 * 1024;
    expect({ growthMB: Math.round(growth / 1024 / 1024), ok: growth < allowance }).toMatchObject({ ok: true });
    // …and no steady climb across the quarters of the loop.
    const rising = samples.every((s, i) => i === 0 || s > samples[i - 1]! + 512 * 1024);
    expect({ samplesMB: samples.map((s) => Math.round(s / 1024 / 1024)), rising: rising && samples.length >= 4 && samples.at(-1)! - samples[0]! > 4 * 1024 * 1024 }).toMatchObject({ rising: false });
  }, Math.max(120_000, ITERATIONS * 400));
});
