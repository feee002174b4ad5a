import { definePlugin } from '../../../src/plugins/define.ts';
import type { ProfileHints, RuleDefinition } from '../../../src/core/plugin.ts';
import type { Exchange, Finding } from '../../../src/core/types.ts';
import { findingsOf } from '../../helpers/exchange.ts';

/**
 * Runs one rule in isolation (wrapped in a plugin of the given name, so rule ids read
 * `http/<id>`) and returns its findings that are not passes or skips.
 */
export async function runRule(plugin: string, rule: RuleDefinition<any>, exchange: Exchange, opts: { profile?: ProfileHints; all?: boolean } = {}): Promise<Finding[]> {
  const findings = await findingsOf(definePlugin({ name: plugin, rules: [rule] }), exchange, opts);
  for (const f of findings) {
    if (f.status === 'error' || f.status === 'timeout') throw new Error(`rule ${f.ruleId} returned ${f.status}: ${f.message}`);
  }
  return findings;
}

/** True when the serialised findings contain the secret (assert with toBe(false): never print it). */
export function leaks(findings: readonly Finding[], secret: string): boolean {
  return JSON.stringify(findings).includes(secret);
}
