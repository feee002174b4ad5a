import { decodeJwtSafe } from '../../src/core/context.ts';
import type { FindingInput, HeaderEntry } from '../../src/core/types.ts';
import { human, iso, REAUTH_ACTIONS } from './claims.ts';

/**
 * What a token endpoint's error answer means. Used both by the `token-endpoint` rule (an exchange
 * that is a token-endpoint call, e.g. from a HAR) and by the refresh/re-auth actions (authdoctor's
 * own calls), so that both explain the same answer the same way.
 *
 * The base is RFC 6749 §5.2 (`invalid_client`, `invalid_grant`, `unauthorized_client`,
 * `unsupported_grant_type`, `invalid_scope`, `invalid_request`), RFC 8707 (`invalid_target`) and
 * RFC 8628 §3.5 (`expired_token`, `access_denied`). On top, the providers' own words, each with
 * its source:
 * - Microsoft Entra ID: `error_codes` / "AADSTSnnnn:" — learn.microsoft.com/entra/identity-platform/
 *   reference-error-codes (MicrosoftDocs/entra-docs docs/identity-platform/reference-error-codes.md).
 * - Google: "Token has been expired or revoked." (developers.google.com/identity/protocols/oauth2
 *   #expiration); "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable
 *   timeframe. Check your iat and exp values…" and "Invalid JWT Signature." (developers.google.com/
 *   identity/protocols/oauth2/service-account, "Error codes").
 * - Okta: "Client authentication failed. Either the client or the client credentials are
 *   invalid." (okta/okta-auth-js#455), "Cannot supply multiple client credentials…"
 *   (boylesoftware/tomcat-oidcauth#6), "The refresh token is invalid or expired."
 *   (okta/okta-react-native#109).
 * - Auth0: 403 invalid_grant "Unknown or invalid refresh token." (auth0/nextjs-auth0#498,
 *   auth0/Auth0.Android#554); 401 access_denied "Unauthorized" for a wrong client secret.
 * - Keycloak: `unauthorized_client` "Invalid client or Invalid client credentials" for a failed
 *   client authentication (keycloak/keycloak#16923; newer versions say invalid_client), and
 *   "Token is not active" / "Session not active" / "Stale token" for dead refresh tokens.
 * - GitHub: answers 200 OK with `error=bad_verification_code`, `incorrect_client_credentials`,
 *   `redirect_uri_mismatch`, `bad_refresh_token` (docs.github.com/apps/oauth-apps/maintaining-
 *   oauth-apps/troubleshooting-oauth-app-access-token-request-errors).
 */

export interface TokenCall {
  url: string;
  method: string;
  requestHeaders: readonly HeaderEntry[];
  requestBody?: string | undefined;
  status: number;
  responseHeaders: readonly HeaderEntry[];
  responseBody: string;
}

export interface OAuthErrorBody {
  error: string;
  description?: string | undefined;
  uri?: string | undefined;
  /** Entra ID `error_codes`, or the number of an "AADSTSnnnn:" prefix. */
  codes: number[];
  scope?: string | undefined;
  /** True when the answer was form-encoded (GitHub without `Accept: application/json`). */
  form: boolean;
}

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'client_secret_jwt' | 'none' | 'multiple' | 'unknown';

export interface AuthProbe {
  /** The other client authentication methods authdoctor tried after invalid_client, in order. */
  tried: ClientAuthMethod[];
  /** The one the server accepted, if any (always the last one tried). */
  worked?: ClientAuthMethod | undefined;
}

export interface DiagnosisInput {
  /** The grant type, when known (authdoctor's own call, or the body of a captured one). */
  grantType?: string | null | undefined;
  /** `token_endpoint_auth_methods_supported` from discovery, when fetched. */
  supportedAuthMethods?: readonly string[] | undefined;
  /** The client auth method, when the caller knows it better than the captured request shows. */
  clientAuth?: ClientAuthMethod | undefined;
  probe?: AuthProbe | undefined;
  evaluatedAt: Date;
  mask(value: string): string;
}

const TOKEN_PATH = /\/(token|access_token|oauth2?\/token|oauth2\/v2\.0\/token|oauth\/token|v1\/token|protocol\/openid-connect\/token)\/?$/i;

/** Does this look like a call to a token endpoint? (The body may be missing from a HAR.) */
export function looksLikeTokenEndpoint(method: string, url: string, body: string | undefined, configured?: string): boolean {
  if (method.toUpperCase() !== 'POST') return false;
  if (body && /(?:^|&)grant_type=|"grant_type"\s*:/.test(body)) return true;
  let path: string;
  try {
    const u = new URL(url);
    if (configured && u.origin + u.pathname === stripQuery(configured)) return true;
    path = u.pathname;
  } catch {
    return false;
  }
  return TOKEN_PATH.test(path);
}

function stripQuery(url: string): string {
  try {
    const u = new URL(url);
    return u.origin + u.pathname;
  } catch {
    return url;
  }
}

