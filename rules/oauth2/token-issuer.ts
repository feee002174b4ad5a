import { defineRule } from '../../src/plugins/define.ts';
import type { FindingInput } from '../../src/core/types.ts';
import { authFailed, bearerChallenge, entraTenant, sameIssuer, stringClaim } from './claims.ts';

/**
 * `iss` (RFC 7519 §4.1.1) against the issuer the API trusts: the profile's oauth2.issuer, or —
 * without one — the authority the API itself names in its Bearer challenge. Microsoft's resource
 * APIs do that: Azure Resource Manager and Graph send `authorization_uri="https://login.windows.net/
 * <tenant>"`, Key Vault and Storage `authorization="…/<tenant>"`; a token whose tenant differs was
 * issued by another directory (seen in microsoft/vscode-azureappservice#2095: "The access token is
 * from the wrong issuer … It must match the tenant … associated with this subscription").
 */
export default defineRule({
  meta: {
    id: 'token-issuer',
    title: 'Access token issuer',
    description: 'Compares a JWT bearer token\'s iss with the configured issuer or the authority the API names.',
    causes: ['invalid_credentials'],
  },
  appliesTo: (ctx) => ctx.helpers.jwt() !== null,
  check(ctx) {
    const jwt = ctx.helpers.jwt();
    if (!jwt) return [];
    const iss = stringClaim(jwt.payload, 'iss');
    if (!iss) return [];
    const failed = authFailed(ctx);
    const challenge = bearerChallenge(ctx);
    const serverSaysIssuer = /issuer|tenant/i.test(`${challenge?.params.error_description ?? ''}`);
    const expected = ctx.profile.oauth2?.issuer;

    if (expected) {
      if (sameIssuer(iss, expected)) return [];
      const issTenant = entraTenant(iss) ?? stringClaim(jwt.payload, 'tid')?.toLowerCase();
      const wantTenant = entraTenant(expected);
      if (issTenant && wantTenant && issTenant === wantTenant) {
        // Same Entra directory, other token version (v1 sts.windows.net vs v2 login.microsoftonline.com/…/v2.0).
        return [
          {
            status: 'warn',
            cause: null,
            messageId: 'issuer-other-version',
            title: 'Token from the other Entra ID endpoint version',
            message: `The token was issued by ${iss}, the configured issuer is ${expected}: the same tenant, but the other token version (v1 tokens come from sts.windows.net, v2 from login.microsoftonline.com/…/v2.0). An API that checks iss exactly refuses it.`,
            evidence: { iss, expectedIssuer: expected, tenant: issTenant },
            fixes: ['Set accessTokenAcceptedVersion in the API\'s app registration manifest to the version you request (2 for v2.0 tokens), or configure the issuer the API actually validates.'],
          },
        ];
      }
      return [finding(iss, expected, failed, failed && serverSaysIssuer ? 'definitive' : 'likely', 'the issuer configured for this API')];
    }

    // No configured issuer: does the API name an authority in its challenge?
    const authority = challenge?.params.authorization_uri ?? challenge?.params.authorization;
    if (!authority) return [];
    const wantTenant = entraTenant(authority);
    const issTenant = entraTenant(iss) ?? stringClaim(jwt.payload, 'tid')?.toLowerCase();
    if (!wantTenant || !issTenant || wantTenant === issTenant) return [];
    const f = finding(iss, authority, failed, failed && serverSaysIssuer ? 'definitive' : 'likely', 'the authority this API names in its WWW-Authenticate challenge');
    f.message = `The token was issued by tenant ${issTenant} (${iss}), but this API belongs to tenant ${wantTenant} and names ${authority} as the authority to get tokens from: a token from another directory.`;
    f.evidence = { ...f.evidence, tokenTenant: issTenant, expectedTenant: wantTenant };
    f.fixes = [
      `Request the token from ${authority.replace(/\/oauth2\/.*$/, '')}: \`az login --tenant ${wantTenant}\` (or \`az account get-access-token --tenant ${wantTenant}\`), or set the tenant id in your SDK/credential configuration.`,
      'If the subscription or resource was just moved to another tenant, the change can take up to an hour to propagate.',
    ];
    return [f];
  },
});

function finding(iss: string, expected: string, failed: boolean, confidence: 'definitive' | 'likely', what: string): FindingInput {
  return {
    status: failed ? 'fail' : 'warn',
    cause: 'invalid_credentials',
    confidence,
    messageId: 'issuer-mismatch',
    title: 'Token from another issuer',
    message: `The token was issued by ${iss}, expected ${expected} (${what}): a token from another tenant or environment, which this API does not trust.`,
    evidence: { iss, expectedIssuer: expected },
    fixes: [
      `Get the token from ${expected} (check the issuer/tenant/environment in your client configuration: staging and production issuers are different).`,
      'If the API should trust this issuer, change the API\'s configuration (or the profile\'s oauth2.issuer if it is the one that is wrong).',
    ],
  };
}
