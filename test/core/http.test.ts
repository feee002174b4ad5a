import { gzipSync } from 'node:zlib';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createProxy } from 'proxy';
import { createRuleHttpClient, proxyFromEnv, RequestRecorder, sendRequest } from '../../src/core/http.ts';
import { Redactor } from '../../src/core/redact.ts';
import { freePort, startServer, type TestServer } from '../helpers/server.ts';

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function serve(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(handler);
  servers.push(s);
  return s;
}

describe('sendRequest', () => {
  it('sends once, does not throw on 401, and captures the headers exactly as sent', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer error="invalid_token"', Date: new Date().toUTCString() });
      res.end('{"error":"invalid_token"}');
    });
    const recorder = new RequestRecorder();
    const ex = await sendRequest({ method: 'GET', url: `${s.origin}/v1/me`, headers: [{ name: 'Authorization', value: 'Bearer abc.def' }] }, { recorder });
    expect(ex.response?.status).toBe(401);
    expect(ex.response?.body).toBe('{"error":"invalid_token"}');
    expect(ex.request.headers.find((h) => h.name.toLowerCase() === 'authorization')?.value).toBe('Bearer abc.def');
    expect(ex.request.headers.some((h) => h.name.toLowerCase() === 'host')).toBe(true);
    expect(s.received).toHaveLength(1);
    expect(recorder.list()).toEqual([{ host: `127.0.0.1:${s.port}`, count: 1 }]);
    expect(ex.receivedAt).toBeInstanceOf(Date);
  });

  it('sends a header given twice as two header lines', async () => {
    const s = await serve((_req, res) => res.end('ok'));
    await sendRequest({ method: 'GET', url: s.url, headers: [{ name: 'X-Api-Key', value: 'one' }, { name: 'X-Api-Key', value: 'two' }] });
    const raw = s.received[0]!.rawHeaders.filter((_v, i, a) => i % 2 === 0 && a[i]!.toLowerCase() === 'x-api-key');
    expect(raw).toHaveLength(2);
  });

  it('follows a same-origin redirect with the credential, and drops it across origins', async () => {
    const other = await serve((_req, res) => { res.writeHead(401); res.end(); });
    const s = await serve((req, res) => {
      if (req.url === '/start') { res.writeHead(302, { Location: '/next' }); res.end(); return; }
      res.writeHead(301, { Location: `${other.origin}/final` });
      res.end();
    });
    const ex = await sendRequest({ method: 'GET', url: `${s.origin}/start`, headers: [{ name: 'Authorization', value: 'Bearer tok' }, { name: 'X-Api-Key', value: 'k' }] });
    expect(ex.redirects.map((r) => [r.status, r.crossOrigin])).toEqual([[302, false], [301, true]]);
    expect(ex.redirects[1]!.droppedHeaders.sort()).toEqual(['Authorization', 'X-Api-Key']);
    expect(s.received[1]!.headers.authorization).toBe('Bearer tok');
    expect(other.received[0]!.headers.authorization).toBeUndefined();
    expect(other.received[0]!.headers['x-api-key']).toBeUndefined();
    expect(ex.response?.status).toBe(401);
  });

  it('stops a redirect loop with a clear transport error', async () => {
    const s = await serve((_req, res) => { res.writeHead(302, { Location: '/again' }); res.end(); });
    const ex = await sendRequest({ method: 'GET', url: s.url, headers: [] });
    expect(ex.transportError?.code).toBe('ERR_TOO_MANY_REDIRECTS');
  });

  it('caps a large body and a gzip bomb at the body cap', async () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024));
    const s = await serve((req, res) => {
      if (req.url === '/bomb') { res.writeHead(401, { 'Content-Encoding': 'gzip' }); res.end(bomb); return; }
      res.writeHead(401);
      res.end(Buffer.alloc(3 * 1024 * 1024, 'a'));
    });
    const big = await sendRequest({ method: 'GET', url: `${s.origin}/big`, headers: [] }, { bodyCap: 1024 * 1024 });
    expect(big.response?.body.length).toBe(1024 * 1024);
    expect(big.response?.bodyTruncated).toBe(true);
    const boom = await sendRequest({ method: 'GET', url: `${s.origin}/bomb`, headers: [] }, { bodyCap: 1024 * 1024 });
    expect(boom.response?.status).toBe(401);
    expect(boom.response?.bodyTruncated).toBe(true);
  });

  it('reports a refused connection without throwing', async () => {
    const port = await freePort();
    const ex = await sendRequest({ method: 'GET', url: `http://127.0.0.1:${port}/`, headers: [] });
    expect(ex.response).toBeNull();
    expect(ex.transportError).toMatchObject({ code: 'ECONNREFUSED', phase: 'connect' });
  });

  it('times out a server that never answers', async () => {
    const s = await serve(() => { /* never answers */ });
    const ex = await sendRequest({ method: 'GET', url: s.url, headers: [] }, { timeouts: { connect: 1_000, response: 300 } });
    expect(ex.transportError?.code).toBe('ETIMEDOUT');
    expect(ex.transportError?.message).toMatch(/Timed out/);
  });

  it('refuses to send a header with a line break, and says which header', async () => {
    const ex = await sendRequest({ method: 'GET', url: 'http://127.0.0.1:9/', headers: [{ name: 'Authorization', value: 'Bearer abc\n' }] });
    expect(ex.transportError).toMatchObject({ code: 'ERR_INVALID_CHAR' });
    expect(ex.transportError?.message).toContain('Authorization');
  });

  it('goes through a real forward proxy and records that it did', async () => {
    const target = await serve((req, res) => res.end(String(req.headers.via ?? '')));
    const proxyServer = createProxy(createServer());
    await new Promise<void>((r) => proxyServer.listen(0, '127.0.0.1', r));
    servers.push({ close: () => new Promise<void>((r) => { proxyServer.closeAllConnections(); proxyServer.close(() => r()); }) });
    const proxyUrl = `http://127.0.0.1:${(proxyServer.address() as AddressInfo).port}`;
    const ex = await sendRequest({ method: 'GET', url: target.url, headers: [] }, { proxy: { url: proxyUrl, source: 'flag' } });
    expect(ex.response?.body).toMatch(/proxy/);
    expect(ex.proxy).toEqual({ url: proxyUrl, source: 'flag' });
  });
});

