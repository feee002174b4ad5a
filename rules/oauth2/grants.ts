import type { ActionContext, ActionResult, ProfileHints } from '../../src/core/plugin.ts';
import type { FindingInput, HeaderEntry, RequestSpec } from '../../src/core/types.ts';
import { lastPost, paramSecrets, readParams, tokensFrom, type OAuth2Params, type OAuthSession, type ObtainedTokens, type RecordedCall } from './client.ts';
import { diagnoseTokenResponse, parseOAuthError, type AuthProbe, type TokenCall } from './token-errors.ts';

/**
 * What the refresh and re-authentication actions share: running a token grant through
 * oauth4webapi, explaining a failed one, and — on success — swapping the new tokens into the
 * request spec and the token store.
 */

export type GrantResult =
  | { ok: true; tokens: ObtainedTokens; call: RecordedCall | undefined }
  | { ok: false; call: RecordedCall | undefined; reason: string; oauthError?: string | undefined };

function extraParameters(params: OAuth2Params, includeScope = true): URLSearchParams {
  const extra = new URLSearchParams();
  if (includeScope && params.scope) extra.set('scope', params.scope);
  for (const r of params.resources) extra.append('resource', r);
  // `audience` is not in RFC 6749; Auth0 and Okta's org authorization servers read it.
  if (params.audience && params.resources.length === 0) extra.set('audience', params.audience);
  return extra;
}

/** Runs a refresh_token or client_credentials grant. Never throws. */
export async function runTokenGrant(session: OAuthSession, params: OAuth2Params, kind: 'refresh_token' | 'client_credentials', method = session.method): Promise<GrantResult> {
  const { oauth, as, client, options } = session;
  const before = session.calls.length;
  const callOfThisRun = () => lastPost(session.calls.slice(before));
  try {
    const auth = await session.clientAuth(method);
    let response: Response;
    if (kind === 'refresh_token') {
      if (!params.refreshToken) return { ok: false, call: undefined, reason: 'No refresh token is configured.' };
      // A refresh keeps the original grant's scopes unless told otherwise (RFC 6749 §6): send scope
      // only when the profile asks for one.
      response = await oauth.refreshTokenGrantRequest(as, client, auth, params.refreshToken, { ...options, additionalParameters: extraParameters(params) });
      return { ok: true, tokens: tokensFrom(await oauth.processRefreshTokenResponse(as, client, response)), call: callOfThisRun() };
    }
    response = await oauth.clientCredentialsGrantRequest(as, client, auth, extraParameters(params), options);
    return { ok: true, tokens: tokensFrom(await oauth.processClientCredentialsResponse(as, client, response)), call: callOfThisRun() };
  } catch (error) {
    const call = callOfThisRun();
    // oauth4webapi throws a WWWAuthenticateChallengeError (body unread) when a 401 carries a
    // challenge, as RFC 6749 §5.2 asks for invalid_client: read the error from the recorded body.
    const oauthError = error instanceof oauth.ResponseBodyError ? error.error : call ? parseOAuthError(call.response.body)?.error : undefined;
    return { ok: false, call, reason: describe(error), oauthError };
  }
}

export function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

export function toTokenCall(call: RecordedCall): TokenCall {
  return {
    url: call.url,
    method: call.method,
    requestHeaders: call.requestHeaders,
    requestBody: call.requestBody,
    status: call.response.status,
    responseHeaders: call.response.headers,
    responseBody: call.response.body,
  };
}

