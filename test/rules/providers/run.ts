import providers from '../../../rules/providers/index.ts';
import type { Finding } from '../../../src/core/types.ts';
import { findingsOf, makeExchange, type ExchangeInit } from '../../helpers/exchange.ts';

/** The providers plugin's findings (fail and warn) for one exchange. */
export async function diagnoseExchange(init: ExchangeInit): Promise<Finding[]> {
  return findingsOf(providers, makeExchange(init));
}

/** Only the failing findings. */
export async function failures(init: ExchangeInit): Promise<Finding[]> {
  return (await diagnoseExchange(init)).filter((f) => f.status === 'fail');
}

/** The one failing finding; throws when there is not exactly one. */
export async function onlyFailure(init: ExchangeInit): Promise<Finding> {
  const found = await failures(init);
  if (found.length !== 1) throw new Error(`expected one failing finding, got ${found.length}: ${found.map((f) => f.messageId).join(', ')}`);
  return found[0]!;
}

export const json = (value: unknown): string => JSON.stringify(value);
