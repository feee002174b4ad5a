import type { DecodedJwt, ProfileHints, RuleContext } from '../../src/core/plugin.ts';

/**
 * Small, dependency-free helpers the oauth2 rules share: claim readers, time formatting, and the
 * question "did this exchange fail authentication at all?". Nothing here imports jose or
 * oauth4webapi, so a rule file can import it without loading them.
 */

/** Default leeway for exp/nbf/iat, in seconds (oauth4webapi's clockTolerance default is 30 s too). */
export const DEFAULT_LEEWAY_SECONDS = 30;

export function leewayOf(ctx: RuleContext<Record<string, unknown>>): number {
  const fromOptions = ctx.options.leewaySeconds;
  if (typeof fromOptions === 'number' && Number.isFinite(fromOptions) && fromOptions >= 0) return fromOptions;
  const fromProfile = ctx.profile.oauth2?.leewaySeconds;
  if (typeof fromProfile === 'number' && Number.isFinite(fromProfile) && fromProfile >= 0) return fromProfile;
  return DEFAULT_LEEWAY_SECONDS;
}

export function numericClaim(payload: Record<string, unknown>, name: string): number | undefined {
  const v = payload[name];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  // Some issuers put NumericDate as a string; RFC 7519 says number, but read it anyway.
  if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)) return Number(v);
  return undefined;
}

export function stringClaim(payload: Record<string, unknown>, name: string): string | undefined {
  const v = payload[name];
  return typeof v === 'string' ? v : undefined;
}

export function audiences(payload: Record<string, unknown>): string[] {
  const aud = payload.aud;
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud)) return aud.filter((a): a is string => typeof a === 'string');
  return [];
}

/**
 * Everything a token says it may do: `scope` (RFC 9068, space separated), `scp` (Entra ID, Okta:
 * a string or an array), `roles` (Entra ID app roles) and `permissions` (Auth0 RBAC).
 */
export function grantedScopes(payload: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  for (const name of ['scope', 'scp', 'roles', 'permissions']) {
    const v = payload[name];
    if (typeof v === 'string') for (const s of v.split(/\s+/)) if (s) out.add(s);
    if (Array.isArray(v)) for (const s of v) if (typeof s === 'string' && s) out.add(s);
  }
  return out;
}

/** A NumericDate as ISO text; a value outside what a Date can hold is shown as the raw number. */
export function iso(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? `${seconds} (out of range)` : date.toISOString().replace('.000Z', 'Z');
}

/** "3 h 5 min", "42 s", "2 days" — for messages; exact numbers go into evidence. */
export function human(seconds: number): string {
  const s = Math.round(Math.abs(seconds));
  if (s < 90) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 90) return `${m} min`;
  const h = Math.floor(s / 3600);
  const rest = Math.round((s - h * 3600) / 60);
  if (h < 48) return rest ? `${h} h ${rest} min` : `${h} h`;
  return `${Math.round(s / 86400)} days`;
}

/**
 * True when the exchange is an authentication or authorisation failure a token rule may explain:
 * 401, 403, or a 400 whose Bearer challenge says invalid_token. A 2xx, a redirect, or no response
 * at all is not — rules warn instead of failing then (the token may be bad, but it is not why
 * this request failed).
 */
export function authFailed(ctx: RuleContext<Record<string, unknown>>): boolean {
  const status = ctx.response?.status;
  if (status === undefined) return false;
  if (status === 401 || status === 403) return true;
  return status === 400 && bearerChallenge(ctx)?.params.error === 'invalid_token';
}

export function bearerChallenge(ctx: RuleContext<Record<string, unknown>>) {
  return ctx.challenges.find((c) => c.scheme.toLowerCase() === 'bearer');
}

/** The server's own words about the token: the Bearer challenge's error_description, if any. */
export function challengeText(ctx: RuleContext<Record<string, unknown>>): string {
  const c = bearerChallenge(ctx);
  return [c?.params.error, c?.params.error_description].filter(Boolean).join(' ');
}

