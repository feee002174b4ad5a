import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoCloud, type DemoCloud } from '../../src/demo/cloud.ts';
import { openDemoSession } from '../../src/demo/session.ts';
import type { RequestSpec } from '../../src/core/types.ts';

/*
 * The demo cloud itself: loopback only, its proxy, and the protocols it answers for real — SigV4
 * verified from the request as received, OAuth 2.0 refresh-token rotation and the device flow.
 */

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; via?: string } = {}): Promise<Answer> {
  const target = new URL(url);
  const proxy = options.via ? new URL(options.via) : null;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: (proxy ?? target).hostname, port: (proxy ?? target).port, method: options.method ?? 'GET', path: proxy ? url : `${target.pathname}${target.search}`, headers: { host: target.host, ...options.headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function refused(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

const form = (values: Record<string, string>) => new URLSearchParams(values).toString();
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

let cloud: DemoCloud;
beforeAll(async () => {
  cloud = await startDemoCloud();
});
afterAll(async () => {
  await cloud?.close();
});

describe('the demo cloud', () => {
  it('listens on 127.0.0.1 only, on a port of its own, and nowhere else', async () => {
    expect(cloud.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(cloud.proxyOrigin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const port = Number(new URL(cloud.origin).port);
    expect(port).not.toBe(Number(new URL(cloud.proxyOrigin).port));
    expect(await refused('127.0.0.1', port)).toBe(false);
    const others = Object.values(networkInterfaces()).flat().filter((i) => i && !i.internal).map((i) => i!.address);
    for (const address of [...others, '::1']) expect(await refused(address, port), address).toBe(true);
  });

  it('answers only requests addressed to 127.0.0.1 or localhost (no DNS rebinding from a web page)', async () => {
    const evil = await send(`${cloud.origin}/oauth-expired/v1/reports`, { headers: { host: 'evil.example' } });
    expect(evil.status).toBe(421);
    const ok = await send(`${cloud.origin}/oauth-expired/v1/reports`);
    expect(ok.status).toBe(401);
  });

  it('removes its temp folder when it closes, and stops listening', async () => {
    const other = await startDemoCloud();
    await openDemoSession(other, 'key-file-newline');
    expect(existsSync(other.dir)).toBe(true);
    const port = Number(new URL(other.origin).port);
    await other.close();
    expect(existsSync(other.dir)).toBe(false);
    expect(await refused('127.0.0.1', port)).toBe(true);
  });
});

describe('the demo proxy', () => {
  it('forwards to the demo cloud without the Authorization header, and says so in Via', async () => {
    const session = await openDemoSession(cloud, 'proxy-strips-auth');
    const spec = (session.target as { spec: RequestSpec }).spec;
    const auth = spec.headers.find((h) => h.name.toLowerCase() === 'authorization')!.value;
    const url = `${cloud.origin}/proxy-strips-auth/v1/projects`;
    const direct = await send(url, { headers: { authorization: auth } });
    const proxied = await send(url, { headers: { authorization: auth }, via: cloud.proxyOrigin });
    expect(direct.status).toBe(200);
    expect(proxied.status).toBe(401);
    expect(proxied.headers['www-authenticate']).toBe('Bearer realm="demo-api"');
    expect(String(proxied.headers.via)).toContain('authdoctor-demo-proxy');
    const last = cloud.received.at(-1)!;
    expect(last.viaProxy).toBe(true);
    expect(last.headerNames).not.toContain('authorization');
  });

  it('refuses to forward anywhere but the demo cloud, and refuses CONNECT', async () => {
    const away = await send('http://example.com/', { via: cloud.proxyOrigin });
    expect(away.status).toBe(403);
    const tunnel = await new Promise<string>((resolve) => {
      const { port } = new URL(cloud.proxyOrigin);
      const socket = connect({ host: '127.0.0.1', port: Number(port) }, () => socket.write('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'));
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString()));
      socket.on('close', () => resolve(text));
    });
    expect(tunnel).toMatch(/^HTTP\/1\.1 405/);
  });
});

describe('SigV4 in the demo cloud is verified for real', () => {
  async function signed(name: string, params: Record<string, unknown>) {
    const session = await openDemoSession(cloud, name);
    const spec = (session.target as { spec: RequestSpec }).spec;
    return session.engine.diagnoseLive({ ...spec, auth: { ...spec.auth!, params: { ...spec.auth!.params, ...params } } });
  }

  it('accepts a signature for the right region made with the right secret', async () => {
    const d = await signed('sigv4-wrong-region', { region: 'eu-west-1' });
    expect(d.exchange.response?.status).toBe(200);
    expect(d.exchange.response?.body).toContain('date,region,requests');
  });

  it('rejects a signature made with another secret: SignatureDoesNotMatch with the canonical request it computed', async () => {
    const d = await signed('sigv4-wrong-region', { region: 'eu-west-1', secretAccessKey: 'x'.repeat(40) });
    expect(d.exchange.response?.status).toBe(403);
    const body = d.exchange.response?.body ?? '';
    expect(body).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(body).toContain('<CanonicalRequest>GET\n/sigv4-wrong-region/demo-bucket/report.csv\n');
    expect(d.verdict.cause).toBe('signature_mismatch');
  });

  it('rejects a signature replayed on another path: the signature covers what was sent', async () => {
    const session = await openDemoSession(cloud, 'sigv4-wrong-region');
    const spec = (session.target as { spec: RequestSpec }).spec;
    const request = await session.engine.prepare({ ...spec, auth: { ...spec.auth!, params: { ...spec.auth!.params, region: 'eu-west-1' } } }, new AbortController().signal);
    const headers = Object.fromEntries(request.headers.filter((h) => h.name.toLowerCase() !== 'host').map((h) => [h.name, h.value]));
    const good = await send(request.url, { headers });
    const replayed = await send(request.url.replace('report.csv', 'other.csv'), { headers });
    expect(good.status).toBe(200);
    expect(replayed.status).toBe(403);
    expect(replayed.body).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('answers a skewed clock with RequestTimeTooSkewed and both times, as S3 does', async () => {
    const d = await signed('clock-skew', {});
    expect(d.exchange.response?.status).toBe(403);
    const body = d.exchange.response?.body ?? '';
    expect(body).toContain('<Code>RequestTimeTooSkewed</Code>');
    expect(body).toMatch(/<RequestTime>\d{8}T\d{6}Z<\/RequestTime><ServerTime>[\d-]+T[\d:]+Z<\/ServerTime><MaxAllowedSkewMilliseconds>900000</);
  });

  it('answers STS GetCallerIdentity for the demo principals (the who-am-I action stays on loopback)', async () => {
    const session = await openDemoSession(cloud, 'access-denied');
    const spec = (session.target as { spec: RequestSpec }).spec;
    const diagnosis = await session.engine.diagnoseLive(spec);
    const result = await session.engine.runAction('aws-sigv4/whoami', spec, diagnosis);
    expect(result.ok, result.message).toBe(true);
    expect(JSON.stringify(result.details)).toContain('arn:aws:iam::123456789012:user/demo');
    expect(session.engine.recorder.list().every((r) => r.host.startsWith('127.0.0.1:'))).toBe(true);
  });
});

describe('the demo authorization server', () => {
  async function client(name: 'oauth-expired' | 'oauth-revoked') {
    const session = await openDemoSession(cloud, name);
    const params = (session.target as { spec: RequestSpec }).spec.auth!.params as Record<string, string>;
    return { id: params.clientId!, secret: params.clientSecret!, refreshToken: params.refreshToken! };
  }
  const token = (c: { id: string; secret: string }, body: Record<string, string>) =>
    send(`${cloud.oauth.tokenEndpoint}`, { method: 'POST', headers: { authorization: basic(c.id, c.secret), 'content-type': 'application/x-www-form-urlencoded' }, body: form(body) });

  it('publishes metadata for its issuer, with the endpoints the oauth2 plugin uses', async () => {
    const meta = JSON.parse((await send(`${cloud.oauth.issuer}/.well-known/openid-configuration`)).body) as Record<string, unknown>;
    expect(meta.issuer).toBe(cloud.oauth.issuer);
    expect(meta.token_endpoint).toBe(cloud.oauth.tokenEndpoint);
    expect(meta.device_authorization_endpoint).toBe(cloud.oauth.deviceAuthorizationEndpoint);
  });

  it('rotates refresh tokens, and a reused one revokes the whole grant (RFC 9700 §4.14.2)', async () => {
    const c = await client('oauth-expired');
    const first = await token(c, { grant_type: 'refresh_token', refresh_token: c.refreshToken });
    expect(first.status).toBe(200);
    const issued = JSON.parse(first.body) as { access_token: string; refresh_token: string; token_type: string; expires_in: number };
    expect(issued.token_type).toBe('Bearer');
    expect(issued.refresh_token).not.toBe(c.refreshToken);
    const reused = await token(c, { grant_type: 'refresh_token', refresh_token: c.refreshToken });
    expect(reused.status).toBe(400);
    expect(JSON.parse(reused.body)).toMatchObject({ error: 'invalid_grant' });
    const next = await token(c, { grant_type: 'refresh_token', refresh_token: issued.refresh_token });
    expect(JSON.parse(next.body)).toMatchObject({ error: 'invalid_grant', error_description: 'The refresh token has been revoked' });
  });

  it('refuses a wrong client secret with 401 invalid_client and a Basic challenge (RFC 6749 §5.2)', async () => {
    const c = await client('oauth-expired');
    const answer = await token({ id: c.id, secret: 'wrong' }, { grant_type: 'refresh_token', refresh_token: c.refreshToken });
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe('Basic realm="demo-oauth"');
    expect(JSON.parse(answer.body)).toMatchObject({ error: 'invalid_client' });
  });

  it('runs the device flow: pending, slow_down when polled too fast, then tokens once approved', async () => {
    const c = await client('oauth-revoked');
    const auth = { authorization: basic(c.id, c.secret), 'content-type': 'application/x-www-form-urlencoded' };
    const started = JSON.parse((await send(cloud.oauth.deviceAuthorizationEndpoint, { method: 'POST', headers: auth, body: form({ scope: 'reports:read' }) })).body) as {
      device_code: string;
      user_code: string;
      verification_uri: string;
      interval: number;
    };
    expect(started.user_code).toMatch(/^[B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4}$/);
    expect(new URL(started.verification_uri).hostname).toBe('127.0.0.1');
    const poll = () => token(c, { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: started.device_code });
    expect(JSON.parse((await poll()).body)).toMatchObject({ error: 'authorization_pending' });
    expect(JSON.parse((await poll()).body)).toMatchObject({ error: 'slow_down' });
    // The verification page approves the code at once (as a person would).
    const page = await send(started.verification_uri, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ user_code: started.user_code.toLowerCase() }) });
    expect(page.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, started.interval * 1000));
    const done = await poll();
    expect(done.status).toBe(200);
    expect(JSON.parse(done.body)).toHaveProperty('access_token');
    expect(JSON.parse((await poll()).body)).toMatchObject({ error: 'invalid_grant' });
  });
});
