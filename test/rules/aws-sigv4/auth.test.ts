import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sigv4Auth } from '../../../rules/aws-sigv4/auth.ts';
import { parseSigV4 } from '../../../rules/aws-sigv4/lib/authorization.ts';
import { forgetResolved, resolveCredentials } from '../../../rules/aws-sigv4/lib/credentials.ts';
import { Redactor } from '../../../src/core/redact.ts';
import type { AuthSpec, OutgoingRequest } from '../../../src/core/plugin.ts';
import { deniedHttp } from '../../helpers/exchange.ts';

const KEY = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const NOW = new Date('2026-11-28T10:00:00Z');

async function apply(request: OutgoingRequest, params: Record<string, unknown>, redactor = new Redactor()): Promise<{ out: OutgoingRequest; auth: AuthSpec; redactor: Redactor }> {
  const auth: AuthSpec = { scheme: 'aws-sigv4', params };
  const out = await sigv4Auth.apply(request, auth, { now: () => NOW, http: deniedHttp, signal: new AbortController().signal, redactor });
  return { out, auth, redactor };
}

const header = (r: OutgoingRequest, name: string) => r.headers.find((h) => h.name.toLowerCase() === name)?.value;

describe('aws-sigv4 apply', () => {
  it('derives region and service from the host name when curl gave only aws:amz', async () => {
    const { out } = await apply({ method: 'POST', url: 'https://sqs.eu-west-1.amazonaws.com/123/q', headers: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }], body: 'Action=SendMessage' }, { provider: 'aws:amz', ...KEY });
    const sig = parseSigV4(out)!;
    expect(sig.scope).toMatchObject({ region: 'eu-west-1', service: 'sqs', date: '20261128' });
    expect(sig.amzDate).toBe('20261128T100000Z');
    expect(sig.signedHeaders).toEqual(['content-type', 'host', 'x-amz-date']);
    expect(sig.problems).toEqual([]);
  });

  it('signs global services in us-east-1 and API Gateway as execute-api', async () => {
    const iam = parseSigV4((await apply({ method: 'GET', url: 'https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08', headers: [] }, KEY)).out)!;
    expect(iam.scope).toMatchObject({ region: 'us-east-1', service: 'iam' });
    const apigw = parseSigV4((await apply({ method: 'GET', url: 'https://abc.execute-api.ap-south-1.amazonaws.com/prod/x', headers: [] }, KEY)).out)!;
    expect(apigw.scope).toMatchObject({ region: 'ap-south-1', service: 'execute-api' });
  });

  it('adds x-amz-content-sha256 for S3 only, and the session token header for temporary keys', async () => {
    const s3 = (await apply({ method: 'PUT', url: 'https://b.s3.us-east-2.amazonaws.com/k', headers: [], body: 'hello' }, { ...KEY, sessionToken: 'FwoGZXIvYXdzEXAMPLEsessiontoken' })).out;
    expect(header(s3, 'x-amz-content-sha256')).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    expect(header(s3, 'x-amz-security-token')).toBe('FwoGZXIvYXdzEXAMPLEsessiontoken');
    expect(parseSigV4(s3)!.signedHeaders).toContain('x-amz-security-token');
    const sts = (await apply({ method: 'GET', url: 'https://sts.us-east-1.amazonaws.com/', headers: [] }, KEY)).out;
    expect(header(sts, 'x-amz-content-sha256')).toBeUndefined();
  });

  it('keeps the request\'s headers and their names, and replaces an old signature', async () => {
    const { out } = await apply(
      {
        method: 'GET',
        url: 'https://sts.us-east-1.amazonaws.com/',
        headers: [
          { name: 'Accept', value: 'application/json' },
          { name: 'X-Custom', value: 'a' },
          { name: 'Authorization', value: 'AWS4-HMAC-SHA256 Credential=OLD/20200101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00' },
          { name: 'X-Amz-Date', value: '20200101T000000Z' },
        ],
      },
      KEY,
    );
    expect(out.headers.map((h) => h.name)).toEqual(['Accept', 'X-Custom', 'Host', 'X-Amz-Date', 'Authorization']);
    expect(header(out, 'authorization')).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/20261128\//);
    expect(parseSigV4(out)!.signedHeaders).toEqual(['accept', 'host', 'x-amz-date', 'x-custom']);
  });

  it('registers the secret and the token with the redactor and records the source with the key masked', async () => {
    const { redactor, auth } = await apply({ method: 'GET', url: 'https://sts.us-east-1.amazonaws.com/', headers: [] }, { provider: 'aws:amz', ...KEY, sessionToken: 'FwoGZXIvYXdzEXAMPLEsessiontoken' });
    const text = redactor.text(`secret ${KEY.secretAccessKey} token FwoGZXIvYXdzEXAMPLEsessiontoken`);
    expect(text.includes(KEY.secretAccessKey)).toBe(false);
    expect(text.includes('FwoGZXIvYXdzEXAMPLEsessiontoken')).toBe(false);
    expect(auth.source).toMatch(/command line/);
    expect(auth.source!.includes(KEY.accessKeyId)).toBe(false);
    expect(auth.source).toContain('AKIA…');
  });

  it('fails with a usage error when the host does not tell the region', async () => {
    await expect(apply({ method: 'GET', url: 'http://127.0.0.1:9/x', headers: [] }, KEY)).rejects.toMatchObject({ code: 'E_AWS_SCOPE', exitCode: 2 });
  });
});

