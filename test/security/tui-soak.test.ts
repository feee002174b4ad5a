import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HISTORY_LIMIT } from '../../src/core/session.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { bearerSpec, jwt, liveSession, loaded, tokenPlugin } from '../ui/fixtures.ts';
import { renderTui } from '../ui/render.ts';

/**
 * The TUI half of the soak (test/security/soak.test.ts is the `check` half): one rendered session
 * retried N times (R) against a real server on 127.0.0.1, as a user leaving it in watch mode or
 * hammering R would. Nothing may grow with the number of attempts: the history keeps at most
 * HISTORY_LIMIT attempts (older ones are only counted), the report at most the same, the server
 * sees no pile of open connections, and the process no more handles or timers at attempt N than at
 * attempt 10. N is 100 (in CI and by default); SOAK_ITERATIONS overrides it (at least HISTORY_LIMIT + 10). No timing assertions.
 */

// At least a few more than the history keeps, so the bound is always exercised.
const ITERATIONS = Math.max(HISTORY_LIMIT + 10, Number(process.env.SOAK_ITERATIONS ?? 100) || 0);

let api: TestServer;
let open = 0;
let maxOpen = 0;

beforeAll(async () => {
  api = await startServer((_req, res) => {
    res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer error="invalid_token", error_description="The access token expired"' });
    res.end('{"error":"invalid_token"}');
  });
  api.server.on('connection', (socket) => {
    open++;
    maxOpen = Math.max(maxOpen, open);
    socket.on('close', () => open--);
  });
});
afterAll(() => api.close());

/** Handles that keep a process alive or hold a resource, by type (Timeout, TCPSocketWrap…). */
function resources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return condition();
}

describe(`the TUI retried ${ITERATIONS} times in one process`, () => {
  it('keeps a bounded history and report, and leaks no sockets, handles or timers', async () => {
    const screen = await renderTui({ open: liveSession(bearerSpec(`${api.origin}/v1/me`, jwt(-600, 'expired')), loaded(tokenPlugin())), columns: 80, rows: 24 });
    try {
      const settled = (n: number) => screen.waitForState((s) => s.phase === 'ready' && s.activity === null && s.history.entries.at(-1)?.n === n, 15_000);
      await settled(1);
      let at10: Map<string, number> | null = null;
      let openAt10 = 0;
      for (let i = 1; i <= ITERATIONS; i++) {
        // The server has (almost always) answered and let go before the next attempt; the test's
        // own request log is not authdoctor's memory.
        api.received.length = 0;
        await screen.press('R');
        const state = await settled(i + 1);
        expect(state.history.entries.length).toBeLessThanOrEqual(HISTORY_LIMIT);
        expect(state.history.entries.length + state.history.dropped).toBe(i + 1);
        if (i === 10) {
          await until(() => open <= 1, 2_000);
          openAt10 = open;
          at10 = resources();
        }
      }
      const state = screen.store.getState();
      // The newest attempts are kept, in order, and the older ones only counted.
      expect(state.history.entries.length).toBe(Math.min(HISTORY_LIMIT, ITERATIONS + 1));
      expect(state.history.entries.map((e) => e.n)).toEqual(Array.from({ length: state.history.entries.length }, (_, k) => ITERATIONS + 2 - state.history.entries.length + k));
      expect(state.history.dropped).toBe(ITERATIONS + 1 - state.history.entries.length);
      expect(state.requestCount).toBe(ITERATIONS + 1);
      expect(screen.frame()).toContain(`#${ITERATIONS + 1} 401 expired_token`);
      // The exported report keeps as many attempts as its documented limit, no more.
      const attempts = screen.controller.report()?.attempts ?? [];
      expect(attempts.length).toBeLessThanOrEqual(HISTORY_LIMIT);
      expect(attempts.length).toBeGreaterThan(1);

      // Sockets: keep-alive may hold one or two connections; they never pile up with attempts.
      expect(maxOpen).toBeLessThanOrEqual(4);
      await until(() => open <= openAt10, 2_000);
      expect(open).toBeLessThanOrEqual(Math.max(openAt10, 1));

      // Handles and timers: no type has more at attempt N than at attempt 10.
      const atN = resources();
      const show = (m: Map<string, number> | null) => [...(m ?? [])].map(([t, n]) => `${t}×${n}`).join(' ');
      process.stderr.write(`tui soak: ${ITERATIONS} retries, history keeps ${state.history.entries.length} (+${state.history.dropped} counted), at most ${maxOpen} server connection(s); handles at 10: ${show(at10)}; at ${ITERATIONS}: ${show(atN)}\n`);
      for (const [type, n] of atN) expect({ type, grew: Math.max(0, n - (at10?.get(type) ?? 0)) }).toEqual({ type, grew: 0 });
    } finally {
      screen.unmount();
    }
    // Quit closes everything the session opened: the server connections go back to none.
    expect(await until(() => open === 0, 15_000)).toBe(true);
  }, Math.max(120_000, ITERATIONS * 500));
});
