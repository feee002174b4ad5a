import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report.ts';
import { REPO, runCli, type CliResult } from '../helpers/cli.ts';
import { freePort } from '../helpers/server.ts';
import { httpServer, makeSelfSigned, proxyServer, rawServer, shortTimeoutConfig, tlsServer, type FaultServer, type SelfSigned } from './servers.ts';

/**
 * Every way the network can fail, against real sockets on 127.0.0.1, through the real CLI: each
 * ends in a clear finding or error, the documented exit code (DESIGN.md §3: 1 when the exchange
 * still shows an authentication failure, 3 when there is no answer to judge), no stack trace and
 * no hang (runCli kills the process after 30 s, which fails the test).
 */

const servers: FaultServer[] = [];
let dir: string;
let config: string;
let tls: SelfSigned | null;

async function serve(server: Promise<FaultServer>): Promise<FaultServer> {
  const s = await server;
  servers.push(s);
  return s;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'authdoctor-faults-'));
  config = shortTimeoutConfig(dir, 400);
  tls = makeSelfSigned();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const STACK = /\n\s+at .+:\d+:\d+/;

interface Run extends CliResult {
  report: Report | null;
  said: string;
}

/** `authdoctor check ARGS --format json`; the report parsed (JSON on stdout must stay valid). */
async function check(args: string[], format: 'json' | 'text' = 'json'): Promise<Run> {
  const result = await runCli(['check', ...args, '--format', format]);
  const report = format === 'json' && result.stdout.trim() ? (JSON.parse(result.stdout) as Report) : null;
  const said = result.stdout + result.stderr;
  expect(said).not.toMatch(STACK);
  expect(result.code).not.toBeNull(); // null: killed after the CLI timeout, i.e. it hung
  return { ...result, report, said };
}

const UNAUTHORIZED = 'HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nWWW-Authenticate: Bearer error="invalid_token", error_description="The access token expired"\r\n';

describe('no connection at all', () => {
  it('connection refused: exit 3 and says nothing is listening', async () => {
    const port = await freePort();
    const run = await check([`http://127.0.0.1:${port}/v1/me`]);
    expect(run.code).toBe(3);
    expect(run.report?.response).toBeNull();
    expect(run.report?.transportError?.code).toBe('ECONNREFUSED');
    expect(run.report?.findings.find((f) => f.ruleId === 'http/transport')?.message).toMatch(/refused/);
  });

  it('reset before the headers: exit 3 and says the connection was reset', async () => {
    const s = await serve(rawServer((socket) => socket.resetAndDestroy()));
    const run = await check([`${s.origin}/v1/me`]);
    expect(run.code).toBe(3);
    expect(run.report?.transportError?.code).toMatch(/ECONNRESET|EPIPE|ERR_STREAM_PREMATURE_CLOSE/);
    expect(run.report?.transportError?.message).toMatch(/reset|closed/);
  });

  it('no answer before the headers: exit 3 after the response timeout, naming it', async () => {
    const s = await serve(rawServer(() => { /* reads the request, never answers */ }));
    const run = await check(['--config', config, `${s.origin}/v1/me`]);
    expect(run.code).toBe(3);
    expect(run.report?.transportError).toMatchObject({ code: 'ETIMEDOUT' });
    expect(run.report?.transportError?.message).toMatch(/Timed out waiting for the response/);
  });

  it('DNS failure: exit 3 and says the name could not be resolved — without any DNS traffic', async () => {
    // A first label of 64 characters is longer than DNS allows (RFC 1035 §2.3.4): the resolver
    // (glibc getaddrinfo) refuses to build a query, so the lookup fails locally, and `.invalid`
    // (RFC 6761) could never resolve anyway. The test below checks with strace that no packet
    // goes to port 53; a plain `x.invalid` would be sent to the configured name server.
    const host = `${'a'.repeat(64)}.invalid`;
    const run = await check([`http://${host}/v1/me`]);
    expect(run.code).toBe(3);
    expect(run.report?.transportError?.code).toMatch(/ENOTFOUND|EAI_AGAIN/);
    expect(run.said).toMatch(/could not be resolved/);
  });

  const strace = spawnSync('strace', ['-f', '-qq', '-e', 'trace=none', 'true'], { stdio: 'ignore' }).status === 0;
  it.skipIf(!strace)('DNS failure: the lookup sends nothing to a name server (checked with strace; skipped where strace cannot run)', () => {
    const log = path.join(dir, 'strace.log');
    const host = `${'a'.repeat(64)}.invalid`;
    spawnSync('strace', ['-f', '-qq', '-e', 'trace=connect,sendto,sendmsg,sendmmsg', '-o', log, process.execPath, '--disable-warning=ExperimentalWarning', path.join(REPO, 'test/helpers/cli-entry.ts'), 'check', `http://${host}/v1/me`], { env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 });
    const calls = readFileSync(log, 'utf8');
    expect(calls).not.toMatch(/htons\(53\)/);
  });
});

