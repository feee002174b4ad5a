import { describe, expect, it } from 'vitest';
import type { FailureCause } from '../../src/core/causes.ts';
import type { ActionView, Activity, FindingView } from '../../src/core/session.ts';
import type { PluginDefinition } from '../../src/core/plugin.ts';
import { defineAction, definePlugin, defineRule } from '../../src/plugins/define.ts';
import { activityLines } from '../../src/ui/components/StatusLine.tsx';
import { findingCommands, fitHints, hintsFor } from '../../src/ui/key-bindings.ts';
import { computeLayout } from '../../src/ui/layout.ts';
import { cellWidth } from '../../src/ui/text.ts';
import { bearerSpec, jwt, liveSession, loaded } from './fixtures.ts';
import { api, open, useTuiHarness } from './harness.ts';

useTuiHarness();

// The shapes of RFC 8628 device-flow prompts: Microsoft's verification URI and a code of 8 letters.
const VERIFICATION_URI = 'https://microsoft.com/devicelogin';
const USER_CODE = 'WDJB-MJHT';

interface DevOptions {
  /** The cause the failing check reports. */
  cause?: FailureCause;
  /** The token the refresh action hands out. */
  refreshedToken?: () => string;
  /** Add a second failing check, so that `n next ✖` is in the bar. */
  secondFailure?: boolean;
}

/** A plugin shaped like rules/oauth2 and rules/aws: a failing check that offers device sign-in, refresh and re-sign. */
function devPlugin(options: DevOptions = {}): PluginDefinition {
  const cause = options.cause ?? 'expired_token';
  return definePlugin({
    name: 'dev',
    rules: [
      defineRule({
        meta: { id: 'rejected', title: 'The server rejected the credential', causes: [cause] },
        check: (ctx) =>
          ctx.response?.status === 401
            ? [{ cause, confidence: 'definitive', messageId: 'rejected', message: 'The server rejected the credential.', actions: ['dev/device-login', 'dev/refresh', 'dev/re-sign'] }]
            : [],
      }),
      ...(options.secondFailure
        ? [
            defineRule({
              meta: { id: 'also', title: 'Another failing check', causes: ['invalid_credentials'] },
              check: (ctx) => (ctx.response?.status === 401 ? [{ cause: 'invalid_credentials', confidence: 'possible', messageId: 'also', message: 'Not accepted.' }] : []),
            }),
          ]
        : []),
    ],
    actions: [
      defineAction({
        id: 'device-login',
        title: 'Sign in again (device code)',
        kind: 'reauth',
        available: () => true,
        // Like rules/oauth2/reauth-device.ts: the prompt goes through progress(), then it polls until cancelled.
        async run(ctx) {
          ctx.progress(`To sign in, open ${VERIFICATION_URI} and enter the code ${USER_CODE}. The code is valid for 15 min.`);
          await new Promise<never>((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true }));
          return { ok: false, message: 'cancelled' };
        },
      }),
      defineAction({
        id: 'refresh',
        title: 'Refresh the access token',
        kind: 'refresh',
        available: () => true,
        run: async (ctx) => {
          const token = (options.refreshedToken ?? (() => api.fresh))();
          const headers = ctx.spec.headers.map((h) => (h.name.toLowerCase() === 'authorization' ? { name: h.name, value: `Bearer ${token}` } : h));
          return {
            ok: true,
            message: 'Got a new access token (expires in 3600 s)',
            details: { expiresIn: 3600, refreshTokenRotated: true },
            spec: { ...ctx.spec, headers, secrets: [...(ctx.spec.secrets ?? []), token] },
          };
        },
      }),
      defineAction({
        id: 're-sign',
        title: 'Re-sign the request',
        kind: 're-sign',
        available: () => true,
        run: async (ctx) => ({ ok: true, message: 'Signed again', spec: ctx.spec }),
      }),
    ],
  });
}

const statusArea = (frame: string) => frame.split('\n').slice(-4, -1).join('\n');

