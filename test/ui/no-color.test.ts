import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from './fixtures.ts';
import type { Screen } from './render.ts';

/*
 * Colour support is decided when the terminal libraries load, so this file forces colour on
 * before it loads them (dynamic imports): then the difference NO_COLOR makes is visible.
 */
let api: Api;
let fixtures: typeof import('./fixtures.ts');
let render: typeof import('./render.ts');

beforeAll(async () => {
  process.env.FORCE_COLOR = '1';
  fixtures = await import('./fixtures.ts');
  render = await import('./render.ts');
  api = await fixtures.startApi();
});
afterAll(async () => {
  delete process.env.FORCE_COLOR;
  await api.close();
});

// eslint-disable-next-line no-control-regex
const COLOUR = /\u001b\[(3[0-7]|9[0-7]|38;)/;

async function frameWith(color: boolean): Promise<{ raw: string; screen: Screen }> {
  const { bearerSpec, jwt, liveSession, loaded, tokenPlugin } = fixtures;
  const screen = await render.renderTui({ open: liveSession(bearerSpec(`${api.origin}/v1/me`, jwt(-600)), loaded(tokenPlugin())), color });
  await screen.waitFor('#1 401');
  return { raw: screen.rawFrame(), screen };
}

describe('NO_COLOR', () => {
  it('colours the statuses when colour is on', async () => {
    const { raw, screen } = await frameWith(true);
    screen.unmount();
    expect(COLOUR.test(raw)).toBe(true);
  });

  it('writes no colour at all when it is off, and the symbols still tell the statuses apart', async () => {
    const { raw, screen } = await frameWith(false);
    screen.unmount();
    expect(COLOUR.test(raw)).toBe(false);
    expect(render.stripAnsi(raw)).toContain('✖ Access token is expired');
    expect(render.stripAnsi(raw)).toContain('✔ Authorization header is present');
  });
});