export function parseOAuthError(body: string, contentType = ''): OAuthErrorBody | null {
  const text = body.trim();
  if (!text) return null;
  let fields: Record<string, unknown> | null = null;
  let form = false;
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) fields = parsed as Record<string, unknown>;
    } catch {
      return null;
    }
  } else if (/x-www-form-urlencoded/i.test(contentType) || /^[\w.-]+=[^&]*(&[\w.-]+=[^&]*)*$/.test(text)) {
    form = true;
    fields = Object.fromEntries(new URLSearchParams(text));
  }
  if (!fields || typeof fields.error !== 'string' || !fields.error) return null;
  const description = typeof fields.error_description === 'string' ? fields.error_description : undefined;
  const codes = Array.isArray(fields.error_codes) ? fields.error_codes.filter((c): c is number => typeof c === 'number') : [];
  const aadsts = description ? /AADSTS(\d+)/.exec(description) : null;
  if (aadsts?.[1] && !codes.includes(Number(aadsts[1]))) codes.push(Number(aadsts[1]));
  return {
    error: fields.error,
    description,
    uri: typeof fields.error_uri === 'string' ? fields.error_uri : undefined,
    codes,
    scope: typeof fields.scope === 'string' ? fields.scope : undefined,
    form,
  };
}

export function formParams(body: string | undefined): URLSearchParams | null {
  if (!body) return null;
  const t = body.trim();
  if (t.startsWith('{')) {
    try {
      const json = JSON.parse(t) as Record<string, unknown>;
      const p = new URLSearchParams();
      for (const [k, v] of Object.entries(json)) if (typeof v === 'string') p.set(k, v);
      return p;
    } catch {
      return null;
    }
  }
  return new URLSearchParams(t);
}

/** Which client authentication the request used (RFC 6749 §2.3, RFC 7523 §2.2). */
export function clientAuthUsed(headers: readonly HeaderEntry[], body: string | undefined): ClientAuthMethod {
  const basic = headers.some((h) => h.name.toLowerCase() === 'authorization' && /^\s*basic\s+/i.test(h.value));
  const params = formParams(body);
  const secret = params?.has('client_secret') ?? false;
  const assertion = params?.get('client_assertion');
  const used = [basic, secret, !!assertion].filter(Boolean).length;
  if (used > 1) return 'multiple';
  if (basic) return 'client_secret_basic';
  if (secret) return 'client_secret_post';
  if (assertion) {
    try {
      const alg = JSON.parse(Buffer.from(assertion.split('.')[0] ?? '', 'base64url').toString('utf8')).alg as string;
      return /^HS/i.test(alg) ? 'client_secret_jwt' : 'private_key_jwt';
    } catch {
      return 'private_key_jwt';
    }
  }
  if (params?.has('client_id')) return 'none';
  return 'unknown';
}

function firstLine(s: string | undefined): string | undefined {
  if (!s) return undefined;
  // Entra appends "\r\nTrace ID: …\r\nCorrelation ID: …\r\nTimestamp: …": ids, not meaning.
  return s.split(/\r?\n/)[0]?.trim();
}

type Cause = NonNullable<FindingInput['cause']>;

interface Verdict {
  cause: Cause;
  messageId: string;
  title: string;
  message: string;
  fixes: string[];
  confidence?: FindingInput['confidence'];
  actions?: string[];
  evidence?: Record<string, unknown>;
}

const REFRESH_FIX_REAUTH = 'Sign in again to get a new refresh token: in the TUI, open this check and run the device-flow or browser sign-in action with its number key; or use your tool\'s login command.';

/**
 * Findings for a token endpoint's answer. Empty when the answer is a success. Never throws.
 */
export function diagnoseTokenResponse(call: TokenCall, input: DiagnosisInput): FindingInput[] {
  const contentType = call.responseHeaders.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? '';
  const e = parseOAuthError(call.responseBody, contentType);
  const params = formParams(call.requestBody);
  const grantType = input.grantType ?? params?.get('grant_type') ?? null;
  const clientAuth = input.clientAuth ?? clientAuthUsed(call.requestHeaders, call.requestBody);
  let host = '';
  try {
    host = new URL(call.url).host;
  } catch {
    // keep empty
  }
  if (!e) {
    if (call.status >= 200 && call.status < 300) return [];
    if (call.status >= 400) {
      return [
        {
          status: call.status === 401 || call.status === 403 ? 'fail' : 'warn',
          cause: call.status === 401 || call.status === 403 ? 'unknown' : null,
          confidence: 'possible',
          messageId: 'token-endpoint-no-error-body',
          title: 'Token endpoint failed without an OAuth error',
          message: `The token endpoint answered ${call.status} without an OAuth error body (RFC 6749 §5.2 asks for {"error": …}). Check that the URL really is the token endpoint (a wrong path or a gateway in front answers like this).`,
          evidence: { status: call.status, url: call.url },
          fixes: ['Compare the URL with token_endpoint in the issuer\'s discovery document (/.well-known/openid-configuration).'],
        },
      ];
    }
    return [];
  }

  const description = firstLine(e.description);
  const d = (description ?? '').toLowerCase();
  const evidence: Record<string, unknown> = {
    status: call.status,
    error: e.error,
    ...(description ? { error_description: description } : {}),
    ...(e.codes.length ? { errorCodes: e.codes } : {}),
    ...(grantType ? { grantType } : {}),
    ...(clientAuth !== 'unknown' ? { clientAuth } : {}),
    tokenEndpoint: call.url,
  };
  const quote = description ? ` ("${description}")` : '';
  const githubStyle = call.status === 200 ? ' (GitHub answers token errors with 200 OK, so check the body, not the status)' : '';

  const verdict = providerVerdict(e, d, { grantType, clientAuth, host, call, input, quote }) ?? rfcVerdict(e, d, { grantType, clientAuth, call, input, quote });
  if (!verdict) return [];
  return [
    {
      status: 'fail',
      cause: verdict.cause,
      confidence: verdict.confidence ?? 'definitive',
      messageId: verdict.messageId,
      title: verdict.title,
      message: verdict.message + githubStyle,
      evidence: { ...evidence, ...(verdict.evidence ?? {}) },
      fixes: verdict.fixes,
      ...(verdict.actions ? { actions: verdict.actions } : {}),
    },
  ];
}

