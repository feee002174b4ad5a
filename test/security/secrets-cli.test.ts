import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { freePort, startServer, type TestServer } from '../helpers/server.ts';
import { fc, secretArb } from '../property/fc.ts';
import { leaks } from './leaks.ts';

/**
 * The same property as secrets.property.test.ts, through the real CLI (a child process): stdout in
 * every format and stderr — including the one-line errors of a refused connection, a bad curl
 * command and a bad config file — never show the secret. Few cases: each is a process.
 */

let echo: TestServer;
let refused: number;
let dir: string;
beforeAll(async () => {
  echo = await startServer((req, res, body) => {
    res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    res.end(JSON.stringify({ error: 'invalid_token', saw: { url: req.url, headers: req.headers, body } }));
  });
  refused = await freePort();
  dir = mkdtempSync(path.join(tmpdir(), 'authdoctor-secrets-cli-'));
});
afterAll(() => echo.close());

const placements: [string, (s: string, origin: string) => string[]][] = [
  ['a Bearer header', (s, o) => [`${o}/v1/me`, '-H', `Authorization: Bearer ${s}`]],
  ['a query parameter', (s, o) => [`${o}/v1/me?${new URLSearchParams({ access_token: s })}`]],
  ['URL userinfo', (s, o) => [o.replace('http://', `http://alice:${encodeURIComponent(s)}@`) + '/v1/me']],
  ['a form body', (s, o) => [`${o}/oauth/token`, '-d', `grant_type=client_credentials&client_id=app&client_secret=${encodeURIComponent(s)}`]],
  ['a --curl command', (s, o) => ['--curl', `curl -H 'X-API-Key: ${s}' ${o}/v1/me`]],
];

describe('random secrets through the real CLI', () => {
  it('never appear on stdout or stderr, answered or refused, in any format', async () => {
    await fc.assert(
      fc.asyncProperty(secretArb(), fc.constantFrom(...placements), fc.constantFrom('text', 'json', 'markdown'), fc.boolean(), async (secret, [, place], format, reachable) => {
        const origin = reachable ? echo.origin : `http://127.0.0.1:${refused}`;
        const result = await runCli(['check', ...place(secret, origin), '--format', format]);
        expect(result.code).toBe(reachable ? 1 : 3);
        expect(leaks(result.stdout, secret)).toEqual([]);
        expect(leaks(result.stderr, secret)).toEqual([]);
      }),
      { numRuns: 8 },
    );
  }, 120_000);

  it('never appear in the error for a bad curl command or a bad config file', async () => {
    await fc.assert(
      fc.asyncProperty(secretArb(), async (secret) => {
        const curl = await runCli(['check', '--curl', `curl -H 'Authorization: Bearer ${secret}' --frobnicate ${echo.origin}/`]);
        expect(curl.code).toBe(2);
        expect(leaks(curl.stdout + curl.stderr, secret)).toEqual([]);

        // A config whose inline secret sits next to a mistake: the error names the key, not the value.
        const file = path.join(dir, `c${Math.random().toString(36).slice(2)}.json`);
        writeFileSync(file, JSON.stringify({ profiles: { api: { request: { url: `${echo.origin}/v1/me`, headers: { Authorization: `Bearer ${secret}` } }, auth: { scheme: secret } } } }));
        const config = await runCli(['check', '--config', file, '--profile', 'api']);
        expect(config.code).toBe(2);
        expect(config.stderr).toMatch(/profiles\.api\.auth\.scheme/);
        expect(leaks(config.stdout + config.stderr, secret)).toEqual([]);
      }),
      { numRuns: 3 },
    );
  }, 120_000);
});
