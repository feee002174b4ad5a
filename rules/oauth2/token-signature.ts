import { defineRule } from '../../src/plugins/define.ts';
import type { FindingInput } from '../../src/core/types.ts';
import { authFailed, sameIssuer, stringClaim } from './claims.ts';

/**
 * The token's signature. Offline: `alg: none` (an unsigned token — RFC 8725 §3.1 says never accept
 * it) and HMAC algorithms (HS256…: whoever can verify can also mint, so tokens that travel to public
 * clients or third-party APIs are normally RS256/ES256). Online, when the profile names an issuer:
 * the signature is checked against the keys the issuer publishes (discovery → jwks_uri; public
 * metadata, no credentials). A token whose key the issuer does not publish, or whose signature does
 * not verify, was minted by another issuer or environment (staging vs production sharing an iss).
 */
export default defineRule({
  meta: {
    id: 'token-signature',
    title: 'Access token signature',
    description: 'Checks a JWT bearer token\'s algorithm, and its signature against the configured issuer\'s JWKS.',
    causes: ['invalid_credentials'],
    network: true,
  },
  appliesTo: (ctx) => ctx.helpers.jwt() !== null,
  async check(ctx) {
    const jwt = ctx.helpers.jwt();
    if (!jwt) return [];
    const alg = typeof jwt.header.alg === 'string' ? jwt.header.alg : '';
    const failed = authFailed(ctx);
    if (alg.toLowerCase() === 'none') {
      return [
        {
          status: failed ? 'fail' : 'warn',
          cause: 'invalid_credentials',
          confidence: 'likely',
          messageId: 'alg-none',
          title: 'Unsigned token (alg: none)',
          message: 'The token is not signed (alg: none). No API should accept it: anyone could have written it (RFC 8725 §3.1). A real authorization server never issues access tokens like this; it was hand-made or taken from a test fixture.',
          evidence: { alg },
          fixes: ['Get a real access token from the authorization server instead of building one.'],
        },
      ];
    }
    const findings: FindingInput[] = [];
    if (/^HS(256|384|512)$/i.test(alg)) {
      findings.push({
        status: 'warn',
        cause: null,
        messageId: 'alg-symmetric',
        title: `Token signed with a shared secret (${alg})`,
        message: `The token is signed with ${alg}, an HMAC: whoever can verify it holds the same secret and can mint tokens too. Tokens for public clients and third-party APIs are normally signed with RS256 or ES256 and verified with the issuer's published keys; an API that verifies with the JWKS cannot accept an ${alg} token.`,
        evidence: { alg },
        fixes: ['Configure the authorization server (or this API\'s client) to issue RS256/ES256 access tokens; keep HMAC-signed tokens between services that share the secret.'],
      });
      return findings;
    }
    const issuer = ctx.profile.oauth2?.issuer;
    const iss = stringClaim(jwt.payload, 'iss');
    // Another iss is the token-issuer rule's finding; only a token that claims the right issuer is checked here.
    if (!issuer || (iss && !sameIssuer(iss, issuer))) return findings;

    const [oauth, jose, { fetchVia }] = await Promise.all([import('oauth4webapi'), import('jose'), import('./client.ts')]);
    const fetchImpl = fetchVia(ctx.http, [], ctx.signal);
    let jwksUri: string | undefined;
    try {
      const url = new URL(issuer);
      const loopback = url.protocol === 'http:' && /^(127\.|localhost$|\[::1\]$)/.test(url.hostname);
      const response = await oauth.discoveryRequest(url, { [oauth.customFetch]: fetchImpl, ...(loopback ? { [oauth.allowInsecureRequests]: true } : {}), signal: ctx.signal });
      jwksUri = (await oauth.processDiscoveryResponse(url, response)).jwks_uri;
    } catch (error) {
      findings.push(skip(`The issuer's discovery document could not be read (${(error as Error).message}); the signature was not checked.`));
      return findings;
    }
    if (!jwksUri) {
      findings.push(skip(`${issuer} publishes no jwks_uri; the signature was not checked.`));
      return findings;
    }
    const keys = jose.createRemoteJWKSet(new URL(jwksUri), { [jose.customFetch]: fetchImpl });
    const kid = typeof jwt.header.kid === 'string' ? jwt.header.kid : undefined;
    try {
      await jose.compactVerify(jwt.raw, keys);
      findings.push({ status: 'pass', message: `The signature verifies with ${issuer}'s published keys${kid ? ` (kid ${kid})` : ''}.`, evidence: { jwksUri, ...(kid ? { kid } : {}) } });
    } catch (error) {
      if (error instanceof jose.errors.JWKSNoMatchingKey || error instanceof jose.errors.JWSSignatureVerificationFailed) {
        const noKey = error instanceof jose.errors.JWKSNoMatchingKey;
        findings.push({
          status: failed ? 'fail' : 'warn',
          cause: 'invalid_credentials',
          confidence: 'likely',
          messageId: noKey ? 'signing-key-unknown' : 'signature-invalid',
          title: noKey ? 'Token signed with a key the issuer does not publish' : 'Token signature does not verify',
          message: noKey
            ? `The token says it was issued by ${iss ?? issuer}, but it is signed with a key${kid ? ` (kid ${kid})` : ''} that ${issuer} does not publish at ${jwksUri}: it was minted by another issuer or environment (e.g. staging vs production), or with a key that has since been rotated out.`
            : `The token's signature does not verify with ${issuer}'s key${kid ? ` ${kid}` : ''}: it was altered, or minted by another environment that uses the same key id.`,
          evidence: { jwksUri, ...(kid ? { kid } : {}), alg },
          fixes: [`Get a token from ${issuer} itself (check which environment your client is configured for).`],
        });
      } else {
        findings.push(skip(`The issuer's keys could not be used (${(error as Error).message}); the signature was not checked.`));
      }
    }
    return findings;
  },
});

function skip(message: string): FindingInput {
  return { status: 'skip', message };
}
