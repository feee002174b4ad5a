import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defineAction } from '../../src/plugins/define.ts';
import type { ActionResult } from '../../src/core/plugin.ts';
import { OAuth2SetupError, lastPost, openSession, readParams, tokensFrom, type OAuthSession } from './client.ts';
import { actionParams, describe, explainFailure, finishWithTokens, setupFailure } from './grants.ts';

/** How long to wait for the browser to come back to the loopback redirect. */
const DEFAULT_TIMEOUT_SECONDS = 300;

/**
 * Re-authentication with the authorization code grant and PKCE (RFC 7636) on a loopback redirect
 * (RFC 8252 §7.3: `http://127.0.0.1:<random port>/callback`; the authorization server must accept
 * any port for a loopback URI registered without one). For providers that do not offer the device
 * flow. The URL to open is shown through progress(); the action waits for the redirect, checks
 * `state`, and exchanges the code with the verifier.
 */
export default defineAction({
  id: 'reauth-pkce',
  title: 'Sign in again (browser)',
  kind: 'reauth',
  available(ctx) {
    if (ctx.spec.auth?.scheme !== 'oauth2') return false;
    const p = readParams(ctx.spec.auth.params, ctx.profile);
    return Boolean(p.clientId && (p.authorizationEndpoint || p.issuer) && (p.tokenEndpoint || p.issuer));
  },
  async run(ctx): Promise<ActionResult> {
    const params = actionParams(ctx);
    let session: OAuthSession;
    try {
      session = await openSession(params, ctx.http, ctx.signal, { endpoint: 'authorization_endpoint' });
      if (!session.as.token_endpoint) throw new OAuth2SetupError('No token endpoint is known to exchange the code at: set oauth2.issuer or oauth2.tokenEndpoint.');
    } catch (error) {
      return setupFailure(error instanceof OAuth2SetupError ? error.message : `Could not prepare the browser sign-in: ${describe(error)}`);
    }
    const { oauth, as, client, options } = session;
    const rawTimeout = (ctx.spec.auth?.params as Record<string, unknown> | undefined)?.reauthTimeoutSeconds;
    const timeoutSeconds = typeof rawTimeout === 'number' && rawTimeout > 0 ? rawTimeout : DEFAULT_TIMEOUT_SECONDS;

    const loopback = await startLoopback();
    try {
      const redirectUri = `http://127.0.0.1:${loopback.port}/callback`;
      const verifier = oauth.generateRandomCodeVerifier();
      const challenge = await oauth.calculatePKCECodeChallenge(verifier);
      const state = oauth.generateRandomState();
      const scope = params.scope ?? (as.scopes_supported?.includes('openid') ? `openid${as.scopes_supported.includes('offline_access') ? ' offline_access' : ''}` : undefined);
      const openid = scope?.split(' ').includes('openid') ?? false;
      const nonce = openid ? oauth.generateRandomNonce() : undefined;
      const url = new URL(as.authorization_endpoint!);
      url.searchParams.set('client_id', client.client_id);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('redirect_uri', redirectUri);
      url.searchParams.set('code_challenge', challenge);
      url.searchParams.set('code_challenge_method', 'S256');
      url.searchParams.set('state', state);
      if (scope) url.searchParams.set('scope', scope);
      if (nonce) url.searchParams.set('nonce', nonce);
      for (const r of params.resources) url.searchParams.append('resource', r);
      if (params.audience && params.resources.length === 0) url.searchParams.set('audience', params.audience);
      // offline_access is only honoured with prompt=consent (OIDC Core §11).
      if (scope?.split(' ').includes('offline_access')) url.searchParams.set('prompt', 'consent');
      ctx.progress(`Open this URL in your browser to sign in (waiting up to ${Math.round(timeoutSeconds / 60)} min for the redirect to ${redirectUri}): ${url.href}`);

      let callback: URL;
      try {
        callback = await loopback.next(ctx.signal, timeoutSeconds);
      } catch (error) {
        return { ok: false, message: ctx.signal.aborted ? 'Sign-in cancelled.' : `No redirect came back: ${describe(error)}`, retry: false, details: { authorizationUrl: url.href } };
      }
      let callbackParams: URLSearchParams;
      try {
        callbackParams = oauth.validateAuthResponse(as, client, callback.searchParams, state);
      } catch (error) {
        const reason = error instanceof oauth.AuthorizationResponseError ? `${error.error}${error.error_description ? ` (${error.error_description})` : ''}` : describe(error);
        return {
          ok: false,
          message: `The authorization server did not return a code: ${reason}.`,
          retry: false,
          findings: [{ status: 'fail', cause: 'insufficient_permissions', confidence: 'definitive', messageId: 'authorization-denied', title: 'Sign-in not completed', message: `The browser sign-in ended without a code: ${reason}.`, evidence: {}, fixes: ['Sign in again and approve the requested access; if the error names redirect_uri, register http://127.0.0.1/callback (any port) for this client.'] }],
        };
      }
      const code = callbackParams.get('code');
      if (code) ctx.redactor.addSecret(code);
      try {
        const auth = await session.clientAuth();
        const response = await oauth.authorizationCodeGrantRequest(as, client, auth, callbackParams, redirectUri, verifier, options);
        const result = await oauth.processAuthorizationCodeResponse(as, client, response, nonce ? { expectedNonce: nonce } : {});
        return finishWithTokens(ctx, params, tokensFrom(result), 'through the browser sign-in', { newGrant: true, paramsPatch: params.grant === 'static' ? { grant: 'refresh_token' } : {} });
      } catch (error) {
        const findings = explainFailure({ ok: false, call: lastPost(session.calls), reason: describe(error) }, session, ctx, 'authorization_code');
        const headline = findings.find((f) => f.status === 'fail') ?? findings[0];
        return { ok: false, message: `Exchanging the code failed: ${headline?.title ?? describe(error)}.`, retry: false, findings };
      }
    } finally {
      await loopback.close();
    }
  },
});

/** A one-shot HTTP listener on 127.0.0.1 and a random port for the redirect. */
async function startLoopback(): Promise<{ port: number; next(signal: AbortSignal, timeoutSeconds: number): Promise<URL>; close(): Promise<void> }> {
  let deliver: ((url: URL) => void) | undefined;
  const arrived: URL[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end('<!doctype html><title>authdoctor</title><p>Signed in. You can close this window and return to the terminal.</p>');
    if (deliver) deliver(url);
    else arrived.push(url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    next(signal, timeoutSeconds) {
      const ready = arrived.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise<URL>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutSeconds} s`)), timeoutSeconds * 1000);
        const onAbort = () => {
          clearTimeout(timer);
          reject(new Error('cancelled'));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        deliver = (url) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          resolve(url);
        };
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
