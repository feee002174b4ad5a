/**
 * The Acme plugin's tests: one RuleTester table per rule, and the action against a real local
 * server. In your own plugin import from 'authdoctor/testing'; this example imports the source so
 * that it runs in this repository without a build.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuleTester } from '../../../src/testing/index.ts';
import { Engine } from '../../../src/core/engine.ts';
import { Redactor } from '../../../src/core/redact.ts';
import acme from './index.ts';
import keyRevoked from './rules/key-revoked.ts';
import environmentMismatch from './rules/environment-mismatch.ts';
import clockDrift from './rules/clock-drift.ts';
import missingPermission from './rules/missing-permission.ts';

// vitest runs here without `globals`, so RuleTester is told which describe/it to use.
RuleTester.describe = describe;
RuleTester.it = it;

const LIVE_KEY = 'acme_live_7Qm2Vx9KpL4tR8wZ3nB6cY1dF5gH0jS2';
const TEST_KEY = 'acme_test_Jd83nQp0Wz5LmX2cV7bR1tK9yH4sG6fA';
const PROD = 'https://api.acme-cloud.example';
const SANDBOX = 'https://sandbox.api.acme-cloud.example';

const ok = { status: 200, body: { projects: [] } };
const acmeError = (status: number, error: Record<string, unknown>) => ({ status, headers: { 'content-type': 'application/json' }, body: { error } });

const tester = new RuleTester({ plugin: 'acme', now: '2026-03-02T10:00:00Z' });

tester.run('acme/key-revoked', keyRevoked, {
  valid: [
    { request: { url: `${PROD}/v1/projects`, headers: { Authorization: `Bearer ${LIVE_KEY}` } }, response: ok },
    { name: 'another Acme code is not a revocation', request: { url: `${PROD}/v1/projects`, headers: { Authorization: `Bearer ${LIVE_KEY}` } }, response: acmeError(403, { code: 'ACME-3001', message: 'Missing permission', required_scope: 'projects:write' }) },
    { name: 'a 401 that is not Acme’s', request: { url: `${PROD}/v1/projects` }, response: { status: 401, body: { message: 'Unauthorized' } } },
  ],
  invalid: [
    {
      request: { url: `${PROD}/v1/projects`, headers: { Authorization: `Bearer ${LIVE_KEY}` } },
      response: acmeError(401, { code: 'ACME-1001', message: 'API key revoked', request_id: 'req_1a2b3c' }),
      findings: [{ cause: 'invalid_credentials', messageId: 'key-revoked', confidence: 'definitive', evidence: { code: 'ACME-1001', requestId: 'req_1a2b3c' } }],
      verdict: 'invalid_credentials',
    },
  ],
});

tester.run('acme/environment-mismatch', environmentMismatch, {
  valid: [
    { name: 'a live key in production', request: { url: `${PROD}/v1/projects`, headers: { Authorization: `Bearer ${LIVE_KEY}` } }, response: ok },
    { name: 'a sandbox key in the sandbox, refused for another reason', request: { url: `${SANDBOX}/v1/projects`, headers: { Authorization: `Bearer ${TEST_KEY}` } }, response: acmeError(401, { code: 'ACME-1001', message: 'API key revoked' }) },
    { name: 'a sandbox-looking key that production accepted is not reported', request: { url: `${PROD}/v1/projects`, headers: { Authorization: `Bearer ${TEST_KEY}` } }, response: ok },
    { name: 'not Acme at all', request: { url: 'https://api.example.com/v1/me', headers: { Authorization: `Bearer ${TEST_KEY}` } }, response: { status: 401 } },
  ],
  invalid: [
    {
      name: 'Acme says ACME-1003',
      request: { url: `${PROD}/v1/projects`, headers: { Authorization: `Bearer ${TEST_KEY}` } },
      response: acmeError(401, { code: 'ACME-1003', message: 'Sandbox key used against production' }),
      findings: [{ cause: 'invalid_credentials', messageId: 'environment-rejected', confidence: 'definitive', evidence: { keyEnvironment: 'sandbox', apiEnvironment: 'production', code: 'ACME-1003' } }],
    },
    {
      name: 'a live key sent to the sandbox, from the prefix alone',
      request: { url: `${SANDBOX}/v1/projects`, headers: { Authorization: `Bearer ${LIVE_KEY}` } },
      response: { status: 401, body: 'Unauthorized' },
      findings: [{ cause: 'invalid_credentials', messageId: 'environment-prefix', confidence: 'likely', evidence: { keyEnvironment: 'production', apiEnvironment: 'sandbox', keyPrefix: 'acme_live_' } }],
    },
  ],
});

tester.run('acme/clock-drift', clockDrift, {
  valid: [
    { request: { url: `${PROD}/v1/projects`, headers: { Authorization: `Bearer ${LIVE_KEY}`, 'Acme-Timestamp': '1772445600' } }, response: ok },
  ],
  invalid: [
    {
      name: 'client 20 minutes behind, from a mitmproxy capture',
      har: new URL('./fixtures/clock-drift.har', import.meta.url),
      findings: [{ cause: 'clock_skew', messageId: 'clock-drift', confidence: 'definitive', evidence: { skewSeconds: 1200, serverTime: '2026-03-02T10:20:00.000Z' } }],
    },
    {
      name: 'client ahead, no Acme-Timestamp header: the send time counts',
      now: '2026-03-02T10:10:00Z',
      request: { url: `${PROD}/v1/projects`, headers: { Authorization: `Bearer ${LIVE_KEY}` } },
      response: acmeError(401, { code: 'ACME-2001', message: 'Request timestamp outside the allowed window', server_time: '2026-03-02T10:00:00Z' }),
      findings: [{ cause: 'clock_skew', messageId: 'clock-drift', evidence: { skewSeconds: -600, clientTimeFrom: 'send time (no Acme-Timestamp header)' } }],
    },
    {
      name: 'no server_time in the answer',
      request: { url: `${PROD}/v1/projects`, headers: { Authorization: `Bearer ${LIVE_KEY}`, 'Acme-Timestamp': '1772445600' } },
      response: acmeError(401, { code: 'ACME-2001', message: 'Request timestamp outside the allowed window' }),
      findings: [{ cause: 'clock_skew', messageId: 'clock-drift-unmeasured' }],
    },
  ],
});

tester.run('acme/missing-permission', missingPermission, {
  valid: [{ request: { method: 'POST', url: `${PROD}/v1/invoices`, headers: { Authorization: `Bearer ${LIVE_KEY}` }, body: { amount: 10 } }, response: { status: 201, body: { id: 'inv_1' } } }],
  invalid: [
    {
      request: { method: 'GET', url: `${PROD}/v1/billing/invoices`, headers: { Authorization: `Bearer ${LIVE_KEY}` } },
      response: acmeError(403, { code: 'ACME-3001', message: 'The key lacks the permission required for this operation', required_scope: 'billing:read' }),
      findings: [{ cause: 'insufficient_permissions', messageId: 'missing-scope', evidence: { requiredScope: 'billing:read', operation: 'GET /v1/billing/invoices' }, actions: ['acme/key-info'] }],
    },
  ],
});

// The whole plugin at once: the verdict ranks a definitive ACME-1003 over the prefix inference.
tester.run('acme', acme, {
  valid: [{ request: { url: `${PROD}/v1/projects`, headers: { Authorization: `Bearer ${LIVE_KEY}` } }, response: ok, verdict: 'none' }],
  invalid: [
    {
      request: { url: `${PROD}/v1/projects`, headers: { Authorization: `Bearer ${TEST_KEY}` } },
      response: acmeError(401, { code: 'ACME-1003', message: 'Sandbox key used against production' }),
      findings: [{ ruleId: 'environment-mismatch', cause: 'invalid_credentials', messageId: 'environment-rejected' }],
      verdict: 'invalid_credentials',
    },
  ],
});

describe('acme/key-info', () => {
  let server: Server;
  let origin: string;
  const seen: (string | undefined)[] = [];

  beforeAll(async () => {
    // Acme's key introspection, as its README documents it.
    server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      if (req.url !== '/v1/keys/self' || req.headers.authorization !== `Bearer ${LIVE_KEY}`) {
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'ACME-1001', message: 'API key revoked' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ key: { id: 'key_42', environment: 'production', scopes: ['projects:read', 'billing:write'] } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('is offered for Acme requests only', () => {
    const engine = new Engine({ plugins: [{ plugin: acme, source: 'examples/plugins/acme', builtin: false }], redactor: new Redactor() });
    const spec = (url: string) => ({ method: 'GET', url, headers: [{ name: 'Authorization', value: `Bearer ${LIVE_KEY}` }] });
    expect(engine.availableActions(spec(`${PROD}/v1/projects`), null).map((a) => a.id)).toEqual(['acme/key-info']);
    expect(engine.availableActions(spec('https://api.example.com/v1/me'), null)).toEqual([]);
  });

  it("asks Acme for the key's scopes with the same key and says whether the required one is there", async () => {
    const redactor = new Redactor();
    const engine = new Engine({ plugins: [{ plugin: acme, source: 'examples/plugins/acme', builtin: false }], redactor });
    // The action only talks to the host the request went to; here that is the local stand-in for Acme.
    const spec = { method: 'GET', url: `${origin}/v1/billing/invoices`, headers: [{ name: 'Authorization', value: `Bearer ${LIVE_KEY}` }] };
    const finding = { ruleId: 'acme/missing-permission', plugin: 'acme', status: 'fail' as const, cause: 'insufficient_permissions' as const, title: 't', message: 'm', evidence: { requiredScope: 'billing:read' }, fixes: [] };
    const exchange = { mode: 'live' as const, request: spec, response: null, redirects: [], sentAt: new Date() };
    const result = await engine.runAction('acme/key-info', spec, { exchange, findings: [finding], verdict: { cause: 'insufficient_permissions', ruleId: finding.ruleId, summary: '' }, evaluatedAt: new Date(), scheme: 'bearer' });
    expect(result).toMatchObject({ ok: true, retry: false, details: { id: 'key_42', scopes: ['projects:read', 'billing:write'], requiredScope: 'billing:read', hasRequiredScope: false } });
    expect(result.message).toBe('Key key_42 (production) has the scopes projects:read, billing:write. It does not have billing:read.');
    expect(seen).toEqual([`Bearer ${LIVE_KEY}`]);
    expect(engine.recorder.total).toBe(1);
  });
});
