import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import plugin from '../../../rules/aws-sigv4/index.ts';
import { sigv4Auth } from '../../../rules/aws-sigv4/auth.ts';
import { signOutgoing } from '../../../rules/aws-sigv4/lib/sign.ts';
import { forgetAll, recallCredentialNote } from '../../../rules/aws-sigv4/lib/memory.ts';
import { forgetResolved } from '../../../rules/aws-sigv4/lib/credentials.ts';
import { sendRequest } from '../../../src/core/http.ts';
import { Redactor } from '../../../src/core/redact.ts';
import { runRules } from '../../../src/core/runner.ts';
import type { ActionContext, ActionDefinition, OutgoingRequest } from '../../../src/core/plugin.ts';
import type { Exchange, Finding, RequestSpec } from '../../../src/core/types.ts';
import { deniedHttp } from '../../helpers/exchange.ts';
import { startSigV4Server, type SigV4Server } from '../../helpers/sigv4-server.ts';

const OLD_TEMP = { accessKeyId: 'ASIAOLDTEMPORARY0001', secretAccessKey: 'oldSecretOldSecretOldSecretOldSecret0001', sessionToken: 'IQoJb3JpZ2luX2VjEOLDTOKENoldtokenoldtokenoldtoken0001' };
const NEW_TEMP = { accessKeyId: 'ASIANEWTEMPORARY0002', secretAccessKey: 'newSecretNewSecretNewSecretNewSecret0002', sessionToken: 'IQoJb3JpZ2luX2VjENEWTOKENnewtokennewtokennewtoken0002' };
const SCOPE = { region: 'us-east-1', service: 'execute-api' };

const VARS = ['AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_EC2_METADATA_DISABLED'];
let dir: string;
const saved: Record<string, string | undefined> = {};
const servers: SigV4Server[] = [];

/**
 * The default chain's only source is the `default` profile's credential_process, which leaves a
 * marker each time it runs: the tests can tell whether the AWS credential chain was consulted.
 */
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'authdoctor-aws-refresh-'));
  for (const k of VARS) {
    saved[k] = process.env[k];
    delete process.env[k];
  }
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
  process.env.AWS_CONFIG_FILE = join(dir, 'config');
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  writeFileSync(join(dir, 'credentials'), '');
  const script = join(dir, 'process.sh');
  writeFileSync(script, `#!/bin/sh\ntouch '${join(dir, 'marker')}'\ncat '${join(dir, 'process.json')}'\n`);
  chmodSync(script, 0o755);
  writeFileSync(join(dir, 'config'), `[default]\ncredential_process = ${script}\n`);
});
beforeEach(() => {
  forgetResolved();
  rmSync(join(dir, 'marker'), { force: true });
  chainGives(NEW_TEMP);
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  forgetAll();
});
afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(dir, { recursive: true, force: true });
});

function chainGives(c: { accessKeyId: string; secretAccessKey: string; sessionToken: string }): void {
  writeFileSync(join(dir, 'process.json'), JSON.stringify({ Version: 1, AccessKeyId: c.accessKeyId, SecretAccessKey: c.secretAccessKey, SessionToken: c.sessionToken, Expiration: '2099-01-01T00:00:00Z' }));
}

function chainWasConsulted(): boolean {
  return existsSync(join(dir, 'marker'));
}

/** A server where OLD_TEMP's token has expired (and NEW_TEMP too, when `newExpired`). */
async function server(newExpired = false): Promise<SigV4Server> {
  const s = await startSigV4Server({ protocol: 'json', ...SCOPE, credentials: [] });
  servers.push(s);
  s.addCredential({ ...OLD_TEMP, expiresAt: new Date(Date.now() - 60_000) });
  s.addCredential({ ...NEW_TEMP, expiresAt: new Date(Date.now() + (newExpired ? -60_000 : 3600_000)) });
  return s;
}

interface Attempt {
  exchange: Exchange;
  findings: Finding[];
  redactor: Redactor;
}

async function attempt(spec: RequestSpec): Promise<Attempt> {
  const redactor = new Redactor();
  let outgoing: OutgoingRequest = { method: spec.method, url: spec.url, headers: spec.headers, body: spec.body };
  if (spec.auth) outgoing = await sigv4Auth.apply(outgoing, spec.auth, { now: () => new Date(), http: deniedHttp, signal: new AbortController().signal, redactor });
  const exchange = await sendRequest(outgoing);
  const findings = await runRules([{ plugin, source: 'test', builtin: true }], { exchange, http: deniedHttp, redactor });
  return { exchange, findings, redactor };
}

function actionContext(spec: RequestSpec, a: Attempt, profileName?: string): ActionContext {
  return { spec, exchange: a.exchange, findings: a.findings, profile: profileName ? { name: profileName } : {}, http: deniedHttp, signal: new AbortController().signal, redactor: a.redactor, now: () => new Date(), progress: () => {} };
}

const refresh: ActionDefinition = plugin.actions.find((x) => x.id === 'refresh-credentials')!;

