import { defineAction } from '../../src/plugins/define.ts';
import type { ActionResult } from '../../src/core/plugin.ts';
import type { FindingInput } from '../../src/core/types.ts';
import { OAuth2SetupError, openSession, readParams, type OAuthSession } from './client.ts';
import { actionParams, describe, explainFailure, finishWithTokens, runTokenGrant, setupFailure } from './grants.ts';
import type { AuthProbe } from './token-errors.ts';

/**
 * The other client authentication methods worth one try after invalid_client: the other way to
 * send the same secret, then none at all (a public client that was given a secret).
 */
function probeCandidates(method: string, hasSecret: boolean): ('client_secret_basic' | 'client_secret_post' | 'none')[] {
  const out: ('client_secret_basic' | 'client_secret_post' | 'none')[] = [];
  if (hasSecret && method === 'client_secret_basic') out.push('client_secret_post');
  if (hasSecret && method === 'client_secret_post') out.push('client_secret_basic');
  out.push('none');
  return out;
}

/**
 * Refresh in place: a refresh_token grant (RFC 6749 §6), or a new client_credentials grant
 * (§4.4). On success the new access token goes into the request (Authorization header and
 * auth.params), a rotated refresh token replaces the old one, and both are written to the token
 * store when one is configured. On failure the token endpoint's answer is explained.
 *
 * When the server answers invalid_client, the other methods the configuration allows are tried
 * once each: the same secret the other way (client_secret_basic ⇄ client_secret_post), then no
 * client authentication (a public client given a secret). That tells "wrong secret" (all fail)
 * from "wrong method" (one works) — servers such as oidc-provider answer both with the same words.
 * The probes go to the same configured token endpoint, carry no other secret, and are recorded
 * like every other request; the first that works provides the tokens, and the finding says which
 * method to configure.
 */
export default defineAction({
  id: 'refresh-token',
  title: 'Refresh the access token',
  kind: 'refresh',
  available(ctx) {
    if (ctx.spec.auth?.scheme !== 'oauth2') return false;
    const p = readParams(ctx.spec.auth.params, ctx.profile);
    if (!p.clientId || !(p.issuer || p.tokenEndpoint)) return false;
    return p.grant === 'client_credentials' || p.refreshToken !== undefined;
  },
  async run(ctx): Promise<ActionResult> {
    const params = actionParams(ctx);
    const kind = params.grant === 'client_credentials' ? 'client_credentials' : 'refresh_token';
    if (kind === 'refresh_token' && !params.refreshToken) return setupFailure('There is no refresh token to refresh with; sign in again (device or browser flow).');
    let session: OAuthSession;
    try {
      ctx.progress(params.issuer ? `Reading the metadata of ${params.issuer}…` : 'Preparing the token request…');
      session = await openSession(params, ctx.http, ctx.signal, { endpoint: 'token_endpoint' });
    } catch (error) {
      if (error instanceof OAuth2SetupError) return setupFailure(error.message);
      return setupFailure(`Could not prepare the token request: ${describe(error)}`);
    }
    ctx.progress(`Calling the token endpoint ${session.as.token_endpoint} (${kind === 'refresh_token' ? 'refresh_token grant' : 'client_credentials grant'}, ${session.method})…`);
    const first = await runTokenGrant(session, params, kind);
    if (first.ok) return finishWithTokens(ctx, params, first.tokens, kind === 'refresh_token' ? 'with the refresh token' : 'with the client credentials');

    let probe: AuthProbe | undefined;
    if (first.oauthError === 'invalid_client' && session.method !== 'none') {
      const supported = session.discovered ? session.as.token_endpoint_auth_methods_supported : undefined;
      // Only worth asking when discovery does not already rule the used method out (that is its own finding).
      if (!supported || supported.includes(session.method)) {
        const candidates = probeCandidates(session.method, Boolean(params.clientSecret)).filter((m) => !supported || supported.includes(m));
        probe = { tried: [] };
        for (const other of candidates) {
          ctx.progress(`The server rejected the client with ${session.method}; trying ${other} once to tell a wrong secret from a wrong method…`);
          const attempt = await runTokenGrant(session, params, kind, other);
          probe.tried.push(other);
          if (attempt.ok) {
            probe.worked = other;
            const findings = explainFailure(first, session, ctx, kind, probe).map((f): FindingInput => ({ ...f, status: 'warn' }));
            return finishWithTokens(ctx, params, attempt.tokens, `with ${other} (the configured ${session.method} was rejected)`, {
              paramsPatch: { clientAuth: other },
              findings,
              details: { clientAuthUsed: other },
            });
          }
          if (attempt.oauthError && attempt.oauthError !== 'invalid_client') {
            // The client got past authentication this way (servers authenticate the client before
            // they look at the grant), and then the grant itself was refused: say both.
            probe.worked = other;
            const findings = [...explainFailure(first, session, ctx, kind, probe), ...explainFailure(attempt, session, ctx, kind)];
            const headline = findings.find((f) => f.status === 'fail') ?? findings[0];
            return { ok: false, message: `The ${kind === 'refresh_token' ? 'refresh' : 'client credentials grant'} failed: ${headline?.title ?? attempt.reason}.`, retry: false, findings };
          }
          if (attempt.oauthError !== 'invalid_client') break;
        }
        if (probe.tried.length === 0) probe = undefined;
      }
    }
    const findings = explainFailure(first, session, ctx, kind, probe);
    const headline = findings.find((f) => f.status === 'fail') ?? findings[0];
    return {
      ok: false,
      message: `The ${kind === 'refresh_token' ? 'refresh' : 'client credentials grant'} failed: ${headline?.title ?? first.reason}.`,
      retry: false,
      findings,
      details: { tokenEndpoint: session.as.token_endpoint, ...(first.oauthError ? { error: first.oauthError } : {}) },
    };
  },
});
