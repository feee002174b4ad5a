import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { DemoReply, DemoRequest } from './types.ts';

/**
 * The demo cloud's authorization server: just enough of OAuth 2.0 for the OAuth scenarios, and
 * behaving as the RFCs say so that the oauth2 plugin (oauth4webapi underneath) talks to it as it
 * would to Auth0, Okta or Keycloak:
 * - metadata (RFC 8414 and OpenID Connect Discovery), a JWKS, introspection (RFC 7662);
 * - the token endpoint: refresh_token (RFC 6749 §6) with refresh-token ROTATION and reuse
 *   detection (OAuth 2.0 Security BCP, RFC 9700 §4.14.2: every refresh returns a new refresh token
 *   and voids the old one; presenting a used one revokes the whole grant), and the device code
 *   grant (RFC 8628 §3.4–3.5: authorization_pending, slow_down, expired_token, access_denied);
 * - the device authorization endpoint (RFC 8628 §3.1–3.2) and a verification page on loopback.
 * Errors are RFC 6749 §5.2 JSON; client authentication is client_secret_basic or _post (§2.3.1).
 *
 * Hand-written on purpose: the only OAuth server library in the tree (oidc-provider) is a test
 * dependency and far larger than the five endpoints the demo needs. Access tokens are real JWTs
 * (ES256, signed and verified with jose), so the token rules read genuine `exp`, `iss`, `aud`.
 */

export interface AccessTokenClaims {
  sub: string;
  clientId: string;
  scope: string;
  audience: string;
  /** When it was issued (defaults to now). */
  issuedAt?: Date;
  lifetimeSeconds?: number;
}

interface RefreshGrant {
  family: string;
  clientId: string;
  sub: string;
  scope: string;
  audience: string;
  used: boolean;
}

interface DeviceGrant {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scope: string;
  audience: string;
  sub: string;
  expiresAt: number;
  polls: number;
  lastPollAt: number | null;
  approved: boolean;
  /** The grant was used (a device code is good for one token response). */
  done: boolean;
}

export interface DeviceSettings {
  /** The demo approves the sign-in itself after this many polls (as if the user typed the code). */
  autoApproveAfterPolls: number;
  /** Seconds between polls the server asks for (RFC 8628 §3.2 `interval`). */
  interval: number;
}

const ACCESS_TOKEN_LIFETIME = 3600;
const DEVICE_CODE_LIFETIME = 600;
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

type Jose = typeof import('jose');

export class DemoAuthServer {
  readonly issuer: string;
  readonly #now: () => Date;
  readonly #jose: Jose;
  readonly #privateKey: CryptoKey;
  readonly #publicKey: CryptoKey;
  readonly #jwk: Record<string, unknown>;
  readonly #clients = new Map<string, string>();
  readonly #refresh = new Map<string, RefreshGrant>();
  readonly #revokedFamilies = new Set<string>();
  readonly #devices = new Map<string, DeviceGrant>();
  /** Device settings by client id (each OAuth scenario has its own client). */
  readonly #deviceSettings = new Map<string, DeviceSettings>();

  private constructor(issuer: string, now: () => Date, jose: Jose, keys: { privateKey: CryptoKey; publicKey: CryptoKey }, jwk: Record<string, unknown>) {
    this.issuer = issuer;
    this.#now = now;
    this.#jose = jose;
    this.#privateKey = keys.privateKey;
    this.#publicKey = keys.publicKey;
    this.#jwk = jwk;
  }