interface Ctx {
  grantType: string | null;
  clientAuth: ClientAuthMethod;
  host?: string;
  call: TokenCall;
  input: DiagnosisInput;
  quote: string;
}

const ENTRA_REFRESH_DEAD: Record<number, string> = {
  700082: 'the refresh token expired after going unused for too long (90 days by default)',
  70008: 'the refresh token (or code) expired due to inactivity',
  70043: 'the refresh token expired under a Conditional Access sign-in frequency policy',
  700084: 'the refresh token was issued to a single-page app and has a fixed lifetime that cannot be extended',
  50173: 'the grant was revoked (the user or an admin revoked sessions, or the password changed)',
  50089: 'the flow token expired',
  50132: 'the session is no longer valid after a password change or expiry',
  50133: 'the session is no longer valid after a password change or expiry',
  50076: 'multi-factor authentication is now required for this resource',
  50079: 'the user must register for multi-factor authentication',
  50078: 'the multi-factor authentication presented has expired',
};

function providerVerdict(e: OAuthErrorBody, d: string, c: Ctx): Verdict | null {
  const code = (n: number) => e.codes.includes(n);
  const aad = (n: number) => `AADSTS${n}`;

  // --- Microsoft Entra ID ---------------------------------------------------------------------
  if (code(7000215) || code(70002)) {
    const n = code(7000215) ? 7000215 : 70002;
    return {
      cause: 'client_auth_failed',
      messageId: 'entra-client-secret-invalid',
      title: 'Client secret rejected by Entra ID',
      message: `Entra ID rejected the client secret (${aad(n)}): it does not match any secret of the app registration. The usual mistake is copying the secret's ID (a GUID) instead of its Value; an old or rotated secret has the same effect.`,
      fixes: [
        'In the Entra admin center open App registrations > your app > Certificates & secrets, create a new client secret and copy its Value (shown only once), not its Secret ID.',
        'Update the secret wherever the client reads it (environment variable, key vault, service principal configuration) and try again.',
      ],
    };
  }
  if (code(7000222)) {
    return {
      cause: 'client_auth_failed',
      messageId: 'client-secret-expired',
      title: 'Client secret expired',
      message: `The app registration's client secret has expired (${aad(7000222)}).`,
      fixes: ['Create a new client secret under App registrations > Certificates & secrets (or switch to a certificate credential) and update the client configuration.'],
    };
  }
  if (code(700016) || code(700011) || code(70001) || code(7000112)) {
    const n = e.codes.find((x) => [700016, 700011, 70001, 7000112].includes(x))!;
    const disabled = n === 70001 || n === 7000112;
    return {
      cause: 'client_auth_failed',
      messageId: disabled ? 'client-disabled' : 'client-not-found',
      title: disabled ? 'Application disabled' : 'Application not found in the tenant',
      message: disabled
        ? `The application is disabled in this tenant (${aad(n)}).`
        : `Entra ID found no application with this client id in the tenant the request went to (${aad(n)}): the client id is wrong, or the request went to the wrong tenant, or the app was never consented there.`,
      fixes: disabled
        ? ['Ask a tenant admin to enable the application (Enterprise applications > Properties > Enabled for users to sign in).']
        : [
            'Check the client (application) id against App registrations > Overview, and the tenant id in the token URL (https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token).',
            'For a multi-tenant app used in another tenant, have an admin of that tenant consent to it first.',
          ],
    };
  }
  if (code(7000218)) {
    return {
      cause: 'client_auth_failed',
      messageId: 'client-credentials-missing',
      title: 'No client credentials sent',
      message: `Entra ID expects a client secret or client assertion for this app and got none (${aad(7000218)}).`,
      fixes: [
        'Send the client secret (clientSecret in the profile) or a client assertion (private_key_jwt).',
        'If this is meant to be a public client (device flow, desktop app), enable "Allow public client flows" under the app registration\'s Authentication settings.',
      ],
    };
  }
  if (code(700025)) {
    return {
      cause: 'client_auth_failed',
      messageId: 'public-client-with-secret',
      title: 'Secret sent for a public client',
      message: `The app is registered as a public client, so it must not send a client secret or assertion (${aad(700025)}).`,
      fixes: ['Remove the client secret from the request (clientAuth: none in the profile), or turn off "Allow public client flows" if the app is really confidential.'],
    };
  }
  if (code(700027) || code(700030) || code(50012)) {
    const n = e.codes.find((x) => [700027, 700030, 50012].includes(x))!;
    return {
      cause: 'client_auth_failed',
      messageId: 'client-assertion-invalid',
      title: 'Client assertion rejected',
      message: `Entra ID could not validate the client assertion (${aad(n)}): it is signed with a key or certificate that is not registered for the app.`,
      fixes: ['Upload the certificate (public part) under App registrations > Certificates & secrets, and sign the assertion with its private key; put its SHA-1/SHA-256 thumbprint in the x5t/x5t#S256 header.'],
    };
  }
  if (code(700024) || code(500133)) {
    // "Client assertion is not within its valid time range": most often an assertion used after
    // its exp — a federated token from CI (GitHub Actions, Azure DevOps) lives 5–10 minutes and
    // is replayed by a long job — less often a clock that runs ahead or behind.
    const n = code(700024) ? 700024 : 500133;
    const timing = assertionTiming(c.call, c.input, 'client_assertion') ?? assertionTiming(c.call, c.input, 'assertion');
    const skewed = timing !== null && timing.notYetValid;
    return {
      cause: skewed ? 'clock_skew' : 'expired_token',
      confidence: timing ? 'definitive' : 'likely',
      messageId: 'assertion-time-range',
      title: skewed ? 'Assertion not yet valid' : 'Assertion expired',
      message: `The assertion sent to the token endpoint is not within its valid time range (${aad(n)})${c.quote}.${timing ? ` ${timing.text}` : ' Usually it was used after its exp (a federated CI token lives only minutes and a long job reused it); otherwise this machine\'s clock is off.'}`,
      fixes: skewed
        ? ['Synchronise this machine\'s clock (`sudo timedatectl set-ntp true`), and create assertions with iat = now.']
        : ['Create (or fetch, for a federated CI token) a fresh assertion for every token request instead of reusing one; keep its lifetime to a few minutes.', 'If assertions are fresh, check this machine\'s clock (NTP).'],
      ...(timing ? { evidence: timing.evidence } : {}),
    };
  }
  for (const [n, why] of Object.entries(ENTRA_REFRESH_DEAD)) {
    if (code(Number(n))) {
      return {
        cause: 'refresh_failed',
        messageId: 'entra-refresh-token-dead',
        title: 'Refresh token no longer valid',
        message: `Entra ID refused the grant (AADSTS${n}): ${why}. A new sign-in is needed; refreshing again will not help.`,
        fixes: [REFRESH_FIX_REAUTH, 'With the Azure CLI: `az login` (add `--tenant <id>` for a specific tenant); clear a stale token cache if the error comes back at once.'],
        actions: REAUTH_ACTIONS,
      };
    }
  }
  if (code(54005)) {
    return {
      cause: 'invalid_credentials',
      messageId: 'code-already-redeemed',
      title: 'Authorization code already used',
      message: `The authorization code was already redeemed (${aad(54005)}); a code works exactly once.`,
      fixes: ['Start a new authorization request for a new code, and make sure your client exchanges each code only once (double callbacks, retries).'],
    };
  }
  if (code(501481)) {
    return {
      cause: 'invalid_credentials',
      messageId: 'pkce-mismatch',
      title: 'PKCE verifier does not match',
      message: `The code_verifier does not match the code_challenge of the authorization request (${aad(501481)}).`,
      fixes: ['Send the code_verifier that belongs to this authorization request (store it per request, not per client).'],
    };
  }
  if (code(70011) || code(28002) || code(28003) || code(700022) || code(700023)) {
    const n = e.codes.find((x) => [70011, 28002, 28003, 700022, 700023].includes(x))!;
    return {
      cause: 'insufficient_permissions',
      messageId: 'invalid-scope',
      title: 'Scope not valid',
      message: `Entra ID rejected the requested scope (${aad(n)})${c.quote}.`,
      fixes: ['For client credentials use exactly `<resource>/.default` (e.g. https://graph.microsoft.com/.default); for user flows request scopes of one resource at a time.'],
    };
  }
  if (code(65001) || code(90094) || code(500011) || code(650057) || code(65005) || code(650056) || code(53003) || code(530032)) {
    const n = e.codes.find((x) => [65001, 90094, 500011, 650057, 65005, 650056, 53003, 530032].includes(x))!;
    return {
      cause: 'insufficient_permissions',
      messageId: 'entra-not-permitted',
      title: 'Not permitted by the tenant',
      message: `Entra ID authenticated the client but will not issue this token (${aad(n)})${c.quote}: consent, the resource's registration in the tenant, or a Conditional Access policy stands in the way.`,
      fixes: ['Grant admin consent for the API permissions (App registrations > API permissions > Grant admin consent), check that the resource exists in this tenant, and review the Conditional Access sign-in logs for the correlation id.'],
    };
  }
  if (code(90002)) {
    return {
      cause: 'invalid_credentials',
      messageId: 'tenant-not-found',
      title: 'Tenant not found',
      message: `The tenant in the token URL does not exist in this cloud (${aad(90002)}).`,
      fixes: ['Check the tenant id or domain in the token URL, and that you use the right cloud (login.microsoftonline.com, .us, .cn).'],
    };
  }
  if (code(50126) || code(50034) || code(50057) || code(50055) || code(50053)) {
    const n = e.codes.find((x) => [50126, 50034, 50057, 50055, 50053].includes(x))!;
    return {
      cause: 'invalid_credentials',
      messageId: 'user-credentials-rejected',
      title: 'User credentials rejected',
      message: `Entra ID rejected the user's credentials (${aad(n)})${c.quote}.`,
      fixes: ['Check the user name and password (and that the account exists, is enabled and not locked); prefer the device flow or a browser sign-in over the password grant.'],
    };
  }
  if (code(900144) || code(9002313) || code(90014)) {
    const n = e.codes.find((x) => [900144, 9002313, 90014].includes(x))!;
    return {
      cause: 'malformed_credentials',
      messageId: 'token-request-malformed',
      title: 'Token request malformed',
      message: `Entra ID could not read the token request (${aad(n)})${c.quote}. The body must be application/x-www-form-urlencoded with grant_type and the grant's parameters.`,
      fixes: ['Send the token request as a form (Content-Type: application/x-www-form-urlencoded), not JSON, and include every parameter the grant needs.'],
    };
  }

  // --- A grant the client may not use, whatever the error code -------------------------------
  // oidc-provider: invalid_request "requested grant type is not allowed for this client"
  // (lib/actions/token.js); Auth0: unauthorized_client "Grant type 'client_credentials' not
  // allowed for the client."; Keycloak: "Client not allowed for direct access grants".
  if (/grant[ _]type\b.*\bnot allowed|not allowed for direct access grants|client not enabled to retrieve service account/.test(d)) {
    return grantNotAllowed(c);
  }

  // --- Google --------------------------------------------------------------------------------
  if (/token has been expired or revoked/.test(d)) {
    return {
      cause: 'refresh_failed',
      messageId: 'google-refresh-token-revoked',
      title: 'Refresh token expired or revoked',
      message: `Google says the refresh token has expired or been revoked${c.quote}. That happens when the user removed the app's access, the app's OAuth consent screen is in "Testing" status (refresh tokens then last 7 days), the token went unused for six months, the user changed the password (Gmail scopes), or the client passed the limit of 100 refresh tokens per account.`,
      fixes: [REFRESH_FIX_REAUTH, 'For a long-lived integration, publish the OAuth consent screen ("In production") so refresh tokens stop expiring after 7 days.'],
      actions: REAUTH_ACTIONS,
    };
  }
  if (/invalid jwt: token must be a short-lived token/.test(d)) {
    const skew = assertionTiming(c.call, c.input, 'assertion');
    return {
      cause: 'clock_skew',
      messageId: 'jwt-assertion-clock-skew',
      title: 'JWT assertion outside Google\'s time window',
      message: `Google refused the signed JWT assertion because its iat/exp are not in a reasonable timeframe${c.quote}: the assertion may live at most 60 minutes and must be issued "now" by Google's clock, so this machine's clock is off.${skew ? ` ${skew.text}` : ''} This is not a revoked key: the service account key itself is fine.`,
      fixes: [
        'Turn on automatic time synchronisation (`sudo timedatectl set-ntp true`; Windows: Settings > Time > "Set time automatically") and try again.',
        'If you build the assertion yourself, set iat to the current time and exp to at most iat + 3600.',
      ],
      ...(skew ? { evidence: skew.evidence } : {}),
    };
  }
  if (/invalid jwt signature/.test(d)) {
    return {
      cause: 'invalid_credentials',
      messageId: 'jwt-assertion-signature',
      title: 'JWT assertion signed with an unknown key',
      message: `Google could not verify the assertion's signature${c.quote}: the service account key was deleted or disabled, or the assertion was signed with another account's key.`,
      fixes: ['List the keys with `gcloud iam service-accounts keys list --iam-account=<email>`; if the key id is gone, create a new key and use its JSON file.'],
    };
  }

  // --- Okta ----------------------------------------------------------------------------------
  if (/cannot supply multiple client credentials/.test(d)) {
    return multipleCredentials(c, 'definitive');
  }

  // --- Keycloak: unauthorized_client used for a failed client authentication -----------------
  if (/invalid client or invalid client credentials/.test(d) || /unknown_client|client was not identified/.test(d)) {
    return invalidClient(e, c, {
      provider: 'Keycloak',
      extra: [
        'In the Keycloak admin console open Clients > your client > Credentials and copy the secret again; check that "Client authentication" is on for a confidential client (off for a public one).',
        'Keycloak 20+ URL-decodes the id and secret in a Basic header (RFC 6749 §2.3.1): URL-encode them before Base64 if they contain special characters (keycloak/keycloak#16923).',
      ],
    });
  }

  // --- Auth0 ---------------------------------------------------------------------------------
  if (/unknown or invalid refresh token/.test(d)) {
    return refreshDead(c, `The authorization server does not know this refresh token${c.quote}${c.call.status === 403 ? ' (Auth0 answers a dead refresh token with 403)' : ''}: it was revoked, expired, or already used under refresh token rotation.`);
  }
  if (e.error === 'access_denied' && c.call.status === 401 && /^unauthorized\.?$/.test(d)) {
    return invalidClient(e, c, { provider: 'Auth0' });
  }

  // --- GitHub (its own error names) ----------------------------------------------------------
  switch (e.error) {
    case 'incorrect_client_credentials':
      return {
        cause: 'client_auth_failed',
        messageId: 'github-client-credentials',
        title: 'Client id or secret incorrect',
        message: `GitHub says the client_id and/or client_secret are incorrect${c.quote}.`,
        fixes: ['Copy the Client ID and generate a new client secret under Settings > Developer settings > OAuth Apps (or GitHub Apps) > your app, and send them as client_id and client_secret.'],
      };
    case 'bad_verification_code':
      return {
        cause: 'invalid_credentials',
        messageId: 'github-bad-verification-code',
        title: 'Authorization code incorrect or expired',
        message: `GitHub says the code is incorrect or expired${c.quote}: codes expire after 10 minutes and work once.`,
        fixes: ['Start the authorization again for a new code and exchange it at once, only once.'],
      };
    case 'redirect_uri_mismatch':
      return {
        cause: 'invalid_credentials',
        messageId: 'redirect-uri-mismatch',
        title: 'Redirect URI mismatch',
        message: `The redirect_uri does not match the app's registered callback URL${c.quote}.`,
        fixes: ['Send the registered callback URL exactly (scheme, host, port, path), or leave redirect_uri out to use the registered one.'],
      };
    case 'bad_refresh_token':
      return refreshDead(c, `GitHub says the refresh token is incorrect or expired${c.quote}.`);
    case 'unverified_user_email':
      return {
        cause: 'insufficient_permissions',
        messageId: 'github-unverified-email',
        title: 'User e-mail not verified',
        message: `GitHub will not issue a token because the user's primary e-mail address is not verified${c.quote}.`,
        fixes: ['Verify the primary e-mail address in the GitHub account settings, then sign in again.'],
      };
    case 'device_flow_disabled':
      return {
        cause: 'wrong_scheme',
        messageId: 'device-flow-disabled',
        title: 'Device flow not enabled',
        message: `The device flow is not enabled for this app${c.quote}.`,
        fixes: ['Enable "Device Flow" in the app\'s settings on GitHub, or use the browser flow.'],
      };
    default:
      break;
  }

  // --- Keycloak refresh tokens ----------------------------------------------------------------
  if (e.error === 'invalid_grant' && /token is not active|session not active|stale token|invalid refresh token|refresh token expired|offline session not active/.test(d)) {
    return refreshDead(c, `The authorization server refused the refresh token${c.quote}: it expired (the SSO session or offline session ended), was revoked, or was already used under refresh token rotation.`);
  }
  return null;
}