/** The raw bearer credential as sent (after `Bearer `), or undefined. */
export function bearerCredential(ctx: RuleContext<Record<string, unknown>>): string | undefined {
  const carrier = ctx.helpers.credentials().find((c) => c.scheme === 'bearer' && c.location === 'header');
  const raw = carrier?.credential.trim().replace(/^(bearer\s+)+/i, '');
  return raw || undefined;
}

/** The Date response header as a time, when present and parseable. */
export function serverDate(ctx: RuleContext<Record<string, unknown>>): Date | undefined {
  const value = ctx.helpers.responseHeader('date');
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t);
}

export interface TokenKind {
  kind: 'access' | 'id' | 'refresh' | 'unknown';
  /** Which claims gave it away, for the message and evidence. */
  signals: string[];
}

/**
 * What kind of token a decoded JWT is. Access tokens per RFC 9068 carry `typ: at+jwt`; ID tokens
 * (OIDC Core §2, §3.1.3.6) carry `nonce`, `at_hash` or `c_hash` and an `aud` equal to the client
 * id; Amazon Cognito says it outright in `token_use` (docs.aws.amazon.com/cognito/latest/
 * developerguide/amazon-cognito-user-pools-using-the-id-token.html); Keycloak puts `typ: ID`,
 * `Refresh` or `Offline` in the payload of its ID and refresh tokens (its TokenUtil constants).
 */
export function tokenKind(jwt: DecodedJwt, profile: ProfileHints): TokenKind {
  const { header, payload } = jwt;
  const headerTyp = typeof header.typ === 'string' ? header.typ.toLowerCase() : '';
  if (headerTyp === 'at+jwt' || headerTyp === 'application/at+jwt') return { kind: 'access', signals: [`header typ: ${String(header.typ)}`] };
  const tokenUse = stringClaim(payload, 'token_use');
  if (tokenUse === 'id') return { kind: 'id', signals: ['token_use: id'] };
  if (tokenUse === 'refresh') return { kind: 'refresh', signals: ['token_use: refresh'] };
  if (tokenUse === 'access') return { kind: 'access', signals: ['token_use: access'] };
  const typ = stringClaim(payload, 'typ');
  if (typ === 'Refresh' || typ === 'Offline') return { kind: 'refresh', signals: [`typ: ${typ}`] };
  if (typ === 'ID') return { kind: 'id', signals: ['typ: ID'] };
  if (typ === 'Bearer') return { kind: 'access', signals: ['typ: Bearer'] };
  const signals: string[] = [];
  for (const claim of ['at_hash', 'c_hash', 'nonce']) if (payload[claim] !== undefined) signals.push(claim);
  const clientId = profile.oauth2?.clientId;
  const hasScope = grantedScopes(payload).size > 0;
  if (clientId && audiences(payload).includes(clientId) && !hasScope) signals.push(`aud is the client id ${clientId}`);
  // A nonce alone with scopes present is not enough: some access tokens echo it.
  if (signals.length > 0 && !(signals.length === 1 && signals[0] === 'nonce' && hasScope)) return { kind: 'id', signals };
  return { kind: 'unknown', signals: [] };
}

/** Microsoft Entra tenant id in an issuer or authority URL (a GUID path segment), if any. */
export function entraTenant(url: string): string | undefined {
  const m = /^https:\/\/(?:sts\.windows\.net|login\.microsoftonline\.com|login\.windows\.net|login\.microsoftonline\.us|login\.chinacloudapi\.cn|login\.partner\.microsoftonline\.cn)\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:[/?]|$)/i.exec(url);
  return m?.[1]?.toLowerCase();
}

/** Issuer identifiers compare as strings (RFC 8414 §3.3); only a trailing slash is forgiven. */
export function sameIssuer(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

export const REFRESH_ACTION = 'oauth2/refresh-token';
export const INTROSPECT_ACTION = 'oauth2/introspect';
export const REAUTH_ACTIONS = ['oauth2/reauth-device', 'oauth2/reauth-pkce'];
