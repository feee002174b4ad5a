import type * as OAuth from 'oauth4webapi';
import type { ProfileHints, RuleHttpClient } from '../../src/core/plugin.ts';
import type { HeaderEntry, ResponseSnapshot } from '../../src/core/types.ts';
import type { ClientAuthMethod } from './token-errors.ts';

/**
 * Every protocol exchange of the oauth2 plugin goes through oauth4webapi (discovery, token
 * endpoint grants, device authorization, PKCE, introspection), with its fetch replaced by the
 * rule HTTP client, so that each request is recorded, counted in the report's `requests`, and
 * refused when it would carry credentials to an origin the user did not configure.
 *
 * oauth4webapi is imported lazily (`await import`), so loading the plugin — and checking a request
 * that is not OAuth at all — never loads it. This file has only type imports at the top.
 */

export interface OAuth2Params {
  grant: 'static' | 'refresh_token' | 'client_credentials';
  accessToken?: string | undefined;
  refreshToken?: string | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  clientAuth?: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none' | undefined;
  /** PEM (PKCS#8 or PKCS#1/SEC1) or a private JWK as JSON, for private_key_jwt. */
  privateKey?: string | undefined;
  privateKeyKid?: string | undefined;
  issuer?: string | undefined;
  tokenEndpoint?: string | undefined;
  introspectionEndpoint?: string | undefined;
  deviceAuthorizationEndpoint?: string | undefined;
  authorizationEndpoint?: string | undefined;
  scope?: string | undefined;
  audience?: string | undefined;
  /** RFC 8707 resource indicators (the parameter may repeat). */
  resources: string[];
  leewaySeconds?: number | undefined;
  refreshMarginSeconds?: number | undefined;
  /** When the current access token expires (ISO), as written by a refresh. */
  expiresAt?: string | undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);

/** Reads `auth.params` of an oauth2 profile; the profile's oauth2 hints fill what is missing. */
export function readParams(raw: Record<string, unknown> | undefined, profile?: ProfileHints): OAuth2Params {
  const p = raw ?? {};
  const hints = profile?.oauth2 ?? {};
  const grant = p.grant === 'refresh_token' || p.grant === 'client_credentials' ? p.grant : 'static';
  const clientAuth = p.clientAuth;
  return {
    grant,
    accessToken: str(p.accessToken),
    refreshToken: str(p.refreshToken),
    clientId: str(p.clientId) ?? hints.clientId,
    clientSecret: typeof p.clientSecret === 'string' && p.clientSecret !== '' ? p.clientSecret : undefined,
    clientAuth: clientAuth === 'client_secret_basic' || clientAuth === 'client_secret_post' || clientAuth === 'private_key_jwt' || clientAuth === 'none' ? clientAuth : undefined,
    privateKey: str(p.privateKey),
    privateKeyKid: str(p.privateKeyKid),
    issuer: str(p.issuer) ?? hints.issuer,
    tokenEndpoint: str(p.tokenEndpoint) ?? hints.tokenEndpoint,
    introspectionEndpoint: str(p.introspectionEndpoint) ?? hints.introspectionEndpoint,
    deviceAuthorizationEndpoint: str(p.deviceAuthorizationEndpoint),
    authorizationEndpoint: str(p.authorizationEndpoint),
    // RFC 6749 §3.3: one space-separated string on the wire, whatever the config held.
    scope: Array.isArray(p.scope) ? str(p.scope.filter((x) => typeof x === 'string').join(' ')) : str(p.scope),
    audience: str(p.audience) ?? hints.audience,
    resources: (Array.isArray(p.resource) ? p.resource : [p.resource]).map(str).filter((x): x is string => x !== undefined),
    leewaySeconds: num(p.leewaySeconds) ?? hints.leewaySeconds,
    refreshMarginSeconds: num(p.refreshMarginSeconds),
    expiresAt: str(p.expiresAt),
  };
}

/** The secrets among the params, for the redactor. */
export function paramSecrets(p: OAuth2Params): string[] {
  return [p.accessToken, p.refreshToken, p.clientSecret, p.privateKey].filter((s): s is string => typeof s === 'string' && s.length > 0);
}