describe('an answer that breaks off', () => {
  it('reset during the body: keeps the status and headers, diagnoses them, and says the body is incomplete (exit 1)', async () => {
    const s = await serve(rawServer((socket) => {
      socket.write(`${UNAUTHORIZED}Content-Length: 1000\r\n\r\n{"error":"inv`);
      setTimeout(() => socket.resetAndDestroy(), 50);
    }));
    const run = await check([`${s.origin}/v1/me`, '-H', 'Authorization: Bearer abc.def.ghi']);
    expect(run.code).toBe(1);
    expect(run.report?.response).toMatchObject({ status: 401, bodyTruncated: true });
    expect(run.report?.transportError).toMatchObject({ phase: 'body' });
    expect(run.report?.findings.find((f) => f.ruleId === 'http/transport')?.message).toMatch(/body is incomplete/);
    expect(run.report?.verdict.cause).not.toBe('none');
  });

  it('closed (not reset) before the promised Content-Length: the same, in plain words', async () => {
    const s = await serve(rawServer((socket) => {
      socket.end(`${UNAUTHORIZED}Content-Length: 1000\r\n\r\n{"error":"inv`);
    }));
    const run = await check([`${s.origin}/v1/me`, '-H', 'Authorization: Bearer abc.def.ghi']);
    expect(run.code).toBe(1);
    expect(run.report?.response).toMatchObject({ status: 401, bodyTruncated: true });
    expect(run.report?.transportError?.message).toBe('The connection was closed while the body was being read.');
  });

  it('a slow body: times out while reading it, keeps what arrived (exit 3: a 200 is no auth failure)', async () => {
    const s = await serve(rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nfirst bytes');
      const drip = setInterval(() => socket.write('.'), 2_000);
      socket.on('close', () => clearInterval(drip));
    }));
    const run = await check(['--config', config, `${s.origin}/v1/me`]);
    expect(run.code).toBe(3);
    expect(run.report?.response).toMatchObject({ status: 200, bodyTruncated: true });
    expect(run.report?.response?.body).toContain('first bytes');
    expect(run.report?.transportError).toMatchObject({ code: 'ETIMEDOUT', phase: 'body' });
    expect(run.report?.transportError?.message).toMatch(/reading the body/);
  });
});