describe('proxyFromEnv', () => {
  it('reads HTTPS_PROXY for https and honours NO_PROXY', () => {
    expect(proxyFromEnv('https://api.example.com/', { HTTPS_PROXY: 'http://p:3128' })).toBe('http://p:3128');
    expect(proxyFromEnv('http://api.example.com/', { HTTPS_PROXY: 'http://p:3128' })).toBeUndefined();
    expect(proxyFromEnv('https://api.example.com/', { HTTPS_PROXY: 'http://p:3128', NO_PROXY: '.example.com' })).toBeUndefined();
    expect(proxyFromEnv('https://api.example.com/', { https_proxy: 'http://q:1', NO_PROXY: 'other.com' })).toBe('http://q:1');
  });
});

describe('createRuleHttpClient', () => {
  it('refuses to send credentials to an origin the user did not configure, and records what it sends', async () => {
    const s = await serve((_req, res) => res.end('{}'));
    const recorder = new RequestRecorder();
    const client = createRuleHttpClient({ recorder, credentialOrigins: ['https://api.example.com'], redactor: new Redactor() });
    await expect(client.request({ url: s.url, headers: { Authorization: 'Bearer x' } })).rejects.toThrow(/Refused to send credentials/);
    const res = await client.request({ url: `${s.origin}/.well-known/openid-configuration` });
    expect(res.status).toBe(200);
    expect(recorder.total).toBe(1);
  });
});
