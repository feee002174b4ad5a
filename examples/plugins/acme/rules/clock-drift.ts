/**
 * ACME-2001 "Request timestamp outside the allowed window" (README, "Request timestamps"): every
 * request carries `Acme-Timestamp` (Unix seconds, the client's clock), and Acme refuses one more
 * than 300 seconds away from its own clock. The error tells its clock in `server_time`, so the skew
 * is exact: server time minus the timestamp sent (DESIGN.md §3 `skewSeconds`, negative when the
 * client is ahead). Without the header, the client's clock is the time the request was sent.
 */
import { defineRule } from '../../../../src/index.ts';
import { acmeError, supportHint, TIMESTAMP_WINDOW_SECONDS } from '../acme.ts';

function human(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export default defineRule({
  meta: {
    id: 'clock-drift',
    title: 'The client clock agrees with Acme',
    description: 'Acme answers 401 ACME-2001 when Acme-Timestamp is more than 300 s from its clock; the rule computes the skew from the server_time in the answer.',
    causes: ['clock_skew'],
  },
  appliesTo: (ctx) => ctx.response !== null,
  check(ctx) {
    const error = acmeError(ctx);
    if (error?.code !== 'ACME-2001') return [];
    const header = ctx.helpers.requestHeader('acme-timestamp')?.trim();
    const sent = header && /^\d{9,11}$/.test(header) ? new Date(Number(header) * 1000) : null;
    const client = sent ?? ctx.now();
    const server = error.serverTime ? new Date(error.serverTime) : null;
    const evidence: Record<string, unknown> = { code: error.code, clientTime: client.toISOString(), ...(sent ? {} : { clientTimeFrom: 'send time (no Acme-Timestamp header)' }) };
    const fixes = [
      'Turn on network time sync and let it correct the clock: `sudo timedatectl set-ntp true` (Linux with systemd), `sudo sntp -sS time.apple.com` (macOS), `w32tm /resync` (Windows).',
      'In a container or VM the clock is the host\'s: fix it there. If the timestamp comes from a cached value, compute Acme-Timestamp when each request is sent.',
    ];
    if (!server || Number.isNaN(server.getTime())) {
      return [
        {
          status: 'fail',
          cause: 'clock_skew',
          confidence: 'definitive',
          messageId: 'clock-drift-unmeasured',
          title: 'Request timestamp outside Acme’s window',
          message: `Acme refused the request's timestamp (ACME-2001: "${error.message}"): it is more than ${TIMESTAMP_WINDOW_SECONDS} s away from Acme's clock. The answer has no server_time, so the size of the drift is unknown.`,
          evidence,
          fixes: [...fixes, ...supportHint(error)],
        },
      ];
    }
    const skewSeconds = Math.round((server.getTime() - client.getTime()) / 1000);
    const direction = skewSeconds > 0 ? 'behind' : 'ahead of';
    return [
      {
        status: 'fail',
        cause: 'clock_skew',
        confidence: 'definitive',
        messageId: 'clock-drift',
        title: `Client clock ${human(skewSeconds)} ${direction} Acme`,
        message: `Acme refused the request's timestamp (ACME-2001): the client's clock said ${client.toISOString()}, Acme's said ${server.toISOString()}, so the client is ${human(skewSeconds)} ${direction} Acme — Acme allows ±${TIMESTAMP_WINDOW_SECONDS} s.`,
        evidence: { ...evidence, serverTime: server.toISOString(), skewSeconds },
        fixes: [...fixes, ...supportHint(error)],
      },
    ];
  },
});
