import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { definePlugin, defineRule } from '../../src/plugins/define.ts';
import type { RuleDefinition } from '../../src/core/plugin.ts';
import { exchangeFrom, RuleTester, runCase, type RuleTesterSuite, type TestFunction } from '../../src/testing/index.ts';
import { startServer } from '../helpers/server.ts';

const TOKEN = 'tok_9f8e7d6c5b4a3928170f1e2d';
const API = 'https://api.example.com/v1/me';

/** A rule that reads `{"error":"…"}` and is otherwise careful: the tester's happy path. */
const errorCode = defineRule({
  meta: { id: 'error-code', title: 'Error code', causes: ['expired_token', 'invalid_credentials'] },
  check(ctx) {
    const body = ctx.helpers.responseJson() as { error?: string } | undefined;
    if (body?.error === 'token_expired') return [{ cause: 'expired_token', confidence: 'definitive', messageId: 'expired', message: `The token ${ctx.mask(TOKEN)} expired.`, evidence: { code: body.error } }];
    if (body?.error === 'token_revoked') return [{ cause: 'invalid_credentials', confidence: 'definitive', messageId: 'revoked', message: 'Revoked.' }];
    return [];
  },
});

const expired = { request: { url: API, headers: { Authorization: `Bearer ${TOKEN}` } }, response: { status: 401, body: { error: 'token_expired' } } };
const fine = { request: { url: API, headers: { Authorization: `Bearer ${TOKEN}` } }, response: { status: 200, body: { id: 1 } } };

interface Collected {
  title: string;
  fn: () => Promise<void>;
}

/** Registers a suite with a stand-in framework that only collects the tests, so the test can run them and look at failures. */
function collect(run: (tester: RuleTester) => unknown, tester = new RuleTester()): Collected[] {
  const tests: Collected[] = [];
  const titles: string[] = [];
  RuleTester.describe = (title, fn) => {
    titles.push(title);
    fn();
    titles.pop();
  };
  RuleTester.it = ((title: string, fn: () => Promise<void>) => {
    tests.push({ title: [...titles, title].join(' > '), fn });
  }) as TestFunction;
  try {
    run(tester);
  } finally {
    RuleTester.describe = null;
    RuleTester.it = null;
  }
  return tests;
}

/** Runs collected tests; the message of each failure (undefined for a pass). */
async function failures(tests: Collected[]): Promise<(string | undefined)[]> {
  const out: (string | undefined)[] = [];
  for (const t of tests) {
    try {
      await t.fn();
      out.push(undefined);
    } catch (error) {
      out.push(error instanceof Error ? error.message : String(error));
    }
  }
  return out;
}

async function onlyFailure(rule: RuleDefinition<any>, suite: RuleTesterSuite): Promise<string> {
  const results = await failures(collect((t) => t.run('t/rule', rule, suite)));
  const failed = results.filter((r): r is string => r !== undefined);
  expect(failed).toHaveLength(1);
  return failed[0]!;
}

afterEach(() => {
  RuleTester.describe = null;
  RuleTester.it = null;
});

