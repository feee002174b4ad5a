/**
 * Compares the server's clock (its `Date` header, plus `Age` when a cache served the response) with
 * the client's clock at send time (seed: "time synchronization issues … affecting token
 * validation"). The response was generated between sending and receiving, and `Date` has
 * one-second resolution, so the skew is the smallest difference consistent with that window.
 * Offline (HAR), the client time is the capture's startedDateTime — written by the same clock.
 *
 * Whether it matters depends on the scheme:
 * - AWS SigV4: requests more than 15 minutes from the server's time are rejected
 *   (RequestTimeTooSkewed, "MaxAllowedSkewMilliseconds 900000");
 * - Kerberos/Negotiate: 5 minutes by default (MIT krb5 `clockskew`, Active Directory policy);
 * - JWTs the client signs itself (client assertions, JWT-bearer grants): typical leeway 0–5 minutes;
 * - a bearer JWT issued by a server: only a client clock that is behind hurts (the client keeps
 *   using a token it believes is still valid).
 * It fails only when large enough for the scheme in use AND the response is a failure; otherwise it
 * warns. An offset within 2 minutes of whole (or half) hours is a time-zone setting, not drift.
 */
import { defineRule } from '../../src/plugins/define.ts';
import type { FindingInput, RuleContext } from '../../src/core/plugin.ts';
import type { Confidence } from '../../src/core/types.ts';
import { JWT_SHAPE, isAuthFailure } from './shared.ts';

/** Below this the difference is noise (latency, Date's one-second resolution, NTP jitter). */
const NOTABLE_SECONDS = 30;

interface Tolerance {
  seconds: number;
  label: string;
  confidence: Confidence;
  /** Which direction breaks it: both, or only a client behind the server. */
  direction: 'both' | 'client-behind';
}

function toleranceFor(ctx: RuleContext<any>): Tolerance | null {
  const scheme = ctx.helpers.scheme();
  const authz = ctx.helpers.requestHeader('authorization') ?? '';
  if (scheme === 'aws-sigv4') return { seconds: 900, label: 'AWS SigV4 rejects requests more than 15 minutes off the server time', confidence: 'likely', direction: 'both' };
  if (/^\s*(negotiate|kerberos)\s/i.test(authz)) return { seconds: 300, label: 'Kerberos allows 5 minutes of clock skew by default', confidence: 'likely', direction: 'both' };
  const body = ctx.request.body ?? '';
  if (scheme === 'oauth2' && /(^|&|")(client_assertion|assertion)("?\s*[:=])/.test(body)) {
    return { seconds: 300, label: 'a JWT this client signs (client assertion / JWT-bearer grant) is checked against the server clock, usually with at most 5 minutes of leeway', confidence: 'likely', direction: 'both' };
  }
  if (scheme === 'bearer') {
    const token = authz.replace(/^\s*bearer\s+/i, '').trim();
    if (JWT_SHAPE.test(token)) {
      return { seconds: 300, label: 'a client whose clock is behind keeps using a JWT after it expired on the server (validators allow 0–5 minutes of leeway)', confidence: 'possible', direction: 'client-behind' };
    }
  }
  return null;
}

export function formatDuration(totalSeconds: number): string {
  let s = Math.abs(Math.round(totalSeconds));
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts: string[] = [];
  if (h) parts.push(`${h} h`);
  if (m) parts.push(`${m} min`);
  if (s || parts.length === 0) parts.push(`${s} s`);
  return parts.join(' ');
}

/** The offset in hours when the skew is within 2 minutes of a whole or half hour (1–14 h). */
function timeZoneHours(skewSeconds: number): number | null {
  const abs = Math.abs(skewSeconds);
  const halves = Math.round(abs / 1800);
  if (halves < 2 || halves > 28) return null;
  if (Math.abs(abs - halves * 1800) > 120) return null;
  return (Math.sign(skewSeconds) * halves) / 2;
}

/** Server minus client, in ms, the smallest value consistent with the round trip; null without Date. */
export function measureSkewMs(serverDate: number, sentAt: number, receivedAt: number): number {
  // The server's true time at generation lies in [Date, Date + 1 s); the client's clock at that
  // moment lies in [sentAt, receivedAt].
  const lower = serverDate - receivedAt;
  const upper = serverDate + 999 - sentAt;
  if (lower <= 0 && upper >= 0) return 0;
  return upper < 0 ? upper : lower;
}

const SYNC_FIX =
  'Synchronise this machine\'s clock with NTP: Linux `sudo timedatectl set-ntp true` (check with `timedatectl status`), macOS `sudo sntp -sS time.apple.com`, Windows `w32tm /resync`; in containers and VMs fix the host clock.';