/** Findings for a failed grant: the token endpoint's answer explained, or why there was none. */
export function explainFailure(result: Extract<GrantResult, { ok: false }>, session: OAuthSession | undefined, ctx: ActionContext, grantType: string, probe?: AuthProbe): FindingInput[] {
  if (result.call) {
    const findings = diagnoseTokenResponse(toTokenCall(result.call), {
      grantType,
      supportedAuthMethods: session?.discovered ? session.as.token_endpoint_auth_methods_supported : undefined,
      clientAuth: session?.method,
      probe,
      evaluatedAt: ctx.now(),
      mask: (v) => ctx.redactor.secret(v),
    });
    if (findings.length > 0) return findings;
    if (result.call.response.status >= 200 && result.call.response.status < 300) {
      return [
        {
          status: 'fail',
          cause: 'unknown',
          confidence: 'possible',
          messageId: 'token-response-invalid',
          title: 'Token response did not validate',
          message: `The token endpoint answered ${result.call.response.status}, but the response did not pass validation: ${result.reason}`,
          evidence: { tokenEndpoint: result.call.url },
          fixes: ['Check that the configured issuer matches the one in the tokens (iss) and in the discovery document.'],
        },
      ];
    }
  }
  return [
    {
      status: 'warn',
      cause: null,
      messageId: 'token-endpoint-unreachable',
      title: 'Token endpoint call failed',
      message: `The token endpoint could not be called: ${result.reason}`,
      evidence: {},
      fixes: ['Check the token endpoint URL (or the issuer for discovery), the network, and any proxy.'],
    },
  ];
}

/** The request spec with the new tokens: the Authorization header and auth.params both updated. */
export function specWithTokens(spec: RequestSpec, tokens: ObtainedTokens, now: Date, extraParams: Record<string, unknown> = {}): RequestSpec {
  const value = `Bearer ${tokens.accessToken}`;
  let replaced = false;
  const headers: HeaderEntry[] = [];
  for (const h of spec.headers) {
    if (h.name.toLowerCase() !== 'authorization') headers.push(h);
    else if (!replaced) {
      headers.push({ name: h.name, value });
      replaced = true;
    }
  }
  if (!replaced) headers.push({ name: 'Authorization', value });
  const base = spec.auth ?? { scheme: 'oauth2', params: {} };
  const params: Record<string, unknown> = {
    ...base.params,
    ...extraParams,
    accessToken: tokens.accessToken,
    ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
    ...(tokens.expiresIn !== undefined ? { expiresAt: new Date(now.getTime() + tokens.expiresIn * 1000).toISOString() } : {}),
    obtainedAt: now.toISOString(),
  };
  if (tokens.expiresIn === undefined) delete params.expiresAt;
  for (const [k, v] of Object.entries(params)) if (v === undefined) delete params[k];
  const secrets = [...(spec.secrets ?? []), tokens.accessToken, ...(tokens.refreshToken ? [tokens.refreshToken] : [])];
  return { ...spec, headers, auth: { ...base, params }, secrets: [...new Set(secrets)] };
}

/** The key the oauth2 plugin uses in the token store for this profile (what `confirm` takes). */
export function tokenStoreKey(profile: ProfileHints, auth: { params: Record<string, unknown> } | undefined): string {
  return storeKey(profile, readParams(auth?.params, profile));
}

/** The token store key: the profile name, or client@endpoint without one. */
export function storeKey(profile: ProfileHints, params: OAuth2Params): string {
  return profile.name ?? `${params.clientId ?? 'client'}@${params.tokenEndpoint ?? params.issuer ?? 'oauth2'}`;
}

export function registerTokens(ctx: { redactor: { addSecret(v: string | undefined | null): void } }, tokens: ObtainedTokens): void {
  ctx.redactor.addSecret(tokens.accessToken);
  ctx.redactor.addSecret(tokens.refreshToken);
  ctx.redactor.addSecret(tokens.idToken);
}

/**
 * The success path of every action that obtained tokens: register them as secrets, write them to
 * the token store (unconfirmed until the session confirms), and return the new spec.
 */