  static async create(origin: string, now: () => Date): Promise<DemoAuthServer> {
    const jose = await import('jose');
    const keys = await jose.generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await jose.exportJWK(keys.publicKey)), kid: 'demo-key-1', alg: 'ES256', use: 'sig' };
    return new DemoAuthServer(`${origin}/oauth`, now, jose, keys, jwk);
  }

  get tokenEndpoint(): string {
    return `${this.issuer}/token`;
  }

  get deviceAuthorizationEndpoint(): string {
    return `${this.issuer}/device_authorization`;
  }

  get verificationUri(): string {
    return `${this.issuer}/device`;
  }

  /** Registers (or re-registers) a confidential client. */
  registerClient(clientId: string, secret: string, device?: DeviceSettings): void {
    this.#clients.set(clientId, secret);
    if (device) this.#deviceSettings.set(clientId, device);
  }

  /** Forgets every grant of a client: the scenario starts again from scratch. */
  resetClient(clientId: string): void {
    for (const [token, grant] of this.#refresh) if (grant.clientId === clientId) this.#refresh.delete(token);
    for (const [code, grant] of this.#devices) if (grant.clientId === clientId) this.#devices.delete(code);
  }

  /** A signed access token (a JWT, ES256). */
  async accessToken(claims: AccessTokenClaims): Promise<string> {
    const iat = Math.floor((claims.issuedAt ?? this.#now()).getTime() / 1000);
    return new this.#jose.SignJWT({ scope: claims.scope, client_id: claims.clientId })
      .setProtectedHeader({ alg: 'ES256', kid: 'demo-key-1', typ: 'at+jwt' })
      .setIssuer(this.issuer)
      .setSubject(claims.sub)
      .setAudience(claims.audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + (claims.lifetimeSeconds ?? ACCESS_TOKEN_LIFETIME))
      .setJti(randomBytes(8).toString('hex'))
      .sign(this.#privateKey);
  }

  /** Starts a refresh-token grant (a new family) and returns its first refresh token. */
  refreshToken(grant: { clientId: string; sub: string; scope: string; audience: string }): string {
    const token = `drt_${randomBytes(24).toString('base64url')}`;
    this.#refresh.set(token, { ...grant, family: randomBytes(8).toString('hex'), used: false });
    return token;
  }

  /** Revokes the grant a refresh token belongs to (the user signed out everywhere, an admin revoked it). */
  revoke(refreshToken: string): void {
    const grant = this.#refresh.get(refreshToken);
    if (grant) this.#revokedFamilies.add(grant.family);
  }

  /**
   * Verifies a bearer access token for an audience, the way a resource server does (RFC 6750 §3.1
   * error codes). `ok: false` carries the WWW-Authenticate error and description.
   */
  async verify(token: string, audience: string): Promise<{ ok: true; sub: string; scope: string } | { ok: false; error: 'invalid_token'; description: string }> {
    try {
      const { payload } = await this.#jose.jwtVerify(token, this.#publicKey, { issuer: this.issuer, audience, currentDate: this.#now(), algorithms: ['ES256'] });
      return { ok: true, sub: String(payload.sub), scope: typeof payload.scope === 'string' ? payload.scope : '' };
    } catch (error) {
      if (error instanceof this.#jose.errors.JWTExpired) return { ok: false, error: 'invalid_token', description: 'The access token expired' };
      if (error instanceof this.#jose.errors.JWTClaimValidationFailed) return { ok: false, error: 'invalid_token', description: `The access token is not valid here (${error.claim})` };
      return { ok: false, error: 'invalid_token', description: 'The access token is malformed or its signature does not verify' };
    }
  }

  /** Answers a request under `/oauth`. */
  async handle(req: DemoRequest): Promise<DemoReply> {
    const path = req.path.split('?')[0]!;
    if (req.method === 'GET' && (path === '/.well-known/openid-configuration' || path === '/.well-known/oauth-authorization-server')) return json(200, this.#metadata());
    if (req.method === 'GET' && path === '/jwks') return json(200, { keys: [this.#jwk] });
    if (path === '/device') return req.method === 'POST' ? this.#approvePage(req) : this.#devicePage(req);
    if (req.method !== 'POST') return json(405, { error: 'invalid_request', error_description: `${req.method} is not allowed here` }, { allow: 'POST' });
    if (path === '/token') return this.#token(req);
    if (path === '/device_authorization') return this.#deviceAuthorization(req);
    if (path === '/introspect') return this.#introspect(req);
    return json(404, { error: 'not_found' });
  }

  #metadata(): Record<string, unknown> {
    return {
      issuer: this.issuer,
      token_endpoint: this.tokenEndpoint,
      device_authorization_endpoint: this.deviceAuthorizationEndpoint,
      introspection_endpoint: `${this.issuer}/introspect`,
      jwks_uri: `${this.issuer}/jwks`,
      grant_types_supported: ['refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: ['openid', 'offline_access', 'reports:read'],
      response_types_supported: [],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
    };
  }

  /** RFC 6749 §2.3.1: client_secret_basic (form-urlencoded id and secret inside Basic) or _post. */
  #client(req: DemoRequest, form: URLSearchParams): { ok: true; clientId: string } | { ok: false; reply: DemoReply } {
    const header = headerValue(req.headers, 'authorization');
    let id: string | undefined;
    let secret: string | undefined;
    let viaHeader = false;
    if (header && /^basic\s+/i.test(header)) {
      viaHeader = true;
      const decoded = Buffer.from(header.replace(/^basic\s+/i, ''), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0) {
        id = decodeForm(decoded.slice(0, colon));
        secret = decodeForm(decoded.slice(colon + 1));
      }
    } else {
      id = form.get('client_id') ?? undefined;
      secret = form.get('client_secret') ?? undefined;
    }
    const expected = id === undefined ? undefined : this.#clients.get(id);
    if (id === undefined || expected === undefined || secret === undefined || !sameText(secret, expected)) {
      return {
        ok: false,
        reply: json(401, { error: 'invalid_client', error_description: 'Client authentication failed' }, { ...(viaHeader ? { 'www-authenticate': 'Basic realm="demo-oauth"' } : {}), ...NO_STORE }),
      };
    }
    return { ok: true, clientId: id };
  }

  async #token(req: DemoRequest): Promise<DemoReply> {
    const form = new URLSearchParams(req.body);
    const client = this.#client(req, form);
    if (!client.ok) return client.reply;
    const grantType = form.get('grant_type');
    if (grantType === 'refresh_token') return this.#refreshGrant(client.clientId, form.get('refresh_token') ?? '');
    if (grantType === 'urn:ietf:params:oauth:grant-type:device_code') return this.#deviceGrant(client.clientId, form.get('device_code') ?? '');
    return tokenError('unsupported_grant_type', `The grant type "${grantType ?? ''}" is not supported by this client`);
  }

  async #refreshGrant(clientId: string, token: string): Promise<DemoReply> {
    const grant = this.#refresh.get(token);
    if (!grant || grant.clientId !== clientId) return tokenError('invalid_grant', 'The refresh token is invalid or was issued to another client');
    if (this.#revokedFamilies.has(grant.family)) return tokenError('invalid_grant', 'The refresh token has been revoked');
    if (grant.used) {
      // RFC 9700 §4.14.2: a used refresh token presented again may be stolen; void the grant.
      this.#revokedFamilies.add(grant.family);
      return tokenError('invalid_grant', 'The refresh token was already used; the grant has been revoked (refresh token reuse)');
    }
    grant.used = true;
    const next = `drt_${randomBytes(24).toString('base64url')}`;
    this.#refresh.set(next, { ...grant, used: false });
    return this.#tokens(grant, next);
  }

  async #tokens(grant: { clientId: string; sub: string; scope: string; audience: string }, refreshToken: string): Promise<DemoReply> {
    const accessToken = await this.accessToken({ sub: grant.sub, clientId: grant.clientId, scope: grant.scope, audience: grant.audience });
    return json(200, { access_token: accessToken, token_type: 'Bearer', expires_in: ACCESS_TOKEN_LIFETIME, refresh_token: refreshToken, scope: grant.scope }, NO_STORE);
  }

  #deviceAuthorization(req: DemoRequest): DemoReply {
    const form = new URLSearchParams(req.body);
    const client = this.#client(req, form);
    if (!client.ok) return client.reply;
    const settings = this.#deviceSettings.get(client.clientId);
    if (!settings) return tokenError('unauthorized_client', 'This client may not use the device flow');
    const deviceCode = `ddc_${randomBytes(24).toString('base64url')}`;
    const userCode = userCodeOf();
    // The grant reuses the client's audience and subject from its existing refresh grant, if any.
    const known = [...this.#refresh.values()].find((g) => g.clientId === client.clientId);
    this.#devices.set(deviceCode, {
      deviceCode,
      userCode,
      clientId: client.clientId,
      scope: form.get('scope') ?? known?.scope ?? 'reports:read',
      audience: known?.audience ?? 'demo-api',
      sub: known?.sub ?? 'demo-user',
      expiresAt: this.#now().getTime() + DEVICE_CODE_LIFETIME * 1000,
      polls: 0,
      lastPollAt: null,
      approved: false,
      done: false,
    });
    return json(200, {
      device_code: deviceCode,
      user_code: userCode,
      verification_uri: this.verificationUri,
      verification_uri_complete: `${this.verificationUri}?user_code=${userCode}`,
      expires_in: DEVICE_CODE_LIFETIME,
      interval: settings.interval,
    }, NO_STORE);
  }

  async #deviceGrant(clientId: string, deviceCode: string): Promise<DemoReply> {
    const grant = this.#devices.get(deviceCode);
    if (!grant || grant.clientId !== clientId || grant.done) return tokenError('invalid_grant', 'The device code is invalid or was already used');
    const now = this.#now().getTime();
    if (now > grant.expiresAt) return tokenError('expired_token', 'The device code expired; start the sign-in again');
    const settings = this.#deviceSettings.get(clientId) ?? { autoApproveAfterPolls: 2, interval: 5 };
    // RFC 8628 §3.5: polling faster than the interval earns slow_down (with half a second of slack
    // for the network; the plugin waits the full interval before each poll).
    if (grant.lastPollAt !== null && now - grant.lastPollAt < settings.interval * 1000 - 500) {
      grant.lastPollAt = now;
      return tokenError('slow_down', 'Polling too fast; wait the interval between requests');
    }
    grant.lastPollAt = now;
    grant.polls += 1;
    if (!grant.approved && grant.polls > settings.autoApproveAfterPolls) grant.approved = true;
    if (!grant.approved) return tokenError('authorization_pending', 'The user has not finished signing in yet');
    grant.done = true;
    const refreshToken = this.refreshToken(grant);
    return this.#tokens(grant, refreshToken);
  }

  /** RFC 7662: is this token active? (The oauth2 plugin's introspect action calls it.) */
  async #introspect(req: DemoRequest): Promise<DemoReply> {
    const form = new URLSearchParams(req.body);
    const client = this.#client(req, form);
    if (!client.ok) return client.reply;
    const token = form.get('token') ?? '';
    try {
      const { payload } = await this.#jose.jwtVerify(token, this.#publicKey, { issuer: this.issuer, currentDate: this.#now(), algorithms: ['ES256'] });
      return json(200, { active: true, scope: payload.scope, client_id: payload.client_id, sub: payload.sub, aud: payload.aud, iss: payload.iss, exp: payload.exp, iat: payload.iat, token_type: 'Bearer' }, NO_STORE);
    } catch {
      return json(200, { active: false }, NO_STORE);
    }
  }

  #devicePage(req: DemoRequest): DemoReply {
    const code = new URLSearchParams(req.path.split('?')[1] ?? '').get('user_code') ?? '';
    return html(200, `<h1>authdoctor demo cloud — device sign-in</h1>
<p>This page runs on your own machine (127.0.0.1); nothing leaves it. Enter the code shown in the terminal.</p>
<form method="post"><input name="user_code" value="${escapeHtml(code)}" autofocus> <button>Approve</button></form>
<p>(The demo also approves the sign-in by itself after a few polls, so you do not need this page.)</p>`);
  }

  #approvePage(req: DemoRequest): DemoReply {
    const code = normaliseUserCode(new URLSearchParams(req.body).get('user_code') ?? '');
    const grant = [...this.#devices.values()].find((g) => normaliseUserCode(g.userCode) === code && !g.done);
    if (!grant) return html(400, '<h1>Unknown or used code</h1><p>Check the code in the terminal and try again.</p>');
    grant.approved = true;
    return html(200, '<h1>Signed in</h1><p>Return to the terminal: authdoctor picks up the new tokens at its next poll.</p>');
  }
}

function tokenError(error: string, description: string): DemoReply {
  return json(400, { error, error_description: description }, NO_STORE);
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): DemoReply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

function html(status: number, body: string): DemoReply {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8' }, body: `<!doctype html><meta charset="utf-8"><title>authdoctor demo</title>${body}\n` };
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function decodeForm(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** RFC 8628 §6.1: short, unambiguous, case-insensitive: consonants only, in two groups of four. */
function userCodeOf(): string {
  const alphabet = 'BCDFGHJKLMNPQRSTVWXZ';
  const pick = () => Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join('');
  return `${pick()}-${pick()}`;
}

function normaliseUserCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z]/g, '');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
