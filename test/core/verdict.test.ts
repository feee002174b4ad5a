import { describe, expect, it } from 'vitest';
import { CAUSE_SPECIFICITY } from '../../src/core/causes.ts';
import type { Finding } from '../../src/core/types.ts';
import { decideVerdict } from '../../src/core/verdict.ts';
import { makeExchange } from '../helpers/exchange.ts';

function fail(ruleId: string, cause: Finding['cause'], confidence?: Finding['confidence']): Finding {
  return { ruleId, plugin: ruleId.split('/')[0]!, status: 'fail', cause, ...(confidence ? { confidence } : {}), title: ruleId, message: `${ruleId} says ${String(cause)}`, evidence: {}, fixes: [] };
}

describe('decideVerdict', () => {
  const ex401 = makeExchange({ status: 401 });

  it('prefers the server\'s own word (definitive) over an inference', () => {
    const v = decideVerdict([fail('a/x', 'malformed_credentials', 'likely'), fail('b/y', 'expired_token', 'definitive')], ex401);
    expect(v).toMatchObject({ cause: 'expired_token', ruleId: 'b/y' });
  });

  it('at equal confidence, picks the more specific cause', () => {
    const v = decideVerdict([fail('a/x', 'invalid_credentials'), fail('b/y', 'clock_skew')], ex401);
    expect(v.cause).toBe('clock_skew');
  });

  it('at equal confidence and cause, keeps declaration order', () => {
    expect(decideVerdict([fail('a/x', 'expired_token'), fail('b/y', 'expired_token')], ex401).ruleId).toBe('a/x');
  });

  it('ranks every failure cause exactly once', () => {
    expect(new Set(CAUSE_SPECIFICITY).size).toBe(CAUSE_SPECIFICITY.length);
    expect(CAUSE_SPECIFICITY).not.toContain('none');
  });

  it('follows the documented ranking end to end', () => {
    for (let i = 0; i + 1 < CAUSE_SPECIFICITY.length; i++) {
      const [more, less] = [CAUSE_SPECIFICITY[i]!, CAUSE_SPECIFICITY[i + 1]!];
      expect(decideVerdict([fail('a/x', less), fail('b/y', more)], ex401).cause).toBe(more);
    }
  });

  it('ignores warnings, and calls an unexplained 401/403/407 unknown and a 200 none', () => {
    const warn: Finding = { ...fail('a/x', 'clock_skew'), status: 'warn' };
    expect(decideVerdict([warn], ex401).cause).toBe('unknown');
    expect(decideVerdict([warn], makeExchange({ status: 403 })).cause).toBe('unknown');
    expect(decideVerdict([warn], makeExchange({ status: 200 })).cause).toBe('none');
  });
});