describe('credential sources', () => {
  let dir: string;
  const saved: Record<string, string | undefined> = {};
  const VARS = ['AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_EC2_METADATA_DISABLED'];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'authdoctor-aws-src-'));
    for (const k of VARS) {
      saved[k] = process.env[k];
      delete process.env[k];
    }
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    writeFileSync(join(dir, 'credentials'), '');
  });
  beforeEach(() => forgetResolved());
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('says the environment supplied the keys', async () => {
    writeFileSync(join(dir, 'config'), '');
    process.env.AWS_ACCESS_KEY_ID = 'AKIAENVIRONMENT00001';
    process.env.AWS_SECRET_ACCESS_KEY = 'envSecretenvSecretenvSecretenvSecret0001';
    try {
      const creds = await resolveCredentials({ fresh: true });
      expect(creds).toMatchObject({ accessKeyId: 'AKIAENVIRONMENT00001', sourceId: 'env' });
      expect(creds.source).toMatch(/AWS_ACCESS_KEY_ID/);
    } finally {
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
    }
  });

  it('runs a profile\'s credential_process and says so', async () => {
    const out = JSON.stringify({ Version: 1, AccessKeyId: 'ASIAPROCESS000000001', SecretAccessKey: 'procSecretprocSecretprocSecretprocSec001', SessionToken: 'procToken', Expiration: '2099-01-01T00:00:00Z' });
    writeFileSync(join(dir, 'config'), `[profile tool]\ncredential_process = printf '%s' '${out}'\n`);
    const creds = await resolveCredentials({ profile: 'tool', fresh: true });
    expect(creds).toMatchObject({ accessKeyId: 'ASIAPROCESS000000001', sessionToken: 'procToken', sourceId: 'process' });
    expect(creds.expiration?.toISOString()).toBe('2099-01-01T00:00:00.000Z');
    expect(creds.source).toMatch(/credential_process of profile "tool"/);
  });

  it('explains a profile that does not exist as a usage error naming the files', async () => {
    writeFileSync(join(dir, 'config'), '');
    await expect(apply({ method: 'GET', url: 'https://sts.us-east-1.amazonaws.com/', headers: [] }, { profile: 'nope' })).rejects.toMatchObject({ code: 'E_AWS_CREDENTIALS', message: expect.stringContaining('"nope"') });
  });
});

describe('loading', () => {
  it('imports the heavy modules lazily (never at the top of a module of the plugin)', () => {
    const root = join(import.meta.dirname, '../../../rules/aws-sigv4');
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name));
        else if (e.name.endsWith('.ts')) files.push(join(d, e.name));
      }
    };
    walk(root);
    const offenders = files.filter((f) => /^import\s+(?!type\b)[^;]*from\s+'(@smithy\/|@aws-sdk\/|fast-xml-parser)/m.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});

describe('apply on a retry', () => {
  it('describes the source the same way every time (no compounding)', async () => {
    const auth: AuthSpec = { scheme: 'aws-sigv4', params: { provider: 'aws', ...KEY }, source: 'curl' };
    const ctx = { now: () => NOW, http: deniedHttp, signal: new AbortController().signal, redactor: new Redactor() };
    await sigv4Auth.apply({ method: 'GET', url: 'https://sts.us-east-1.amazonaws.com/', headers: [] }, auth, ctx);
    const first = auth.source;
    await sigv4Auth.apply({ method: 'GET', url: 'https://sts.us-east-1.amazonaws.com/', headers: [] }, auth, ctx);
    expect(auth.source).toBe(first);
    expect(first).toMatch(/^the command line .*, key AKIA…/);
  });
});
