import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/core/engine.ts';
import type { LoadedPlugin } from '../../src/core/plugin.ts';
import { Redactor } from '../../src/core/redact.ts';
import { buildReport } from '../../src/core/report.ts';
import type { RequestSpec } from '../../src/core/types.ts';
import { parseCurlArgs } from '../../src/inputs/curl.ts';
import { loadPlugins } from '../../src/plugins/loader.ts';
import { formatReport } from '../../src/reporters/index.ts';
import { fc, secretArb } from '../property/fc.ts';
import { freePort, startServer, type TestServer } from '../helpers/server.ts';
import { brokenMasks, leaks } from './leaks.ts';

/**
 * DESIGN.md §4: secrets never leave in clear. A random secret, put where credentials travel — a
 * header, the query, the URL's userinfo, a JSON or form body, a token endpoint's answer, a cookie
 * the server sets — never appears in any report format, however the text reporter wraps it, even
 * when the server echoes the whole request back (as many error pages do) and even when the
 * request never got an answer (the error path). In-process through the Engine, as `check` runs
 * it, so that hundreds of cases stay fast; test/security/secrets-cli.test.ts runs a few through
 * the real CLI.
 */

let plugins: LoadedPlugin[];
let echo: TestServer;
let refusedPort: number;
/** Secrets the echo server hands out as tokens, by request id: they never travel in the request. */
const minted = new Map<string, string>();

beforeAll(async () => {
  plugins = await loadPlugins();
  // Echoes everything it received, and plays a token endpoint when asked to.
  echo = await startServer((req, res, body) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const mint = minted.get(url.searchParams.get('mint') ?? '');
    if (mint) {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Set-Cookie': `session=${mint}; Path=/; HttpOnly` });
      res.end(JSON.stringify({ access_token: mint, token_type: 'Bearer', expires_in: 3600, refresh_token: mint, id_token: mint, pad: 'x'.repeat(Number(url.searchParams.get('pad') ?? 0)) }));
      return;
    }
    res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer error="invalid_token"', 'X-Echo-Authorization': String(req.headers.authorization ?? '') });
    res.end(JSON.stringify({ error: 'invalid_token', message: `rejected ${req.headers.authorization ?? ''} for ${req.url}`, headers: req.headers, body }));
  });
  refusedPort = await freePort();
});
afterAll(() => echo.close());

type Place =
  | 'bearer' | 'basic' | 'api-key-header' | 'private-token' | 'cookie' | 'query-access-token' | 'query-api-key' | 'query-key'
  | 'userinfo' | 'json-client-secret' | 'json-password' | 'form-client-secret' | 'form-password' | 'form-refresh-token'
  | 'token-response' | 'oauth2-bearer';

const PLACES: Place[] = ['bearer', 'basic', 'api-key-header', 'private-token', 'cookie', 'query-access-token', 'query-api-key', 'query-key', 'userinfo', 'json-client-secret', 'json-password', 'form-client-secret', 'form-password', 'form-refresh-token', 'token-response', 'oauth2-bearer'];

