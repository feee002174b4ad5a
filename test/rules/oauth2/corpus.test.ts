import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import oauth2 from '../../../rules/oauth2/index.ts';
import { decideVerdict } from '../../../src/core/verdict.ts';
import { loadHarFile } from '../../../src/inputs/har.ts';
import { findingsOf } from '../../helpers/exchange.ts';

const dir = fileURLToPath(new URL('../../fixtures/corpus/', import.meta.url));
const expected = JSON.parse(await readFile(`${dir}expected.json`, 'utf8')) as Record<string, { expected: { cause: string; accept?: string[] } }>;

/** The corpus files whose diagnosis belongs (wholly or on the JWT side) to the oauth2 plugin. */
const CASES: [file: string, messageId: string][] = [
  ['azure-ad-invalid-client-secret', 'entra-client-secret-invalid'],
  ['azure-ad-refresh-token-inactive', 'entra-refresh-token-dead'],
  ['keycloak-invalid-client-credentials', 'invalid-client'],
  ['okta-multiple-client-credentials', 'client-credentials-twice'],
  ['okta-refresh-token-invalid-or-expired', 'refresh-token-rejected'],
  ['google-service-account-jwt-clock-skew', 'jwt-assertion-clock-skew'],
  ['azure-graph-token-expired-or-not-yet-valid', 'expired'],
  ['azure-arm-wrong-issuer-tenant', 'issuer-mismatch'],
];

describe('oauth2 plugin on the corpus of real provider failures', () => {
  it.each(CASES)('%s: the oauth2 findings alone reach the expected cause', async (file, messageId) => {
    const { exchange } = await loadHarFile(`${dir}${file}.har`);
    const findings = await findingsOf(oauth2, exchange);
    const verdict = decideVerdict(findings, exchange);
    const want = expected[file]!.expected;
    expect(want.accept ?? [want.cause]).toContain(verdict.cause);
    expect(findings.find((f) => f.ruleId === verdict.ruleId)?.messageId).toBe(messageId);
  });

  it('measures the Graph token expiry at the capture time, not today', async () => {
    const { exchange } = await loadHarFile(`${dir}azure-graph-token-expired-or-not-yet-valid.har`);
    const [f] = (await findingsOf(oauth2, exchange)).filter((x) => x.messageId === 'expired');
    expect(f!.evidence.expiredSeconds).toBe(3600);
    expect(f!.evidence.evaluatedAt).toBe('2022-09-23T11:57:49.000Z');
  });
});