export async function finishWithTokens(ctx: ActionContext, params: OAuth2Params, tokens: ObtainedTokens, how: string, extra: { paramsPatch?: Record<string, unknown>; findings?: FindingInput[]; details?: Record<string, unknown>; newGrant?: boolean } = {}): Promise<ActionResult> {
  registerTokens(ctx, tokens);
  const now = ctx.now();
  const rotated = Boolean(!extra.newGrant && tokens.refreshToken && params.refreshToken && tokens.refreshToken !== params.refreshToken);
  const keptOld = Boolean(!extra.newGrant && !tokens.refreshToken && params.refreshToken);
  const refreshToken = extra.newGrant ? tokens.refreshToken : (tokens.refreshToken ?? params.refreshToken);
  // After a new sign-in the old refresh token belongs to a dead grant: do not keep it.
  const spec = specWithTokens(ctx.spec, tokens, now, { ...extra.paramsPatch, ...(extra.newGrant ? { refreshToken } : {}) });
  const findings = [...(extra.findings ?? [])];
  let stored: string | undefined;
  if (ctx.tokenStore) {
    const key = storeKey(ctx.profile, params);
    try {
      await ctx.tokenStore.write(key, {
        accessToken: tokens.accessToken,
        ...(refreshToken ? { refreshToken } : {}),
        ...(tokens.expiresIn !== undefined ? { expiresAt: new Date(now.getTime() + tokens.expiresIn * 1000).toISOString() } : {}),
        ...(tokens.scope ? { scope: tokens.scope } : {}),
        tokenType: tokens.tokenType ?? 'bearer',
        obtainedAt: now.toISOString(),
        ...(params.clientId ? { clientId: params.clientId } : {}),
      });
      stored = key;
    } catch (error) {
      findings.push({
        status: 'warn',
        cause: null,
        messageId: 'token-store-write-failed',
        title: 'New token not saved',
        message: `The new token works for this session but could not be written to the token store: ${describe(error)}`,
        evidence: {},
        fixes: ['Fix the token store path or permissions (see the message); until then the next run starts from the old token.'],
      });
    }
  }
  const parts = [`Got a new access token ${how}${tokens.expiresIn !== undefined ? ` (expires in ${tokens.expiresIn} s)` : ''}`];
  if (rotated) parts.push('the refresh token was rotated and the new one kept');
  if (keptOld) parts.push('the refresh token stays the same');
  if (extra.newGrant && tokens.refreshToken) parts.push('with a new refresh token for later refreshes');
  if (stored) parts.push(`saved to the token store as "${stored}" (kept unconfirmed until the retried request succeeds)`);
  return {
    ok: true,
    message: `${parts.join('; ')}.`,
    spec,
    retry: true,
    ...(findings.length ? { findings } : {}),
    details: {
      ...(tokens.expiresIn !== undefined ? { expiresIn: tokens.expiresIn } : {}),
      ...(tokens.scope ? { scope: tokens.scope } : {}),
      tokenType: tokens.tokenType ?? 'bearer',
      refreshTokenRotated: rotated,
      ...(stored ? { tokenStoreKey: stored } : {}),
      ...(extra.details ?? {}),
    },
  };
}

/** Reads the action's params and registers every configured secret before anything is sent. */
export function actionParams(ctx: ActionContext): OAuth2Params {
  const params = readParams(ctx.spec.auth?.params, ctx.profile);
  for (const s of paramSecrets(params)) ctx.redactor.addSecret(s);
  return params;
}

export function setupFailure(message: string): ActionResult {
  return {
    ok: false,
    message,
    retry: false,
    findings: [{ status: 'warn', cause: null, messageId: 'oauth2-setup', title: 'OAuth2 settings incomplete', message, evidence: {}, fixes: ['Complete the oauth2 settings of the profile (issuer or tokenEndpoint, clientId, and a refresh token or client credentials).'] }],
  };
}

/** Waits `seconds`, or rejects when the signal aborts. */
export function sleep(seconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error('cancelled'));
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, seconds * 1000);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason instanceof Error ? signal.reason : new Error('cancelled'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