function rfcVerdict(e: OAuthErrorBody, d: string, c: Ctx): Verdict | null {
  switch (e.error) {
    case 'invalid_client':
      return invalidClient(e, c, {});
    case 'invalid_grant': {
      const g = c.grantType ?? '';
      if (g === 'refresh_token' || /refresh/.test(d)) {
        return refreshDead(c, `The token endpoint refused the refresh token (invalid_grant${c.quote ? `, ${c.quote.slice(2, -1)}` : ''}): it expired, was revoked, was issued to another client, or was already used once under refresh token rotation (a parallel refresh elsewhere consumed it).`);
      }
      if (g === 'authorization_code' || /\bcode\b|redirect/.test(d)) {
        return {
          cause: 'invalid_credentials',
          messageId: 'code-rejected',
          title: 'Authorization code rejected',
          message: `The token endpoint refused the authorization code (invalid_grant)${c.quote}: it expired (they live seconds to minutes), was already used, the redirect_uri differs from the one in the authorization request, or the PKCE code_verifier does not match.`,
          fixes: ['Start a new authorization and exchange the code once, at once, with the same redirect_uri and the code_verifier of that request.'],
        };
      }
      if (g === 'password') {
        return {
          cause: 'invalid_credentials',
          messageId: 'password-rejected',
          title: 'User credentials rejected',
          message: `The token endpoint refused the user name or password (invalid_grant)${c.quote}.`,
          fixes: ['Check the user name and password; many servers also refuse the password grant for accounts with MFA — use the device flow instead.'],
        };
      }
      if (g === 'urn:ietf:params:oauth:grant-type:jwt-bearer' || /assertion|jwt/.test(d)) {
        return {
          cause: 'invalid_credentials',
          messageId: 'assertion-rejected',
          title: 'Assertion grant rejected',
          message: `The token endpoint refused the JWT assertion (invalid_grant)${c.quote}: wrong issuer/subject/audience, an unknown signing key, or iat/exp outside the allowed window.`,
          fixes: ['Check the assertion\'s iss, sub and aud (usually the token endpoint URL), that its key is registered, and that this machine\'s clock is right.'],
        };
      }
      if (g === 'urn:ietf:params:oauth:grant-type:device_code') {
        return {
          cause: 'invalid_credentials',
          messageId: 'device-code-rejected',
          title: 'Device code rejected',
          message: `The token endpoint refused the device code (invalid_grant)${c.quote}.`,
          fixes: ['Start the device flow again.'],
          actions: REAUTH_ACTIONS,
        };
      }
      return {
        cause: 'invalid_credentials',
        confidence: 'likely',
        messageId: 'grant-rejected',
        title: 'Grant rejected',
        message: `The token endpoint refused the grant (invalid_grant)${c.quote}: the refresh token or authorization code is invalid, expired or revoked, was issued to another client, or does not match the redirect URI.`,
        fixes: ['If this was a refresh, sign in again for a new refresh token; if it was a code exchange, start a new authorization.'],
        actions: REAUTH_ACTIONS,
      };
    }
    case 'unauthorized_client':
      if (/client (authentication|credentials)|invalid client/.test(d)) return invalidClient(e, c, {});
      return grantNotAllowed(c);
    case 'unsupported_grant_type': {
      const contentType = c.call.requestHeaders.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? '';
      const notForm = (c.call.requestBody !== undefined && c.call.requestBody.trim().startsWith('{')) || (contentType !== '' && !/x-www-form-urlencoded/i.test(contentType));
      if (notForm || (c.call.requestBody !== undefined && !c.grantType)) {
        return {
          cause: 'malformed_credentials',
          messageId: 'token-request-not-form',
          title: 'Token request not form-encoded',
          message: `The server could not find a grant type it supports (unsupported_grant_type)${c.quote}, and the request body is ${notForm ? `not a form (Content-Type: ${contentType || 'none'})` : 'missing grant_type'}. RFC 6749 §3.2 requires application/x-www-form-urlencoded.`,
          fixes: ['Send the body as application/x-www-form-urlencoded (grant_type=…&client_id=…), not JSON.'],
        };
      }
      return {
        cause: 'wrong_scheme',
        messageId: 'grant-type-unsupported',
        title: 'Grant type not supported',
        message: `The authorization server does not support ${c.grantType ? `the ${c.grantType} grant` : 'this grant type'} (unsupported_grant_type)${c.quote}.`,
        fixes: ['Check grant_types_supported in the discovery document and use one of them (client_credentials, refresh_token, authorization_code, the device grant).'],
      };
    }
    case 'invalid_scope': {
      const requested = formParams(c.call.requestBody)?.get('scope');
      return {
        cause: 'insufficient_permissions',
        messageId: 'invalid-scope',
        title: 'Scope rejected',
        message: `The authorization server rejected the requested scope${requested ? ` "${requested}"` : ''} (invalid_scope)${c.quote}: it is unknown, malformed, or more than this client (or the original grant) may have.`,
        fixes: ['Request only scopes the client is allowed (check the client\'s scope settings and scopes_supported in discovery); a refresh cannot add scopes the original sign-in did not grant.'],
      };
    }
    case 'invalid_target':
      return {
        cause: 'insufficient_permissions',
        messageId: 'invalid-target',
        title: 'Resource (audience) rejected',
        message: `The authorization server does not know the requested resource or audience, or this client may not get tokens for it (invalid_target, RFC 8707)${c.quote}.`,
        fixes: ['Check the resource/audience value against the API\'s identifier registered at the authorization server.'],
      };
    case 'access_denied':
      return {
        cause: 'insufficient_permissions',
        messageId: 'access-denied',
        title: 'Access denied',
        message: `The authorization server denied the request (access_denied)${c.quote}.`,
        fixes: ['If a user declined consent, sign in again and approve; otherwise check the client\'s permissions at the authorization server.'],
      };
    case 'expired_token':
      return {
        cause: 'expired_token',
        messageId: 'device-code-expired',
        title: 'Device code expired',
        message: `The device code expired before the sign-in was completed (expired_token, RFC 8628 §3.5)${c.quote}.`,
        fixes: ['Start the device flow again and enter the code within its lifetime.'],
        actions: REAUTH_ACTIONS,
      };
    case 'interaction_required':
    case 'login_required':
    case 'consent_required':
      return refreshDead(c, `The authorization server needs the user to sign in again (${e.error})${c.quote}.`);
    case 'invalid_request':
      return {
        cause: 'malformed_credentials',
        confidence: 'likely',
        messageId: 'token-request-invalid',
        title: 'Token request invalid',
        message: `The token endpoint says the request is malformed (invalid_request)${c.quote}: a missing or repeated parameter, or an unsupported value.`,
        fixes: ['Compare the request with the grant\'s required parameters (RFC 6749 §4, §6) and send it as application/x-www-form-urlencoded.'],
      };
    case 'authorization_pending':
    case 'slow_down':
      return null;
    default:
      return {
        cause: 'unknown',
        confidence: 'possible',
        messageId: 'token-endpoint-error',
        title: `Token endpoint error ${e.error}`,
        message: `The token endpoint answered ${c.call.status} with error "${e.error}"${c.quote}.`,
        fixes: e.uri ? [`See ${e.uri} for what this error means.`] : ['Look the error up in the authorization server\'s documentation.'],
      };
  }
}

