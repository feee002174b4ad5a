import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import providers from '../../../rules/providers/index.ts';
import { findingsOf } from '../../helpers/exchange.ts';
import { exchangeFromHar } from './har.ts';

const corpus = (name: string) => fileURLToPath(new URL(`../../fixtures/corpus/${name}.har`, import.meta.url));

/**
 * The corpus captures whose provider answer this pack knows: the entry it must recognise and the
 * cause it must give. (The whole-pipeline verdicts are checked by test/corpus.test.ts.)
 */
const CASES: { file: string; entry: string; cause: string }[] = [
  { file: 'google-api-key-invalid', entry: 'google/api-key-invalid', cause: 'invalid_credentials' },
  { file: 'twilio-20003-api-key-as-account-sid', entry: 'twilio/20003-api-key-sid-as-account-sid', cause: 'invalid_credentials' },
  { file: 'sendgrid-authorization-grant-invalid', entry: 'sendgrid/empty-key', cause: 'missing_credentials' },
  { file: 'salesforce-invalid-session-id', entry: 'salesforce/session-expired', cause: 'expired_token' },
  { file: 'salesforce-session-not-valid-for-rest', entry: 'salesforce/session-not-valid-for-api', cause: 'insufficient_permissions' },
  { file: 'github-actions-resource-not-accessible', entry: 'github/installation-token-user-endpoint', cause: 'insufficient_permissions' },
  { file: 'github-requires-authentication', entry: 'github/requires-authentication', cause: 'missing_credentials' },
  { file: 'kubernetes-system-anonymous-403', entry: 'kubernetes/anonymous-forbidden', cause: 'missing_credentials' },
  { file: 'kubernetes-401-unauthorized', entry: 'kubernetes/unauthorized', cause: 'invalid_credentials' },
  { file: 'azure-storage-sharedkey-mac-mismatch', entry: 'azure-storage/mac-signature-mismatch', cause: 'signature_mismatch' },
  { file: 'azure-arm-wrong-issuer-tenant', entry: 'azure-arm/wrong-tenant', cause: 'invalid_credentials' },
  { file: 'azure-graph-token-expired-or-not-yet-valid', entry: 'graph/token-expired-or-not-yet-valid', cause: 'expired_token' },
  { file: 'azure-graph-compacttoken-double-bearer', entry: 'graph/compact-token-parsing-failed', cause: 'malformed_credentials' },
  { file: 'stripe-authorization-header-null', entry: 'stripe/no-api-key', cause: 'missing_credentials' },
];

describe('provider pack on the corpus captures', () => {
  for (const c of CASES) {
    it(`recognises ${c.file} as ${c.entry}`, async () => {
      const findings = await findingsOf(providers, exchangeFromHar(corpus(c.file)));
      const failing = findings.filter((f) => f.status === 'fail');
      expect(failing.map((f) => f.messageId)).toEqual([c.entry]);
      expect(failing[0]?.cause).toBe(c.cause);
    });
  }

  it('leaves the Elasticsearch [undefined] user to the basic plugin', async () => {
    const findings = await findingsOf(providers, exchangeFromHar(corpus('elasticsearch-unable-to-authenticate-undefined-user')));
    expect(findings.filter((f) => f.status === 'fail')).toEqual([]);
  });

  it('says nothing about the Jira 200 whose only signal is a header', async () => {
    const findings = await findingsOf(providers, exchangeFromHar(corpus('jira-200-authentication-denied')));
    expect(findings).toEqual([]);
  });
});
