import { defineRule } from '../../../src/plugins/define.ts';
import type { FindingInput } from '../../../src/core/types.ts';
import { factsOf, looksLikeAws } from '../lib/facts.ts';
import { timeClues } from '../lib/errors.ts';
import { parseAnyDate } from '../lib/authorization.ts';
import { recallSigning } from '../lib/memory.ts';
import { ACTION_RESIGN, duration, iso, maskEcho } from '../lib/common.ts';

/** SigV4's window: AWS rejects a request whose time is more than 15 minutes from its own. */
const DEFAULT_WINDOW_S = 15 * 60;
/** Below this a drift is not worth mentioning on a success. */
const WARN_DRIFT_S = 5 * 60;
/** "Sent right after signing": within this, X-Amz-Date and the send time are one clock's reading. */
const SAME_MOMENT_S = 120;

const CLOCK_FIXES = [
  'Synchronise the client\'s clock with NTP: Linux `sudo timedatectl set-ntp true` (or `sudo chronyc makestep`), macOS `sudo sntp -sS time.apple.com`, Windows `w32tm /resync`; in a container or VM, fix the host\'s clock.',
  'If the clock cannot be fixed, let the SDK correct for the skew (JavaScript v3: the client corrects automatically on RequestTimeTooSkewed; v2: correctClockSkew: true; boto3/botocore retries with the server time), or re-sign with the offset (the re-sign action).',
];

