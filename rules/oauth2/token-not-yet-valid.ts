import { defineRule } from '../../src/plugins/define.ts';
import { authFailed, human, iso, leewayOf, numericClaim, serverDate } from './claims.ts';

/**
 * `nbf` or `iat` after the evaluation time (RFC 7519 §4.1.5, §4.1.6): the token was minted "in
 * the future", so the issuer's clock and this one (or the API's) disagree. The server's `Date`
 * header, when present, tells which clock is off.
 */
export default defineRule({
  meta: {
    id: 'token-not-yet-valid',
    title: 'Access token not yet valid',
    description: 'Compares a JWT bearer token\'s nbf and iat with the time the request was sent.',
    causes: ['clock_skew'],
  },
  appliesTo: (ctx) => ctx.helpers.jwt() !== null,
  check(ctx) {
    const jwt = ctx.helpers.jwt();
    if (!jwt) return [];
    const leeway = leewayOf(ctx);
    const now = ctx.now().getTime() / 1000;
    const candidates = (['nbf', 'iat'] as const)
      .map((claim) => ({ claim, value: numericClaim(jwt.payload, claim) }))
      .filter((c): c is { claim: 'nbf' | 'iat'; value: number } => c.value !== undefined && c.value - now > leeway)
      .sort((a, b) => b.value - a.value);
    const worst = candidates[0];
    if (!worst) return [];
    const ahead = Math.round(worst.value - now);
    const date = serverDate(ctx);
    const measured = date ? Math.round(date.getTime() / 1000 - now) : undefined;
    let diagnosis: string;
    let skewSeconds: number;
    if (measured !== undefined && Math.abs(measured) > leeway) {
      skewSeconds = measured;
      diagnosis = `The server's Date header (${date!.toISOString()}) is ${human(measured)} ${measured > 0 ? 'ahead of' : 'behind'} this machine, so this machine's clock is ${measured > 0 ? 'slow' : 'fast'}.`;
    } else {
      // No server clock to compare with (or it agrees with ours): the issuer's clock runs ahead.
      skewSeconds = ahead;
      diagnosis = measured !== undefined
        ? 'The server\'s Date header agrees with this machine, so the clock of the authorization server that minted the token runs ahead.'
        : 'Either the authorization server\'s clock runs ahead or this machine\'s clock is behind.';
    }
    const failed = authFailed(ctx);
    return [
      {
        status: failed ? 'fail' : 'warn',
        cause: 'clock_skew',
        confidence: 'likely',
        messageId: worst.claim === 'nbf' ? 'nbf-in-future' : 'iat-in-future',
        title: 'Token not yet valid',
        message: `The token's ${worst.claim} is ${human(ahead)} after the request was sent (${worst.claim} ${iso(worst.value)}, request at ${iso(Math.round(now))}): it was not yet valid. ${diagnosis}`,
        evidence: {
          [worst.claim]: iso(worst.value),
          skewSeconds,
          evaluatedAt: ctx.now().toISOString(),
          ...(date ? { serverDate: date.toISOString() } : {}),
          leewaySeconds: leeway,
        },
        fixes: [
          'Synchronise the clocks with NTP: `sudo timedatectl set-ntp true` (Linux), "Set time automatically" (Windows/macOS); on the authorization server too if it is yours.',
          'If the skew is small and cannot be fixed at once, allow a leeway of a minute or two when validating nbf/iat (RFC 7519 §4.1.5).',
        ],
      },
    ];
  },
});