describe('a running action’s progress', () => {
  for (const columns of [80, 60]) {
    it(`wraps so that a device-flow URL and user code are whole at ${columns}×24`, async () => {
      const screen = await open({ open: liveSession(bearerSpec(`${api.url}/v1/me`, jwt(-600)), loaded(devPlugin())), columns, rows: 24 });
      await screen.waitFor('The server rejected the credential');
      await screen.press('1');
      const frame = await screen.waitFor((f) => f.includes(USER_CODE));
      const lines = frame.split('\n');
      expect(lines.some((l) => l.includes(VERIFICATION_URI))).toBe(true);
      expect(lines.some((l) => l.includes(`code ${USER_CODE}`) || l.includes(USER_CODE))).toBe(true);
      expect(lines.length).toBeLessThanOrEqual(24);
      expect(Math.max(...lines.map(cellWidth))).toBeLessThanOrEqual(columns);
      // The hint bar is still the last line, under the status.
      expect(lines.at(-1)).toMatch(/q quit/);
      expect(statusArea(frame)).toContain('Esc cancels');
      await screen.press('escape');
      await screen.waitForState((s) => s.activity === null);
      await screen.waitFor((f) => !f.includes(USER_CODE));
    });
  }

  it('keeps the progress to three lines, dropping the action label first when the step needs the room', () => {
    const activity: Activity = { id: 1, label: 'Sign in again (device code)', progress: [`To sign in, open ${VERIFICATION_URI} and enter the code ${USER_CODE}. ${'The code is valid for 15 min. '.repeat(4)}`], startedAt: 0 };
    const lines = activityLines(activity, 12_000, 60);
    expect(lines.length).toBe(3);
    expect(lines[0]).toMatch(/^To sign in/);
    expect(lines.every((l) => cellWidth(l) <= 58)).toBe(true);
    expect(lines.at(-1)).toMatch(/…$/);
    const short = activityLines({ ...activity, progress: ['calling the token endpoint…'] }, 0, 80);
    expect(short).toEqual(['Sign in again (device code) — calling the token endpoint… (Esc cancels)']);
  });

  it('the layout gives the extra status lines from the body, never beyond the terminal', () => {
    for (const rows of [10, 24, 50]) {
      const l = computeLayout({ columns: 80, rows }, 'list', 3);
      expect(l.header + l.exchange + l.list + l.preview + l.details + l.verdict + l.history + l.status + l.hints).toBe(rows);
    }
    expect(computeLayout({ columns: 80, rows: 24 }, 'list', 3).status).toBe(3);
  });
});

describe('an action with details that retries', () => {
  it('shows the retry’s outcome in its details overlay: HTTP 200, accepted', async () => {
    const screen = await open({ open: liveSession(bearerSpec(`${api.url}/v1/me`, jwt(-600)), loaded(devPlugin())), columns: 80, rows: 24 });
    await screen.waitFor('The server rejected the credential');
    await screen.press('r');
    const frame = await screen.waitFor('→ retried: HTTP 200, accepted');
    expect(frame).toContain('Got a new access token');
    expect(frame).toContain('refreshTokenRotated: true');
    expect(frame).toMatch(/attempt #2/);
    expect(frame.split('\n').length).toBeLessThanOrEqual(24);
    // Esc closes the overlay; the history below says the same.
    await screen.press('escape');
    await screen.waitFor((f) => !f.includes('refreshTokenRotated') && /History/.test(f));
  });

  it('says when the retry still fails', async () => {
    const screen = await open({ open: liveSession(bearerSpec(`${api.url}/v1/me`, jwt(-600)), loaded(devPlugin({ refreshedToken: () => jwt(-60, 'stale') }))), columns: 80, rows: 24 });
    await screen.waitFor('The server rejected the credential');
    await screen.press('r');
    const frame = await screen.waitFor('→ retried: still HTTP 401, expired_token');
    expect(frame).toContain('expiresIn: 3600');
  });
});

describe('the hint bar while a check fails', () => {
  it('keeps the selected finding’s keys (s re-sign, r refresh) at 80 columns, before navigation keys', async () => {
    const screen = await open({
      open: liveSession(bearerSpec(`${api.url}/v1/me`, jwt(-600)), loaded(devPlugin({ cause: 'signature_mismatch', secondFailure: true }))),
      columns: 80,
      rows: 24,
    });
    await screen.waitFor('The server rejected the credential');
    const bar = (await screen.waitFor((f) => (f.split('\n').at(-1) ?? '').includes('q quit'))).split('\n').at(-1)!;
    expect(bar).toContain('s re-sign');
    expect(bar).toContain('r refresh');
    expect(bar).toContain('? help');
    expect(cellWidth(bar.trimEnd())).toBeLessThanOrEqual(80);
  });

  it('fitHints ranks the preferred keys first but shows them in the registry’s order', () => {
    const items = hintsFor('main');
    const size = (i: { keys: string; hint: string }) => cellWidth(i.keys) + 1 + cellWidth(i.hint) + 2;
    const plain = fitHints(items, 60, size).map((i) => i.command);
    expect(plain).not.toContain('re-sign');
    const preferred = fitHints(items, 60, size, new Set(['re-sign', 'edit'])).map((i) => i.command);
    expect(preferred).toContain('re-sign');
    expect(preferred).toContain('edit');
    expect(preferred.slice(-2)).toEqual(['help', 'quit']);
    expect(preferred.indexOf('select-prev')).toBeLessThan(preferred.indexOf('re-sign'));
  });

  it('findingCommands maps the offered action kinds and editable causes to keys', () => {
    const actions: ActionView[] = [
      { id: 'aws/re-sign', title: 'Re-sign', kind: 're-sign' },
      { id: 'oauth2/refresh-token', title: 'Refresh', kind: 'refresh' },
      { id: 'oauth2/introspect', title: 'Introspect', kind: 'inspect' },
    ];
    const finding = { status: 'fail', cause: 'malformed_credentials', actions: ['aws/re-sign', 'oauth2/introspect'] } as unknown as FindingView;
    expect([...findingCommands(finding, actions)].sort()).toEqual(['edit', 're-sign']);
    expect(findingCommands({ ...finding, status: 'pass' } as FindingView, actions).size).toBe(0);
    expect(findingCommands(undefined, actions).size).toBe(0);
  });
});
