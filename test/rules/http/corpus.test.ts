import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import http from '../../../rules/http/index.ts';
import basic from '../../../rules/basic/index.ts';
import { Redactor } from '../../../src/core/redact.ts';
import { runRules } from '../../../src/core/runner.ts';
import { decideVerdict } from '../../../src/core/verdict.ts';
import { deniedHttp } from '../../helpers/exchange.ts';
import expected from '../../fixtures/corpus/expected.json' with { type: 'json' };
import { exchangeFromHar } from './har.ts';

/**
 * The corpus captures whose deciding evidence is HTTP- or Basic-level: the http and basic plugins
 * alone must reach the expected cause and name the key fact. (The full pipeline with every plugin
 * is test/corpus.test.ts.)
 */
const CASES: Array<[string, RegExp]> = [
  ['proxy-407-basic-realm-proxy', /Proxy Authentication Required.*Basic \(realm "proxy"\)/],
  ['kubernetes-401-unauthorized', /did not accept the credential/],
  ['elasticsearch-unable-to-authenticate-undefined-user', /user \[undefined\]/],
  ['jira-200-authentication-denied', /AUTHENTICATION_DENIED/],
  ['stripe-authorization-header-null', /"null"/],
  ['azure-graph-compacttoken-double-bearer', /"Bearer Bearer …"/],
  ['github-requires-authentication', /no credentials at all/],
  ['sendgrid-authorization-grant-invalid', /is empty/],
  ['kubernetes-system-anonymous-403', /no credentials at all/],
  ['azure-arm-wrong-issuer-tenant', /tenant b6cc8f32-0d28-41cd-beb7-3a18c4775049/],
  ['github-actions-resource-not-accessible', /about permissions/],
  ['keycloak-invalid-client-credentials', /client authentication failed/],
  ['azure-ad-invalid-client-secret', /client authentication failed/],
];

describe('http and basic plugins on the corpus', () => {
  it.each(CASES)('%s gives the expected cause', async (name, fact) => {
    const file = fileURLToPath(new URL(`../../fixtures/corpus/${name}.har`, import.meta.url));
    const exchange = exchangeFromHar(file);
    const findings = await runRules(
      [
        { plugin: http, source: 'rules/http', builtin: true },
        { plugin: basic, source: 'rules/basic', builtin: true },
      ],
      { exchange, http: deniedHttp, redactor: new Redactor() },
    );
    expect(findings.filter((f) => f.status === 'error' || f.status === 'timeout')).toEqual([]);
    const verdict = decideVerdict(findings, exchange);
    const want = (expected as Record<string, { expected: { cause: string; accept?: string[] } }>)[name]!.expected;
    expect(want.accept ?? [want.cause]).toContain(verdict.cause);
    expect(verdict.summary).toMatch(fact);
  });
});
