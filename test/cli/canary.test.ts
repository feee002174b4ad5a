import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServer, type TestServer } from '../helpers/server.ts';
import { runCli } from '../helpers/cli.ts';

/**
 * A canary secret in every place a credential travels must appear in no output format and no
 * error message (DESIGN.md §4). Assertions use includes() so a failure never prints the secret.
 */
const CANARY = 'CANARYc4n4ry5ecret9b8e7d6c5a4';
const base64 = (s: string) => Buffer.from(s).toString('base64');

let server: TestServer;
beforeAll(async () => {
  // The server echoes what it received, like many real APIs' error pages do.
  server = await startServer((req, res, body) => {
    res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    res.end(JSON.stringify({ error: 'invalid_token', saw: { authorization: req.headers.authorization ?? null, key: req.headers['x-api-key'] ?? null, url: req.url, body } }));
  });
});
afterAll(() => server.close());

const placements: [string, () => string[]][] = [
  ['a Bearer token', () => [`${server.origin}/v1/me`, '-H', `Authorization: Bearer ${CANARY}`]],
  ['a Basic password', () => [`${server.origin}/v1/me`, '-u', `alice:${CANARY}`]],
  ['an API-key header', () => [`${server.origin}/v1/me`, '-H', `X-API-Key: ${CANARY}`]],
  ['a query parameter', () => [`${server.origin}/v1/me?api_key=${CANARY}`]],
  ['URL userinfo', () => [`http://alice:${CANARY}@127.0.0.1:${server.port}/v1/me`]],
  ['a JSON body', () => [`${server.origin}/oauth/token`, '-H', 'Content-Type: application/json', '-d', JSON.stringify({ grant_type: 'client_credentials', client_id: 'app', client_secret: CANARY })]],
];

describe('the canary secret', () => {
  for (const [where, args] of placements) {
    for (const format of ['text', 'json', 'markdown']) {
      it(`never appears in ${format} output when sent as ${where}`, async () => {
        const result = await runCli(['check', ...args(), '--format', format]);
        expect(result.code).toBe(1);
        expect(result.stdout.length).toBeGreaterThan(0);
        expect(result.stdout.includes(CANARY)).toBe(false);
        expect(result.stdout.includes(base64(`alice:${CANARY}`))).toBe(false);
        expect(result.stderr.includes(CANARY)).toBe(false);
      });
    }
  }

  it('never appears in the error for an unreachable host', async () => {
    const port = await freePort();
    const result = await runCli(['check', `http://127.0.0.1:${port}/x?token=${CANARY}`, '-H', `Authorization: Bearer ${CANARY}`]);
    expect(result.code).toBe(3);
    expect((result.stdout + result.stderr).includes(CANARY)).toBe(false);
  });

  it('never appears in the error for a bad curl command', async () => {
    const result = await runCli(['check', '--curl', `curl -H 'Authorization: Bearer ${CANARY}' --frobnicate https://api.example.com/`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--frobnicate/);
    expect((result.stdout + result.stderr).includes(CANARY)).toBe(false);
  });
});
