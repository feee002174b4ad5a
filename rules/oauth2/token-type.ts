import { defineRule } from '../../src/plugins/define.ts';
import { audiences, authFailed, REFRESH_ACTION, tokenKind } from './claims.ts';

/**
 * The wrong kind of token in the Authorization header: an ID token (it tells the client who signed
 * in; APIs want the access token from the same response — OIDC Core §2 vs RFC 6749 §1.4), or a
 * refresh token (it is only ever sent to the token endpoint, RFC 6749 §1.5).
 */
export default defineRule({
  meta: {
    id: 'token-type',
    title: 'Kind of token sent',
    description: 'Tells an ID token or a refresh token sent as a bearer access token by its claims.',
    causes: ['wrong_scheme'],
  },
  appliesTo: (ctx) => ctx.helpers.jwt() !== null,
  check(ctx) {
    const jwt = ctx.helpers.jwt();
    if (!jwt) return [];
    const { kind, signals } = tokenKind(jwt, ctx.profile);
    const failed = authFailed(ctx);
    if (kind === 'id') {
      return [
        {
          status: failed ? 'fail' : 'warn',
          cause: 'wrong_scheme',
          confidence: 'likely',
          messageId: 'id-token-as-access-token',
          title: 'ID token sent as an access token',
          message: `This is an ID token (${signals.join(', ')}), not an access token. An ID token tells your app who signed in and is meant for the client (its aud is the client id${audiences(jwt.payload).length ? `: ${audiences(jwt.payload).join(', ')}` : ''}); APIs expect the access token from the same token response.`,
          evidence: { signals, aud: audiences(jwt.payload) },
          fixes: [
            'Send the access_token field of the token response, not id_token.',
            'If the response has no usable access token for this API, request one for it: add `audience=<API identifier>` (Auth0), the API\'s scope (Entra ID: `api://<app id>/.default`), or `resource=<API URL>` (RFC 8707).',
          ],
        },
      ];
    }
    if (kind === 'refresh') {
      return [
        {
          status: failed ? 'fail' : 'warn',
          cause: 'wrong_scheme',
          confidence: 'likely',
          messageId: 'refresh-token-as-bearer',
          title: 'Refresh token sent as a bearer token',
          message: `This is a refresh token (${signals.join(', ')}). A refresh token is only ever sent to the token endpoint to get a new access token; APIs do not accept it.`,
          evidence: { signals },
          fixes: ['Exchange the refresh token at the token endpoint (grant_type=refresh_token) and send the access_token it returns. Press r in the TUI or run `authdoctor check --refresh` to do it now.'],
          actions: [REFRESH_ACTION],
        },
      ];
    }
    return [];
  },
});
