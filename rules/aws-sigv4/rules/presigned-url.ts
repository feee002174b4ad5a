import { defineRule } from '../../../src/plugins/define.ts';
import type { FindingInput } from '../../../src/core/types.ts';
import { factsOf, looksLikeAws } from '../lib/facts.ts';
import { parseAnyDate } from '../lib/authorization.ts';
import { ACTION_RESIGN, duration, iso, maskEcho } from '../lib/common.ts';

export default defineRule({
  meta: {
    id: 'presigned-url',
    title: 'Presigned URL is still valid',
    description:
      'A presigned URL (X-Amz-Date + X-Amz-Expires, or the SigV2 Expires parameter) stops working at its expiry; S3 then answers AccessDenied "Request has expired". Also checks the 7-day maximum.',
    causes: ['expired_token', 'clock_skew'],
  },
  appliesTo: looksLikeAws,
  async check(ctx) {
    const facts = await factsOf(ctx);
    const { sigv4, sigv2, error, kind } = facts;
    const out: FindingInput[] = [];
    const now = ctx.now();
    const serverSaid = kind === 'presign-expired' && error !== null;
    let expiresAt: Date | undefined;
    let signedAt: Date | undefined;
    let lifetime: number | undefined;
    if (sigv4?.location === 'query') {
      signedAt = sigv4.signedAt;
      lifetime = sigv4.expires;
      if (signedAt && lifetime !== undefined) expiresAt = new Date(signedAt.getTime() + lifetime * 1000);
    } else if (sigv2?.location === 'query' && sigv2.expiresAt) {
      expiresAt = sigv2.expiresAt;
    }
    if (serverSaid) {
      // S3: <X-Amz-Expires>, <Expires>, <ServerTime> in the error.
      expiresAt = parseAnyDate(error!.fields.Expires) ?? expiresAt;
      const serverTime = parseAnyDate(error!.fields.ServerTime) ?? now;
      const expiredSeconds = expiresAt ? Math.round((serverTime.getTime() - expiresAt.getTime()) / 1000) : undefined;
      out.push({
        cause: 'expired_token',
        confidence: 'definitive',
        messageId: 'presigned-expired',
        message: `The presigned URL has expired${expiresAt ? ` at ${iso(expiresAt)}` : ''}${expiredSeconds !== undefined ? `, ${duration(expiredSeconds)} before the server checked it` : ''} (${error!.code}: ${maskEcho(ctx, facts, error!.message)}).`,
        evidence: { code: error!.code, ...(expiresAt ? { expiresAt: iso(expiresAt) } : {}), ...(expiredSeconds !== undefined ? { expiredSeconds } : {}), ...(lifetime !== undefined ? { expiresInSeconds: lifetime } : {}), ...(error!.fields.ServerTime ? { serverTime: error!.fields.ServerTime } : {}) },
        fixes: [
          'Generate a new presigned URL (e.g. `aws s3 presign s3://BUCKET/KEY --expires-in 3600`) and use it before it expires.',
          'A URL presigned with temporary credentials (ASIA…) also dies when their session token expires, whatever X-Amz-Expires says: presign with credentials that live as long as the URL must.',
        ],
        actions: [ACTION_RESIGN],
      });
      return out;
    }
    if (!expiresAt) return out;
    const expiredSeconds = Math.round((now.getTime() - expiresAt.getTime()) / 1000);
    if (expiredSeconds > 0) {
      const stillNow = ctx.wallClock().getTime() > expiresAt.getTime();
      out.push({
        status: facts.failed ? 'fail' : 'warn',
        cause: 'expired_token',
        confidence: 'likely',
        messageId: 'presigned-expired',
        message: `The presigned URL expired at ${iso(expiresAt)}${lifetime !== undefined && signedAt ? ` (signed ${iso(signedAt)}, valid ${duration(lifetime)})` : ''}, ${duration(expiredSeconds)} before the request${stillNow && ctx.exchange.mode === 'offline' ? ', and it is still expired now' : ''}.`,
        evidence: { expiresAt: iso(expiresAt), expiredSeconds, ...(signedAt ? { signedAt: iso(signedAt) } : {}), ...(lifetime !== undefined ? { expiresInSeconds: lifetime } : {}) },
        fixes: ['Generate a new presigned URL (e.g. `aws s3 presign s3://BUCKET/KEY --expires-in 3600`) and use it before it expires.'],
        actions: [ACTION_RESIGN],
      });
    } else if (signedAt && signedAt.getTime() - now.getTime() > 15 * 60 * 1000) {
      out.push({
        status: facts.failed ? 'fail' : 'warn',
        cause: 'clock_skew',
        confidence: 'possible',
        messageId: 'presigned-not-yet-valid',
        message: `The presigned URL's X-Amz-Date (${iso(signedAt)}) is ${duration((signedAt.getTime() - now.getTime()) / 1000)} in the future: the clock of whoever presigned it is ahead.`,
        evidence: { signedAt: iso(signedAt), skewSeconds: Math.round((now.getTime() - signedAt.getTime()) / 1000) },
        fixes: ['Synchronise the clock of the machine that presigns URLs (NTP), then presign again.'],
      });
    }
    return out;
  },
});
