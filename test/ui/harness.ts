import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startApi, type Api } from './fixtures.ts';
import { renderTui, type Screen } from './render.ts';

/**
 * The shared set-up of the TUI screen tests: one local API per test file, a temporary folder for
 * what the screen writes (copy as curl, markdown export), and every rendered screen unmounted
 * after its test. `api` and `dir` are live bindings, set once `useTuiHarness()`'s hooks have run.
 */
export let api: Api;
export let dir: string;
const screens: Screen[] = [];

export function useTuiHarness(): void {
  beforeAll(async () => {
    api = await startApi();
    dir = await mkdtemp(path.join(tmpdir(), 'authdoctor-tui-'));
  });
  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    for (const s of screens.splice(0)) s.unmount();
  });
}

/** Renders the TUI through the one render helper, writing its files into `dir`. */
export async function open(options: Parameters<typeof renderTui>[0]): Promise<Screen> {
  const screen = await renderTui({ outputDir: dir, ...options });
  screens.push(screen);
  return screen;
}
