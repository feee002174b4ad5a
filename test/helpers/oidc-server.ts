import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, errors as joseErrors, exportJWK, exportPKCS8, generateKeyPair, jwtVerify, SignJWT, type JWTPayload } from 'jose';

/**
 * A real OAuth 2.0 / OpenID Connect authorization server (oidc-provider 9, in-process) and a
 * resource server that validates its JWT access tokens through the provider's JWKS, both on
 * 127.0.0.1 and random ports. No mocks: every flow goes through the provider's own endpoints and
 * pages, driven by a tiny scripted "browser" (fetch + a cookie jar) where a person would click.
 *
 * Reused by the oauth2 plugin tests and, later, by the TUI and demo tests.
 *
 *   const as = await startOidcServer();
 *   const tokens = await as.obtainUserTokens('public');        // authorization code + PKCE
 *   const res = await fetch(as.apiUrl('/me'), { headers: { authorization: `Bearer ${tokens.access_token}` } });
 *   await as.close();
 */

export type ClientName = 'basic' | 'post' | 'public' | 'device' | 'service' | 'jwt';

export interface TestClient {
  clientId: string;
  clientSecret?: string;
  /** PEM (PKCS#8) private key of the private_key_jwt client. */
  privateKey?: string;
  /** `kid` of that key as registered with the provider. */
  privateKeyKid?: string;
  tokenEndpointAuthMethod: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';
  /** Loopback redirect URI (any port is accepted: RFC 8252 §7.3, application_type native). */
  redirectUri?: string;
}

export interface OidcServerOptions {
  /** Access token lifetime in seconds (default 300). */
  accessTokenTtl?: number;
  /** Refresh token lifetime in seconds (default 3600). */
  refreshTokenTtl?: number;
  /** `token_endpoint_auth_methods_supported` (default: basic, post, private_key_jwt, none). */
  clientAuthMethods?: string[];
  /**
   * `interval` added to device authorization responses. oidc-provider sends none, which means the
   * RFC 8628 default of 5 s; tests use 1 s to stay quick.
   */
  deviceInterval?: number;
  /** Answer this many device-code polls that would be `authorization_pending` with `slow_down`. */
  slowDownPolls?: number;
  /** Rotate refresh tokens on every use (default true; a reused one then revokes the grant). */
  rotateRefreshTokens?: boolean;
}

export interface TokenSet {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  expires_in?: number;
  scope?: string;
  token_type?: string;
}

export interface OidcTestServer {
  /** `http://127.0.0.1:<port>` — the issuer identifier, also its origin. */
  issuer: string;
  tokenEndpoint: string;
  introspectionEndpoint: string;
  revocationEndpoint: string;
  deviceAuthorizationEndpoint: string;
  /** The resource server's base URL, also the resource indicator and the access tokens' `aud`. */
  resource: string;
  /**
   * A second resource indicator whose access tokens are opaque (not JWTs); the resource server
   * accepts them too, by introspecting them at the provider (RFC 7662).
   */
  opaqueResource: string;
  apiUrl(path: string): string;
  clients: Record<ClientName, TestClient>;
  /** Signs a JWT access token with the provider's own key (for expired, future `nbf`, odd claims). */
  mintAccessToken(claims?: JWTPayload, header?: Record<string, unknown>): Promise<string>;
  /** Authorization code + PKCE through the provider's pages, as user `login`. */
  obtainUserTokens(client?: 'public' | 'basic', options?: { login?: string; scope?: string; resource?: string }): Promise<TokenSet>;
  /** Follows a URL like a browser (cookies, login and consent forms) until it leaves the provider. */
  browse(url: string, options?: { login?: string; userCode?: string; followExternal?: boolean }): Promise<string>;
  /** Completes a device authorization: enters the user code on /device, signs in, consents. */
  completeDevice(userCode: string, login?: string): Promise<void>;
  /** Revokes a token at the revocation endpoint (RFC 7009) as the given client. */
  revoke(token: string, client?: ClientName): Promise<void>;
  /** Every request the authorization server received: method, path, and the token grant_type. */
  readonly requests: { method: string; path: string; grantType?: string | undefined; at: number }[];
  /** The resource server's clock offset in seconds (its "now" = real now + offset; also its Date header). */
  resourceClockOffset: number;
  close(): Promise<void>;
}

const SCOPES = 'api:read api:write';
const OPAQUE_RESOURCE = 'urn:authdoctor:test:opaque';

