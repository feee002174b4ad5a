import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../../rules/aws-sigv4/index.ts';
import { sigv4Auth } from '../../../rules/aws-sigv4/auth.ts';
import { signOutgoing } from '../../../rules/aws-sigv4/lib/sign.ts';
import { forgetAll, rememberCredentials } from '../../../rules/aws-sigv4/lib/memory.ts';
import { forgetResolved } from '../../../rules/aws-sigv4/lib/credentials.ts';
import { createRuleHttpClient, RequestRecorder, sendRequest } from '../../../src/core/http.ts';
import { Redactor } from '../../../src/core/redact.ts';
import { runRules } from '../../../src/core/runner.ts';
import { decideVerdict } from '../../../src/core/verdict.ts';
import type { ActionContext, ActionDefinition, OutgoingRequest, ProfileHints } from '../../../src/core/plugin.ts';
import type { Exchange, Finding, RequestSpec } from '../../../src/core/types.ts';
import { deniedHttp } from '../../helpers/exchange.ts';
import { startHostRewritingProxy, startSigV4Server, type SigV4Server } from '../../helpers/sigv4-server.ts';

const KEY = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const WRONG_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGWRONG';
const OLD_TEMP = { accessKeyId: 'ASIAOLDTEMPORARY0001', secretAccessKey: 'oldSecretOldSecretOldSecretOldSecret0001', sessionToken: 'IQoJb3JpZ2luX2VjEOLDTOKENoldtokenoldtokenoldtoken0001' };
const NEW_TEMP = { accessKeyId: 'ASIANEWTEMPORARY0002', secretAccessKey: 'newSecretNewSecretNewSecretNewSecret0002', sessionToken: 'IQoJb3JpZ2luX2VjENEWTOKENnewtokennewtokennewtoken0002' };

const servers: { close(): Promise<void> }[] = [];
async function server(options: Parameters<typeof startSigV4Server>[0]): Promise<SigV4Server> {
  const s = await startSigV4Server({ credentials: [{ ...KEY, account: '123456789012', arn: 'arn:aws:iam::123456789012:user/alice' }], ...options });
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  forgetAll();
});

interface Attempt {
  exchange: Exchange;
  findings: Finding[];
  failing: Finding[];
  verdict: ReturnType<typeof decideVerdict>;
  redactor: Redactor;
}

/** What the lead's session does: apply (sign) → sendRequest → run the rules. */
async function attempt(
  spec: RequestSpec,
  options: { signingClock?: () => Date; sendClock?: () => Date; profile?: ProfileHints; after?: (r: OutgoingRequest) => OutgoingRequest } = {},
): Promise<Attempt> {
  const redactor = new Redactor();
  let outgoing: OutgoingRequest = { method: spec.method, url: spec.url, headers: spec.headers, body: spec.body };
  if (spec.auth) {
    outgoing = await sigv4Auth.apply(outgoing, spec.auth, { now: options.signingClock ?? (() => new Date()), http: deniedHttp, signal: new AbortController().signal, redactor });
  }
  if (options.after) outgoing = options.after(outgoing);
  const exchange = await sendRequest(outgoing, options.sendClock ? { clock: options.sendClock } : {});
  const findings = await runRules([{ plugin, source: 'test', builtin: true }], { exchange, http: deniedHttp, redactor, ...(options.profile ? { profile: options.profile } : {}) });
  const failing = findings.filter((f) => f.status === 'fail');
  return { exchange, findings, failing, verdict: decideVerdict(findings, exchange), redactor };
}

function spec(url: string, params: Record<string, unknown>, extra: Partial<RequestSpec> = {}): RequestSpec {
  return { method: 'GET', url, headers: [], auth: { scheme: 'aws-sigv4', params }, ...extra };
}

function actionContext(s: RequestSpec, a: Attempt, http = deniedHttp): ActionContext {
  return { spec: s, exchange: a.exchange, findings: a.findings, profile: {}, http, signal: new AbortController().signal, redactor: a.redactor, now: () => new Date(), progress: () => {} };
}

function action(id: string): ActionDefinition {
  return plugin.actions.find((x) => x.id === id)!;
}

function noSecretIn(a: Attempt, secret: string): boolean {
  const out = a.redactor.value(JSON.stringify(a.findings));
  return !out.includes(secret);
}