export default defineRule({
  meta: {
    id: 'clock',
    title: 'Client and server clocks agree',
    description: "Compares the response's Date with the client's clock at send time and ties the difference to the scheme's tolerance.",
    causes: ['clock_skew'],
  },
  appliesTo: (ctx) => ctx.response !== null && ctx.helpers.responseHeader('date') !== undefined,
  check(ctx) {
    const dateHeader = ctx.helpers.responseHeader('date')!;
    const parsed = Date.parse(dateHeader);
    if (Number.isNaN(parsed)) return [];
    const age = Number.parseInt(ctx.helpers.responseHeader('age') ?? '', 10);
    const serverTime = parsed + (Number.isFinite(age) && age > 0 ? age * 1000 : 0);
    const sent = ctx.exchange.sentAt.getTime();
    const received = ctx.exchange.receivedAt?.getTime() ?? (ctx.exchange.durationMs ? sent + ctx.exchange.durationMs : sent);
    const skewMs = measureSkewMs(serverTime, sent, received);
    const skewSeconds = Math.round(skewMs / 1000);
    if (Math.abs(skewSeconds) < NOTABLE_SECONDS) return [];

    const offline = ctx.exchange.mode === 'offline';
    const tolerance = toleranceFor(ctx);
    const zone = timeZoneHours(skewSeconds);
    const clientSide = offline ? 'the capturing machine' : 'this machine';
    const direction =
      skewSeconds > 0
        ? `The server's clock is ${formatDuration(skewSeconds)} ahead of ${clientSide}'s (${clientSide} is behind)`
        : `${clientSide.charAt(0).toUpperCase() + clientSide.slice(1)}'s clock is ${formatDuration(skewSeconds)} ahead of the server's`;
    const evidence: Record<string, unknown> = {
      skewSeconds,
      serverDate: new Date(serverTime).toISOString(),
      clientTime: ctx.exchange.sentAt.toISOString(),
      ...(ctx.exchange.receivedAt ? { clientReceivedAt: ctx.exchange.receivedAt.toISOString() } : {}),
      ...(Number.isFinite(age) && age > 0 ? { age } : {}),
      scheme: ctx.helpers.scheme(),
    };
    if (tolerance) evidence.toleranceSeconds = tolerance.seconds;
    if (zone !== null) evidence.timeZoneOffsetHours = zone;
    const fixes: string[] = [];
    if (zone !== null) {
      fixes.push(
        `The difference is almost exactly ${Math.abs(zone)} h: the clock shows the right local time under the wrong time zone (or keeps the hardware clock in local time, e.g. dual boot with Windows). Set the zone (\`sudo timedatectl set-timezone Region/City\`, \`sudo timedatectl set-local-rtc 0\`) rather than the time.`,
      );
    }
    fixes.push(SYNC_FIX);
    if (ctx.helpers.scheme() === 'aws-sigv4') fixes.push('AWS SDKs can compensate: JavaScript v2 `correctClockSkew: true`; v3 and the CLI retry with the server time after RequestTimeTooSkewed.');

    const zoneNote = zone !== null ? ` That is almost exactly ${Math.abs(zone)} h: a time-zone setting, not drift.` : '';
    const matters =
      tolerance !== null &&
      Math.abs(skewSeconds) > tolerance.seconds &&
      (tolerance.direction === 'both' || skewSeconds > 0);
    if (matters && isAuthFailure(ctx)) {
      return [
        {
          status: 'fail',
          cause: 'clock_skew',
          confidence: tolerance!.confidence,
          messageId: 'clock-skew',
          title: 'Clocks disagree beyond the tolerance',
          message: `${direction}, more than the ${formatDuration(tolerance!.seconds)} that matter here: ${tolerance!.label}.${zoneNote}`,
          evidence,
          fixes,
        },
      ];
    }
    const beyond = tolerance !== null && Math.abs(skewSeconds) > tolerance.seconds;
    let why: string;
    if (!tolerance) why = ' This credential does not depend on the clock, but time-limited tokens and signatures will.';
    else if (matters) why = ` That is beyond what this scheme tolerates (${tolerance.label}), though the server did not report an authentication failure this time.`;
    else if (beyond) why = ` In this direction it does not break a server-issued bearer token (${tolerance.label}), but signatures and tokens this machine creates will fail.`;
    else why = ` Within what this scheme tolerates for now (${tolerance.label}), but the clock is drifting.`;
    const finding: FindingInput = {
      status: 'warn',
      cause: 'clock_skew',
      messageId: 'clock-drift',
      title: 'Clocks disagree',
      message: `${direction}.${why}${zoneNote}`,
      evidence,
      fixes,
    };
    return [finding];
  },
});