export interface RecordedCall {
  method: string;
  url: string;
  requestHeaders: HeaderEntry[];
  requestBody?: string | undefined;
  response: ResponseSnapshot;
}

/** A configuration problem found before anything was sent (a clear message, no stack trace). */
export class OAuth2SetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OAuth2SetupError';
  }
}

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === '127.0.0.1' || host === '::1' || host === 'localhost' || /^127\./.test(host);
  } catch {
    return false;
  }
}

/**
 * oauth4webapi only talks HTTPS unless told otherwise. Plain http is allowed for loopback
 * addresses alone — a local authorization server in tests, the demo cloud, a dev Keycloak — where
 * nothing crosses a network; anywhere else, credentials over http would be readable on the way.
 */
function checkTransport(urls: (string | undefined)[]): boolean {
  let insecure = false;
  for (const url of urls) {
    if (!url) continue;
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new OAuth2SetupError(`${url} is not a valid URL.`);
    }
    if (u.protocol === 'https:') continue;
    if (u.protocol === 'http:' && isLoopback(url)) {
      insecure = true;
      continue;
    }
    throw new OAuth2SetupError(`Refusing to use ${u.origin}: OAuth2 endpoints must be https (plain http is only accepted on 127.0.0.1/localhost), since client secrets and tokens would travel in clear.`);
  }
  return insecure;
}

/** Does a request body carry a secret (so that the request must go to a configured origin)? */
const SECRET_BODY_PARAMS = /(?:^|&)(client_secret|client_assertion|refresh_token|code|code_verifier|device_code|token|assertion|password|subject_token)=/;

type FetchLike = (url: string, options: { body?: unknown; headers?: Record<string, string> | Headers; method: string; signal?: AbortSignal | undefined }) => Promise<Response>;

/** A fetch for oauth4webapi and jose built on the rule HTTP client; records each call. */
export function fetchVia(http: RuleHttpClient, calls: RecordedCall[], signal?: AbortSignal): FetchLike {
  return async (url, options) => {
    const raw = options.body;
    const body = raw === undefined || raw === null ? undefined : typeof raw === 'string' ? raw : raw instanceof URLSearchParams ? raw.toString() : String(raw);
    const requestHeaders: HeaderEntry[] = [];
    new Headers(options.headers ?? {}).forEach((value, name) => requestHeaders.push({ name, value }));
    const credentialed = requestHeaders.some((h) => h.name.toLowerCase() === 'authorization') || (body !== undefined && SECRET_BODY_PARAMS.test(body));
    const response = await http.request({ method: options.method, url, headers: requestHeaders, ...(body !== undefined ? { body } : {}), credentialed, ...((options.signal ?? signal) ? { signal: options.signal ?? signal } : {}) });
    calls.push({ method: options.method, url, requestHeaders, requestBody: body, response });
    const headers = new Headers();
    for (const h of response.headers) {
      try {
        headers.append(h.name, h.value);
      } catch {
        // a header value fetch's Headers will not hold; oauth4webapi does not need it
      }
    }
    const nullBody = response.status === 204 || response.status === 205 || response.status === 304;
    return new Response(nullBody ? null : response.body, { status: response.status, statusText: response.statusText, headers });
  };
}

/**
 * Authorization server metadata discovered in this process, by issuer. The strategy's
 * credentialOrigins() reads it (synchronously) so that endpoints the configured issuer's own
 * discovery document names on another origin (Google: issuer accounts.google.com, token endpoint
 * oauth2.googleapis.com) may receive credentials once discovery has run.
 */
export const discoveredMetadata = new Map<string, OAuth.AuthorizationServer>();

export interface OAuthSession {
  oauth: typeof OAuth;
  as: OAuth.AuthorizationServer;
  client: OAuth.Client;
  /** The client authentication method in use (the configured one, or the default). */
  method: Exclude<ClientAuthMethod, 'multiple' | 'unknown' | 'client_secret_jwt'>;
  clientAuth(method?: OAuthSession['method']): Promise<OAuth.ClientAuth>;
  /** Options for every oauth4webapi call: the recording fetch, loopback-only http, the signal. */
  options: OAuth.HttpRequestOptions<'POST', URLSearchParams> & OAuth.HttpRequestOptions<'GET'>;
  calls: RecordedCall[];
  /** True when the metadata came from discovery (RFC 8414 / OIDC Discovery). */
  discovered: boolean;
  discoveryError?: string | undefined;
}