export async function startOidcServer(options: OidcServerOptions = {}): Promise<OidcTestServer> {
  // oidc-provider ships no type declarations; a computed specifier keeps TypeScript from asking
  // for them, and the small slice used here is typed by hand below.
  const specifier = 'oidc-provider';
  const oidc = (await import(specifier)) as OidcProviderModule;

  const accessTokenTtl = options.accessTokenTtl ?? 300;
  const signing = await generateKeyPair('RS256', { extractable: true });
  const signingJwk = { ...(await exportJWK(signing.privateKey)), kid: `as-${randomBytes(4).toString('hex')}`, alg: 'RS256', use: 'sig' };
  const clientKey = await generateKeyPair('ES256', { extractable: true });
  const clientKid = `client-${randomBytes(4).toString('hex')}`;
  const clientPublicJwk = { ...(await exportJWK(clientKey.publicKey)), kid: clientKid, alg: 'ES256', use: 'sig' };

  const state = { resourceClockOffset: 0, slowDown: options.slowDownPolls ?? 0 };
  const requests: OidcTestServer['requests'] = [];

  // Resource server first: its URL is the resource indicator the provider must know.
  const rs = createServer();
  await listen(rs);
  const resource = `http://127.0.0.1:${(rs.address() as AddressInfo).port}/`;

  const as = createServer();
  await listen(as);
  const issuer = `http://127.0.0.1:${(as.address() as AddressInfo).port}`;

  const clients: Record<ClientName, TestClient> = {
    basic: { clientId: 'basic-client', clientSecret: `basic-secret-${randomBytes(12).toString('hex')}`, tokenEndpointAuthMethod: 'client_secret_basic', redirectUri: 'http://127.0.0.1/callback' },
    post: { clientId: 'post-client', clientSecret: `post-secret-${randomBytes(12).toString('hex')}`, tokenEndpointAuthMethod: 'client_secret_post' },
    public: { clientId: 'public-client', tokenEndpointAuthMethod: 'none', redirectUri: 'http://127.0.0.1/callback' },
    device: { clientId: 'device-client', tokenEndpointAuthMethod: 'none' },
    service: { clientId: 'service-client', clientSecret: `service-secret-${randomBytes(12).toString('hex')}`, tokenEndpointAuthMethod: 'client_secret_basic' },
    jwt: { clientId: 'jwt-client', tokenEndpointAuthMethod: 'private_key_jwt', privateKey: await exportPKCS8(clientKey.privateKey), privateKeyKid: clientKid },
  };
  const userGrants = ['authorization_code', 'refresh_token'];
  const configuration = {
    clients: [
      { client_id: clients.basic.clientId, client_secret: clients.basic.clientSecret, token_endpoint_auth_method: 'client_secret_basic', application_type: 'native', grant_types: [...userGrants, 'client_credentials'], response_types: ['code'], redirect_uris: [clients.basic.redirectUri], scope: `openid offline_access ${SCOPES}` },
      { client_id: clients.post.clientId, client_secret: clients.post.clientSecret, token_endpoint_auth_method: 'client_secret_post', grant_types: ['client_credentials', 'refresh_token'], response_types: [], redirect_uris: [], scope: SCOPES },
      { client_id: clients.public.clientId, token_endpoint_auth_method: 'none', application_type: 'native', grant_types: userGrants, response_types: ['code'], redirect_uris: [clients.public.redirectUri], scope: `openid offline_access ${SCOPES}` },
      { client_id: clients.device.clientId, token_endpoint_auth_method: 'none', grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'], response_types: [], redirect_uris: [], scope: `openid offline_access ${SCOPES}` },
      { client_id: clients.service.clientId, client_secret: clients.service.clientSecret, token_endpoint_auth_method: 'client_secret_basic', grant_types: ['client_credentials'], response_types: [], redirect_uris: [], scope: 'api:read' },
      { client_id: clients.jwt.clientId, token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'ES256', jwks: { keys: [clientPublicJwk] }, grant_types: ['client_credentials'], response_types: [], redirect_uris: [], scope: SCOPES },
    ],
    jwks: { keys: [signingJwk] },
    scopes: ['openid', 'offline_access', 'api:read', 'api:write'],
    clientAuthMethods: options.clientAuthMethods ?? ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    cookies: { keys: [randomBytes(16).toString('hex')] },
    pkce: { required: () => false },
    rotateRefreshToken: options.rotateRefreshTokens ?? true,
    // Refresh tokens for every client allowed the grant, without the offline_access + prompt=consent
    // dance of OIDC Core §11 (irrelevant to what these tests exercise).
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(t: string): boolean }) => client.grantTypeAllowed('refresh_token'),
    ttl: {
      AccessToken: accessTokenTtl,
      ClientCredentials: accessTokenTtl,
      RefreshToken: options.refreshTokenTtl ?? 3600,
      DeviceCode: 600,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    findAccount: async (_ctx: unknown, sub: string) => ({ accountId: sub, claims: async () => ({ sub }) }),
    features: {
      devInteractions: { enabled: true },
      // Plain pages instead of the default ones, which log a "you SHOULD change it" notice each time.
      deviceFlow: {
        enabled: true,
        userCodeInputSource: async (ctx: KoaContext, form: string, _out: unknown, err: unknown) => {
          ctx.body = `<!DOCTYPE html><title>Sign-in</title><p>${err ? 'The code you entered is incorrect.' : 'Enter the code displayed on your device'}</p>${form}`;
        },
        userCodeConfirmSource: async (ctx: KoaContext, form: string) => {
          ctx.body = `<!DOCTYPE html><title>Confirm device</title>${form}`;
        },
        successSource: async (ctx: KoaContext) => {
          ctx.body = '<!DOCTYPE html><title>Sign-in success</title><p>Sign-in successful.</p>';
        },
      },
      // The defaults, minus their "you SHOULD change it" notices: confidential clients may ask
      // about any token; public clients only about their own.
      introspection: { enabled: true, allowedPolicy: async (_ctx: unknown, client: { clientAuthMethod: string; clientId: string }, token: { clientId?: string }) => client.clientAuthMethod !== 'none' || token.clientId === client.clientId },
      revocation: { enabled: true, allowedPolicy: async (_ctx: unknown, client: { clientId: string }, token: { clientId?: string }) => token.clientId === client.clientId },
      clientCredentials: { enabled: true },
      // JWT access tokens (RFC 9068) need a resource server: every token here is for `resource`.
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => resource,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: unknown, indicator: string) => {
          if (indicator === OPAQUE_RESOURCE) return { scope: SCOPES, audience: OPAQUE_RESOURCE, accessTokenFormat: 'opaque', accessTokenTTL: accessTokenTtl };
          if (indicator !== resource) throw new oidc.errors.InvalidTarget();
          return { scope: SCOPES, audience: resource, accessTokenFormat: 'jwt', accessTokenTTL: accessTokenTtl, jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
  };
  // The in-memory adapter and dev interactions are exactly what a test wants; their start-up
  // warnings ("development-only …") are not worth a line in every test run.
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('oidc-provider WARNING: a quick start development-only')) return;
    warn(...args);
  };
  let provider: InstanceType<OidcProviderModule['Provider']>;
  try {
    provider = new oidc.Provider(issuer, configuration);
  } finally {
    console.warn = warn;
  }
  provider.on('server_error', () => undefined);

  provider.use(async (ctx: KoaContext, next: () => Promise<void>) => {
    requests.push({ method: ctx.method, path: ctx.path, at: Date.now() });
    await next();
    const last = requests[requests.length - 1];
    if (last && ctx.oidc?.params?.grant_type) last.grantType = String(ctx.oidc.params.grant_type);
    if (ctx.path === '/device/auth' && options.deviceInterval !== undefined && isObject(ctx.body)) {
      ctx.body = { ...ctx.body, interval: options.deviceInterval };
    }
    if (ctx.path === '/token' && state.slowDown > 0 && isObject(ctx.body) && ctx.body.error === 'authorization_pending') {
      state.slowDown -= 1;
      ctx.body = { error: 'slow_down', error_description: 'you are polling too quickly and should back off at a reasonable rate' };
    }
  });
  as.on('request', provider.callback());

  const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
  const introspect = async (token: string): Promise<JWTPayload & { active?: boolean }> => {
    const res = await fetch(`${issuer}/token/introspection`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clients.service.clientId}:${clients.service.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ token }).toString(),
    });
    return (await res.json()) as JWTPayload & { active?: boolean };
  };
  rs.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void handleApi(req, res, { issuer, resource, jwks, state, introspect });
  });

  const cookieJar = new Map<string, string>();
  const browse: OidcTestServer['browse'] = async (start, browseOptions = {}) => {
    let url = start;
    let method = 'GET';
    let body: URLSearchParams | undefined;
    for (let step = 0; step < 30; step++) {
      if (new URL(url).origin !== issuer) {
        if (browseOptions.followExternal) await (await fetch(url)).text();
        return url;
      }
      const res = await fetch(url, {
        method,
        redirect: 'manual',
        headers: { cookie: [...cookieJar].map(([k, v]) => `${k}=${v}`).join('; '), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(body ? { body: body.toString() } : {}),
      });
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = pair?.indexOf('=') ?? -1;
        if (pair && eq > 0) cookieJar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
      }
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.text();
        url = new URL(location, url).href;
        method = 'GET';
        body = undefined;
        continue;
      }
      const html = await res.text();
      const form = parseForm(html);
      if (!form) {
        if (res.status >= 400) throw new Error(`The provider answered ${res.status} at ${new URL(url).pathname}: ${html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 300)}`);
        return url;
      }
      const fields = new URLSearchParams();
      for (const [name, value] of form.fields) {
        if (name === 'user_code' && browseOptions.userCode !== undefined && !value) fields.set(name, browseOptions.userCode);
        else if (name === 'login') fields.set(name, browseOptions.login ?? 'alice');
        else if (name === 'password') fields.set(name, 'any-password');
        else fields.set(name, value);
      }
      url = new URL(form.action, url).href;
      method = 'POST';
      body = fields;
    }
    throw new Error(`Too many steps browsing from ${start}`);
  };

  const tokenRequest = async (params: Record<string, string>, client: TestClient): Promise<TokenSet> => {
    const form = new URLSearchParams(params);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (client.tokenEndpointAuthMethod === 'client_secret_basic' && client.clientSecret) {
      headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64')}`;
    } else {
      form.set('client_id', client.clientId);
      if (client.clientSecret) form.set('client_secret', client.clientSecret);
    }
    const res = await fetch(`${issuer}/token`, { method: 'POST', headers, body: form.toString() });
    const json = (await res.json()) as TokenSet & { error?: string; error_description?: string };
    if (!res.ok) throw new Error(`token endpoint answered ${res.status} ${json.error ?? ''}: ${json.error_description ?? ''}`);
    return json;
  };

  const server: OidcTestServer = {
    issuer,
    tokenEndpoint: `${issuer}/token`,
    introspectionEndpoint: `${issuer}/token/introspection`,
    revocationEndpoint: `${issuer}/token/revocation`,
    deviceAuthorizationEndpoint: `${issuer}/device/auth`,
    resource,
    opaqueResource: OPAQUE_RESOURCE,
    apiUrl: (path) => new URL(path.replace(/^\//, ''), resource).href,
    clients,
    requests,
    get resourceClockOffset() {
      return state.resourceClockOffset;
    },
    set resourceClockOffset(value: number) {
      state.resourceClockOffset = value;
    },
    async mintAccessToken(claims = {}, header = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ client_id: clients.public.clientId, scope: 'api:read', jti: randomUUID(), ...claims })
        .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: signingJwk.kid, ...header })
        .setIssuer(typeof claims.iss === 'string' ? claims.iss : issuer)
        .setSubject(typeof claims.sub === 'string' ? claims.sub : 'alice')
        .setAudience(claims.aud ?? resource)
        .setIssuedAt(typeof claims.iat === 'number' ? claims.iat : now)
        .setExpirationTime(typeof claims.exp === 'number' ? claims.exp : now + accessTokenTtl)
        .sign(signing.privateKey);
    },
    async obtainUserTokens(which = 'public', { login = 'alice', scope = `openid ${SCOPES}`, resource: wanted = resource } = {}) {
      const client = clients[which];
      const verifier = randomBytes(32).toString('base64url');
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      const redirectUri = 'http://127.0.0.1:9/callback';
      const auth = new URL(`${issuer}/auth`);
      auth.search = new URLSearchParams({
        client_id: client.clientId,
        response_type: 'code',
        redirect_uri: redirectUri,
        scope,
        state: randomBytes(8).toString('hex'),
        nonce: randomBytes(8).toString('hex'),
        code_challenge: challenge,
        code_challenge_method: 'S256',
        resource: wanted,
      }).toString();
      const callback = new URL(await browse(auth.href, { login }));
      const code = callback.searchParams.get('code');
      if (!code) throw new Error(`No code in the callback: ${callback.search}`);
      return tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier, resource: wanted }, client);
    },
    browse,
    async completeDevice(userCode, login = 'alice') {
      await browse(`${issuer}/device`, { userCode, login });
    },
    async revoke(token, which = 'public') {
      const client = clients[which];
      const form = new URLSearchParams({ token, client_id: client.clientId });
      if (client.clientSecret) form.set('client_secret', client.clientSecret);
      const res = await fetch(`${issuer}/token/revocation`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
      if (!res.ok) throw new Error(`revocation answered ${res.status}: ${await res.text()}`);
    },
    async close() {
      await Promise.all([close(as), close(rs)]);
    },
  };
  return server;
}

