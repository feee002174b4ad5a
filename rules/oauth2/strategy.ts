import { defineAuth } from '../../src/plugins/define.ts';
import type { AuthContext, AuthSpec, OutgoingRequest, ProfileHints, TokenStoreHandle } from '../../src/core/plugin.ts';
import type { FindingInput, RequestSpec } from '../../src/core/types.ts';
import { discoveredMetadata, OAuth2SetupError, openSession, paramSecrets, readParams, type OAuth2Params, type ObtainedTokens } from './client.ts';
import { registerTokens, runTokenGrant, storeKey, toTokenCall } from './grants.ts';
import { diagnoseTokenResponse } from './token-errors.ts';

/**
 * The oauth2 auth strategy: puts `Authorization: Bearer <access token>` on the request.
 *
 * Where the token comes from, in order:
 * 1. the token store, when the session passes one in the context (`ctx.tokenStore`, keyed like
 *    the refresh action writes: the profile name) — the tokens of the last refresh win over the
 *    ones in the config, which a rotating server has usually voided since;
 * 2. `auth.params.accessToken`;
 * 3. a grant the profile is configured for, when there is no token at all: client_credentials, or
 *    refresh_token with a refresh token.
 *
 * Tokens obtained or adopted here are written back into `auth.params` (accessToken, refreshToken,
 * expiresAt) — the one channel apply has back to the session — so that a rotated refresh token is
 * never lost and the refresh action starts from the newest one; and into the token store when
 * there is one. (A frozen params object is left alone; the tokens are then kept in a WeakMap for
 * as long as that object lives.)
 */

/** Thrown when a grant needed to apply credentials fails; `findings` explain the answer. */
export class OAuth2GrantError extends Error {
  readonly findings: FindingInput[];
  constructor(message: string, findings: FindingInput[]) {
    super(message);
    this.name = 'OAuth2GrantError';
    this.findings = findings;
  }
}

interface Cached {
  tokens: ObtainedTokens;
  expiresAt: number | undefined;
}

const obtained = new WeakMap<object, Cached>();

/** The optional extras a session may put on the AuthContext (see the report to the lead). */
type ExtendedAuthContext = AuthContext & { tokenStore?: TokenStoreHandle | undefined; profile?: ProfileHints | undefined };

export default defineAuth({
  scheme: 'oauth2',
  async apply(request: OutgoingRequest, auth: AuthSpec, ctx: AuthContext): Promise<OutgoingRequest> {
    const extended = ctx as ExtendedAuthContext;
    const profile = extended.profile ?? {};
    if (extended.tokenStore) await adoptStoredTokens(auth, extended.tokenStore, storeKey(profile, readParams(auth.params, profile)), ctx.redactor);
    const params = readParams(auth.params, profile);
    for (const s of paramSecrets(params)) ctx.redactor.addSecret(s);
    // A client_credentials token is cheap and meant to be fetched again: when the one in hand has
    // expired, get a new one instead of sending it to be refused.
    const stale = params.grant === 'client_credentials' && params.expiresAt !== undefined && Date.parse(params.expiresAt) - 30_000 <= ctx.now().getTime();
    const token = (stale ? undefined : params.accessToken) ?? fresh(auth.params, ctx.now())?.tokens.accessToken ?? (await grantFor(auth, params, ctx, extended));
    return withBearer(request, token);
  },
  credentialOrigins(spec: RequestSpec): string[] {
    const params = readParams(spec.auth?.params);
    const urls = [params.issuer, params.tokenEndpoint, params.introspectionEndpoint, params.deviceAuthorizationEndpoint];
    const discovered = params.issuer ? discoveredMetadata.get(params.issuer) : undefined;
    if (discovered) urls.push(discovered.token_endpoint, discovered.introspection_endpoint, discovered.device_authorization_endpoint, discovered.revocation_endpoint);
    const origins = new Set<string>();
    for (const url of urls) {
      try {
        if (url) origins.add(new URL(url).origin);
      } catch {
        // not a URL: nothing to allow
      }
    }
    return [...origins];
  },
});

/**
 * Copies the stored tokens of `key` into `auth.params` (in place), when the store has any.
 * Sessions that do not pass the store to apply can call this once after loading the profile.
 * Returns true when something was adopted.
 */
export async function adoptStoredTokens(auth: AuthSpec, store: TokenStoreHandle, key: string, redactor?: { addSecret(v: string | undefined | null): void }): Promise<boolean> {
  const stored = await store.read(key);
  if (typeof stored?.accessToken !== 'string' || !stored.accessToken) return false;
  // Tokens this session already obtained (they carry obtainedAt) win over an older stored value,
  // e.g. when writing the store failed after a refresh.
  const mine = auth.params.obtainedAt;
  if (typeof mine === 'string' && !(typeof stored.obtainedAt === 'string' && stored.obtainedAt > mine)) return false;
  if (stored.accessToken === auth.params.accessToken && stored.refreshToken === auth.params.refreshToken) return false;
  const patch: Record<string, unknown> = { accessToken: stored.accessToken };
  if (typeof stored.obtainedAt === 'string') patch.obtainedAt = stored.obtainedAt;
  if (typeof stored.refreshToken === 'string' && stored.refreshToken) patch.refreshToken = stored.refreshToken;
  if (typeof stored.expiresAt === 'string') patch.expiresAt = stored.expiresAt;
  redactor?.addSecret(stored.accessToken);
  redactor?.addSecret(patch.refreshToken as string | undefined);
  writeBack(auth.params, patch);
  return true;
}

