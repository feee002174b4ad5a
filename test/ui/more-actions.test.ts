import { request as httpRequest, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Session } from '../../src/cli/setup.ts';
import { loadConfig, resolveProfile } from '../../src/config/index.ts';
import { Engine } from '../../src/core/engine.ts';
import { Redactor } from '../../src/core/redact.ts';
import { definePlugin } from '../../src/plugins/define.ts';
import { bearerSpec, jwt, liveSession, loaded, tokenPlugin } from './fixtures.ts';
import { api, dir, open, useTuiHarness } from './harness.ts';

useTuiHarness();

const historyLine = (frame: string) => frame.split('\n').find((l) => l.startsWith('History')) ?? '';

/** A forward proxy on 127.0.0.1 that drops the Authorization header, as a misconfigured one does. */
async function strippingProxy(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const target = new URL(req.url ?? '');
    const headers = { ...req.headers };
    delete headers.authorization;
    const upstream = httpRequest(target, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('p: retry bypassing the proxy', () => {
  it('finds the proxy that strips the credentials: through it 401, directly 200', async () => {
    const proxy = await strippingProxy();
    try {
      const fresh = jwt(3600, 'proxied');
      const screen = await open({ open: liveSession(bearerSpec(`${api.origin}/v1/me`, fresh, { proxy: proxy.url, proxySource: 'flag' }), loaded(tokenPlugin())) });
      const first = await screen.waitFor('#1 401');
      expect(first).toContain(`via proxy ${proxy.url}/ (flag)`);
      await screen.press('p');
      const frame = await screen.waitFor('Proxy bypass probe');
      expect(historyLine(frame)).toMatch(/#1 401 proxy_auth \d+ ms → #2 200 OK \d+ ms \(direct\)/);
      expect(frame).toContain('Proxy authentication required (proxy_auth)');
      expect(frame).toContain('Without the proxy: HTTP 200.');
      expect(frame).toContain('2 requests sent');
    } finally {
      await proxy.close();
    }
  });
});

describe('r without a refresh action: re-read the profile from its sources', () => {
  async function profileSession(tokenFile: string): Promise<(signal: AbortSignal) => Promise<Session>> {
    const configPath = path.join(dir, '.authdoctorrc.json');
    await writeFile(configPath, JSON.stringify({ profiles: { api: { request: { url: `${api.origin}/v1/me` }, auth: { scheme: 'bearer', token: { file: tokenFile, trim: true } } } } }));
    const config = (await loadConfig({ cwd: dir, configPath }))!;
    const redactor = new Redactor();
    const resolved = await resolveProfile(config, 'api', { env: {}, redactor });
    // The test plugin's rule, without its refresh action: `r` must fall back to re-reading.
    const rulesOnly = definePlugin({ name: 'test', rules: tokenPlugin().rules ?? [] });
    return async () => ({
      engine: new Engine({ plugins: loaded(rulesOnly), redactor, env: {} }),
      target: { kind: 'live', spec: resolved.spec, describe: 'profile api' },
      config,
      profileName: 'api',
    });
  }

  it('reads the fixed token file again and retries', async () => {
    const tokenFile = path.join(dir, 'token.txt');
    await writeFile(tokenFile, `${jwt(-600, 'file')}\n`);
    const screen = await open({ open: await profileSession(tokenFile) });
    await screen.waitFor('#1 401');
    expect(screen.frame()).toContain('profile api');
    await screen.press('r');
    await screen.waitFor('the credentials are unchanged');
    await writeFile(tokenFile, `${jwt(3600, 'file')}\n`);
    await screen.press('r');
    const frame = await screen.waitFor((f) => historyLine(f).includes('#2 200 OK'));
    expect(frame).toContain('what changed before #2: re-read profile api · authorization changed');
  });
});