describe('answers that are too big or not text', () => {
  it('a 10 MB body is capped and reported as truncated (exit 1 for the 401)', async () => {
    const s = await serve(httpServer((_req, res) => {
      res.writeHead(401, { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Bearer' });
      res.end(Buffer.alloc(10 * 1024 * 1024, 'x'));
    }));
    const run = await check([`${s.origin}/v1/me`]);
    expect(run.code).toBe(1);
    expect(run.report?.response?.bodyTruncated).toBe(true);
    expect(run.report?.response?.body.length).toBeLessThanOrEqual(4096);
  });

  it('a gzip bomb (200 MB of zeros in 200 KB) is capped while decompressing, not held in memory', async () => {
    const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024));
    const s = await serve(httpServer((_req, res) => {
      res.writeHead(401, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', 'WWW-Authenticate': 'Bearer' });
      res.end(bomb);
    }));
    const run = await check([`${s.origin}/v1/me`]);
    expect(run.code).toBe(1);
    expect(run.report?.response).toMatchObject({ status: 401, bodyTruncated: true });
  });

  it('invalid UTF-8 in the body and in header values: decoded with replacement characters, valid JSON out', async () => {
    const s = await serve(rawServer((socket) => {
      const head = Buffer.from(`HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nWWW-Authenticate: Bearer realm="`);
      const badHeader = Buffer.from([0xff, 0xfe, 0xc3, 0x28]);
      const mid = Buffer.from(`", error="invalid_token"\r\nX-Note: `);
      const body = Buffer.concat([Buffer.from('{"error":"invalid_token","message":"'), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xf0, 0x28, 0x8c, 0xbc]), Buffer.from('"}')]);
      socket.end(Buffer.concat([head, badHeader, mid, badHeader, Buffer.from(`\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`), body]));
    }));
    const run = await check([`${s.origin}/v1/me`, '-H', 'Authorization: Bearer abc']);
    expect(run.code).toBe(1);
    expect(run.report?.response?.body).toContain('\ufffd');
    expect(run.report?.response?.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    const text = await check([`${s.origin}/v1/me`, '-H', 'Authorization: Bearer abc'], 'text');
    expect(text.code).toBe(1);
  });
});

