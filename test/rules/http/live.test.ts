import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxy } from 'proxy';
import http from '../../../rules/http/index.ts';
import { sendRequest } from '../../../src/core/http.ts';
import { Redactor } from '../../../src/core/redact.ts';
import { runRules } from '../../../src/core/runner.ts';
import { decideVerdict } from '../../../src/core/verdict.ts';
import type { Exchange } from '../../../src/core/types.ts';
import { deniedHttp } from '../../helpers/exchange.ts';
import { startServer, type TestServer } from '../../helpers/server.ts';

/**
 * The clock, redirect and proxy rules against real local servers: the exchange comes from the
 * product's own HTTP layer, so send and receive times, redirect hops and the proxy are real.
 */
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function server(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(handler);
  cleanups.push(() => s.close());
  return s;
}

async function diagnose(exchange: Exchange) {
  const findings = await runRules([{ plugin: http, source: 'rules/http', builtin: true }], { exchange, http: deniedHttp, redactor: new Redactor() });
  return { findings, verdict: decideVerdict(findings, exchange) };
}

const SIGV4 = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123456789abcdef';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';

describe('http plugin against live servers', () => {
  it('finds a server clock 20 minutes ahead and blames it for a SigV4 403', async () => {
    const s = await server((_req, res) => {
      res.setHeader('Date', new Date(Date.now() + 20 * 60_000).toUTCString());
      res.writeHead(403, { 'Content-Type': 'application/xml' }).end('<Error><Code>AccessDenied</Code></Error>');
    });
    const exchange = await sendRequest({ method: 'GET', url: `${s.url}bucket/key`, headers: [{ name: 'Authorization', value: SIGV4 }] });
    const { findings, verdict } = await diagnose(exchange);
    const clock = findings.find((f) => f.ruleId === 'http/clock')!;
    expect(clock).toMatchObject({ status: 'fail', cause: 'clock_skew', messageId: 'clock-skew' });
    expect(clock.evidence.skewSeconds).toBeGreaterThanOrEqual(1195);
    expect(clock.evidence.skewSeconds).toBeLessThanOrEqual(1201);
    expect(verdict.cause).toBe('clock_skew');
  });

  it('reads a server 3 hours off as a time-zone setting', async () => {
    const s = await server((_req, res) => {
      res.setHeader('Date', new Date(Date.now() - 3 * 3600_000).toUTCString());
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer error="invalid_token"' }).end();
    });
    const exchange = await sendRequest({ method: 'GET', url: s.url, headers: [{ name: 'Authorization', value: `Bearer ${JWT}` }] });
    const { findings } = await diagnose(exchange);
    const clock = findings.find((f) => f.ruleId === 'http/clock')!;
    expect(clock.evidence).toMatchObject({ timeZoneOffsetHours: -3 });
    expect(clock.evidence.skewSeconds).toBeLessThan(-3 * 3600 + 5);
    expect(clock.message).toMatch(/time-zone setting/);
  });

  it('blames a cross-origin redirect (another port) for the credential the final server never got', async () => {
    const api = await server((req, res) => {
      res.writeHead(req.headers.authorization ? 200 : 401, { 'WWW-Authenticate': 'Bearer realm="api"' }).end();
    });
    const front = await server((_req, res) => {
      res.writeHead(302, { Location: `${api.url}v1/me` }).end();
    });
    const exchange = await sendRequest({ method: 'GET', url: `${front.url}v1/me`, headers: [{ name: 'Authorization', value: 'Bearer abcdefghijklmnopqrstuvwxyz' }] });
    expect(api.received[0]!.headers.authorization).toBeUndefined();
    const { findings, verdict } = await diagnose(exchange);
    const redirect = findings.find((f) => f.ruleId === 'http/redirects')!;
    expect(redirect).toMatchObject({ status: 'fail', cause: 'missing_credentials', messageId: 'cross-origin-redirect' });
    expect(redirect.evidence.hops).toEqual([`302 ${front.origin}/v1/me → ${api.origin}/v1/me (dropped: Authorization)`]);
    expect(verdict.cause).toBe('missing_credentials');
  });

  it('explains a 407 from a real forward proxy, with the bypass action', async () => {
    const target = await server((_req, res) => res.writeHead(200).end('ok'));
    const proxyServer = createProxy(createServer());
    proxyServer.authenticate = () => false;
    await new Promise<void>((resolve) => proxyServer.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => { proxyServer.closeAllConnections(); proxyServer.close(() => resolve()); }));
    const proxyUrl = `http://127.0.0.1:${(proxyServer.address() as AddressInfo).port}`;
    const exchange = await sendRequest({ method: 'GET', url: target.url, headers: [] }, { proxy: { url: proxyUrl, source: 'flag' } });
    expect(exchange.response?.status).toBe(407);
    const { findings, verdict } = await diagnose(exchange);
    const proxy = findings.find((f) => f.ruleId === 'http/proxy')!;
    expect(proxy).toMatchObject({ status: 'fail', cause: 'proxy_auth', confidence: 'definitive', actions: ['http/bypass-proxy'], evidence: { proxyAuthenticate: ['Basic'], realm: 'proxy', proxySource: 'flag' } });
    expect(verdict.cause).toBe('proxy_auth');
    expect(target.received).toHaveLength(0);
  });

  it('points at a proxy that strips Authorization and offers to bypass it', async () => {
    const target = await server((req, res) => res.writeHead(req.headers.authorization ? 200 : 401, { 'WWW-Authenticate': 'Bearer realm="api"' }).end());
    const proxyServer = createProxy(createServer());
    proxyServer.authenticate = (req) => {
      // A proxy configured to strip the credential before forwarding.
      for (let i = req.rawHeaders.length - 2; i >= 0; i -= 2) if (req.rawHeaders[i]!.toLowerCase() === 'authorization') req.rawHeaders.splice(i, 2);
      return true;
    };
    await new Promise<void>((resolve) => proxyServer.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => { proxyServer.closeAllConnections(); proxyServer.close(() => resolve()); }));
    const proxyUrl = `http://127.0.0.1:${(proxyServer.address() as AddressInfo).port}`;
    const exchange = await sendRequest({ method: 'GET', url: target.url, headers: [{ name: 'Authorization', value: 'Bearer abcdefghijklmnopqrstuvwxyz' }] }, { proxy: { url: proxyUrl, source: 'env' } });
    expect(exchange.response?.status).toBe(401);
    expect(target.received[0]!.headers.authorization).toBeUndefined();
    const { findings } = await diagnose(exchange);
    const proxy = findings.find((f) => f.ruleId === 'http/proxy')!;
    expect(proxy).toMatchObject({ status: 'warn', messageId: 'proxy-used', actions: ['http/bypass-proxy'] });
    expect(proxy.message).toMatch(/strips or rewrites Authorization/);
  });
});