describe('refresh-credentials re-reads only the source the keys came from', () => {
  it('is not offered for a config profile\'s explicit keys, and run anyway says why without consulting the AWS chain', async () => {
    const s = await server();
    // What src/config/resolve.ts builds from `auth: { accessKeyId: { env: … }, secretAccessKey: { file: … } }`.
    const spec: RequestSpec = { method: 'GET', url: `${s.url}/prod/x`, headers: [], auth: { scheme: 'aws-sigv4', params: { ...SCOPE, ...OLD_TEMP }, source: 'profile demo' } };
    const a = await attempt(spec);
    expect(a.exchange.response?.status).toBe(403);
    expect(a.findings.some((f) => f.status === 'fail' && f.cause === 'expired_token')).toBe(true);
    expect(refresh.available(actionContext(spec, a, 'demo'))).toBe(false);
    const result = await refresh.run(actionContext(spec, a, 'demo'));
    expect(result).toMatchObject({ ok: false, retry: false });
    expect(result.spec).toBeUndefined();
    expect(result.message).toMatch(/profile "demo"/);
    expect(result.message).toMatch(/re-read the profile/);
    expect(chainWasConsulted()).toBe(false);
    expect(result.message.includes(NEW_TEMP.accessKeyId) || result.message.includes(OLD_TEMP.secretAccessKey)).toBe(false);
  });

  it('is not offered for curl -u keys, and run anyway points at -u without consulting the AWS chain', async () => {
    const s = await server();
    const spec: RequestSpec = { method: 'GET', url: `${s.url}/prod/x`, headers: [], auth: { scheme: 'aws-sigv4', params: { provider: 'aws', provider2: 'amz', ...SCOPE, ...OLD_TEMP }, source: 'curl' } };
    const a = await attempt(spec);
    expect(a.exchange.response?.status).toBe(403);
    expect(refresh.available(actionContext(spec, a))).toBe(false);
    const result = await refresh.run(actionContext(spec, a));
    expect(result).toMatchObject({ ok: false, retry: false });
    expect(result.spec).toBeUndefined();
    expect(result.message).toMatch(/-u ACCESS_KEY_ID:SECRET_ACCESS_KEY/);
    expect(chainWasConsulted()).toBe(false);
  });

  it('re-reads the AWS chain when the keys came from it (no explicit keys)', async () => {
    chainGives(OLD_TEMP);
    const s = await server();
    const spec: RequestSpec = { method: 'GET', url: `${s.url}/prod/x`, headers: [], auth: { scheme: 'aws-sigv4', params: { ...SCOPE } } };
    const a = await attempt(spec);
    expect(a.exchange.response?.status).toBe(403);
    expect(refresh.available(actionContext(spec, a))).toBe(true);
    chainGives(NEW_TEMP);
    rmSync(join(dir, 'marker'), { force: true });
    const result = await refresh.run(actionContext(spec, a));
    expect(chainWasConsulted()).toBe(true);
    expect(result).toMatchObject({ ok: true, retry: true, details: { sourceId: 'process' } });
    const b = await attempt(result.spec!);
    expect(b.exchange.response?.status).toBe(200);
  });
});

describe('apply keeps its bookkeeping out of the caller\'s params', () => {
  it('leaves auth.params exactly as given and keeps the credential source in the plugin\'s memory', async () => {
    const s = await server();
    const params = { ...SCOPE, ...NEW_TEMP };
    const before = structuredClone(params);
    const spec: RequestSpec = { method: 'GET', url: `${s.url}/prod/x`, headers: [], auth: { scheme: 'aws-sigv4', params, source: 'profile demo' } };
    const a = await attempt(spec);
    expect(a.exchange.response?.status).toBe(200);
    expect(spec.auth!.params).toEqual(before);
    const note = recallCredentialNote(params);
    expect(note?.credentialSource).toMatch(/key ASIA…/);
    expect(note?.credentialSource.includes(NEW_TEMP.accessKeyId)).toBe(false);
    expect(note?.origin).toBe('profile demo');
    // Signing again (a retry) keeps the caller's origin, not the display text that replaced it.
    await attempt(spec);
    expect(recallCredentialNote(params)?.origin).toBe('profile demo');
    expect(spec.auth!.params).toEqual(before);
  });

  it('refuses to retry a refreshed spec again when the chain still has the same credentials', async () => {
    const s = await server(true);
    // A captured request signed elsewhere with the old keys: the refresh takes the chain's keys.
    const old = await signOutgoing({ method: 'GET', url: `${s.url}/prod/x`, headers: [] }, { ...SCOPE, credentials: OLD_TEMP, signingDate: new Date() });
    const pasted: RequestSpec = { method: 'GET', url: old.request.url, headers: old.request.headers };
    const a = await attempt(pasted);
    expect(a.exchange.response?.status).toBe(403);
    const first = await refresh.run(actionContext(pasted, a));
    expect(first).toMatchObject({ ok: true, retry: true });
    const refreshed = first.spec!;
    const before = structuredClone(refreshed.auth!.params);
    // The new token has expired too: the retry fails, and the chain has nothing newer.
    const b = await attempt(refreshed);
    expect(b.exchange.response?.status).toBe(403);
    expect(refreshed.auth!.params).toEqual(before);
    expect(refresh.available(actionContext(refreshed, b))).toBe(true);
    const again = await refresh.run(actionContext(refreshed, b));
    expect(again).toMatchObject({ ok: false, retry: false });
    expect(again.spec).toBeUndefined();
    expect(again.message).toMatch(/same credentials/);
  });
});
