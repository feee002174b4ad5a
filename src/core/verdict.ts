import { CAUSE_SPECIFICITY, type FailureCause } from './causes.ts';
import type { Confidence, Exchange, Finding, Verdict } from './types.ts';

const CONFIDENCE_RANK: Record<Confidence, number> = { definitive: 0, likely: 1, possible: 2 };

/**
 * The verdict is the most specific failing cause. Among `fail` findings:
 *  1. higher confidence wins (`definitive` > `likely` > `possible`; a finding without one counts
 *     as `likely`) — the server's own documented error code beats an inference;
 *  2. then the more specific cause (CAUSE_SPECIFICITY in causes.ts);
 *  3. then declaration order (the first plugin and rule declared).
 * Without any `fail` finding: an exchange whose status is an authentication or authorisation
 * failure (401, 403, 407) is `unknown`; a transport failure is `unknown`; anything else is `none`.
 */
export function decideVerdict(findings: readonly Finding[], exchange: Exchange): Verdict {
  const failing = findings
    .map((finding, order) => ({ finding, order }))
    .filter(({ finding }) => finding.status === 'fail' && finding.cause !== null && finding.cause !== 'none');
  if (failing.length > 0) {
    failing.sort((a, b) => {
      const conf = rankConfidence(a.finding) - rankConfidence(b.finding);
      if (conf !== 0) return conf;
      const spec = rankCause(a.finding.cause as FailureCause) - rankCause(b.finding.cause as FailureCause);
      if (spec !== 0) return spec;
      return a.order - b.order;
    });
    const best = failing[0]!.finding;
    return { cause: best.cause!, ruleId: best.ruleId, summary: best.message };
  }
  if (exchange.transportError) {
    return { cause: 'unknown', ruleId: null, summary: `No HTTP response: ${exchange.transportError.message}` };
  }
  const status = exchange.response?.status;
  if (status === 401 || status === 403 || status === 407) {
    return {
      cause: 'unknown',
      ruleId: null,
      summary: `The server answered ${status}, but no check could tell why. Compare the request with the API's documentation, and look at the response body for a provider error code.`,
    };
  }
  return { cause: 'none', ruleId: null, summary: status === undefined ? 'No response to judge.' : `No authentication failure: the server answered ${status}.` };
}

function rankConfidence(f: Finding): number {
  return CONFIDENCE_RANK[f.confidence ?? 'likely'];
}

function rankCause(cause: FailureCause): number {
  const i = CAUSE_SPECIFICITY.indexOf(cause);
  return i < 0 ? CAUSE_SPECIFICITY.length : i;
}