const METHOD_NAMES: Record<string, string> = {
  client_secret_basic: 'client_secret_basic (id and secret in an Authorization: Basic header)',
  client_secret_post: 'client_secret_post (client_id and client_secret in the form body)',
  private_key_jwt: 'private_key_jwt (a signed client_assertion)',
  client_secret_jwt: 'client_secret_jwt (an HMAC-signed client_assertion)',
  none: 'none (a public client: client_id only)',
};

function multipleCredentials(c: Ctx, confidence: 'definitive' | 'likely'): Verdict {
  return {
    cause: 'malformed_credentials',
    confidence,
    messageId: 'client-credentials-twice',
    title: 'Client credentials sent twice',
    message: `The client sent its credentials in more than one place${c.quote}: the server accepts exactly one client authentication method per request (RFC 6749 §2.3), so the credentials may be right but arrive twice. (Removing the secret entirely then fails with "client not recognised", which makes it look like a wrong secret.)`,
    fixes: [
      'Send the credentials either in the Authorization: Basic header (client_secret_basic) or as client_id/client_secret in the body (client_secret_post), matching the client\'s token_endpoint_auth_method — not both.',
      'In the profile set oauth2 clientAuth to client_secret_basic or client_secret_post accordingly.',
    ],
  };
}

function invalidClient(e: OAuthErrorBody, c: Ctx, opts: { provider?: string; extra?: string[] }): Verdict {
  if (c.clientAuth === 'multiple') return multipleCredentials(c, 'likely');
  const used = c.clientAuth;
  const supported = c.input.supportedAuthMethods;
  const usedName = METHOD_NAMES[used] ?? used;
  if (supported && supported.length > 0 && used !== 'unknown' && !supported.includes(used)) {
    return {
      cause: 'client_auth_failed',
      messageId: 'auth-method-not-supported',
      title: 'Client authentication method not supported',
      message: `The client authenticated with ${usedName}, but the server's discovery document allows only ${supported.join(', ')} (token_endpoint_auth_methods_supported)${c.quote}.`,
      evidence: { supportedAuthMethods: supported },
      fixes: [`Use one of ${supported.join(', ')}: set clientAuth in the profile (e.g. clientAuth: ${supported.find((m) => m.startsWith('client_secret')) ?? supported[0]}).`],
    };
  }
  const probe = c.input.probe;
  if (probe?.worked) {
    const worked = probe.worked;
    const isPublic = worked === 'none';
    return {
      cause: 'client_auth_failed',
      messageId: 'auth-method-mismatch',
      title: 'Wrong client authentication method',
      message: isPublic
        ? `The server rejected the client with ${usedName} (${e.error}${c.quote ? `, ${c.quote.slice(2, -1)}` : ''}) but accepted it with no client authentication at all: it is registered as a public client, which must not send a secret.`
        : `The server rejected the client with ${usedName} (${e.error}${c.quote ? `, ${c.quote.slice(2, -1)}` : ''}) but accepted the same id and secret with ${METHOD_NAMES[worked] ?? worked}: the secret is right; the client is registered for ${worked}.`,
      evidence: { probe: { tried: probe.tried, worked } },
      fixes: isPublic
        ? ['Remove clientSecret from the profile and set clientAuth: none (or make the client confidential at the authorization server if it should have a secret).']
        : [`Set clientAuth: ${worked} in the profile (and token_endpoint_auth_method in your client library).`],
    };
  }
  if (probe && probe.tried.length > 0) {
    return {
      cause: 'client_auth_failed',
      messageId: 'client-secret-wrong',
      title: 'Client id or secret wrong',
      message: `The server rejected the client with ${usedName} and also with ${probe.tried.map((m) => m).join(' and ')}${c.quote}: the method is not the problem — the client id or secret is wrong, the secret expired, or the client is disabled.`,
      evidence: { probe: { tried: probe.tried } },
      fixes: ['Copy the client id and a current secret from the authorization server\'s client settings (rotate the secret if unsure) and update the profile.', ...(opts.extra ?? [])],
    };
  }
  return {
    cause: 'client_auth_failed',
    messageId: 'invalid-client',
    title: 'Client authentication failed',
    message: `${opts.provider ? `${opts.provider}: ` : ''}the token endpoint did not accept the client's credentials (${e.error})${c.quote}${used !== 'unknown' ? `, sent with ${usedName}` : ''}. The client id or secret is wrong or expired, or the client is registered for another authentication method${used === 'none' ? ' (a confidential client must send its secret)' : ''}.`,
    fixes: [
      'Copy the client id and a current secret from the authorization server\'s client settings and update the profile.',
      'Check the client\'s registered authentication method (client_secret_basic vs client_secret_post vs private_key_jwt) and set clientAuth to match; with a profile, `authdoctor check --refresh` tries the other secret method to tell the two apart.',
      ...(opts.extra ?? []),
    ],
  };
}