describe('signing with apply, verified by an independent SigV4 verifier', () => {
  it('gets 200 for a GET with a query string (JSON-protocol service)', async () => {
    const s = await server({ protocol: 'json', region: 'eu-west-1', service: 'execute-api' });
    const a = await attempt(spec(`${s.url}/prod/items?b=2&a=hello%20world&empty=`, { provider: 'aws:amz', region: 'eu-west-1', service: 'execute-api', ...KEY }));
    expect(a.exchange.response?.status).toBe(200);
    expect(a.verdict.cause).toBe('none');
    expect(a.failing).toEqual([]);
  });

  it('gets 200 for a form POST to a Query-protocol service and for S3 with x-amz-content-sha256', async () => {
    const sts = await server({ protocol: 'query', service: 'sts' });
    const post = await attempt(spec(`${sts.url}/`, { region: 'us-east-1', service: 'sts', ...KEY }, { method: 'POST', headers: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded; charset=utf-8' }], body: 'Action=GetCallerIdentity&Version=2011-06-15' }));
    expect(post.exchange.response?.status).toBe(200);
    expect(post.exchange.response?.body).toContain('<Arn>arn:aws:iam::123456789012:user/alice</Arn>');
    const s3 = await server({ protocol: 's3', region: 'us-west-2' });
    const put = await attempt(spec(`${s3.url}/bucket/key.txt`, { region: 'us-west-2', service: 's3', ...KEY }, { method: 'PUT', headers: [{ name: 'Content-Type', value: 'text/plain' }], body: 'hello' }));
    expect(put.exchange.response?.status).toBe(200);
    expect(s3.received[0]!.headers['x-amz-content-sha256']).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
  });

  it('signs the session token of temporary credentials', async () => {
    const s = await server({ protocol: 'json' });
    s.addCredential({ ...NEW_TEMP, expiresAt: new Date(Date.now() + 3600_000) });
    const a = await attempt(spec(`${s.url}/x`, { region: 'us-east-1', service: 'execute-api', ...NEW_TEMP }));
    expect(a.exchange.response?.status).toBe(200);
    expect(s.received[0]!.headers['x-amz-security-token']).toBe(NEW_TEMP.sessionToken);
    expect(String(s.received[0]!.headers.authorization)).toContain('x-amz-security-token');
  });
});

describe('signature forensics', () => {
  it('says the secret is wrong when AWS computed the same canonical request (JSON protocol)', async () => {
    const s = await server({ protocol: 'json' });
    const a = await attempt(spec(`${s.url}/things?x=1`, { region: 'us-east-1', service: 'execute-api', accessKeyId: KEY.accessKeyId, secretAccessKey: WRONG_SECRET }));
    expect(a.exchange.response?.status).toBe(403);
    expect(a.verdict.cause).toBe('signature_mismatch');
    const f = a.failing.find((x) => x.ruleId === 'aws-sigv4/signature-mismatch')!;
    expect(f.messageId).toBe('secret-wrong');
    expect(f.message).toContain('the secret is wrong');
    expect(f.evidence.canonicalDiff).toEqual([]);
    expect(f.evidence.resigned).toBe('match');
    expect(noSecretIn(a, WRONG_SECRET)).toBe(true);
  });

  it('says the secret is wrong from S3\'s <CanonicalRequest> echo', async () => {
    const s = await server({ protocol: 's3' });
    const a = await attempt(spec(`${s.url}/bucket/key`, { region: 'us-east-1', service: 's3', accessKeyId: KEY.accessKeyId, secretAccessKey: WRONG_SECRET }));
    const f = a.failing.find((x) => x.ruleId === 'aws-sigv4/signature-mismatch')!;
    expect(f.messageId).toBe('secret-wrong');
    expect(f.evidence.canonicalDiff).toEqual([]);
  });

  it('finds a Host header rewritten by a proxy after signing', async () => {
    const s = await server({ protocol: 'json' });
    const proxy = await startHostRewritingProxy(s.url);
    servers.push(proxy);
    const a = await attempt(spec(`${proxy.url}/prod/items`, { region: 'us-east-1', service: 'execute-api', ...KEY }));
    expect(a.verdict.cause).toBe('signature_mismatch');
    const f = a.failing.find((x) => x.ruleId === 'aws-sigv4/signature-mismatch')!;
    expect(f.messageId).toBe('canonical-differs');
    expect(f.evidence.canonicalDiff).toEqual([{ element: 'header:host', sent: new URL(proxy.url).host, received: new URL(s.url).host }]);
    expect(f.fixes.join(' ')).toMatch(/Host/);
  });

  it('names a signed header that the client changed after signing', async () => {
    const s = await server({ protocol: 'query', service: 'sts' });
    const a = await attempt(spec(`${s.url}/`, { region: 'us-east-1', service: 'sts', ...KEY }, { headers: [{ name: 'X-Trace', value: 'one' }] }), {
      after: (r) => ({ ...r, headers: r.headers.map((h) => (h.name === 'X-Trace' ? { ...h, value: 'two' } : h)) }),
    });
    const f = a.failing.find((x) => x.ruleId === 'aws-sigv4/signature-mismatch')!;
    expect(f.messageId).toBe('signer-wrong');
    expect(f.evidence.resigned).toBe('differs');
    expect(f.evidence.changedAfterSigning).toEqual([{ element: 'header:x-trace', signed: 'one', sent: 'two' }]);
  });

  it('finds where a foreign signer deviates when the secret is known (path encoded once for a non-S3 service)', async () => {
    const s = await server({ protocol: 'json' });
    rememberCredentials(KEY);
    // A buggy signer: S3's single path encoding used for execute-api.
    const { SignatureV4 } = await import('@smithy/signature-v4');
    const { Hash } = await import('@smithy/hash-node');
    const { HttpRequest } = await import('@smithy/protocol-http');
    const url = new URL(`${s.url}/prod/a%20b`);
    const buggy = new SignatureV4({ credentials: KEY, region: 'us-east-1', service: 'execute-api', sha256: Hash.bind(null, 'sha256'), uriEscapePath: false, applyChecksum: false });
    const signed = await buggy.sign(new HttpRequest({ method: 'GET', hostname: url.hostname, port: Number(url.port), path: '/prod/a%20b', headers: { host: url.host } }));
    const headers = Object.entries(signed.headers).map(([name, value]) => ({ name, value }));
    const a = await attempt({ method: 'GET', url: url.toString(), headers });
    expect(a.exchange.response?.status).toBe(403);
    const f = a.failing.find((x) => x.ruleId === 'aws-sigv4/signature-mismatch')!;
    expect(f.messageId).toBe('signer-wrong');
    expect(f.evidence.signerDeviation).toMatchObject({ element: 'path', signed: '/prod/a%20b', expected: '/prod/a%2520b' });
  });
});

describe('scope', () => {
  it('names the region S3 expects, and re-sign fixes it', async () => {
    const s = await server({ protocol: 's3', region: 'eu-west-1' });
    const first = spec(`${s.url}/bucket/key`, { provider: 'aws:amz', region: 'us-east-1', service: 's3', ...KEY });
    const a = await attempt(first);
    expect(a.exchange.response?.status).toBe(400);
    expect(a.verdict.cause).toBe('signature_mismatch');
    const f = a.failing.find((x) => x.ruleId === 'aws-sigv4/credential-scope')!;
    expect(f.messageId).toBe('wrong-region');
    expect(f.evidence).toMatchObject({ signedRegion: 'us-east-1', expectedRegion: 'eu-west-1' });
    expect(f.actions).toContain('aws-sigv4/re-sign');
    const reSign = action('re-sign');
    expect(reSign.available(actionContext(first, a))).toBe(true);
    const result = await reSign.run(actionContext(first, a));
    expect(result.ok).toBe(true);
    expect(result.spec?.auth?.params.region).toBe('eu-west-1');
    const b = await attempt(result.spec!);
    expect(b.exchange.response?.status).toBe(200);
  });

  it('takes the expected region from the profile when the service does not name it', async () => {
    const s = await server({ protocol: 'query', service: 'sts', region: 'eu-central-1' });
    const a = await attempt(spec(`${s.url}/`, { region: 'us-east-1', service: 'sts', ...KEY }), { profile: { aws: { region: 'eu-central-1' } } });
    const f = a.failing.find((x) => x.ruleId === 'aws-sigv4/credential-scope')!;
    expect(f.messageId).toBe('wrong-region');
    expect(f.evidence).toMatchObject({ signedRegion: 'us-east-1', expectedRegion: 'eu-central-1', expectedRegionSource: 'profile' });
  });

  it('names the service the endpoint expects', async () => {
    const s = await server({ protocol: 'json', service: 'execute-api' });
    const a = await attempt(spec(`${s.url}/prod/x`, { region: 'us-east-1', service: 'apigateway', ...KEY }));
    const f = a.failing.find((x) => x.ruleId === 'aws-sigv4/credential-scope')!;
    expect(f.messageId).toBe('wrong-service');
    expect(f.evidence.expectedService).toBe('execute-api');
  });
});

describe('clock', () => {
  const behind = () => new Date(Date.now() - 20 * 60_000);

  it('reports a signing clock 20 minutes behind as clock_skew, and re-sign with the offset succeeds (S3)', async () => {
    const s = await server({ protocol: 's3' });
    const first = spec(`${s.url}/bucket/key`, { region: 'us-east-1', service: 's3', ...KEY });
    const a = await attempt(first, { signingClock: behind });
    expect(a.exchange.response?.status).toBe(403);
    expect(a.verdict.cause).toBe('clock_skew');
    const f = a.failing.find((x) => x.cause === 'clock_skew')!;
    expect(f.messageId).toBe('clock-skew');
    expect(f.evidence.skewSeconds).toBeGreaterThan(1190);
    expect(f.evidence.skewSeconds).toBeLessThan(1260);
    const result = await action('re-sign').run(actionContext(first, a));
    expect(result.spec?.auth?.params.clockOffsetSeconds).toBe(f.evidence.skewSeconds);
    const b = await attempt(result.spec!, { signingClock: behind });
    expect(b.exchange.response?.status).toBe(200);
  });

  it('reports a clock 20 minutes ahead with a negative skew (Query protocol "Signature not yet current")', async () => {
    const s = await server({ protocol: 'query', service: 'sts' });
    const a = await attempt(spec(`${s.url}/`, { region: 'us-east-1', service: 'sts', ...KEY }), { signingClock: () => new Date(Date.now() + 20 * 60_000) });
    expect(a.verdict.cause).toBe('clock_skew');
    const f = a.failing.find((x) => x.cause === 'clock_skew')!;
    expect(f.evidence.skewSeconds).toBeLessThan(-1190);
    expect(f.evidence.serverTimeSource).toBe('error message');
  });

  it('tells a request signed 20 minutes before it was sent from a skewed clock', async () => {
    const s = await server({ protocol: 'json' });
    // Someone else's signer (not apply) produced this header 20 minutes ago; our clock is right.
    const old = await signOutgoing({ method: 'GET', url: `${s.url}/prod/x`, headers: [] }, { region: 'us-east-1', service: 'execute-api', credentials: KEY, signingDate: behind() });
    const a = await attempt({ method: 'GET', url: old.request.url, headers: old.request.headers });
    expect(a.verdict.cause).toBe('expired_token');
    const f = a.failing.find((x) => x.ruleId === 'aws-sigv4/clock')!;
    expect(f.messageId).toBe('signed-long-before-sent');
    expect(f.actions).toContain('aws-sigv4/re-sign');
  });
});

describe('credentials', () => {
  let dir: string;
  const saved: Record<string, string | undefined> = {};
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'authdoctor-aws-'));
    for (const k of ['AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_EC2_METADATA_DISABLED', 'AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL']) {
      saved[k] = process.env[k];
      delete process.env[k];
    }
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    // Never reach for instance metadata from a test.
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    writeFileSync(join(dir, 'config'), '');
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(dir, { recursive: true, force: true });
  });
  function writeCredentials(c: { accessKeyId: string; secretAccessKey: string; sessionToken: string }): void {
    writeFileSync(join(dir, 'credentials'), `[dev]\naws_access_key_id = ${c.accessKeyId}\naws_secret_access_key = ${c.secretAccessKey}\naws_session_token = ${c.sessionToken}\n`);
  }

  it('reports an expired session token and refreshes from the updated credentials file', async () => {
    forgetResolved();
    const s = await server({ protocol: 'query', service: 'sts' });
    s.addCredential({ ...OLD_TEMP, expiresAt: new Date(Date.now() - 60_000) });
    s.addCredential({ ...NEW_TEMP, expiresAt: new Date(Date.now() + 3600_000) });
    writeCredentials(OLD_TEMP);
    const first = spec(`${s.url}/`, { profile: 'dev', region: 'us-east-1', service: 'sts' });
    const a = await attempt(first);
    expect(a.exchange.response?.status).toBe(403);
    expect(a.verdict.cause).toBe('expired_token');
    const f = a.failing.find((x) => x.ruleId === 'aws-sigv4/session-token')!;
    expect(f.messageId).toBe('session-token-expired');
    expect(f.actions).toContain('aws-sigv4/refresh-credentials');
    expect(first.auth?.source).toMatch(/profile "dev"/);

    const refresh = action('refresh-credentials');
    // Nothing changed yet: the refresh says so instead of retrying with the same credentials.
    const same = await refresh.run(actionContext(first, a));
    expect(same.ok).toBe(false);
    expect(same.message).toMatch(/same credentials/);

    writeCredentials(NEW_TEMP); // e.g. `aws sso login` or a rotation wrote new ones
    expect(refresh.available(actionContext(first, a))).toBe(true);
    const result = await refresh.run(actionContext(first, a));
    expect(result.ok).toBe(true);
    expect(result.retry).toBe(true);
    expect(result.details?.sourceId).toBe('profile');
    const b = await attempt(result.spec!);
    expect(b.exchange.response?.status).toBe(200);
    expect(s.received.at(-1)!.headers['x-amz-security-token']).toBe(NEW_TEMP.sessionToken);
    expect(noSecretIn(b, NEW_TEMP.secretAccessKey)).toBe(true);
    expect(result.message.includes(NEW_TEMP.secretAccessKey)).toBe(false);
  });

  it('refreshes a request that carried someone else\'s signature and lets the strategy sign it from then on', async () => {
    forgetResolved();
    const s = await server({ protocol: 'json' });
    s.addCredential({ ...OLD_TEMP, expiresAt: new Date(Date.now() - 60_000) });
    s.addCredential({ ...NEW_TEMP, expiresAt: new Date(Date.now() + 3600_000) });
    // A pasted command with its own (expired-token) signature: no auth strategy in the spec.
    const old = await signOutgoing({ method: 'GET', url: `${s.url}/prod/x`, headers: [] }, { region: 'us-east-1', service: 'execute-api', credentials: OLD_TEMP, signingDate: new Date() });
    const pasted: RequestSpec = { method: 'GET', url: old.request.url, headers: old.request.headers };
    const a = await attempt(pasted);
    expect(a.verdict.cause).toBe('expired_token');
    writeCredentials(NEW_TEMP);
    process.env.AWS_PROFILE = 'dev';
    try {
      const result = await action('refresh-credentials').run(actionContext(pasted, a));
      expect(result.ok).toBe(true);
      expect(result.spec?.auth).toMatchObject({ scheme: 'aws-sigv4', params: { region: 'us-east-1', service: 'execute-api', accessKeyId: NEW_TEMP.accessKeyId } });
      expect(result.spec?.headers.some((h) => /^(authorization|x-amz-date|x-amz-security-token)$/i.test(h.name))).toBe(false);
      const b = await attempt(result.spec!);
      expect(b.exchange.response?.status).toBe(200);
    } finally {
      delete process.env.AWS_PROFILE;
    }
  });

  it('answers "who am I" from the configured STS endpoint', async () => {
    const sts = await server({ protocol: 'query', service: 'sts' });
    const target = await server({ protocol: 'json' });
    const first = spec(`${target.url}/prod/x`, { region: 'us-east-1', service: 'execute-api', ...KEY, stsEndpoint: sts.url });
    const a = await attempt(first);
    const recorder = new RequestRecorder();
    const redactor = new Redactor();
    const http = createRuleHttpClient({ recorder, credentialOrigins: [target.origin, sts.origin], redactor });
    const result = await action('whoami').run(actionContext(first, a, http));
    expect(result.ok).toBe(true);
    expect(result.details).toMatchObject({ arn: 'arn:aws:iam::123456789012:user/alice', account: '123456789012' });
    expect(recorder.list()).toEqual([{ host: new URL(sts.url).host, count: 1 }]);
  });

  it('reports an unknown access key ID as invalid_credentials', async () => {
    const s = await server({ protocol: 'query', service: 'sqs' });
    const a = await attempt(spec(`${s.url}/000000000000/queue`, { region: 'us-east-1', service: 'sqs', accessKeyId: 'AKIAI44QH8DHBEXAMPLE', secretAccessKey: KEY.secretAccessKey }));
    expect(a.verdict.cause).toBe('invalid_credentials');
    expect(a.failing.find((x) => x.ruleId === 'aws-sigv4/key-id')?.messageId).toBe('key-id-unknown');
  });

  it('reports a temporary key sent without its session token as missing_credentials', async () => {
    const s = await server({ protocol: 'json' });
    s.addCredential({ ...NEW_TEMP, expiresAt: new Date(Date.now() + 3600_000) });
    const a = await attempt(spec(`${s.url}/x`, { region: 'us-east-1', service: 'execute-api', accessKeyId: NEW_TEMP.accessKeyId, secretAccessKey: NEW_TEMP.secretAccessKey }));
    expect(a.exchange.response?.status).toBe(403);
    expect(a.verdict.cause).toBe('missing_credentials');
    expect(a.failing.find((x) => x.ruleId === 'aws-sigv4/session-token')?.messageId).toBe('session-token-missing');
  });
});
