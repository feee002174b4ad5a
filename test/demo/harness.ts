import type { SessionState } from '../../src/core/session.ts';
import { initialSessionState } from '../../src/core/session.ts';
import type { DemoCloud } from '../../src/demo/cloud.ts';
import { demoTargetView, openDemoSession } from '../../src/demo/session.ts';
import { keyContext } from '../../src/ui/App.tsx';
import { matchKey, type KeyState } from '../../src/ui/key-bindings.ts';
import { SessionController } from '../../src/ui/session-controller.ts';
import { createSessionStore, type SessionStore } from '../../src/ui/session-store.ts';

/**
 * Runs a demo scenario the way the TUI does — the session controller and its store, without the
 * rendering — and presses keys through the TUI's one key registry, so a test of "press r" runs
 * exactly what the r key runs on screen.
 */
export interface DemoRun {
  store: SessionStore;
  controller: SessionController;
  state(): SessionState;
  /** Presses keys written as in a scenario's `fix.keys` (`e Enter`, `Esc 2`), each after the screen settled. */
  press(keys: string): Promise<void>;
  /** Waits until nothing runs (no action, no attempt being built). */
  idle(timeoutMs?: number): Promise<SessionState>;
  dispose(): void;
}

export function isIdle(s: SessionState): boolean {
  return s.activity === null && s.next === null && s.attempt?.verdict != null && !['loading', 'sending', 'checking', 'acting'].includes(s.phase);
}

export async function waitForState(store: SessionStore, check: (s: SessionState) => boolean, what: string, timeoutMs = 15_000): Promise<SessionState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = store.getState();
    if (check(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; phase ${s.phase}, activity ${s.activity?.label ?? 'none'}, notice ${JSON.stringify(s.notice)}, fatal ${JSON.stringify(s.fatal)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** `Enter`, `Esc`, `Tab` or a printable character → what ink reports for it. */
function keyOf(token: string): { input: string; key: KeyState } {
  if (token === 'Enter') return { input: '\r', key: { return: true } };
  if (token === 'Esc') return { input: '\u001b', key: { escape: true } };
  if (token === 'Tab') return { input: '\t', key: { tab: true } };
  return { input: token, key: {} };
}

export async function runScenario(cloud: DemoCloud, name: string): Promise<DemoRun> {
  const scenario = cloud.scenario(name)!;
  const store = createSessionStore(initialSessionState(demoTargetView(cloud, scenario)));
  const controller = new SessionController({ store, open: () => openDemoSession(cloud, name), outputDir: cloud.dir });
  void controller.start();
  const idle = (timeoutMs = 20_000) => waitForState(store, isIdle, `${name} to settle`, timeoutMs);
  await idle();
  return {
    store,
    controller,
    state: () => store.getState(),
    idle,
    async press(keys) {
      for (const token of keys.split(/\s+/).filter(Boolean)) {
        const state = store.getState();
        const context = keyContext(state);
        const { input, key } = keyOf(token);
        const match = matchKey(context, input, key);
        if (!match) throw new Error(`"${token}" does nothing in the ${context} context`);
        controller.run(match.binding.command, { index: match.index });
        // An edit overlay waits for Enter; anything else runs until the screen settles.
        if (store.getState().overlay.kind !== 'edit') await idle();
      }
    },
    dispose: () => controller.dispose(),
  };
}
