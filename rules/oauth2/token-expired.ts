import { defineRule } from '../../src/plugins/define.ts';
import type { FindingInput } from '../../src/core/types.ts';
import { authFailed, bearerChallenge, challengeText, human, iso, leewayOf, numericClaim, REFRESH_ACTION, serverDate } from './claims.ts';

/**
 * `exp` (RFC 7519 §4.1.4) against the evaluation time — the send time live, the capture time for a
 * HAR (DESIGN.md §4) — with a leeway. Says by how much, whether the token is still expired now,
 * and whether it was older than its whole lifetime (a token cached from an earlier run). When the
 * token is fine by this machine's clock but the server's `Date` shows it past `exp`, the clocks
 * disagree: that is clock_skew, not an old token.
 */
export default defineRule({
  meta: {
    id: 'token-expired',
    title: 'Access token expiry',
    description: 'Reads exp from a JWT bearer token and compares it with the time the request was sent (and with the server clock).',
    causes: ['expired_token', 'clock_skew'],
  },
  appliesTo: (ctx) => ctx.helpers.jwt() !== null,
  check(ctx) {
    const jwt = ctx.helpers.jwt();
    if (!jwt) return [];
    const exp = numericClaim(jwt.payload, 'exp');
    if (exp === undefined) return [];
    const leeway = leewayOf(ctx);
    const now = ctx.now().getTime() / 1000;
    const failed = authFailed(ctx);
    const serverSaysExpired = /expir/i.test(challengeText(ctx));
    const iat = numericClaim(jwt.payload, 'iat');

    if (exp + leeway <= now) {
      const expiredSeconds = Math.round(now - exp);
      const stillExpired = ctx.wallClock().getTime() / 1000 >= exp;
      const lifetime = iat !== undefined && exp > iat ? exp - iat : undefined;
      let message = `The access token expired ${human(expiredSeconds)} before the request was sent (exp ${iso(exp)}, request at ${iso(Math.round(now))})${stillExpired ? ', and it is still expired now' : ''}.`;
      if (lifetime !== undefined && iat !== undefined && now - iat > 2 * lifetime) {
        message += ` It was issued ${human(now - iat)} earlier, well past its ${human(lifetime)} lifetime: a token cached from an earlier run was reused instead of being refreshed.`;
      }
      const finding: FindingInput = {
        status: failed ? 'fail' : 'warn',
        cause: 'expired_token',
        confidence: failed && serverSaysExpired ? 'definitive' : 'likely',
        messageId: failed ? 'expired' : 'expired-but-accepted',
        title: 'Access token is expired',
        message: failed ? message : `${message} The server still answered ${ctx.response?.status ?? 'nothing'}, so expiry is not why this request went the way it did.`,
        evidence: {
          exp: iso(exp),
          ...(iat !== undefined ? { iat: iso(iat) } : {}),
          expiredSeconds,
          ...(lifetime !== undefined ? { lifetimeSeconds: Math.round(lifetime) } : {}),
          evaluatedAt: ctx.now().toISOString(),
          stillExpiredNow: stillExpired,
          leewaySeconds: leeway,
        },
        fixes: [
          'Get a fresh token: press r in the TUI, or run `authdoctor check --refresh` with a profile that has a refresh token or client credentials.',
          'In the client, refresh the token shortly before exp (or when the API answers 401 with error="invalid_token") instead of reusing a cached one.',
        ],
        actions: [REFRESH_ACTION],
      };
      return [finding];
    }

    // Not expired by this machine's clock. Is it expired by the server's?
    const date = serverDate(ctx);
    const challenge = bearerChallenge(ctx);
    if (failed && date && challenge?.params.error === 'invalid_token') {
      const server = date.getTime() / 1000;
      const skew = Math.round(server - now);
      if (exp + leeway <= server && Math.abs(skew) > leeway) {
        return [
          {
            status: 'fail',
            cause: 'clock_skew',
            confidence: 'likely',
            messageId: 'expired-by-server-clock',
            title: 'Token expired only by the server clock',
            message: `By this machine's clock the token is valid until ${iso(exp)} (${human(exp - now)} left), but the server's clock reads ${date.toISOString()} — ${human(skew)} ahead — and by that the token expired ${human(server - exp)} ago. The clocks disagree.`,
            evidence: { exp: iso(exp), skewSeconds: skew, serverDate: date.toISOString(), evaluatedAt: ctx.now().toISOString() },
            fixes: [
              'Synchronise this machine\'s clock (`sudo timedatectl set-ntp true` on Linux, `sudo sntp -sS time.apple.com` on macOS, "Set time automatically" on Windows).',
              'If this machine is right, the server\'s clock is wrong: tell the API operator.',
            ],
          },
        ];
      }
    }
    return [];
  },
});
