import { render as inkRender } from 'ink-testing-library';
import { createElement, Fragment, useEffect, type ReactNode } from 'react';
import type { Session } from '../../src/cli/setup.ts';
import { initialSessionState, type SessionState, type TargetView } from '../../src/core/session.ts';
import { App } from '../../src/ui/App.tsx';
import { SessionController } from '../../src/ui/session-controller.ts';
import { createSessionStore, type SessionStore } from '../../src/ui/session-store.ts';

/**
 * The one way screen tests render the TUI (gemini-cli's render helper is the model): input is
 * written only after the first effect has run (so ink's input handlers are subscribed), and tests
 * wait for text to appear instead of sleeping.
 */

/** Keys by name, as a terminal sends them. */
export const KEYS = {
  up: '\u001b[A',
  down: '\u001b[B',
  right: '\u001b[C',
  left: '\u001b[D',
  enter: '\r',
  escape: '\u001b',
  tab: '\t',
  pageDown: '\u001b[6~',
  pageUp: '\u001b[5~',
  ctrlC: '\u0003',
} as const;

export interface RenderOptions {
  open: (signal: AbortSignal) => Promise<Session>;
  target?: TargetView;
  columns?: number;
  rows?: number;
  color?: boolean;
  now?: () => number;
  outputDir?: string;
  watch?: boolean;
  watchIntervalMs?: number;
}

export interface Screen {
  store: SessionStore;
  controller: SessionController;
  /** The last frame, without ANSI codes. */
  frame(): string;
  /** The last frame as written (with any ANSI codes). */
  rawFrame(): string;
  /** Every frame written so far. */
  frames(): string[];
  /** Types keys (names from KEYS or literal text), one write each, after pending effects ran. */
  press(...keys: string[]): Promise<void>;
  /** Waits until the frame satisfies the check; returns that frame. Fails with the last frame. */
  waitFor(check: string | RegExp | ((frame: string) => boolean), timeoutMs?: number): Promise<string>;
  /** Waits until the session state satisfies the check. */
  waitForState(check: (state: SessionState) => boolean, timeoutMs?: number): Promise<SessionState>;
  resize(columns: number, rows: number): void;
  quitted(): boolean;
  unmount(): void;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

function EffectProbe({ onEffect, children }: { onEffect: () => void; children: ReactNode }) {
  // A parent's effects run after its children's: when this runs, every useInput is subscribed.
  useEffect(() => onEffect(), [onEffect]);
  return createElement(Fragment, null, children);
}

/** Lets React flush passive effects (a newly mounted input handler) before the next write. */
const settle = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

export async function renderTui(options: RenderOptions): Promise<Screen> {
  const store = createSessionStore(
    initialSessionState(options.target ?? { describe: 'the request', mode: 'live' }, { watchIntervalMs: options.watchIntervalMs ?? 30_000 }),
  );
  const controller = new SessionController({ store, open: options.open, outputDir: options.outputDir, watch: options.watch, now: options.now });
  let quit = false;
  let ready!: () => void;
  const effected = new Promise<void>((resolve) => (ready = resolve));
  const app = createElement(App, { store, controller, color: options.color ?? false, now: options.now, onQuit: () => (quit = true) });
  const instance = inkRender(createElement(EffectProbe, { onEffect: ready, children: app }));
  const stdout = instance.stdout as unknown as NodeJS.EventEmitter & { columns: number; rows: number };
  const resize = (columns: number, rows: number) => {
    Object.defineProperty(stdout, 'columns', { value: columns, configurable: true });
    Object.defineProperty(stdout, 'rows', { value: rows, configurable: true });
    stdout.emit('resize');
  };
  resize(options.columns ?? 80, options.rows ?? 24);
  await effected;
  void controller.start();

  const frame = () => stripAnsi(instance.lastFrame() ?? '');
  const poll = async <T>(get: () => T, ok: (value: T) => boolean, describe: (value: T) => string, timeoutMs: number): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = get();
      if (ok(value)) return value;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms; last: ${describe(value)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  return {
    store,
    controller,
    frame,
    rawFrame: () => instance.lastFrame() ?? '',
    frames: () => instance.frames.map(stripAnsi),
    async press(...keys) {
      for (const key of keys) {
        await settle();
        instance.stdin.write(key in KEYS ? KEYS[key as keyof typeof KEYS] : key);
      }
      await settle();
    },
    waitFor(check, timeoutMs = 5_000) {
      const ok = typeof check === 'string' ? (f: string) => f.includes(check) : check instanceof RegExp ? (f: string) => check.test(f) : check;
      return poll(frame, ok, (f) => `frame:\n${f}`, timeoutMs);
    },
    waitForState(check, timeoutMs = 5_000) {
      return poll(() => store.getState(), check, (s) => `phase ${s.phase}, notice ${JSON.stringify(s.notice)}`, timeoutMs);
    },
    resize,
    quitted: () => quit,
    unmount() {
      controller.dispose();
      instance.unmount();
      instance.cleanup();
    },
  };
}
