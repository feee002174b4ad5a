import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { liveSession, loaded, tokenPlugin } from '../ui/fixtures.ts';
import { renderTui, type Screen } from '../ui/render.ts';

/**
 * A secret split across a line wrap is still a secret: a narrow terminal must not show it in two
 * halves that a reader (or a screenshot OCR, or a copy of the pane) joins back together. The real
 * TUI is rendered at narrow widths against a real server on 127.0.0.1 with a secret in a request
 * header, another in a query parameter, and both echoed back in the 401 response body; every
 * frame, in every view, is searched for the secrets as written, with the wrapping undone, and for
 * any 12-character piece of them. Assertions use includes() so a failure never prints a secret.
 */

// Long and without separators, so every narrow width cuts it somewhere.
const HEADER_SECRET = 'hdrSecretQ7vK2mZp9XwLr4TnB8cYe3JdHs6FgUa1Wq5Ro0Pi';
const QUERY_SECRET = 'qrySecretM3nB7vC1xZ9lK5jH2gF8dS4aP6oI0uY7tR3eW5q';
const SECRETS = [HEADER_SECRET, QUERY_SECRET];
const WIDTHS = [40, 53, 61, 80];

let api: TestServer;
const screens: Screen[] = [];

beforeAll(async () => {
  api = await startServer((req, res) => {
    // A careless API that echoes what it was sent, in the body of its refusal.
    const sentToken = /^Bearer (.*)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const sentKey = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('api_key') ?? '';
    res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer error="invalid_token", error_description="The access token expired"' });
    // The echoed values come first, so even a one-line body preview reaches them.
    res.end(JSON.stringify({ t: sentToken, k: sentKey, error: 'invalid_token', detail: `token ${sentToken} with key ${sentKey} was rejected` }));
  });
});
afterAll(() => api.close());
afterEach(() => {
  for (const s of screens.splice(0)) s.unmount();
});

/** The frame as printed, then with the wrapping undone in the ways a reader would undo it. */
function readings(frame: string): string[] {
  const lines = frame.split('\n');
  const trimmed = lines.map((l) => l.trim());
  // Box borders and gutters at the edges of a wrapped line are not part of the text either.
  const unboxed = lines.map((l) => l.replace(/^[\s│┃║|>›▌▐]+|[\s│┃║|▌▐]+$/gu, ''));
  return [frame, trimmed.join(''), unboxed.join(''), frame.replace(/\s+/g, ''), unboxed.join('').replace(/\s+/g, '')];
}

function pieces(secret: string, size = 12): string[] {
  const out: string[] = [];
  for (let i = 0; i + size <= secret.length; i++) out.push(secret.slice(i, i + size));
  return out;
}

/** Which secret leaked how, without the secret: `header secret (rejoined 2), piece at 17`. */
function leaks(frames: readonly string[]): string[] {
  const found = new Set<string>();
  for (const frame of frames) {
    readings(frame).forEach((text, reading) => {
      SECRETS.forEach((secret, s) => {
        const label = s === 0 ? 'header secret' : 'query secret';
        if (text.includes(secret)) found.add(`${label}: whole, reading ${reading}`);
        pieces(secret).forEach((piece, at) => {
          if (text.includes(piece)) found.add(`${label}: 12-char piece at ${at}, reading ${reading}`);
        });
      });
    });
  }
  return [...found];
}

async function open(columns: number): Promise<Screen> {
  const spec = {
    method: 'GET',
    url: `${api.origin}/v1/me?api_key=${QUERY_SECRET}&page=2`,
    headers: [
      { name: 'Authorization', value: `Bearer ${HEADER_SECRET}` },
      { name: 'Accept', value: 'application/json' },
    ],
  };
  const screen = await renderTui({ open: liveSession(spec, loaded(tokenPlugin())), columns, rows: 40 });
  screens.push(screen);
  await screen.waitFor((f) => /#1 401/.test(f));
  return screen;
}

describe('a secret split across a line wrap in the TUI', () => {
  for (const columns of WIDTHS) {
    it(`is not readable at ${columns} columns, in the main view, the details, scrolled, and after a retry`, async () => {
      const screen = await open(columns);
      // The server really got (and echoed) both secrets: the screen had them to leak.
      expect(api.received.at(-1)?.headers.authorization === `Bearer ${HEADER_SECRET}`).toBe(true);
      expect((api.received.at(-1)?.url ?? '').includes(QUERY_SECRET)).toBe(true);

      // Every check's details (the test plugin has three rules), scrolled to the end, then back.
      for (let i = 0; i < 3; i++) {
        await screen.press('enter', 'pageDown', 'pageDown', 'pageDown', 'pageDown', 'escape', 'down');
      }
      await screen.press('R');
      await screen.waitFor((f) => /#2 401/.test(f));
      await screen.press('?');
      await screen.press('escape');
      // A narrower terminal still: the layout re-wraps everything.
      screen.resize(Math.max(30, columns - 9), 30);
      await screen.waitFor((f) => f.split('\n').length === 30);

      const frames = screen.frames();
      expect(frames.length).toBeGreaterThan(3);
      // The places where the secrets would be were on screen (masked): the check is not vacuous.
      expect(frames.some((f) => f.includes('Authorization: Bearer '))).toBe(true);
      expect(frames.some((f) => f.includes('api_key='))).toBe(true);
      expect(frames.some((f) => f.includes('body {"t":"'))).toBe(true);
      expect(frames.some((f) => f.includes('Evidence'))).toBe(true);
      expect(leaks(frames)).toEqual([]);
    });
  }

  it('the check itself finds a secret that is split by a wrap (it can fail)', () => {
    const wrapped = `x-token: ${HEADER_SECRET.slice(0, 20)}\n    ${HEADER_SECRET.slice(20)}\n`;
    expect(wrapped.includes(HEADER_SECRET)).toBe(false);
    expect(leaks([wrapped]).length).toBeGreaterThan(0);
    expect(leaks([`x-token: ${HEADER_SECRET.slice(0, 12)}…`]).length).toBeGreaterThan(0);
    expect(leaks(['Bearer hdrS…(sha256:0a1b2c3d)'])).toEqual([]);
  });
});
