import { defineAction } from '../../../src/plugins/define.ts';
import { recallCredentials } from '../lib/memory.ts';
import { ACTION_RESIGN, duration } from '../lib/common.ts';
import { str } from '../auth.ts';
import { findingsOfPlugin, isSigV4, respec, sentSignature } from './shared.ts';

/**
 * Re-sign with what the diagnosis found: the region or service AWS expected (the findings'
 * `expectedRegion` / `expectedService` evidence), the clock offset of a skewed clock
 * (`skewSeconds`), or simply a fresh signing time for a stale signature.
 */
export default defineAction({
  id: 're-sign',
  title: 'Re-sign the request with the corrected scope or clock',
  kind: 're-sign',
  available(ctx) {
    return isSigV4(ctx) && findingsOfPlugin(ctx.findings).some((f) => f.actions?.includes(ACTION_RESIGN));
  },
  async run(ctx) {
    const findings = findingsOfPlugin(ctx.findings).filter((f) => f.actions?.includes(ACTION_RESIGN));
    const ev = (key: string) => findings.map((f) => f.evidence[key]).find((v) => typeof v === 'string' && v.length > 0) as string | undefined;
    const expectedRegion = ev('expectedRegion');
    const expectedService = ev('expectedService');
    const skew = findings.find((f) => f.cause === 'clock_skew' && typeof f.evidence.skewSeconds === 'number')?.evidence.skewSeconds as number | undefined;
    const sent = sentSignature(ctx);
    const params: Record<string, unknown> = { ...(ctx.spec.auth?.params ?? {}) };
    const oldRegion = str(params.region) ?? sent?.scope?.region;
    const oldService = str(params.service) ?? sent?.scope?.service;
    const changes: string[] = [];
    if (expectedRegion && expectedRegion !== oldRegion) changes.push(`region ${expectedRegion} (was ${oldRegion ?? 'unset'})`);
    if (expectedService && expectedService !== oldService) changes.push(`service ${expectedService} (was ${oldService ?? 'unset'})`);
    params.region = expectedRegion ?? oldRegion;
    params.service = expectedService ?? oldService;
    if (skew !== undefined) {
      params.clockOffsetSeconds = skew;
      changes.push(`the signing clock moved ${skew >= 0 ? 'forward' : 'back'} by ${duration(skew)} to match the server`);
    }
    if (!ctx.spec.auth && sent?.accessKeyId && params.accessKeyId === undefined) {
      // Someone else's signature (a HAR, a pasted header): re-sign with the same key if this
      // process knows its secret, else with whatever the credential chain resolves.
      const known = recallCredentials(sent.accessKeyId.trim());
      if (known) Object.assign(params, { accessKeyId: known.accessKeyId, secretAccessKey: known.secretAccessKey, keysFrom: 'the credentials the captured request was signed with', ...(known.sessionToken ? { sessionToken: known.sessionToken } : {}) });
    }
    // An x-amz-security-token header (curl -H) belongs to explicit keys without a sessionToken
    // param; with chain-resolved credentials the strategy adds their own token.
    const keepToken = params.accessKeyId !== undefined && params.sessionToken === undefined;
    const spec = respec(ctx.spec, params, { keepTokenHeader: keepToken });
    return {
      ok: true,
      retry: true,
      message: changes.length ? `Re-signing with ${changes.join(', ')}.` : 'Re-signing with the current time.',
      spec,
      details: { region: params.region, service: params.service, ...(skew !== undefined ? { clockOffsetSeconds: skew } : {}) },
    };
  },
});
