/**
 * The in-process half of bench/5-soak.ts, bundled as the binary is and run with --expose-gc: the
 * TUI's real App rendered by Ink into a fake 80×24 terminal (frames are counted, not kept), driven
 * through its controller: N retries against SOAK_URL. Prints JSON: heap after a forced GC at the
 * start and the end, the active handles before, during and after quitting, and how many attempts
 * the history keeps.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { render } from 'ink';
import { createElement } from 'react';
import { openSession } from '../../src/cli/setup.ts';
import { initialSessionState } from '../../src/core/session.ts';
import { App } from '../../src/ui/App.tsx';
import { SessionController } from '../../src/ui/session-controller.ts';
import { createSessionStore } from '../../src/ui/session-store.ts';

function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const url = process.env.SOAK_URL!;
const token = process.env.SOAK_TOKEN!;
const count = Number(process.env.SOAK_COUNT ?? 1000);
const dir = mkdtempSync(path.join(tmpdir(), 'authdoctor-soak-'));
process.chdir(dir);

let frames = 0;
const stdout = Object.assign(
  new Writable({
    write(_chunk, _encoding, callback) {
      frames++;
      callback();
    },
  }),
  { columns: 80, rows: 24, isTTY: true },
);
const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin, ref: () => stdin, unref: () => stdin });

const before = resources();
const store = createSessionStore(initialSessionState({ describe: `GET ${url}`, method: 'GET', url, mode: 'unknown' }, { watchIntervalMs: 30_000 }));
const controller = new SessionController({ store, open: () => openSession({}, [url, '-H', `Authorization: Bearer ${token}`]), outputDir: dir });
const instance = render(createElement(App, { store, controller, color: true }), {
  stdout: stdout as unknown as NodeJS.WriteStream,
  stdin: stdin as unknown as NodeJS.ReadStream,
  stderr: stdout as unknown as NodeJS.WriteStream,
  exitOnCtrlC: false,
  patchConsole: false,
  alternateScreen: true,
  incrementalRendering: true,
  interactive: true,
});

/** Resolves once `n` requests were sent and nothing is running any more. */
const settled = (n: number) =>
  new Promise<void>((resolve, reject) => {
    const check = () => {
      const s = store.getState();
      if (s.fatal) return reject(new Error(`the session failed: ${s.fatal.message}`));
      if (s.requestCount >= n && s.phase === 'ready' && s.activity === null && s.next === null) {
        unsubscribe();
        resolve();
      }
    };
    const unsubscribe = store.subscribe(check);
    check();
  });

void controller.start();
await settled(1);
const heapStart = heap();
const rssStart = process.memoryUsage().rss;
const memoryStart = process.memoryUsage();
let during: Record<string, number> = {};
let heapMid = 0;
for (let k = 1; k <= count; k++) {
  controller.run('retry');
  await settled(k + 1);
  if (k === Math.floor(count / 2)) {
    during = resources();
    heapMid = heap();
  }
}
const heapEnd = heap();
const rssEnd = process.memoryUsage().rss;
const memoryEnd = process.memoryUsage();
const historyKept = store.getState().history.entries.length;
controller.dispose();
instance.unmount();
instance.cleanup();
// Let aborted work and closing sockets finish, then look at what is left.
await new Promise((resolve) => setTimeout(resolve, 300));
const afterQuit = resources();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(JSON.stringify({ retries: count, heapStart, heapMid, heapEnd, rssStart, rssEnd, before, during, afterQuit, historyKept, frames, memoryStart, memoryEnd }));