describe('RuleTester', () => {
  it('registers one test per case under describe(name) › valid/invalid, and passes a good suite', async () => {
    const tests = collect((t) =>
      t.run('t/error-code', errorCode, {
        valid: [fine, { name: 'an unrelated 401', request: { url: API }, response: { status: 401, body: 'nope' } }],
        invalid: [{ ...expired, findings: [{ cause: 'expired_token', messageId: 'expired', status: 'fail', confidence: 'definitive', ruleId: 't/error-code', evidence: { code: 'token_expired' } }], verdict: 'expired_token' }],
      }),
    );
    expect(tests.map((t) => t.title)).toEqual([
      't/error-code > valid > GET https://api.example.com/v1/me → 200',
      't/error-code > valid > an unrelated 401',
      't/error-code > invalid > GET https://api.example.com/v1/me → 401',
    ]);
    expect(await failures(tests)).toEqual([undefined, undefined, undefined]);
  });

  it('refuses a suite without valid cases, without invalid cases, or with an invalid case that expects nothing', () => {
    expect(() => collect((t) => t.run('t/x', errorCode, { valid: [], invalid: [{ ...expired, findings: [{ cause: 'expired_token', messageId: 'expired' }] }] }))).toThrow(
      'RuleTester.run("t/x"): it has no valid cases: add at least one exchange the rule must accept (valid: [...]).',
    );
    expect(() => collect((t) => t.run('t/x', errorCode, { valid: [fine] } as unknown as RuleTesterSuite))).toThrow(/it has no invalid cases: add at least one exchange the rule must report/);
    expect(() => collect((t) => t.run('t/x', errorCode, { valid: [fine], invalid: [{ ...expired, findings: [] }] }))).toThrow(/invalid case 1 lists no expected findings/);
    const misplaced = { ...expired, findings: [{ cause: 'expired_token' as const, messageId: 'expired' }] };
    expect(() => collect((t) => t.run('t/x', errorCode, { valid: [fine, misplaced], invalid: [misplaced] }))).toThrow(/valid case 2 lists findings: a case that expects findings belongs in invalid/);
  });

  it('refuses a rule that is not a valid rule, the way the plugin loader would', () => {
    const bad = { meta: { id: 'bad', title: 'Bad', causes: ['nope'] }, check: () => [] } as unknown as RuleDefinition;
    expect(() => collect((t) => t.run('t/bad', bad, { valid: [fine], invalid: [{ ...expired, findings: [{ cause: 'expired_token', messageId: 'expired' }] }] }))).toThrow(/rule bad: meta\.causes must list cause ids/);
  });

  it('fails an invalid case whose cause, messageId, count, evidence or verdict differ from what the rule reported', async () => {
    const cause = await onlyFailure(errorCode, { valid: [fine], invalid: [{ ...expired, findings: [{ cause: 'invalid_credentials', messageId: 'expired' }] }] });
    expect(cause).toContain('t/rule, invalid case 1 (GET https://api.example.com/v1/me → 401):');
    expect(cause).toContain('  - finding 1 should have cause invalid_credentials but has expired_token');
    expect(cause).toContain('Findings reported:\n  1. fail expired_token "expired" (definitive) from t/error-code:');

    const messageId = await onlyFailure(errorCode, { valid: [fine], invalid: [{ ...expired, findings: [{ cause: 'expired_token', messageId: 'token-expired' }] }] });
    expect(messageId).toContain('finding 1 should have messageId "token-expired" but has "expired"');

    const tooMany = await onlyFailure(errorCode, { valid: [fine], invalid: [{ ...expired, findings: [{ cause: 'expired_token', messageId: 'expired' }, { cause: 'expired_token', messageId: 'expired' }] }] });
    expect(tooMany).toContain('expected 2 findings but the rule reported 1');

    const evidence = await onlyFailure(errorCode, { valid: [fine], invalid: [{ ...expired, findings: [{ cause: 'expired_token', messageId: 'expired', evidence: { code: 'expired', skewSeconds: 3 } }] }] });
    expect(evidence).toContain('finding 1 should have evidence.code = "expired" but has "token_expired"');
    expect(evidence).toContain('finding 1 should have evidence.skewSeconds = 3 but has no skewSeconds');

    const verdict = await onlyFailure(errorCode, { valid: [fine], invalid: [{ ...expired, findings: [{ cause: 'expired_token', messageId: 'expired' }], verdict: 'clock_skew' }] });
    expect(verdict).toContain('the verdict should be clock_skew but is expired_token (from t/error-code)');
  });

  it('fails a valid case the rule reports, listing what it reported', async () => {
    const message = await onlyFailure(errorCode, { valid: [expired], invalid: [{ ...expired, findings: [{ cause: 'expired_token', messageId: 'expired' }] }] });
    expect(message).toContain('t/rule, valid case 1 (GET https://api.example.com/v1/me → 401):\n  - a valid case must report nothing, but the rule reported 1 finding');
    expect(message).toMatch(/1\. fail expired_token "expired" \(definitive\) from t\/error-code: The token tok_…\(28 chars, sha256:[0-9a-f]{8}\) expired\./);
  });

  it('fails findings without a messageId or a failing finding without a confidence, and messageIds that meta.messages does not declare', async () => {
    const sloppy = defineRule({ meta: { id: 'sloppy', title: 'Sloppy', causes: ['unknown'] }, check: (ctx) => (ctx.response?.status === 401 ? [{ cause: 'unknown', message: 'Something is off.' }] : []) });
    const message = await onlyFailure(sloppy, { valid: [fine], invalid: [{ ...expired, findings: [{ cause: 'unknown', messageId: 'off' }] }] });
    expect(message).toContain('finding 1 (t/sloppy) has no messageId: give every finding one');
    expect(message).toContain("finding 1 (t/sloppy) fails without a confidence: say 'definitive'");
    const declared = defineRule({
      meta: { id: 'declared', title: 'Declared', causes: ['unknown'], messages: { off: 'Something is off ({{what}}).' } },
      check: (ctx) => (ctx.response?.status === 401 ? [{ cause: 'unknown', confidence: 'possible', messageId: 'of', message: 'x' }] : []),
    });
    expect(await onlyFailure(declared, { valid: [fine], invalid: [{ ...expired, findings: [{ cause: 'unknown', messageId: 'of' }] }] })).toContain(
      'uses messageId "of", which meta.messages does not declare (it has "off")',
    );
  });

  it('fails a rule that throws, whatever the case expects', async () => {
    const boom = defineRule({ meta: { id: 'boom', title: 'Boom', causes: [] }, check: () => { throw new TypeError('cannot read error of undefined'); } });
    const results = await failures(collect((t) => t.run('t/boom', boom, { valid: [fine], invalid: [{ ...expired, findings: [{ cause: 'unknown', messageId: 'x' }] }] })));
    expect(results[0]).toContain('t/boom failed: Rule threw: TypeError: cannot read error of undefined');
    expect(results[1]).toContain('t/boom failed: Rule threw');
  });

  describe('secrets', () => {
    const leaky = (where: 'evidence' | 'message' | 'fixes') =>
      defineRule({
        meta: { id: 'leaky', title: 'Leaky', causes: ['invalid_credentials'] },
        check(ctx) {
          if (ctx.response?.status !== 401) return [];
          const carrier = ctx.helpers.credentials()[0];
          const basic = ctx.helpers.basic();
          const value = basic ? basic.password : (carrier?.credential ?? '');
          return [
            {
              cause: 'invalid_credentials',
              confidence: 'likely',
              messageId: 'leak',
              message: where === 'message' ? `Rejected: ${value}` : 'Rejected.',
              evidence: where === 'evidence' ? { sent: { value } } : {},
              fixes: where === 'fixes' ? [`Replace ${value} with a new one.`] : [],
            },
          ];
        },
      });

    it('fails when a finding carries the Authorization credential in clear in its evidence, and never prints it', async () => {
      const message = await onlyFailure(leaky('evidence'), { valid: [fine], invalid: [{ ...expired, findings: [{ cause: 'invalid_credentials', messageId: 'leak' }] }] });
      expect(message).toMatch(/finding 1 \(t\/leaky\) has the Authorization header's credential in clear in its evidence\.sent\.value \(the value tok_…\(28 chars, sha256:[0-9a-f]{8}\)\)\. Put ctx\.mask\(value\) in findings/);
      expect(message.includes(TOKEN)).toBe(false);
    });

    it('fails on a Basic password in a message and an API key from the query in a fix', async () => {
      const password = 'correct-horse-battery';
      const basic = { request: { url: API, headers: { Authorization: `Basic ${Buffer.from(`jane:${password}`).toString('base64')}` } }, response: { status: 401 } };
      const m1 = await onlyFailure(leaky('message'), { valid: [fine], invalid: [{ ...basic, findings: [{ cause: 'invalid_credentials', messageId: 'leak' }] }] });
      expect(m1).toContain('has the Basic password in clear in its message');
      expect(m1.includes(password)).toBe(false);
      const key = 'AIzaSyD-live-query-key-0123456789';
      const query = { request: { url: `https://maps.example.com/geocode?address=Berlin&key=${key}` }, response: { status: 401 } };
      const m2 = await onlyFailure(leaky('fixes'), { valid: [fine], invalid: [{ ...query, findings: [{ cause: 'invalid_credentials', messageId: 'leak' }] }] });
      expect(m2).toContain('has the key query parameter in clear in its fixes[0]');
      expect(m2.includes(key)).toBe(false);
    });

    it('passes the same findings when the rule masks the value with ctx.mask', async () => {
      const careful = defineRule({
        meta: { id: 'careful', title: 'Careful', causes: ['invalid_credentials'] },
        check: (ctx) => (ctx.response?.status === 401 ? [{ cause: 'invalid_credentials', confidence: 'likely', messageId: 'masked', message: `Rejected ${ctx.mask(ctx.helpers.credentials()[0]!.credential)}.`, evidence: { sent: ctx.mask(TOKEN) } }] : []),
      });
      const results = await failures(collect((t) => t.run('t/careful', careful, { valid: [fine], invalid: [{ ...expired, findings: [{ cause: 'invalid_credentials', messageId: 'masked' }] }] })));
      expect(results).toEqual([undefined, undefined]);
    });
  });

  describe('network', () => {
    it('fails a rule that uses ctx.http in a case without a server, even when the rule swallows the refusal', async () => {
      const probing = defineRule({
        meta: { id: 'probe', title: 'Probe', causes: [], network: true },
        async check(ctx) {
          await ctx.http.request({ url: 'https://auth.example.com/.well-known/jwks.json' }).catch(() => undefined);
          return [];
        },
      });
      const results = await failures(collect((t) => t.run('t/probe', probing, { valid: [fine], invalid: [{ ...expired, findings: [{ cause: 'unknown', messageId: 'x' }] }] })));
      expect(results[0]).toContain(
        't/probe used the network (GET https://auth.example.com/.well-known/jwks.json through ctx.http), but the case declares no server: network is denied in RuleTester cases.',
      );
    });

    it('denies connections a rule opens itself (fetch, node:http): a reachable server receives nothing', async () => {
      const outside = await startServer((_req, res) => res.end('{}'));
      try {
        const sneaky = (how: 'fetch' | 'http') =>
          defineRule({
            meta: { id: `sneaky-${how}`, title: 'Sneaky', causes: [] },
            async check() {
              if (how === 'fetch') await fetch(`${outside.origin}/phone-home`).catch(() => undefined);
              else
                await new Promise<void>((resolve) => {
                  const req = httpRequest(`${outside.origin}/phone-home`, () => resolve());
                  req.on('error', () => resolve());
                  req.end();
                });
              return [];
            },
          });
        for (const how of ['fetch', 'http'] as const) {
          const [valid] = await failures(collect((t) => t.run('t/sneaky', sneaky(how), { valid: [fine], invalid: [{ ...expired, findings: [{ cause: 'unknown', messageId: 'x' }] }] })));
          expect(valid).toContain(`t/sneaky-${how} used the network (a connection to 127.0.0.1:${outside.port}), but the case declares no server`);
        }
        expect(outside.received).toEqual([]);
      } finally {
        await outside.close();
      }
    });

    it("lets a network rule reach the case's own server, whose URL the case gets through the function form", async () => {
      const jwks = defineRule({
        meta: { id: 'jwks', title: 'JWKS', causes: ['invalid_credentials'], network: true },
        async check(ctx) {
          const res = await ctx.http.request({ url: `${ctx.profile.oauth2?.issuer}/jwks.json` });
          const { keys } = JSON.parse(res.body) as { keys: unknown[] };
          return keys.length === 0 ? [{ cause: 'invalid_credentials', confidence: 'likely', messageId: 'no-keys', message: 'The issuer publishes no signing keys.' }] : [];
        },
      });
      const serving = (keys: unknown[]) => ({ handler: (_req: unknown, res: import('node:http').ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys })) });
      const results = await failures(
        collect((t) =>
          t.run('t/jwks', jwks, {
            valid: [{ ...expired, server: serving([{ kid: 'a' }]), profile: (server) => ({ oauth2: { issuer: server.url } }) }],
            invalid: [{ ...expired, server: serving([]), profile: (server) => ({ oauth2: { issuer: server.url } }), findings: [{ cause: 'invalid_credentials', messageId: 'no-keys' }] }],
          }),
        ),
      );
      expect(results).toEqual([undefined, undefined]);
    });

    it("fails a rule that reaches past the case's server", async () => {
      const wandering = defineRule({
        meta: { id: 'wander', title: 'Wander', causes: [], network: true },
        async check(ctx) {
          await ctx.http.request({ url: 'https://auth.example.com/jwks.json' }).catch(() => undefined);
          return [];
        },
      });
      const server = { handler: (_req: unknown, res: import('node:http').ServerResponse) => res.end('{}') };
      const [valid] = await failures(collect((t) => t.run('t/wander', wandering, { valid: [{ ...fine, server }], invalid: [{ ...expired, findings: [{ cause: 'unknown', messageId: 'x' }] }] })));
      expect(valid).toContain("t/wander tried to reach GET https://auth.example.com/jwks.json through ctx.http, but the case's server is the only place a case may reach");
    });

    it('fails a rule that uses ctx.http without declaring meta.network, even against the case server', async () => {
      const undeclared = defineRule({
        meta: { id: 'undeclared', title: 'Undeclared', causes: [] },
        async check(ctx) {
          await ctx.http.request({ url: `${ctx.profile.oauth2?.issuer}/x` });
          return [];
        },
      });
      const server = { handler: (_req: unknown, res: import('node:http').ServerResponse) => res.end('{}') };
      const [valid] = await failures(collect((t) => t.run('t/undeclared', undeclared, { valid: [{ ...fine, server, profile: (s) => ({ oauth2: { issuer: s.url } }) }], invalid: [{ ...expired, findings: [{ cause: 'unknown', messageId: 'x' }] }] })));
      expect(valid).toContain('t/undeclared sends requests through ctx.http but does not declare meta.network: true');
    });

    it('sends a case without a response to its server for real, and the rule sees the live answer', async () => {
      const result = await runCase(errorCode, {
        server: { handler: (_req, res) => res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"token_revoked"}') },
        request: (server) => ({ url: `${server.url}/v1/me`, headers: { Authorization: `Bearer ${TOKEN}` } }),
      });
      expect(result.exchange.mode).toBe('live');
      expect(result.exchange.response?.status).toBe(401);
      expect(result.reported.map((f) => f.messageId)).toEqual(['revoked']);
      expect(result.serverRequests?.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([['GET', '/v1/me', `Bearer ${TOKEN}`]]);
    });
  });

  it('reads a case from a HAR entry, evaluated at the capture time', async () => {
    const har = {
      log: {
        version: '1.2',
        entries: [
          {
            startedDateTime: '2025-06-01T08:00:00.000Z',
            request: { method: 'GET', url: API, headers: [{ name: 'Authorization', value: `Bearer ${TOKEN}` }] },
            response: { status: 401, statusText: 'Unauthorized', headers: [{ name: 'Content-Type', value: 'application/json' }], content: { mimeType: 'application/json', text: '{"error":"token_expired"}' } },
          },
        ],
      },
    };
    expect(exchangeFrom({ har }).sentAt.toISOString()).toBe('2025-06-01T08:00:00.000Z');
    const results = await failures(collect((t) => t.run('t/error-code', errorCode, { valid: [fine], invalid: [{ har, entry: 1, findings: [{ cause: 'expired_token', messageId: 'expired' }] }] })));
    expect(results).toEqual([undefined, undefined]);
  });

  it('builds the exchange of a compact case: JSON bodies, reason phrases, the Date header as the send time', () => {
    const exchange = exchangeFrom({ request: { method: 'post', url: API, body: { a: 1 } }, response: { status: 403, headers: { Date: 'Tue, 03 Mar 2026 09:00:00 GMT' }, body: { error: 'forbidden' } } });
    expect(exchange.request).toEqual({ method: 'POST', url: API, headers: [{ name: 'content-type', value: 'application/json' }], body: '{"a":1}' });
    expect(exchange.response).toMatchObject({ status: 403, statusText: 'Forbidden', body: '{"error":"forbidden"}', mimeType: 'application/json' });
    expect(exchange.sentAt.toISOString()).toBe('2026-03-03T09:00:00.000Z');
    expect(() => exchangeFrom({ request: { url: API } })).toThrow(/The case has no response/);
  });

  it('uses the global describe/it when there are (vitest globals, mocha, jest) and lets RuleTester.describe/it override them', () => {
    const g = globalThis as { describe?: unknown; it?: unknown };
    const calls: string[] = [];
    g.describe = (title: string, fn: () => void) => {
      calls.push(`describe ${title}`);
      fn();
    };
    g.it = (title: string) => calls.push(`it ${title}`);
    try {
      void new RuleTester().run('t/global', errorCode, { valid: [fine], invalid: [{ ...expired, findings: [{ cause: 'expired_token', messageId: 'expired' }] }] });
      expect(calls).toEqual(['describe t/global', 'describe valid', `it GET ${API} → 200`, 'describe invalid', `it GET ${API} → 401`]);
      const mine: string[] = [];
      RuleTester.it = ((title: string) => mine.push(title)) as TestFunction;
      void new RuleTester().run('t/global', errorCode, { valid: [fine], invalid: [{ ...expired, findings: [{ cause: 'expired_token', messageId: 'expired' }] }] });
      expect(mine).toHaveLength(2);
    } finally {
      delete g.describe;
      delete g.it;
    }
  });

  it('without any framework, runs the cases itself and returns a promise that rejects with the failures', async () => {
    await expect(new RuleTester().run('t/plain', errorCode, { valid: [fine], invalid: [{ ...expired, findings: [{ cause: 'expired_token', messageId: 'expired' }] }] })).resolves.toBeUndefined();
    await expect(new RuleTester().run('t/plain', errorCode, { valid: [expired], invalid: [{ ...expired, findings: [{ cause: 'expired_token', messageId: 'expired' }] }] })).rejects.toThrow(
      /t\/plain, valid case 1 \(.*\):\n {2}- a valid case must report nothing/,
    );
  });

  it('tests a whole plugin: findings of every rule in declaration order, matched by rule id', async () => {
    const plugin = definePlugin({
      name: 'p',
      rules: [
        defineRule({ meta: { id: 'advice', title: 'Advice', causes: [] }, check: (ctx) => (ctx.response?.status === 401 ? [{ status: 'warn', cause: null, messageId: 'tip', message: 'A tip.' }] : []) }),
        errorCode,
      ],
    });
    const results = await failures(
      collect((t) =>
        t.run('p', plugin, {
          valid: [fine],
          invalid: [{ ...expired, findings: [{ ruleId: 'advice', cause: null, status: 'warn', messageId: 'tip' }, { ruleId: 'p/error-code', cause: 'expired_token', messageId: 'expired' }], verdict: 'expired_token' }],
        }),
      ),
    );
    expect(results).toEqual([undefined, undefined]);
  });
});

describe('RuleTester under node:test', () => {
  const here = path.dirname(fileURLToPath(import.meta.url));

  function nodeTest(file: string): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', '--test', '--test-reporter=spec', path.join(here, 'fixtures', file)], { cwd: here, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
      child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, output }));
    });
  }

  it('runs each case as a node:test test, from source with type stripping, and passes a good suite', async () => {
    const { code, output } = await nodeTest('node-test-pass.ts');
    expect(output).toMatch(/✔ GET https:\/\/api\.example\.com\/v1\/me → 200/);
    expect(output).toMatch(/✔ an expired token/);
    expect(output).toMatch(/ℹ pass 3\b/);
    expect(output).toMatch(/ℹ fail 0\b/);
    expect(code).toBe(0);
  });

  it('reports a failing case as a failed node:test test with the tester’s message', async () => {
    const { code, output } = await nodeTest('node-test-fail.ts');
    expect(output).toMatch(/✖ an expired token/);
    expect(output).toContain('finding 1 should have cause clock_skew but has expired_token');
    expect(output).toMatch(/ℹ pass 1\b/);
    expect(output).toMatch(/ℹ fail 1\b/);
    expect(code).toBe(1);
  });
});
