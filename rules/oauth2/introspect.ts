import { defineAction } from '../../src/plugins/define.ts';
import { decodeJwtSafe } from '../../src/core/context.ts';
import type { ActionResult } from '../../src/core/plugin.ts';
import { parseAuthorization } from '../../src/core/credential.ts';
import type { FindingInput, RequestSpec } from '../../src/core/types.ts';
import { OAuth2SetupError, lastPost, openSession, readParams, type OAuthSession } from './client.ts';
import { human, iso, REAUTH_ACTIONS, REFRESH_ACTION } from './claims.ts';
import { actionParams, describe, explainFailure, setupFailure } from './grants.ts';
import { parseOAuthError } from './token-errors.ts';

/** The bearer token the request carries (what was actually sent), else the configured one. */
function tokenOf(spec: RequestSpec, configured: string | undefined): string | undefined {
  const header = spec.headers.find((h) => h.name.toLowerCase() === 'authorization');
  if (header) {
    const carrier = parseAuthorization(header.name, header.value);
    if (carrier.scheme === 'bearer' && carrier.credential.trim()) return carrier.credential.trim().replace(/^(bearer\s+)+/i, '');
  }
  return configured;
}

/**
 * Token introspection (RFC 7662): asks the authorization server about the token — the only way to
 * learn anything about an opaque one. `active: false` carries no reason by design (§2.2: expired,
 * revoked, or never issued by this server); a readable `exp` narrows it down.
 */
export default defineAction({
  id: 'introspect',
  title: 'Ask the authorization server about the token',
  kind: 'inspect',
  available(ctx) {
    const p = readParams(ctx.spec.auth?.params, ctx.profile);
    return Boolean(p.clientId && (p.introspectionEndpoint || p.issuer) && tokenOf(ctx.spec, p.accessToken));
  },
  async run(ctx): Promise<ActionResult> {
    const params = actionParams(ctx);
    const token = tokenOf(ctx.spec, params.accessToken);
    if (!token) return setupFailure('There is no bearer token to introspect.');
    ctx.redactor.addSecret(token);
    let session: OAuthSession;
    try {
      session = await openSession(params, ctx.http, ctx.signal, { endpoint: 'introspection_endpoint' });
    } catch (error) {
      return setupFailure(error instanceof OAuth2SetupError ? error.message : `Could not prepare the introspection request: ${describe(error)}`);
    }
    const { oauth, as, client, options } = session;
    ctx.progress(`Asking ${as.introspection_endpoint} about the token…`);
    let result: Awaited<ReturnType<typeof oauth.processIntrospectionResponse>>;
    try {
      const auth = await session.clientAuth();
      result = await oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, auth, token, options));
    } catch (error) {
      const call = lastPost(session.calls);
      if (call && parseOAuthError(call.response.body)?.error === 'unsupported_token_type') {
        // oidc-provider, for one, refuses to introspect its self-contained JWT access tokens.
        const message = `${as.introspection_endpoint} does not introspect this kind of token (unsupported_token_type). A JWT access token is meant to be checked locally: the token rules above read its expiry, audience, issuer and signature.`;
        return { ok: false, message, retry: false, findings: [{ status: 'warn', cause: null, messageId: 'introspection-unsupported-token', title: 'Token cannot be introspected', message, evidence: { introspectionEndpoint: as.introspection_endpoint }, fixes: [] }] };
      }
      const findings = explainFailure({ ok: false, call, reason: describe(error) }, session, ctx, 'introspection');
      return { ok: false, message: `Introspection failed: ${describe(error)}`, retry: false, findings };
    }
    const now = ctx.now().getTime() / 1000;
    if (!result.active) {
      const exp = decodeJwtSafe(token)?.payload.exp;
      const expired = typeof exp === 'number' && exp <= now;
      const finding: FindingInput = expired
        ? {
            status: 'fail',
            cause: 'expired_token',
            confidence: 'definitive',
            messageId: 'introspection-inactive-expired',
            title: 'Token not active: expired',
            message: `The authorization server says the token is not active, and its exp (${iso(exp)}) was ${human(now - exp)} ago: it expired.`,
            evidence: { active: false, exp: iso(exp), expiredSeconds: Math.round(now - exp) },
            fixes: ['Refresh the token (press r in the TUI, or `authdoctor check --refresh`).'],
            actions: [REFRESH_ACTION],
          }
        : {
            status: 'fail',
            cause: 'invalid_credentials',
            confidence: 'definitive',
            messageId: 'introspection-inactive',
            title: 'Token not active',
            message: 'The authorization server says the token is not active (active: false). RFC 7662 gives no reason on purpose: it expired, was revoked (sign-out, password change, admin action), or was not issued by this authorization server at all (another environment or tenant).',
            evidence: { active: false },
            fixes: ['Get a new token: refresh it (press r) or sign in again; if it keeps happening, check that the token comes from the issuer this API trusts.'],
            actions: [REFRESH_ACTION, ...REAUTH_ACTIONS],
          };
      return { ok: true, message: finding.title ?? 'Token not active', retry: false, findings: [finding], details: { active: false } };
    }
    const details: Record<string, unknown> = { active: true };
    for (const key of ['client_id', 'scope', 'sub', 'aud', 'iss', 'token_type', 'username'] as const) if (result[key] !== undefined) details[key] = result[key];
    if (typeof result.exp === 'number') details.exp = iso(result.exp);
    const expiresIn = typeof result.exp === 'number' ? Math.round(result.exp - now) : undefined;
    return {
      ok: true,
      message: `The token is active${result.client_id ? ` (client ${result.client_id}` : ' ('}${result.scope ? `, scope ${result.scope}` : ''}${expiresIn !== undefined ? `, expires in ${human(expiresIn)}` : ''}).`,
      retry: false,
      findings: [
        {
          status: 'warn',
          cause: null,
          messageId: 'introspection-active',
          title: 'Token is active',
          message: `The authorization server says the token is active${result.aud ? ` for ${Array.isArray(result.aud) ? result.aud.join(', ') : result.aud}` : ''}${result.scope ? ` with scope ${result.scope}` : ''}. If the API still refuses it, it expects another audience or scope, or it trusts another issuer.`,
          evidence: details,
          fixes: ['Compare the audience and scopes above with what the API documents for this endpoint.'],
        },
      ],
      details,
    };
  },
});