describe('TLS', () => {
  let server: FaultServer | undefined;
  beforeAll(async () => {
    if (tls) server = await serve(tlsServer(tls, (_req, res) => { res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="tls"' }); res.end(); }));
  });

  it('a self-signed certificate: exit 3, and the message names --ca and --insecure', async ({ skip }) => {
    if (!server) skip('openssl is not installed: no certificate to test with');
    const run = await check([`${server!.origin}/v1/me`]);
    expect(run.code).toBe(3);
    expect(run.report?.transportError?.code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
    const fixes = run.report?.findings.find((f) => f.ruleId === 'http/transport')?.fixes.join(' ') ?? '';
    expect(fixes).toMatch(/--ca FILE/);
    expect(fixes).toMatch(/--insecure/);
  });

  it('--ca FILE trusts it: the request goes through (exit 1 for the 401), verification still on', async ({ skip }) => {
    if (!server) skip('openssl is not installed');
    const run = await check(['--ca', tls!.certFile, `${server!.origin}/v1/me`]);
    expect(run.code).toBe(1);
    expect(run.report?.response?.status).toBe(401);
    expect(run.report?.request.insecure).toBeUndefined();
  });

  it('--insecure goes through, the report marks request.insecure and the text output warns', async ({ skip }) => {
    if (!server) skip('openssl is not installed');
    const run = await check([`${server!.origin}/v1/me`, '--insecure']);
    expect(run.code).toBe(1);
    expect(run.report?.request.insecure).toBe(true);
    const text = await check([`${server!.origin}/v1/me`, '-k'], 'text');
    expect(text.stdout).toMatch(/TLS certificate verification was disabled/);
  });
});

describe('redirects without end', () => {
  it('a redirect loop stops after 10 hops: exit 3, and says so', async () => {
    const s = await serve(httpServer((_req, res) => { res.writeHead(302, { Location: '/again' }); res.end(); }));
    const run = await check([`${s.origin}/start`]);
    expect(run.code).toBe(3);
    expect(run.report?.transportError?.code).toBe('ERR_TOO_MANY_REDIRECTS');
    expect(run.report?.findings.find((f) => f.ruleId === 'http/transport')?.message).toMatch(/Stopped after 10 redirects/);
  });

  it('a 50-hop chain stops after 10 hops too, having sent 11 requests', async () => {
    const s = await serve(httpServer((req, res) => {
      const n = Number(/\/hop\/(\d+)/.exec(req.url ?? '')?.[1] ?? 0);
      if (n < 50) res.writeHead(301, { Location: `/hop/${n + 1}` });
      else res.writeHead(200);
      res.end();
    }));
    const run = await check([`${s.origin}/hop/0`]);
    expect(run.code).toBe(3);
    expect(run.report?.redirects).toHaveLength(10);
    expect(run.report?.requests).toEqual([{ host: `127.0.0.1:${s.port}`, count: 11 }]);
  });
});

describe('proxies', () => {
  it('the proxy is down: exit 3 and the message points at the proxy', async () => {
    const port = await freePort();
    const target = await serve(httpServer((_req, res) => res.end('ok')));
    const run = await check([`${target.origin}/v1/me`, '-x', `http://127.0.0.1:${port}`]);
    expect(run.code).toBe(3);
    expect(run.report?.transportError?.code).toBe('ECONNREFUSED');
    expect(run.report?.findings.find((f) => f.ruleId === 'http/transport')?.message).toMatch(/proxy/);
  });

  it('the proxy answers 502 for an http:// target: exit 0 (no auth failure), and a warning that the proxy could not reach the API', async () => {
    // For a plain http:// target the proxy relays the API's answers too, so a 502 cannot be told
    // apart from one the API sent: it is reported as an answer, with the proxy named.
    const proxy = await serve(proxyServer({ handler: (_req, res) => { res.writeHead(502, 'Bad Gateway', { 'Content-Type': 'text/plain' }); res.end('Bad Gateway'); } }));
    const run = await check(['http://api.test.invalid/v1/me', '-x', proxy.origin]);
    expect(run.code).toBe(0);
    expect(run.report?.response?.status).toBe(502);
    expect(run.report?.findings.find((f) => f.messageId === 'proxy-gateway-error')).toMatchObject({ status: 'warn', ruleId: 'http/proxy' });
  });

  it('the proxy refuses the tunnel with 502 for an https:// target: exit 3, the API was never reached', async () => {
    const proxy = await serve(proxyServer({ onConnect: (socket) => socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n') }));
    const run = await check(['https://api.test.invalid/v1/me', '-x', proxy.origin]);
    expect(run.code).toBe(3);
    expect(run.report?.transportError).toMatchObject({ code: 'ERR_PROXY_TUNNEL', phase: 'connect' });
    expect(run.report?.findings.find((f) => f.ruleId === 'http/transport')?.message).toMatch(/refused to open a tunnel to api\.test\.invalid:443 .*502 Bad Gateway.*never reached the API/);
  });

  it('the proxy wants credentials for the tunnel (407): diagnosed as proxy_auth, exit 1', async () => {
    const proxy = await serve(proxyServer({ onConnect: (socket) => socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\nContent-Length: 0\r\n\r\n') }));
    const run = await check(['https://api.test.invalid/v1/me', '-x', proxy.origin]);
    expect(run.code).toBe(1);
    expect(run.report?.verdict.cause).toBe('proxy_auth');
    expect(run.report?.transportError).toBeUndefined();
  });

  it('the proxy opens the tunnel, then closes it: exit 3 and says the connection was closed', async () => {
    const proxy = await serve(proxyServer({ onConnect: (socket) => { socket.write('HTTP/1.1 200 Connection Established\r\n\r\n'); setTimeout(() => socket.destroy(), 20); } }));
    const run = await check(['https://api.test.invalid/v1/me', '-x', proxy.origin]);
    expect(run.code).toBe(3);
    expect(run.report?.transportError?.code).toMatch(/ECONNRESET|EPIPE|ERR_STREAM_PREMATURE_CLOSE|EPROTO/);
    expect(run.report?.findings.find((f) => f.ruleId === 'http/transport')?.message).toMatch(/proxy/);
  });
});
