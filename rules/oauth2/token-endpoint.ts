import { defineRule } from '../../src/plugins/define.ts';
import type { RuleHttpClient } from '../../src/core/plugin.ts';
import { diagnoseTokenResponse, looksLikeTokenEndpoint } from './token-errors.ts';

/**
 * An exchange that is itself a call to a token endpoint (a HAR of a login, a failing refresh in an
 * SDK's debug log): explain the answer — RFC 6749 §5.2 errors and the providers' own codes (see
 * token-errors.ts for the sources). Recognised by a `grant_type` in the body, the configured token
 * endpoint, or a token endpoint path (captures often drop the body).
 *
 * When the profile names an issuer, its discovery document (public metadata, no credentials) is
 * read for `token_endpoint_auth_methods_supported`, to tell a wrong client authentication method
 * from a wrong secret. Without network access that part is skipped.
 */
export default defineRule({
  meta: {
    id: 'token-endpoint',
    title: 'Token endpoint answer',
    description: 'Explains an OAuth2 token endpoint error: invalid_client, invalid_grant, unauthorized_client, invalid_scope, unsupported_grant_type and provider-specific codes.',
    causes: ['client_auth_failed', 'refresh_failed', 'malformed_credentials', 'clock_skew', 'invalid_credentials', 'insufficient_permissions', 'wrong_scheme', 'expired_token', 'unknown'],
    network: true,
  },
  appliesTo: (ctx) => ctx.response !== null && looksLikeTokenEndpoint(ctx.request.method, ctx.request.url, ctx.request.body, ctx.profile.oauth2?.tokenEndpoint),
  async check(ctx) {
    const response = ctx.response;
    if (!response) return [];
    let supportedAuthMethods: string[] | undefined;
    const issuer = ctx.profile.oauth2?.issuer;
    if (issuer && /"?error"?\s*[:=]\s*"?(invalid_client|unauthorized_client)/.test(response.body)) {
      supportedAuthMethods = await discoverAuthMethods(issuer, ctx.http, ctx.signal);
    }
    return diagnoseTokenResponse(
      {
        url: ctx.request.url,
        method: ctx.request.method,
        requestHeaders: ctx.request.headers,
        requestBody: ctx.request.body,
        status: response.status,
        responseHeaders: response.headers,
        responseBody: response.body,
      },
      { supportedAuthMethods, evaluatedAt: ctx.now(), mask: (v) => ctx.mask(v) },
    );
  },
});

async function discoverAuthMethods(issuer: string, http: RuleHttpClient, signal: AbortSignal): Promise<string[] | undefined> {
  try {
    const oauth = await import('oauth4webapi');
    const { fetchVia } = await import('./client.ts');
    const url = new URL(issuer);
    const loopback = url.protocol === 'http:' && /^(127\.|localhost$|\[::1\]$)/.test(url.hostname);
    const response = await oauth.discoveryRequest(url, { [oauth.customFetch]: fetchVia(http, [], signal), ...(loopback ? { [oauth.allowInsecureRequests]: true } : {}), signal });
    const as = await oauth.processDiscoveryResponse(url, response);
    return as.token_endpoint_auth_methods_supported;
  } catch {
    return undefined;
  }
}