export interface SessionNeeds {
  endpoint: 'token_endpoint' | 'device_authorization_endpoint' | 'authorization_endpoint' | 'introspection_endpoint' | 'jwks_uri' | null;
}

/**
 * Builds oauth4webapi's view of the authorization server: discovery from `issuer` when there is
 * one (endpoints configured explicitly override the discovered ones), else the explicit endpoints.
 */
export async function openSession(params: OAuth2Params, http: RuleHttpClient, signal: AbortSignal, needs: SessionNeeds): Promise<OAuthSession> {
  if (!params.clientId) throw new OAuth2SetupError('No OAuth2 client id is configured: set oauth2.clientId in the profile.');
  const oauth = await import('oauth4webapi');
  const calls: RecordedCall[] = [];
  const explicit = {
    token_endpoint: params.tokenEndpoint,
    introspection_endpoint: params.introspectionEndpoint,
    device_authorization_endpoint: params.deviceAuthorizationEndpoint,
    authorization_endpoint: params.authorizationEndpoint,
  };
  const insecure = checkTransport([params.issuer, ...Object.values(explicit)]);
  const fetchImpl = fetchVia(http, calls, signal);
  const options = { [oauth.customFetch]: fetchImpl, ...(insecure ? { [oauth.allowInsecureRequests]: true } : {}), signal } as OAuthSession['options'];

  let as: OAuth.AuthorizationServer | undefined;
  let discoveryError: string | undefined;
  if (params.issuer) {
    const issuerUrl = new URL(params.issuer);
    for (const algorithm of ['oidc', 'oauth2'] as const) {
      try {
        const response = await oauth.discoveryRequest(issuerUrl, { ...options, algorithm });
        as = await oauth.processDiscoveryResponse(issuerUrl, response);
        discoveredMetadata.set(params.issuer, as);
        break;
      } catch (error) {
        discoveryError = describeError(error);
      }
    }
  }
  const defined = Object.fromEntries(Object.entries(explicit).filter(([, v]) => v !== undefined)) as Partial<OAuth.AuthorizationServer>;
  if (as) {
    // Discovered endpoints must pass the same transport check as configured ones.
    checkTransport([as.token_endpoint, as.introspection_endpoint, as.device_authorization_endpoint, as.authorization_endpoint, as.jwks_uri]);
    as = { ...as, ...defined };
  } else {
    const anchor = params.issuer ?? params.tokenEndpoint ?? params.introspectionEndpoint ?? params.deviceAuthorizationEndpoint;
    if (!anchor) throw new OAuth2SetupError('No OAuth2 issuer or token endpoint is configured: set oauth2.issuer (for discovery) or oauth2.tokenEndpoint in the profile.');
    as = { issuer: params.issuer ?? new URL(anchor).origin, ...defined };
  }
  if (needs.endpoint && !as[needs.endpoint]) {
    const what = needs.endpoint.replace(/_/g, ' ');
    throw new OAuth2SetupError(
      params.issuer
        ? `The authorization server ${params.issuer} has no ${what}${discoveryError ? ` (discovery failed: ${discoveryError})` : ' in its discovery document'}. Configure it explicitly in the profile.`
        : `No ${what} is configured: set oauth2.issuer (for discovery) or the endpoint itself in the profile.`,
    );
  }

  const supported = as.token_endpoint_auth_methods_supported;
  const method: OAuthSession['method'] =
    params.clientAuth ??
    (params.clientSecret
      ? supported && !supported.includes('client_secret_basic') && supported.includes('client_secret_post')
        ? 'client_secret_post'
        : 'client_secret_basic'
      : params.privateKey
        ? 'private_key_jwt'
        : 'none');
  const client: OAuth.Client = {
    client_id: params.clientId ?? '',
    [oauth.clockTolerance]: params.leewaySeconds ?? 30,
  };
  let keyCache: Promise<OAuth.PrivateKey> | undefined;
  const clientAuth = async (m: OAuthSession['method'] = method): Promise<OAuth.ClientAuth> => {
    switch (m) {
      case 'client_secret_basic':
        if (!params.clientSecret) throw new OAuth2SetupError('clientAuth is client_secret_basic but no clientSecret is configured.');
        return oauth.ClientSecretBasic(params.clientSecret);
      case 'client_secret_post':
        if (!params.clientSecret) throw new OAuth2SetupError('clientAuth is client_secret_post but no clientSecret is configured.');
        return oauth.ClientSecretPost(params.clientSecret);
      case 'private_key_jwt':
        if (!params.privateKey) throw new OAuth2SetupError('clientAuth is private_key_jwt but no privateKey is configured.');
        keyCache ??= importPrivateKey(params.privateKey, params.privateKeyKid);
        return oauth.PrivateKeyJwt(await keyCache);
      case 'none':
        return oauth.None();
    }
  };
  return { oauth, as, client, method, clientAuth, options, calls, discovered: Boolean(params.issuer) && !discoveryError, discoveryError };
}