function grantNotAllowed(c: Ctx): Verdict {
  return {
    cause: 'insufficient_permissions',
    messageId: 'grant-not-allowed',
    title: 'Client not allowed this grant',
    message: `The client is not allowed to use ${c.grantType ? `the ${c.grantType} grant` : 'this grant type'}${c.quote}. Its credentials may be fine; the client's registration does not include this grant.`,
    fixes: [`Enable ${c.grantType ?? 'the grant type'} for this client in the authorization server's client settings (Okta: Grant type; Keycloak: "Service accounts roles" for client_credentials, "Direct access grants" for password; Auth0: Advanced Settings > Grant Types), or use a client that has it.`],
  };
}

function refreshDead(c: Ctx, message: string): Verdict {
  return {
    cause: 'refresh_failed',
    messageId: 'refresh-token-rejected',
    title: 'Refresh token rejected',
    message: `${message} Refreshing again will not help.`,
    fixes: [
      REFRESH_FIX_REAUTH,
      'Under refresh token rotation every refresh returns a new refresh token and voids the old one: store the newest one every time, and never refresh from two places at once.',
    ],
    actions: REAUTH_ACTIONS,
  };
}

/**
 * For a JWT assertion in the captured request (`assertion` of the JWT-bearer grant, or a
 * `client_assertion`): how its iat/nbf/exp compare with the server's Date header (else the
 * evaluation time), to quantify the clock error or the age.
 */
