import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/*
 * A profile selects a plugin's own auth scheme end to end: the config names a TypeScript plugin
 * file whose strategy signs the request, the secret comes from { env }, and the local server checks
 * the signature the way an HMAC API would.
 */
const DEFINE = path.resolve('src/plugins/define.ts');
const SECRET = 'acmeS3cretK3y0f9e8d7c6b5a4';
const KEY_ID = 'key-7';

const sign = (secret: string, method: string, pathname: string) => createHmac('sha256', secret).update(`${method} ${pathname}`).digest('hex');

const PLUGIN = `import { createHmac } from 'node:crypto';
import { defineAuth, definePlugin } from ${JSON.stringify(DEFINE)};

export default definePlugin({
  name: 'acme',
  rules: [],
  auth: [
    defineAuth({
      scheme: 'acme-hmac',
      apply(request, auth, ctx) {
        const secret = String(auth.params.secret);
        const signature = createHmac('sha256', secret).update(request.method + ' ' + new URL(request.url).pathname).digest('hex');
        ctx.redactor.addSecret(signature);
        return { ...request, headers: [...request.headers, { name: 'X-Acme-Key-Id', value: String(auth.params.keyId) }, { name: 'X-Acme-Signature', value: signature }] };
      },
    }),
  ],
});
`;

let server: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startServer((req, res) => {
    const sent = Buffer.from(String(req.headers['x-acme-signature'] ?? ''));
    const expected = Buffer.from(sign(SECRET, req.method ?? '', new URL(req.url ?? '/', 'http://x').pathname));
    const ok = req.headers['x-acme-key-id'] === KEY_ID && sent.length === expected.length && timingSafeEqual(sent, expected);
    res.writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(ok ? { id: 'acct_1' } : { error: 'invalid_signature', message: 'The request signature does not match.' }));
  });
  dir = await mkdtemp(path.join(tmpdir(), 'authdoctor-plugin-scheme-'));
  await writeFile(path.join(dir, 'acme.ts'), PLUGIN);
  const profile = { request: { url: `${server.origin}/v1/account` }, auth: { scheme: 'acme-hmac', keyId: KEY_ID, secret: { env: 'ACME_SECRET' } } };
  await writeFile(path.join(dir, 'with-plugin.json'), JSON.stringify({ plugins: ['./acme.ts'], profiles: { acme: profile } }));
  await writeFile(path.join(dir, 'without-plugin.json'), JSON.stringify({ profiles: { acme: profile } }));
});
afterAll(() => server.close());

const check = (config: string, secret: string) =>
  runCli(['check', '--profile', 'acme', '--config', path.join(dir, config), '--format', 'json'], { cwd: dir, env: { ACME_SECRET: secret, HOME: dir } });

describe("a profile using a plugin's auth scheme", () => {
  it('signs the request with the plugin strategy and a secret from { env }, and never prints the secret', async () => {
    const result = await check('with-plugin.json', SECRET);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { verdict: { cause: string }; response: { status: number } };
    expect(report.response.status).toBe(200);
    expect(report.verdict.cause).toBe('none');
    expect(server.received.at(-1)?.headers['x-acme-signature']).toBe(sign(SECRET, 'GET', '/v1/account'));
    expect((result.stdout + result.stderr).includes(SECRET)).toBe(false);
  });

  it('reports the rejection of a wrong secret as an auth failure, without printing that secret', async () => {
    const wrong = 'wrongS3cretK3y1a2b3c4d5e6f';
    const result = await check('with-plugin.json', wrong);
    expect(result.code).toBe(1);
    expect((result.stdout + result.stderr).includes(wrong)).toBe(false);
  });

  it('is a usage error naming the scheme when no loaded plugin provides it, and nothing is sent', async () => {
    const before = server.received.length;
    const result = await check('without-plugin.json', SECRET);
    expect(result.code).toBe(2);
    expect(result.stderr + result.stdout).toMatch(/No loaded plugin applies "acme-hmac" credentials/);
    expect((result.stdout + result.stderr).includes(SECRET)).toBe(false);
    expect(server.received.length).toBe(before);
  });
});
