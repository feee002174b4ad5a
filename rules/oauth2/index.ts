import { definePlugin } from '../../src/plugins/define.ts';
import introspect from './introspect.ts';
import opaqueToken from './opaque-token.ts';
import reauthDevice from './reauth-device.ts';
import reauthPkce from './reauth-pkce.ts';
import refreshToken from './refresh-token.ts';
import strategy from './strategy.ts';
import tokenAudience from './token-audience.ts';
import tokenEndpoint from './token-endpoint.ts';
import tokenExpired from './token-expired.ts';
import tokenIssuer from './token-issuer.ts';
import tokenNotYetValid from './token-not-yet-valid.ts';
import tokenScope from './token-scope.ts';
import tokenSignature from './token-signature.ts';
import tokenType from './token-type.ts';

/**
 * OAuth 2.0: what a bearer token says about itself (expiry, clock, audience, issuer, kind,
 * scopes, signature), what a token endpoint's error means, and the actions that fix it in place —
 * refresh, re-authentication (device code, browser + PKCE) and introspection.
 *
 * jose and oauth4webapi are loaded only inside check/apply/run (`await import`), so a request
 * that is not OAuth never loads them. Rule order matters only for ties in the verdict: the more
 * specific lifecycle findings come first.
 */
export default definePlugin({
  name: 'oauth2',
  description: 'OAuth 2.0 and OpenID Connect: token analysis, token endpoint errors, refresh and re-authentication.',
  rules: [tokenEndpoint, tokenExpired, tokenNotYetValid, tokenType, tokenIssuer, tokenSignature, tokenAudience, tokenScope, opaqueToken],
  auth: [strategy],
  actions: [refreshToken, reauthDevice, reauthPkce, introspect],
});

export { adoptStoredTokens, OAuth2GrantError, refreshDue } from './strategy.ts';
export { tokenStoreKey } from './grants.ts';