/** A private key for private_key_jwt, from PEM (any of PKCS#8, PKCS#1, SEC1) or a JWK. */
async function importPrivateKey(material: string, kid: string | undefined): Promise<OAuth.PrivateKey> {
  const jose = await import('jose');
  const { createPrivateKey } = await import('node:crypto');
  if (material.trim().startsWith('{')) {
    let jwk: Record<string, unknown>;
    try {
      jwk = JSON.parse(material) as Record<string, unknown>;
    } catch {
      throw new OAuth2SetupError('privateKey looks like JSON but is not valid JSON (expected a private JWK).');
    }
    const alg = typeof jwk.alg === 'string' ? jwk.alg : jwk.kty === 'RSA' ? 'RS256' : jwk.crv === 'Ed25519' ? 'EdDSA' : jwk.crv === 'P-384' ? 'ES384' : jwk.crv === 'P-521' ? 'ES512' : 'ES256';
    const key = (await jose.importJWK(jwk as Parameters<typeof jose.importJWK>[0], alg)) as CryptoKey;
    const jwkKid = typeof jwk.kid === 'string' ? jwk.kid : undefined;
    return { key, ...((kid ?? jwkKid) ? { kid: kid ?? jwkKid } : {}) };
  }
  let keyObject;
  try {
    keyObject = createPrivateKey(material);
  } catch {
    throw new OAuth2SetupError('privateKey is not a PEM private key (expected -----BEGIN PRIVATE KEY----- or a JWK).');
  }
  const type = keyObject.asymmetricKeyType;
  const curve = keyObject.asymmetricKeyDetails?.namedCurve;
  const alg = type === 'rsa' ? 'RS256' : type === 'ed25519' ? 'EdDSA' : type === 'ec' ? (curve === 'secp384r1' ? 'ES384' : curve === 'secp521r1' ? 'ES512' : 'ES256') : undefined;
  if (!alg) throw new OAuth2SetupError(`privateKey is a ${type ?? 'unknown'} key; private_key_jwt needs RSA, EC (P-256/384/521) or Ed25519.`);
  const pkcs8 = keyObject.export({ type: 'pkcs8', format: 'pem' }).toString();
  const key = await jose.importPKCS8(pkcs8, alg);
  return { key, ...(kid ? { kid } : {}) };
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    return `${error.message}${code && !error.message.includes(code) ? ` (${code})` : ''}`;
  }
  return String(error);
}

export interface ObtainedTokens {
  accessToken: string;
  refreshToken?: string | undefined;
  idToken?: string | undefined;
  expiresIn?: number | undefined;
  scope?: string | undefined;
  tokenType?: string | undefined;
}

export function tokensFrom(response: OAuth.TokenEndpointResponse): ObtainedTokens {
  return {
    accessToken: response.access_token,
    refreshToken: response.refresh_token,
    idToken: response.id_token,
    expiresIn: response.expires_in,
    scope: response.scope,
    tokenType: response.token_type,
  };
}

/** The token-endpoint call among the recorded ones (the last POST), for diagnosis. */
export function lastPost(calls: readonly RecordedCall[]): RecordedCall | undefined {
  for (let i = calls.length - 1; i >= 0; i--) if (calls[i]!.method === 'POST') return calls[i];
  return undefined;
}
