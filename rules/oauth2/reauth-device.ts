import { defineAction } from '../../src/plugins/define.ts';
import type { ActionResult } from '../../src/core/plugin.ts';
import { OAuth2SetupError, lastPost, openSession, readParams, tokensFrom, type OAuthSession } from './client.ts';
import { actionParams, describe, explainFailure, finishWithTokens, setupFailure, sleep } from './grants.ts';

/**
 * Re-authentication without leaving the terminal: the device authorization grant (RFC 8628).
 * Shows the user code and the verification URI through progress(), then polls the token endpoint
 * at the server's interval (5 s when it names none, §3.2), adding 5 s on every slow_down (§3.5),
 * until the user has signed in, declined, or the code expired — or the user cancels (ctx.signal).
 */
export default defineAction({
  id: 'reauth-device',
  title: 'Sign in again (device code)',
  kind: 'reauth',
  available(ctx) {
    if (ctx.spec.auth?.scheme !== 'oauth2') return false;
    const p = readParams(ctx.spec.auth.params, ctx.profile);
    return Boolean(p.clientId && (p.deviceAuthorizationEndpoint || p.issuer));
  },
  async run(ctx): Promise<ActionResult> {
    const params = actionParams(ctx);
    let session: OAuthSession;
    try {
      session = await openSession(params, ctx.http, ctx.signal, { endpoint: 'device_authorization_endpoint' });
      if (!session.as.token_endpoint) throw new OAuth2SetupError('No token endpoint is known to poll: set oauth2.issuer or oauth2.tokenEndpoint in the profile.');
    } catch (error) {
      return setupFailure(error instanceof OAuth2SetupError ? error.message : `Could not prepare the device flow: ${describe(error)}`);
    }
    const { oauth, as, client, options } = session;
    const grantType = 'urn:ietf:params:oauth:grant-type:device_code';
    const request = new URLSearchParams();
    const scope = params.scope ?? (as.scopes_supported?.includes('offline_access') ? 'openid offline_access' : undefined);
    if (scope) request.set('scope', scope);
    for (const r of params.resources) request.append('resource', r);
    if (params.audience && params.resources.length === 0) request.set('audience', params.audience);

    let device: Awaited<ReturnType<typeof oauth.processDeviceAuthorizationResponse>>;
    try {
      const auth = await session.clientAuth();
      device = await oauth.processDeviceAuthorizationResponse(as, client, await oauth.deviceAuthorizationRequest(as, client, auth, request, options));
    } catch (error) {
      const call = lastPost(session.calls);
      return { ok: false, message: `The device authorization request failed: ${describe(error)}`, retry: false, findings: explainFailure({ ok: false, call, reason: describe(error) }, session, ctx, grantType) };
    }
    // The device code is a credential until it is used; the user code is meant to be shown.
    ctx.redactor.addSecret(device.device_code);
    ctx.progress(`To sign in, open ${device.verification_uri} and enter the code ${device.user_code}${device.verification_uri_complete ? ` (or open ${device.verification_uri_complete})` : ''}. The code is valid for ${Math.round(device.expires_in / 60)} min.`);

    let interval = device.interval ?? 5;
    const deadline = Date.now() + device.expires_in * 1000;
    const auth = await session.clientAuth();
    for (;;) {
      try {
        await sleep(interval, ctx.signal);
      } catch {
        return { ok: false, message: 'Sign-in cancelled.', retry: false, details: { userCode: device.user_code, verificationUri: device.verification_uri } };
      }
      if (Date.now() > deadline) {
        return { ok: false, message: 'The device code expired before the sign-in was completed; start again.', retry: false };
      }
      try {
        const response = await oauth.deviceCodeGrantRequest(as, client, auth, device.device_code, options);
        const tokens = tokensFrom(await oauth.processDeviceCodeResponse(as, client, response));
        return finishWithTokens(ctx, params, tokens, 'through the device flow', {
          // The new grant comes with its own refresh token: later refreshes use it.
          paramsPatch: params.grant === 'static' ? { grant: 'refresh_token' } : {},
          newGrant: true,
          details: { userCode: device.user_code, verificationUri: device.verification_uri },
        });
      } catch (error) {
        if (error instanceof oauth.ResponseBodyError) {
          if (error.error === 'authorization_pending') continue;
          if (error.error === 'slow_down') {
            interval += 5;
            ctx.progress(`The server asked to slow down: polling every ${interval} s.`);
            continue;
          }
        }
        if (ctx.signal.aborted) return { ok: false, message: 'Sign-in cancelled.', retry: false };
        const findings = explainFailure({ ok: false, call: lastPost(session.calls), reason: describe(error) }, session, ctx, grantType);
        const headline = findings.find((f) => f.status === 'fail') ?? findings[0];
        return { ok: false, message: `The device sign-in failed: ${headline?.title ?? describe(error)}.`, retry: false, findings };
      }
    }
  },
});
