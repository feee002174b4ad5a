import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report.ts';
import { openTokenStore } from '../../src/core/token-store.ts';
import { runCli } from '../helpers/cli.ts';
import { httpServer, rawServer, type FaultServer } from './servers.ts';

/**
 * The token endpoint fails in the middle of a refresh (`check --profile … --refresh`): it answers
 * an HTML page, a 500, or nothing at all. The old token is kept in the token store, the report says
 * what happened, the exit code is still the diagnosis's (1), no stack trace, no secret.
 */

const OLD_ACCESS = 'at-Zq7-old-0123456789abcdef';
const OLD_REFRESH = 'rt-Zq7-old-0123456789abcdef';
const CLIENT_SECRET = 'cs-Zq7-0123456789abcdef';

const servers: FaultServer[] = [];
let api: FaultServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'authdoctor-refresh-faults-'));
  api = await httpServer((_req, res) => {
    res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="The access token expired"' });
    res.end('{"error":"invalid_token"}');
  });
  servers.push(api);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** A profile whose token endpoint is `tokenOrigin`, with a token store seeded with the old tokens. */
async function setup(name: string, tokenOrigin: string): Promise<{ config: string; store: string }> {
  const store = path.join(dir, `${name}-tokens.json`);
  const seeded = openTokenStore(store);
  await seeded.write('api', { accessToken: OLD_ACCESS, refreshToken: OLD_REFRESH, tokenType: 'bearer' });
  await seeded.confirm('api');
  const config = path.join(dir, `${name}.json`);
  writeFileSync(config, JSON.stringify({
    tokenStore: store,
    timeouts: { connect: 2_000, response: 800 },
    profiles: {
      api: {
        request: { url: `${api.origin}/v1/me` },
        auth: { scheme: 'oauth2', grant: 'refresh_token', tokenEndpoint: `${tokenOrigin}/oauth/token`, clientId: 'cli', clientSecret: { env: 'CS' }, clientAuth: 'client_secret_post', accessToken: { env: 'AT' }, refreshToken: { env: 'RT' } },
      },
    },
  }));
  return { config, store };
}

async function refresh(config: string) {
  const result = await runCli(['check', '--config', config, '--profile', 'api', '--refresh', '--format', 'json'], { env: { CS: CLIENT_SECRET, AT: OLD_ACCESS, RT: OLD_REFRESH } });
  const said = result.stdout + result.stderr;
  expect(said).not.toMatch(/\n\s+at .+:\d+:\d+/);
  for (const secret of [OLD_ACCESS, OLD_REFRESH, CLIENT_SECRET]) expect(said.includes(secret)).toBe(false);
  return { ...result, report: JSON.parse(result.stdout) as Report };
}

describe('the token endpoint fails during --refresh', () => {
  it.each<[string, () => Promise<FaultServer>, RegExp]>([
    ['answers an HTML page', () => httpServer((_req, res) => { res.writeHead(200, { 'Content-Type': 'text/html' }); res.end('<html><body><h1>Sign in</h1></body></html>'); }), /content-type must be application\/json/],
    ['answers 500', () => httpServer((_req, res) => { res.writeHead(500, { 'Content-Type': 'application/json' }); res.end('{"error":"server_error"}'); }), /answered 500 with error "server_error"/],
    ['answers 502 with an HTML error page', () => httpServer((_req, res) => { res.writeHead(502, { 'Content-Type': 'text/html' }); res.end('<html>Bad Gateway</html>'); }), /answered 502 without an OAuth error body/],
    ['never answers (timeout)', () => rawServer(() => { /* swallows the request */ }), /could not be called: Timed out waiting for the response/],
    ['closes the connection mid-answer', () => rawServer((socket) => { socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"access_tok'); setTimeout(() => socket.destroy(), 20); }), /could not be called: The connection was closed while the body was being read/],
  ])('%s: the old token is kept and the report says what happened (exit 1)', async (name, start, said) => {
    const token = await start();
    servers.push(token);
    const { config, store } = await setup(name.replace(/\W+/g, '-'), token.origin);
    const before = readFileSync(store, 'utf8');
    const { code, report } = await refresh(config);
    expect(code).toBe(1);
    expect(report.verdict.cause).not.toBe('none');
    const action = report.actions?.find((a) => a.id === 'oauth2/refresh-token');
    expect(action?.ok).toBe(false);
    const explained = [action?.message ?? '', ...report.findings.filter((f) => f.ruleId.startsWith('oauth2/')).map((f) => `${f.title} ${f.message}`)].join('\n');
    expect(explained).toMatch(said);
    // Nothing was retried with a token that was never obtained, and the store still holds the old one.
    expect(report.attempts).toBeUndefined();
    expect(readFileSync(store, 'utf8')).toBe(before);
    expect(await openTokenStore(store).read('api')).toMatchObject({ accessToken: OLD_ACCESS, refreshToken: OLD_REFRESH });
  });
});
