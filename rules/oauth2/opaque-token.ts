import { defineRule } from '../../src/plugins/define.ts';
import { authFailed, bearerCredential, INTROSPECT_ACTION, REFRESH_ACTION } from './claims.ts';

/**
 * A bearer token that is not a JWT (Okta, Auth0 and Google access tokens, GitHub tokens, most
 * refresh tokens) carries nothing readable: only its issuer can say whether it is active, through
 * token introspection (RFC 7662) when the profile configures an introspection endpoint.
 */
export default defineRule({
  meta: {
    id: 'opaque-token',
    title: 'Opaque bearer token',
    description: 'Explains that a non-JWT bearer token cannot be inspected locally and offers introspection.',
    causes: [],
  },
  appliesTo: (ctx) => ctx.helpers.jwt() === null && bearerCredential(ctx) !== undefined,
  check(ctx) {
    const token = bearerCredential(ctx);
    if (!token || !authFailed(ctx)) return [];
    const introspection = ctx.profile.oauth2?.introspectionEndpoint;
    const segments = token.split('.').length;
    const what =
      segments === 5
        ? 'The bearer token is an encrypted JWT (JWE): only the party holding the decryption key can read it. (Amazon Cognito refresh tokens are JWEs — if this is one, it belongs at the token endpoint, not in an API call.)'
        : 'The bearer token is opaque (not a JWT), so nothing about it — expiry, audience, scopes — can be read locally. Only the authorization server that issued it can tell whether it is still active.';
    return [
      {
        status: 'warn',
        cause: null,
        messageId: segments === 5 ? 'encrypted-token' : 'opaque-token',
        title: 'Token cannot be inspected locally',
        message: what,
        evidence: { length: token.length, segments, introspectionEndpoint: introspection ?? null },
        fixes: introspection
          ? ['Ask the authorization server: run the introspect action (RFC 7662) to learn whether the token is active, for which client and scopes, and when it expires.']
          : [
              'Set oauth2.introspectionEndpoint (and client credentials) in the profile to let authdoctor ask the authorization server about the token (RFC 7662).',
              'Or get a fresh token (press r in the TUI / `authdoctor check --refresh`) and compare.',
            ],
        actions: introspection ? [INTROSPECT_ACTION, REFRESH_ACTION] : [REFRESH_ACTION],
      },
    ];
  },
});
