import { render } from 'ink';
import type { Session } from '../cli/setup.ts';
import { initialSessionState, type TargetView } from '../core/session.ts';
import { App } from './App.tsx';
import { SessionController } from './session-controller.ts';
import { createSessionStore } from './session-store.ts';

export interface StartTuiOptions {
  /** What argv already tells about the target: painted in the first frame. */
  target: TargetView;
  /** Config → target → plugins → engine; runs after the first frame is on screen. */
  open: (signal: AbortSignal) => Promise<Session>;
  /** Colours (false under NO_COLOR / --no-color). */
  color: boolean;
  /** Start in watch mode. */
  watch: boolean;
  /** Watch mode's re-check interval, ms. */
  watchIntervalMs: number;
}

export interface TuiOutcome {
  controller: SessionController;
}

/**
 * Renders the screen at once (before config, plugins and the request), then opens the session in
 * the background. Resolves when the user quits and the terminal is restored.
 */
export async function startTui(options: StartTuiOptions): Promise<TuiOutcome> {
  const store = createSessionStore(initialSessionState(options.target, { watchIntervalMs: options.watchIntervalMs }));
  const controller = new SessionController({ store, open: options.open, watch: options.watch });
  const instance = render(<App store={store} controller={controller} color={options.color} />, {
    // The alternate screen, as in less and htop: the shell's scrollback is untouched and comes back on quit.
    alternateScreen: true,
    // Only changed lines are rewritten: a ticking countdown does not repaint the checks.
    incrementalRendering: true,
    // Ctrl+C is a key binding (quit), so that work is aborted and the terminal restored in order.
    exitOnCtrlC: false,
    // The caller checked that stdout is a terminal; do not let a CI variable turn the screen off.
    interactive: true,
  });
  void controller.start();
  try {
    await instance.waitUntilExit();
  } finally {
    controller.dispose();
  }
  return { controller };
}