function assertionTiming(call: TokenCall, input: DiagnosisInput, param: 'assertion' | 'client_assertion'): { text: string; evidence: Record<string, unknown>; notYetValid: boolean } | null {
  const assertion = formParams(call.requestBody)?.get(param);
  if (!assertion) return null;
  const claims = decodeJwtSafe(assertion)?.payload;
  if (!claims) return null;
  const iat = typeof claims.iat === 'number' ? claims.iat : undefined;
  const nbf = typeof claims.nbf === 'number' ? claims.nbf : undefined;
  const exp = typeof claims.exp === 'number' ? claims.exp : undefined;
  if (iat === undefined && exp === undefined) return null;
  const date = call.responseHeaders.find((h) => h.name.toLowerCase() === 'date')?.value;
  const serverNow = date && !Number.isNaN(Date.parse(date)) ? Date.parse(date) / 1000 : input.evaluatedAt.getTime() / 1000;
  const start = Math.max(iat ?? -Infinity, nbf ?? -Infinity);
  const notYetValid = Number.isFinite(start) && start - serverNow > 60;
  const parts: string[] = [];
  const evidence: Record<string, unknown> = {};
  if (iat !== undefined) {
    const skew = Math.round(serverNow - iat);
    evidence.assertionIat = iso(iat);
    evidence.skewSeconds = skew;
    parts.push(`The assertion says it was issued at ${iso(iat)}; the server's clock read ${iso(Math.round(serverNow))}, ${human(skew)} ${skew >= 0 ? 'later' : 'earlier'}.`);
  }
  if (exp !== undefined) {
    evidence.assertionExp = iso(exp);
    if (exp <= serverNow) {
      evidence.expiredSeconds = Math.round(serverNow - exp);
      parts.push(`It expired ${human(serverNow - exp)} before the server received it.`);
    }
    if (iat !== undefined && exp - iat > 3600) parts.push(`Its lifetime (${human(exp - iat)}) is longer than the 60 minutes most servers allow.`);
  }
  return { text: parts.join(' '), evidence, notYetValid };
}
