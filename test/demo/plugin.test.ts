import { describe, expect, it } from 'vitest';
import type { ActionAvailabilityContext } from '../../src/core/plugin.ts';
import type { Finding, RequestSpec } from '../../src/core/types.ts';
import { DemoIam } from '../../src/demo/aws.ts';
import { demoPlugin } from '../../src/demo/plugin.ts';

/* The demo plugin's actions offer themselves only where they apply. */

const iam = new DemoIam();
const demo = iam.user('demo');
const plugin = demoPlugin(iam);
const action = (id: string) => plugin.actions!.find((a) => a.id === id)!;
const spec = (headers: RequestSpec['headers']): RequestSpec => ({ method: 'GET', url: 'http://127.0.0.1:1/x', headers });
const finding = (cause: Finding['cause'], evidence: Record<string, unknown>): Finding => ({ ruleId: 'x/y', plugin: 'x', status: 'fail', cause, title: 't', message: 'm', evidence, fixes: [] });
const ctx = (over: Partial<ActionAvailabilityContext>): ActionAvailabilityContext => ({ spec: spec([]), exchange: null, findings: [], profile: {}, ...over });

describe('the demo plugin', () => {
  it('grants only to principals of the demo IAM, and only what an access-denied finding named', () => {
    const grant = action('grant-permission');
    const denied = { principal: demo.arn, action: 's3:GetObject', resource: 'arn:aws:s3:::demo-bucket/report.csv' };
    expect(grant.available(ctx({ findings: [finding('insufficient_permissions', denied)] }))).toBe(true);
    expect(grant.available(ctx({ findings: [finding('insufficient_permissions', { ...denied, principal: 'arn:aws:iam::999999999999:user/someone' })] }))).toBe(false);
    expect(grant.available(ctx({ findings: [finding('signature_mismatch', denied)] }))).toBe(false);
  });

  it('moves a key only when the profile names another header and the request lacks it', () => {
    const move = action('move-key');
    const failing = [finding('wrong_scheme', {})];
    const bearer = spec([{ name: 'Authorization', value: 'Bearer sk-ant-api03-abc' }]);
    expect(move.available(ctx({ spec: bearer, findings: failing, profile: { apiKey: { header: 'x-api-key' } } }))).toBe(true);
    expect(move.available(ctx({ spec: bearer, findings: failing, profile: {} }))).toBe(false);
    expect(move.available(ctx({ spec: spec([{ name: 'Authorization', value: 'Basic ZGVtbzpwdw==' }]), findings: failing, profile: { apiKey: { header: 'x-api-key' } } }))).toBe(false);
  });

  it('sends a Basic password as Bearer only when the server offered Bearer', async () => {
    const swap = action('basic-as-bearer');
    const basic = spec([{ name: 'Authorization', value: `Basic ${Buffer.from('demo:dpat_token').toString('base64')}` }]);
    expect(swap.available(ctx({ spec: basic, findings: [finding('wrong_scheme', { offered: ['bearer'] })] }))).toBe(true);
    expect(swap.available(ctx({ spec: basic, findings: [finding('wrong_scheme', { offered: ['digest'] })] }))).toBe(false);
  });
});
