import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Session } from '../../src/cli/setup.ts';
import { ConfigError } from '../../src/core/errors.ts';
import { KEY_BINDINGS } from '../../src/ui/key-bindings.ts';
import { bearerSpec, jwt, liveSession, loaded, tokenPlugin } from './fixtures.ts';
import { api, dir, open, useTuiHarness } from './harness.ts';
import type { Screen } from './render.ts';

useTuiHarness();

const expired = jwt(-600, 'expired');
const meUrl = () => `${api.origin}/v1/me`;
const historyLine = (frame: string) => frame.split('\n').find((l) => l.startsWith('History')) ?? '';

async function failing(plugin = tokenPlugin()): Promise<Screen> {
  const screen = await open({ open: liveSession(bearerSpec(meUrl(), expired), loaded(plugin)) });
  await screen.waitFor((f) => historyLine(f).includes('#1 401 expired_token'));
  return screen;
}

describe('the first frames', () => {
  it('shows the target and "loading" before the session has opened', async () => {
    let release!: (s: Session) => void;
    const pending = new Promise<Session>((resolve) => (release = resolve));
    const screen = await open({ open: () => pending, target: { describe: 'GET http://127.0.0.1:1/x', method: 'GET', url: 'http://127.0.0.1:1/x', mode: 'live' } });
    const frame = await screen.waitFor('loading config and plugins');
    expect(frame).toContain('authdoctor GET http://127.0.0.1:1/x');
    expect(frame).toContain('0 requests sent');
    release(await liveSession(bearerSpec(meUrl(), expired), loaded(tokenPlugin()))(new AbortController().signal));
    await screen.waitFor('#1 401 expired_token');
  });

  it('paints the failing check, the response, the verdict and the history, with the token masked', async () => {
    const screen = await failing();
    const frame = screen.frame();
    expect(frame).toContain('← 401 Unauthorized');
    expect(frame).toContain('www-authenticate: Bearer error="invalid_token"');
    expect(frame).toContain('✖ Access token is expired');
    expect(frame).toContain('Expired token (expired_token)');
    expect(frame).toContain('1 request sent');
    expect(frame).toMatch(/token expired \d+m \d+s ago/);
    expect(frame).toContain('Bearer eyJh…(');
    expect(screen.frames().some((f) => f.includes(expired))).toBe(false);
  });

  it('fills exactly 80×24 and no line is wider than the terminal', async () => {
    const screen = await failing();
    const lines = screen.frame().split('\n');
    expect(lines).toHaveLength(24);
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(80);
    expect(lines.at(-1)).toContain('? help');
  });

  it('re-lays itself out when the terminal is resized, down to a narrow one', async () => {
    const screen = await failing();
    screen.resize(50, 16);
    const frame = await screen.waitFor((f) => f.split('\n').length === 16);
    expect(Math.max(...frame.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(50);
    expect(frame).toContain('Access token is expired');
    expect(frame).toContain('q quit');
    screen.resize(130, 40);
    const wide = await screen.waitFor((f) => f.split('\n').length === 40);
    // Wide: the details sit beside the list without pressing Enter.
    expect(wide).toContain('Evidence');
  });
});

describe('stepping through the checks', () => {
  it('moves with ↓/↑ and j/k, and n/N jump between failing checks', async () => {
    const screen = await failing();
    const selected = () => screen.frame().split('\n').find((l) => l.startsWith('›')) ?? '';
    expect(selected()).toContain('Access token is expired');
    await screen.press('down');
    await screen.waitFor(() => selected().includes('Authorization header is present'));
    await screen.press('k');
    await screen.waitFor(() => selected().includes('Access token is expired'));
    await screen.press('j');
    await screen.waitFor(() => selected().includes('Authorization header is present'));
    await screen.press('n');
    await screen.waitFor(() => selected().includes('Access token is expired'));
    await screen.press('N');
    await screen.waitFor(() => selected().includes('Access token is expired'));
  });

  it('opens the details with Enter (evidence, newline made visible, fixes, numbered actions) and Esc goes back', async () => {
    const screen = await failing();
    await screen.press('enter');
    const frame = await screen.waitFor('Evidence');
    expect(frame).toContain('expiredSeconds: 600');
    expect(frame).toContain('expired 10 min before the request');
    // The stray newline of a decoded Basic value is shown, not printed.
    expect(frame).toMatch(/decoded: user:secret-password⏎/);
    expect(frame).toContain('1. Refresh the token (press r)');
    expect(frame).toMatch(/1 Refresh the access token +\(r\) +← suggested by this check/);
    expect(frame).toContain('2 Who am I');
    await screen.press('escape');
    await screen.waitFor((f) => f.includes('Checks') && !f.includes('Evidence'));
  });
});

describe('acting in place', () => {
  it('r refreshes the token, re-sends, and the history shows what changed', async () => {
    const screen = await failing();
    await screen.press('r');
    const frame = await screen.waitFor((f) => historyLine(f).includes('#2 200 OK'));
    expect(historyLine(frame)).toMatch(/#1 401 expired_token \d+ ms → #2 200 OK \d+ ms/);
    expect(frame).toContain('what changed before #2: Refresh the access token · authorization changed');
    // The token request and the retry are counted: 3 in all.
    expect(frame).toContain('3 requests sent');
    expect(frame).toContain('Got a new access token (expires in 3600 s) → HTTP 200, accepted.');
    expect(frame).toContain('✔ No authentication failure');
    expect(frame).toMatch(/token expires in \d+m/);
    expect(screen.frames().some((f) => f.includes(api.fresh))).toBe(false);
    expect(screen.controller.exitCode()).toBe(0);
  });

  it('a failed refresh says why inline and leaves the attempt as it was', async () => {
    const screen = await failing(tokenPlugin({ tokenPath: '/token-denied' }));
    await screen.press('r');
    const frame = await screen.waitFor('Refresh the access token: failed');
    expect(frame).toContain('The refresh token has expired.');
    expect(frame).toContain('→ Sign in again to get a new refresh token.');
    await screen.press('escape');
    const after = await screen.waitFor('✖ Refresh the access token failed: The token endpoint answered 400');
    expect(historyLine(after)).not.toContain('#2');
    expect(screen.controller.exitCode()).toBe(1);
  });

  it('Esc cancels a running refresh, and nothing it started is painted later', async () => {
    const screen = await failing(tokenPlugin({ tokenPath: '/token-hang' }));
    await screen.press('r');
    await screen.waitFor('Refresh the access token — calling the token endpoint');
    await screen.press('escape');
    const frame = await screen.waitFor('Cancelled: Refresh the access token.');
    expect(historyLine(frame)).not.toContain('#2');
    expect(screen.store.getState().activity).toBeNull();
  });

  it('e applies the suggested fix (drop the doubled "Bearer") and retries', async () => {
    const fresh = jwt(3600, 'edit');
    const screen = await open({ open: liveSession(bearerSpec(meUrl(), `Bearer ${fresh}`), loaded(tokenPlugin())) });
    await screen.waitFor('#1 401');
    await screen.press('e');
    const overlay = await screen.waitFor('Suggested fix');
    expect(overlay).toContain('drop the doubled "Bearer"');
    expect(overlay).toContain('now   Bearer Bearer eyJh…(');
    await screen.press('enter');
    const frame = await screen.waitFor((f) => historyLine(f).includes('#2 200 OK'));
    expect(frame).toContain('what changed before #2: edited Authorization: drop the doubled "Bearer"');
  });

  it('e takes a new credential through a masked input, keeping the scheme word', async () => {
    const screen = await failing();
    await screen.press('e');
    await screen.waitFor('sent as "Bearer <what you type>"');
    const typed = jwt(3600, 'typed');
    await screen.press(typed);
    const masked = await screen.waitFor('*'.repeat(20));
    expect(masked.includes(typed)).toBe(false);
    await screen.press('enter');
    const frame = await screen.waitFor((f) => historyLine(f).includes('#2 200 OK'));
    expect(frame).toContain('what changed before #2: edited Authorization: typed a new Authorization');
    expect(screen.frames().some((f) => f.includes(typed))).toBe(false);
  });

  it('R retries as is and the history grows', async () => {
    const screen = await failing();
    await screen.press('R');
    const frame = await screen.waitFor((f) => historyLine(f).includes('#2 401 expired_token'));
    expect(frame).toContain('what changed before #2: retried as is');
    expect(frame).toContain('2 requests sent');
  });

  it('p and s say why they cannot run when there is no proxy and nothing signs the request', async () => {
    const screen = await failing();
    await screen.press('p');
    await screen.waitFor('Cannot bypass the proxy: no proxy is in use.');
    await screen.press('s');
    await screen.waitFor('Cannot re-sign: nothing to re-sign');
    expect(screen.store.getState().requestCount).toBe(1);
  });

  it('s runs a re-sign action and retries with the re-signed request', async () => {
    const screen = await failing(tokenPlugin({ resign: true }));
    await screen.press('s');
    const frame = await screen.waitFor((f) => historyLine(f).includes('#2 401'));
    expect(frame).toContain('what changed before #2: Re-sign the request · x-signed-at added');
  });

  it('a number runs the listed action; one that only inspects shows its details', async () => {
    const screen = await failing();
    await screen.press('enter');
    await screen.waitFor('2 Who am I');
    await screen.press('2');
    const frame = await screen.waitFor('tenant: acme');
    expect(frame).toContain('You are user-1');
    await screen.press('escape');
    await screen.waitFor('✔ You are user-1');
  });

  it('c saves a curl command whose credentials are $VARIABLES', async () => {
    const screen = await failing();
    await screen.press('c');
    const frame = await screen.waitFor('Copy as curl');
    expect(frame).toContain('"$AUTHDOCTOR_TOKEN"');
    const script = await readFile(path.join(dir, 'authdoctor-request.sh'), 'utf8');
    expect(script).toMatch(/^ {2}-H 'Authorization: Bearer '"\$AUTHDOCTOR_TOKEN"$/m);
    expect(script.includes(expired)).toBe(false);
    expect(screen.controller.exitSummary().join('\n')).toContain('curl');
  });

  it('m exports the report as markdown, masked', async () => {
    const screen = await failing();
    await screen.press('m');
    await screen.waitFor('Report saved to');
    const file = (await readdir(dir)).find((f) => f.startsWith('authdoctor-report-') && f.endsWith('.md'))!;
    const markdown = await readFile(path.join(dir, file), 'utf8');
    expect(markdown).toContain('expired_token');
    expect(markdown.includes(expired)).toBe(false);
  });

  it('w watch mode refreshes the expired token first, then re-checks on its interval', async () => {
    const screen = await open({ open: liveSession(bearerSpec(meUrl(), expired), loaded(tokenPlugin())), watchIntervalMs: 300 });
    await screen.waitFor('#1 401');
    await screen.press('w');
    await screen.waitFor('Watch mode on');
    await screen.waitFor(/watch: refresh in \d+s/);
    await screen.waitFor((f) => historyLine(f).includes('#2 200 OK'));
    const frame = await screen.waitFor('what changed before #3: watch: re-checked');
    expect(historyLine(frame)).toContain('#3 200 OK');
    await screen.press('w');
    await screen.waitForState((s) => !s.watch.on);
    expect(screen.store.getState().requestCount).toBeGreaterThanOrEqual(4);
  });
});

describe('help, errors, quitting', () => {
  it('? shows every key binding from the registry, and Esc closes it', async () => {
    const screen = await failing();
    await screen.press('?');
    const frame = await screen.waitFor('Keys (Esc or ? closes this)');
    for (const binding of KEY_BINDINGS.filter((b) => b.contexts.includes('main'))) {
      expect(frame).toContain(binding.label.slice(0, 40));
    }
    expect(frame).toContain('now: no proxy is in');
    await screen.press('escape');
    await screen.waitFor((f) => !f.includes('Keys (Esc'));
  });

  it('a config error shows inline with the CLI message, and q quits with exit code 2', async () => {
    const screen = await open({
      open: async () => {
        throw new ConfigError('authdoctor.config.ts: profiles.api.auth.scheme: expected one of bearer, basic', ['authdoctor.config.ts: profiles.api.auth.scheme: expected one of bearer, basic'], { hint: 'Fix the key, then run again.' });
      },
    });
    const frame = await screen.waitFor('✖ authdoctor: authdoctor.config.ts: profiles.api.auth.scheme');
    expect(frame).toContain('Fix the key, then run again.');
    expect(frame).toContain('Press q to quit (exit code 2)');
    await screen.press('q');
    await screen.waitForState(() => screen.quitted());
    expect(screen.controller.exitCode()).toBe(2);
  });

  it('Ctrl+C quits and stops the work', async () => {
    const screen = await failing(tokenPlugin({ tokenPath: '/token-hang' }));
    await screen.press('r');
    await screen.waitFor('calling the token endpoint');
    await screen.press('ctrlC');
    await screen.waitForState(() => screen.quitted());
    expect(screen.controller.exitCode()).toBe(1);
  });
});