export default defineRule({
  meta: {
    id: 'clock',
    title: 'Signing time is within AWS\'s 15-minute window',
    description:
      'Compares the signing time (X-Amz-Date, Date, or the SigV2 Timestamp parameter) with the server\'s time (its Date header, or the times in RequestTimeTooSkewed / RequestExpired / "Signature expired" answers) and with the client\'s send time, to tell a skewed clock from a request that was signed long before it was sent.',
    causes: ['clock_skew', 'expired_token'],
  },
  appliesTo: looksLikeAws,
  async check(ctx) {
    const facts = await factsOf(ctx);
    const { sigv4, sigv2, error, kind } = facts;
    // A presigned URL's lifetime is the presigned-url rule's business.
    if (sigv4?.location === 'query' && kind !== 'clock') return [];
    const clues = error && kind === 'clock' ? timeClues(error) : {};
    const signedAt = sigv4?.signedAt ?? sigv2?.signedAt ?? clues.requestTime;
    const signedSource = sigv4?.signedAt ? (sigv4.dateSource === 'date' ? 'Date header' : 'X-Amz-Date') : sigv2?.signedAt ? 'Timestamp parameter' : clues.requestTime ? 'the server\'s error message' : undefined;
    const dateHeader = parseAnyDate(ctx.helpers.responseHeader('date'));
    const serverAt = clues.serverTime ?? dateHeader;
    const window = clues.windowSeconds ?? DEFAULT_WINDOW_S;
    const sentAt = ctx.exchange.sentAt;
    const serverSaid = kind === 'clock' && error !== null;
    if (!signedAt || !serverAt) {
      if (serverSaid) {
        return [{
          cause: 'clock_skew',
          confidence: 'definitive',
          messageId: 'clock-skew',
          message: `AWS rejected the request's time (${error!.code}: ${maskEcho(ctx, facts, error!.message)}). The client's clock is off by more than ${duration(window)}, or the request was signed long before it was sent.`,
          evidence: { code: error!.code, ...(iso(signedAt) ? { signedAt: iso(signedAt) } : {}), ...(iso(serverAt) ? { serverTime: iso(serverAt) } : {}) },
          fixes: CLOCK_FIXES,
          actions: [ACTION_RESIGN],
        }];
      }
      return [];
    }

    const skewSeconds = Math.round((serverAt.getTime() - signedAt.getTime()) / 1000);
    const evidence: Record<string, unknown> = {
      skewSeconds,
      signedAt: iso(signedAt),
      signedAtSource: signedSource,
      serverTime: iso(serverAt),
      serverTimeSource: clues.serverTime ? 'error message' : 'Date header',
      sentAt: iso(sentAt),
      windowSeconds: window,
      ...(error ? { code: error.code } : {}),
    };

    // Signed long before it was sent? Only a trusted send time can tell: our own clock when we sent
    // the request (live), and when this process signed it, the real time between signing and sending.
    const record = recallSigning(sigv4?.signature);
    const waitedSeconds = record ? Math.round((sentAt.getTime() - record.signedAtWallClock.getTime()) / 1000) : undefined;
    const sendGap = Math.round((sentAt.getTime() - signedAt.getTime()) / 1000);
    const sentVsServer = Math.round((serverAt.getTime() - sentAt.getTime()) / 1000);
    let stale = false;
    if (record) {
      stale = waitedSeconds !== undefined && waitedSeconds > Math.min(window, WARN_DRIFT_S);
    } else if (ctx.exchange.mode === 'live') {
      stale = sendGap > WARN_DRIFT_S && Math.abs(sentVsServer) < WARN_DRIFT_S;
    }
    const ambiguous = !record && ctx.exchange.mode === 'offline' && sendGap > SAME_MOMENT_S && Math.abs(sentVsServer) < WARN_DRIFT_S;
    if (waitedSeconds !== undefined) evidence.waitedBeforeSendingSeconds = waitedSeconds;

    const outside = Math.abs(skewSeconds) > window;
    if (!serverSaid && !outside) {
      if (Math.abs(skewSeconds) > WARN_DRIFT_S) {
        return [{
          status: 'warn',
          cause: 'clock_skew',
          messageId: 'clock-drift',
          message: `The signing time (${signedSource}) is ${duration(skewSeconds)} ${skewSeconds > 0 ? 'behind' : 'ahead of'} the server's clock: still inside AWS's ${duration(window)} window, but close.`,
          evidence,
          fixes: CLOCK_FIXES.slice(0, 1),
        }];
      }
      return [];
    }
    if (!serverSaid && !facts.failed) {
      return [{
        status: 'warn',
        cause: 'clock_skew',
        messageId: 'clock-skew',
        message: `The signing time is ${duration(skewSeconds)} ${skewSeconds > 0 ? 'behind' : 'ahead of'} the server's clock, outside AWS's ${duration(window)} window, yet the request succeeded.`,
        evidence,
        fixes: CLOCK_FIXES.slice(0, 1),
      }];
    }
    const confidence = serverSaid ? 'definitive' : 'likely';
    const out: FindingInput[] = [];
    if (stale && skewSeconds > 0) {
      out.push({
        cause: 'expired_token',
        confidence,
        messageId: 'signed-long-before-sent',
        message: record
          ? `The request was signed ${duration(waitedSeconds!)} before it was sent, so its signature had expired (AWS accepts ${duration(window)}); the clock is fine.`
          : `The request was signed at ${iso(signedAt)} (${signedSource}) and sent ${duration(sendGap)} later, when the server's clock agreed with ours (${iso(serverAt)}): the signature was stale, not the clock wrong.`,
        evidence: { ...evidence, staleSeconds: sendGap, expiredSeconds: Math.max(0, skewSeconds - window) },
        fixes: [
          'Sign the request right before sending it, and sign again on every retry (an Authorization header copied from a log, a cached request, or a queued upload carries its old X-Amz-Date).',
          'For slow uploads, sign per part (multipart upload) or use a presigned URL with a long enough X-Amz-Expires.',
        ],
        actions: [ACTION_RESIGN],
      });
      return out;
    }
    const direction = skewSeconds > 0 ? 'behind' : 'ahead of';
    out.push({
      cause: 'clock_skew',
      confidence,
      messageId: 'clock-skew',
      message: `The client's clock is ${duration(skewSeconds)} ${direction} the server's: the request was signed at ${iso(signedAt)} (${signedSource}) while the server's time was ${iso(serverAt)}, and AWS accepts ${duration(window)}.${ambiguous ? ` (The capture was taken at ${iso(sentAt)}, close to the server's time: if the capturing clock is the signer's, the request was instead signed ${duration(sendGap)} before it was sent.)` : ''} The credentials are fine.`,
      evidence: ambiguous ? { ...evidence, alternative: 'signed-long-before-sent' } : evidence,
      fixes: CLOCK_FIXES,
      actions: [ACTION_RESIGN],
    });
    return out;
  },
});