/**
 * The API: `/me` needs any valid token, `/admin` needs scope api:write (RFC 6750 §3.1 challenges).
 * JWT access tokens are verified locally with the provider's JWKS; opaque ones are introspected.
 */
async function handleApi(
  req: IncomingMessage,
  res: ServerResponse,
  env: {
    issuer: string;
    resource: string;
    jwks: ReturnType<typeof createRemoteJWKSet>;
    state: { resourceClockOffset: number };
    introspect(token: string): Promise<JWTPayload & { active?: boolean }>;
  },
): Promise<void> {
  const challenge = (params: Record<string, string>) =>
    ['Bearer realm="api"', ...Object.entries(params).map(([k, v]) => `${k}="${v.replace(/["\\]/g, '')}"`)].join(', ');
  const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    // The Date header tells the resource server's (possibly shifted) time, like a real skewed host.
    const date = new Date(Date.now() + env.state.resourceClockOffset * 1000).toUTCString();
    res.writeHead(status, { 'content-type': 'application/json', date, ...headers });
    res.end(JSON.stringify(body));
  };
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) {
    send(401, { error: 'unauthorized' }, { 'www-authenticate': challenge({}) });
    return;
  }
  let payload: JWTPayload;
  if (match[1].split('.').length !== 3) {
    const info = await env.introspect(match[1]).catch(() => ({ active: false }) as JWTPayload & { active?: boolean });
    if (!info.active || info.aud !== OPAQUE_RESOURCE) {
      send(401, { error: 'invalid_token' }, { 'www-authenticate': challenge({ error: 'invalid_token', error_description: 'The access token is not active' }) });
      return;
    }
    payload = info;
  } else {
    try {
      ({ payload } = await jwtVerify(match[1], env.jwks, {
        issuer: env.issuer,
        audience: env.resource,
        typ: 'at+jwt',
        currentDate: new Date(Date.now() + env.state.resourceClockOffset * 1000),
      }));
    } catch (error) {
      send(401, { error: 'invalid_token' }, { 'www-authenticate': challenge({ error: 'invalid_token', error_description: describeJoseError(error) }) });
      return;
    }
  }
  const scopes = new Set(String(payload.scope ?? '').split(' ').filter(Boolean));
  const path = new URL(req.url ?? '/', env.resource).pathname;
  if (path === '/admin' && !scopes.has('api:write')) {
    send(403, { error: 'insufficient_scope' }, { 'www-authenticate': challenge({ error: 'insufficient_scope', scope: 'api:write', error_description: 'The request requires higher privileges than provided by the access token' }) });
    return;
  }
  send(200, { ok: true, sub: payload.sub, client_id: payload.client_id, path });
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The access token expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf' || error.claim === 'iat') return 'The access token is not yet valid';
    if (error.claim === 'aud') return 'The access token was issued for another audience';
    if (error.claim === 'iss') return 'The access token was issued by another authorization server';
    return `The access token has an invalid ${error.claim} claim`;
  }
  if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWSSignatureVerificationFailed) return 'The access token signature is invalid';
  return 'The access token is malformed';
}

/** The first form of a page: its action and every named input with its value. */
function parseForm(html: string): { action: string; fields: [string, string][] } | null {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return null;
  const action = /\baction="([^"]*)"/i.exec(form[1] ?? '')?.[1];
  if (action === undefined) return null;
  const fields: [string, string][] = [];
  for (const input of (form[2] ?? '').matchAll(/<input\b([^>]*)>/gi)) {
    const attrs = input[1] ?? '';
    const name = /\bname="([^"]*)"/i.exec(attrs)?.[1];
    if (!name) continue;
    fields.push([name, decodeHtml(/\bvalue="([^"]*)"/i.exec(attrs)?.[1] ?? '')]);
  }
  return { action: decodeHtml(action), fields };
}

function decodeHtml(s: string): string {
  return s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x2F;/gi, '/').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

interface KoaContext {
  method: string;
  path: string;
  body: unknown;
  oidc?: { params?: Record<string, unknown> };
}

interface OidcProviderModule {
  Provider: new (issuer: string, configuration: Record<string, unknown>) => {
    use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): void;
    on(event: string, listener: (...args: unknown[]) => void): void;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  };
  errors: { InvalidTarget: new () => Error };
}