function writeBack(params: Record<string, unknown>, patch: Record<string, unknown>): boolean {
  try {
    Object.assign(params, patch);
    return true;
  } catch {
    return false; // frozen: the WeakMap cache keeps the tokens instead
  }
}

function fresh(raw: object, now: Date): Cached | undefined {
  const cached = obtained.get(raw);
  if (cached && (cached.expiresAt === undefined || cached.expiresAt - 30_000 > now.getTime())) return cached;
  return undefined;
}

export function withBearer(request: OutgoingRequest, token: string): OutgoingRequest {
  const value = `Bearer ${token}`;
  let done = false;
  const headers = [];
  for (const h of request.headers) {
    if (h.name.toLowerCase() !== 'authorization') headers.push(h);
    else if (!done) {
      headers.push({ name: h.name, value });
      done = true;
    }
  }
  if (!done) headers.push({ name: 'Authorization', value });
  return { ...request, headers };
}

async function grantFor(auth: AuthSpec, params: OAuth2Params, ctx: AuthContext, extended: ExtendedAuthContext): Promise<string> {
  const kind = params.grant === 'client_credentials' ? 'client_credentials' : params.refreshToken ? 'refresh_token' : null;
  if (!kind) {
    throw new OAuth2SetupError('The oauth2 profile has no access token and no way to get one: set accessToken, or grant: client_credentials with clientId and clientSecret, or a refreshToken.');
  }
  const session = await openSession(params, ctx.http, ctx.signal, { endpoint: 'token_endpoint' });
  const result = await runTokenGrant(session, params, kind);
  if (!result.ok) {
    const findings = result.call
      ? diagnoseTokenResponse(toTokenCall(result.call), {
          grantType: kind,
          supportedAuthMethods: session.discovered ? session.as.token_endpoint_auth_methods_supported : undefined,
          clientAuth: session.method,
          evaluatedAt: ctx.now(),
          mask: (v) => ctx.redactor.secret(v),
        })
      : [];
    const headline = findings.find((f) => f.status === 'fail');
    throw new OAuth2GrantError(`Could not get an access token (${kind} grant): ${headline?.message ?? result.reason}`, findings);
  }
  const { tokens } = result;
  registerTokens(ctx, tokens);
  const now = ctx.now().getTime();
  const expiresAt = tokens.expiresIn !== undefined ? now + tokens.expiresIn * 1000 : undefined;
  obtained.set(auth.params, { tokens, expiresAt });
  writeBack(auth.params, {
    accessToken: tokens.accessToken,
    ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
    ...(expiresAt !== undefined ? { expiresAt: new Date(expiresAt).toISOString() } : {}),
    obtainedAt: new Date(now).toISOString(),
  });
  if (extended.tokenStore) {
    await extended.tokenStore.write(storeKey(extended.profile ?? {}, params), {
      accessToken: tokens.accessToken,
      ...((tokens.refreshToken ?? params.refreshToken) ? { refreshToken: tokens.refreshToken ?? params.refreshToken } : {}),
      ...(expiresAt !== undefined ? { expiresAt: new Date(expiresAt).toISOString() } : {}),
      tokenType: tokens.tokenType ?? 'bearer',
      obtainedAt: new Date(now).toISOString(),
    });
  }
  return tokens.accessToken;
}

/**
 * For the TUI's auto-refresh countdown: when the current access token expires (from
 * auth.params.expiresAt, else the JWT's exp) and whether it is due for a refresh
 * (refreshMarginSeconds before expiry, default 60 s).
 */
export function refreshDue(auth: AuthSpec | undefined, now: Date): { expiresAt: Date; secondsLeft: number; due: boolean } | null {
  if (auth?.scheme !== 'oauth2') return null;
  const params = readParams(auth.params);
  let expiresAt: number | undefined;
  if (params.expiresAt && !Number.isNaN(Date.parse(params.expiresAt))) expiresAt = Date.parse(params.expiresAt);
  else if (params.accessToken && params.accessToken.split('.').length === 3) {
    try {
      const payload = JSON.parse(Buffer.from(params.accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
      if (typeof payload.exp === 'number') expiresAt = payload.exp * 1000;
    } catch {
      // not a readable JWT: no countdown
    }
  }
  if (expiresAt === undefined) return null;
  const secondsLeft = Math.round((expiresAt - now.getTime()) / 1000);
  const margin = params.refreshMarginSeconds ?? 60;
  const canRefresh = params.grant === 'client_credentials' || params.refreshToken !== undefined;
  return { expiresAt: new Date(expiresAt), secondsLeft, due: canRefresh && secondsLeft <= margin };
}