/** curl-like argv (what `authdoctor check URL …` gets) with the secret at `place`. */
function argvFor(place: Place, secret: string, origin: string, pad: number): string[] {
  const q = (k: string) => `${origin}/v1/me?${new URLSearchParams({ [k]: secret, page: '2' })}`;
  const padding = 'p'.repeat(pad);
  switch (place) {
    case 'bearer': return [`${origin}/v1/me`, '-H', `Authorization: Bearer ${secret}`];
    case 'oauth2-bearer': return [`${origin}/v1/me`, '--oauth2-bearer', secret];
    case 'basic': return [`${origin}/v1/me`, '-u', `alice:${secret}`];
    case 'api-key-header': return [`${origin}/v1/me`, '-H', `X-API-Key: ${secret}`];
    case 'private-token': return [`${origin}/v1/me`, '-H', `Private-Token: ${secret}`];
    case 'cookie': return [`${origin}/v1/me`, '-b', `theme=dark; session=${secret}`];
    case 'query-access-token': return [q('access_token')];
    case 'query-api-key': return [q('api_key')];
    case 'query-key': return [q('key')];
    case 'userinfo': return [origin.replace('http://', `http://alice:${encodeURIComponent(secret)}@`) + '/v1/me'];
    case 'json-client-secret': return [`${origin}/oauth/token`, '--json', JSON.stringify({ grant_type: 'client_credentials', client_id: 'app', padding, client_secret: secret })];
    case 'json-password': return [`${origin}/login`, '--json', JSON.stringify({ username: 'alice', padding, password: secret })];
    case 'form-client-secret': return [`${origin}/oauth/token`, '-d', `grant_type=client_credentials&client_id=app&padding=${padding}&client_secret=${encodeURIComponent(secret)}`];
    case 'form-password': return [`${origin}/oauth/token`, '-d', `grant_type=password&username=alice&padding=${padding}&password=${encodeURIComponent(secret)}`];
    case 'form-refresh-token': return [`${origin}/oauth/token`, '--data-urlencode', 'grant_type=refresh_token', '--data-urlencode', `padding=${padding}`, '--data-urlencode', `refresh_token=${secret}`];
    case 'token-response': {
      const id = String(minted.size + 1);
      minted.set(id, secret);
      return [`${origin}/oauth/token?${new URLSearchParams({ mint: id, pad: String(pad) })}`];
    }
  }
}

async function diagnose(spec: RequestSpec) {
  const redactor = new Redactor(); // fresh per case: a remembered secret must not hide a leak
  const engine = new Engine({ plugins, redactor, timeouts: { connect: 2_000, response: 5_000 } });
  const diagnosis = await engine.diagnoseLive(spec);
  const report = buildReport({ version: 't', exchange: diagnosis.exchange, evaluatedAt: diagnosis.evaluatedAt, scheme: diagnosis.scheme, verdict: diagnosis.verdict, findings: diagnosis.findings, requests: engine.recorder.list() }, redactor);
  return report;
}

describe('random secrets in random places never appear in any output', () => {
  it('through every report format, at any terminal width, verbose or not', async () => {
    const seen = { answered: 0, refused: 0, truncated: 0, places: new Set<string>() };
    await fc.assert(
      fc.asyncProperty(secretArb(), fc.constantFrom(...PLACES), fc.integer({ min: 20, max: 200 }), fc.boolean(), fc.oneof(fc.constant(0), fc.integer({ min: 1900, max: 2100 })), fc.boolean(), async (secret, place, width, verbose, pad, reachable) => {
        // token-response needs the server to mint the secret: always reachable.
        const origin = reachable || place === 'token-response' ? echo.origin : `http://127.0.0.1:${refusedPort}`;
        const spec = parseCurlArgs(argvFor(place, secret, origin, pad));
        const report = await diagnose(spec);
        seen.places.add(place);
        if (report.response) seen.answered++;
        else seen.refused++;
        if (report.response?.bodyTruncated || (report.request.body?.length ?? 0) >= 2000) seen.truncated++;
        const outputs: [string, string][] = [
          ['json', formatReport(report, 'json')],
          ['markdown', formatReport(report, 'markdown')],
          ['text', formatReport(report, 'text', { width, verbose, color: false })],
          ['text (colour)', formatReport(report, 'text', { width, verbose, color: true })],
        ];
        for (const [format, output] of outputs) {
          // Labels only: a failure message names the format and the form, never the secret.
          expect({ format, place, leaks: leaks(output, secret) }).toEqual({ format, place, leaks: [] });
        }
        const text = outputs[2]![1];
        expect({ place, brokenMasks: brokenMasks(text) }).toEqual({ place, brokenMasks: 0 });
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 150) },
    );
    // The cases really went through both paths, and bodies were cut at the report's limit.
    expect(seen.answered).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
    expect(seen.truncated).toBeGreaterThan(0);
    expect(seen.places.size).toBeGreaterThan(PLACES.length / 2);
  }, 300_000);
});
