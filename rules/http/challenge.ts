/**
 * What `WWW-Authenticate` asks for, against what was sent (seed step 3, "review authentication
 * scheme and format"):
 * - scheme mismatch: the credential's scheme is not among the schemes offered (Bearer sent, Basic
 *   asked → `wrong_scheme`). Only when both sides are registered schemes; a custom scheme such as
 *   Salesforce's `Token` says nothing we can compare. Basic sent to a non-Basic server is the basic
 *   plugin's rule (it knows Digest, Negotiate and Kubernetes).
 * - RFC 6750 §3.1 error codes: `invalid_token` (a generic rejection; its `error_description` often
 *   says why: expired, not yet valid, wrong audience or issuer), `insufficient_scope` (with the
 *   required `scope`), `invalid_request`.
 * - Docker Registry v2 token auth (https://distribution.github.io/distribution/spec/auth/token/):
 *   `Bearer realm="<token service>",service="…",scope="…"` means: get a token from the realm first.
 * - Microsoft identity platform (https://learn.microsoft.com/en-us/previous-versions/azure/dn645539(v=azure.100),
 *   "Errors from Secured Resources"): `authorization_uri` names the tenant the token must come
 *   from; `resource`/`resource_id`/`client_id` the resource it must be issued for.
 * Proxy-Authenticate is the proxy rule's.
 */
import { defineRule } from '../../src/plugins/define.ts';
import type { FindingInput, RuleContext } from '../../src/core/plugin.ts';
import type { Challenge } from '../../src/core/challenge.ts';
import { offeredSchemes } from '../../src/core/challenge.ts';
import type { FailureCause } from '../../src/core/causes.ts';
import type { Confidence } from '../../src/core/types.ts';
import { KNOWN_SCHEMES, curlHowTo, isAuthFailure } from './shared.ts';

interface DescriptionReading {
  cause: FailureCause;
  confidence: Confidence;
  why: string;
  fix: string;
}

/** Reads an `error_description` of an `invalid_token` error. Order matters: the first match wins. */
function readDescription(description: string): DescriptionReading | null {
  const d = description.toLowerCase();
  if (/not yet valid|\bnbf\b|not before|issued in the future|iat.*future|used before/.test(d) && !/expired/.test(d)) {
    return { cause: 'clock_skew', confidence: 'likely', why: 'the token is not valid yet', fix: 'Check the clocks: a token that is "not yet valid" was issued by a clock ahead of the server\'s. Synchronise the issuing machine with NTP, or allow a small leeway.' };
  }
  if (/expired|lifetime validation failed|\bexp\b|token is no longer valid|has timed out/.test(d)) {
    const both = /not yet valid/.test(d);
    return {
      cause: 'expired_token',
      confidence: both ? 'likely' : 'definitive',
      why: both ? 'the token is expired or not yet valid' : 'the token has expired',
      fix: 'Get a new access token (refresh it with the refresh token, or sign in again) and retry; refresh before `exp` in future.',
    };
  }
  if (/revoked/.test(d)) {
    return { cause: 'invalid_credentials', confidence: 'definitive', why: 'the token was revoked', fix: 'Obtain a new token; a revoked token cannot be refreshed back to life.' };
  }
  if (/audience|\baud\b|resource/.test(d)) {
    return { cause: 'insufficient_permissions', confidence: 'likely', why: 'the token was issued for another audience (API)', fix: 'Request the token for this API: set the audience/resource/scope of the token request to this API\'s identifier.' };
  }
  if (/issuer|\biss\b|tenant|authority/.test(d)) {
    return { cause: 'invalid_credentials', confidence: 'likely', why: 'the token comes from another issuer or tenant', fix: 'Request the token from the issuer (tenant/authority) this API trusts.' };
  }
  if (/signature|kid|key not found|signing key/.test(d)) {
    return { cause: 'invalid_credentials', confidence: 'likely', why: 'the token signature cannot be verified (a token from another environment, or a rotated signing key)', fix: 'Use a token issued by the authorization server this API trusts, for this environment.' };
  }
  if (/malformed|could not be parsed|parse|not well[- ]formed|invalid format|decode|compact/.test(d)) {
    return { cause: 'malformed_credentials', confidence: 'likely', why: 'the token cannot be parsed', fix: 'Send the token exactly as issued: no scheme word twice, no quotes, no whitespace, not truncated.' };
  }
  if (/missing|not provided|no (access )?token|absent|not present/.test(d)) {
    return { cause: 'missing_credentials', confidence: 'likely', why: 'no token reached the server', fix: 'Send the token in "Authorization: Bearer <token>" and make sure nothing (a proxy, a redirect) removes it.' };
  }
  return null;
}

function bearerErrorFindings(ctx: RuleContext<any>, challenge: Challenge): FindingInput[] {
  const error = challenge.params.error;
  if (!error) return [];
  const description = challenge.params.error_description;
  const evidence: Record<string, unknown> = { scheme: challenge.scheme, error };
  if (description) evidence.errorDescription = description;
  if (challenge.params.error_uri) evidence.errorUri = challenge.params.error_uri;
  if (challenge.params.scope) evidence.requiredScope = challenge.params.scope;
  const quoted = description ? `: "${description}"` : '';
  if (error === 'insufficient_scope') {
    const scope = challenge.params.scope;
    return [
      {
        status: 'fail',
        cause: 'insufficient_permissions',
        confidence: 'definitive',
        messageId: 'insufficient-scope',
        title: 'Token lacks the required scope',
        message: `The server accepted the token but says it lacks the scope for this request (error="insufficient_scope")${scope ? `; it requires scope "${scope}"` : ''}${quoted}.`,
        evidence,
        fixes: [
          scope
            ? `Request a new token that includes the scope "${scope}" (add it to the scope parameter of the token request, and to the client's allowed scopes or API permissions first).`
            : 'Request a new token with the scope this endpoint documents (add it to the scope parameter of the token request).',
          'Tokens keep the scopes they were issued with: refreshing an old token does not add new ones.',
        ],
      },
    ];
  }
  if (error === 'invalid_request') {
    return [
      {
        status: 'fail',
        cause: 'malformed_credentials',
        confidence: 'likely',
        messageId: 'invalid-request',
        title: 'Request rejected as malformed (invalid_request)',
        message: `The server says the request is malformed (error="invalid_request")${quoted}. RFC 6750 uses this for a missing or repeated token parameter, a token sent in more than one way, or an otherwise malformed request.`,
        evidence,
        fixes: ['Send the token exactly once and only in "Authorization: Bearer <token>" (not also as access_token in the query or body).'],
      },
    ];
  }
  if (error === 'invalid_token') {
    const reading = description ? readDescription(description) : null;
    if (reading) {
      return [
        {
          status: 'fail',
          cause: reading.cause,
          confidence: reading.confidence,
          messageId: 'invalid-token',
          title: 'Token rejected (invalid_token)',
          message: `The server rejected the token (error="invalid_token"): ${reading.why}${quoted}.`,
          evidence,
          fixes: [reading.fix],
        },
      ];
    }
    return [
      {
        status: 'fail',
        cause: 'invalid_credentials',
        confidence: 'possible',
        messageId: 'invalid-token',
        title: 'Token rejected (invalid_token)',
        message: `The server rejected the token (error="invalid_token")${quoted}. RFC 6750 uses this for a token that is expired, revoked, malformed or invalid for another reason.`,
        evidence,
        fixes: ['Get a fresh token from the authorization server this API trusts and retry; if a fresh token fails too, check that it is issued for this API (audience) and environment.'],
      },
    ];
  }
  return [
    {
      status: 'fail',
      cause: 'invalid_credentials',
      confidence: 'possible',
      messageId: 'bearer-error',
      title: `Token rejected (${error})`,
      message: `The server rejected the token with error="${error}"${quoted}.`,
      evidence,
      fixes: ['Look up this error code in the API\'s documentation; get a fresh token and retry.'],
    },
  ];
}

function isHttpUrl(value: string | undefined): value is string {
  if (!value) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function dockerFinding(ctx: RuleContext<any>, challenge: Challenge, sentScheme: string | null): FindingInput | null {
  const { realm, service, scope } = challenge.params;
  if (!isHttpUrl(realm) || (!service && !scope)) return null;
  if (challenge.params.error === 'insufficient_scope') return null; // the RFC 6750 reading says it
  const url = new URL(realm);
  if (service) url.searchParams.set('service', service);
  if (scope) url.searchParams.set('scope', scope);
  const tokenUrl = url.toString();
  const steps = [
    `Get a token from the realm: \`curl -u "$USER:$PASSWORD" "${tokenUrl}"\` (omit -u for public images); the JSON answer has it in "token" (or "access_token").`,
    'Retry the request with that token: `-H "Authorization: Bearer $TOKEN"`. Docker, ORAS and crane do this dance themselves after `docker login`.',
  ];
  const evidence: Record<string, unknown> = { realm, ...(service ? { service } : {}), ...(scope ? { scope } : {}), tokenUrl };
  if (sentScheme === null) {
    return {
      status: 'fail',
      cause: 'missing_credentials',
      confidence: 'likely',
      messageId: 'token-dance',
      title: 'Registry wants a token from its token service',
      message: `This is Docker Registry token authentication: the registry does not take credentials itself but points at a token service (realm ${realm}${service ? `, service ${service}` : ''}${scope ? `, scope ${scope}` : ''}). No token was sent.`,
      evidence,
      fixes: steps,
    };
  }
  if (sentScheme === 'bearer') {
    return {
      status: 'fail',
      cause: 'invalid_credentials',
      confidence: 'possible',
      messageId: 'token-dance',
      title: 'Registry did not accept the token',
      message: `The registry rejected the bearer token and points at its token service again${scope ? ` for scope "${scope}"` : ''}: the token is expired (registry tokens live minutes) or was issued for another repository or action.`,
      evidence,
      fixes: [`Get a new token for exactly this scope${scope ? ` (${scope})` : ''}: ${steps[0]}`, steps[1]!],
    };
  }
  return null; // Basic sent: the basic plugin explains that the registry wants the token dance
}

/** Tenant named by an Azure `authorization_uri` (GUID or domain), or null for common/organizations. */
function tenantOf(uri: string): string | null {
  try {
    const first = new URL(uri).pathname.split('/').filter(Boolean)[0];
    if (!first || /^(common|organizations|consumers|oauth2)$/i.test(first)) return null;
    return first.toLowerCase();
  } catch {
    return null;
  }
}

function tokenTenant(payload: Record<string, unknown>): string | null {
  if (typeof payload.tid === 'string') return payload.tid.toLowerCase();
  if (typeof payload.iss === 'string') {
    const m = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.exec(payload.iss);
    if (m) return m[0].toLowerCase();
  }
  return null;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function azureFindings(ctx: RuleContext<any>, challenge: Challenge): FindingInput[] {
  const uri = challenge.params.authorization_uri ?? challenge.params.authorization;
  const resource = challenge.params.resource ?? challenge.params.resource_id;
  const clientId = challenge.params.client_id;
  if (!uri && !resource) return [];
  const tenant = uri ? tenantOf(uri) : null;
  const jwt = ctx.helpers.jwt();
  const evidence: Record<string, unknown> = {};
  if (uri) evidence.authorizationUri = uri;
  if (tenant) evidence.expectedTenant = tenant;
  if (resource) evidence.resource = resource;
  if (clientId) evidence.resourceAppId = clientId;
  const out: FindingInput[] = [];
  const azCmd = `az account get-access-token${tenant ? ` --tenant ${tenant}` : ''}${resource ? ` --resource ${resource}` : ''}`;
  if (jwt) {
    const tokTenant = tokenTenant(jwt.payload);
    if (tokTenant) evidence.tokenTenant = tokTenant;
    if (tenant && tokTenant && GUID.test(tenant) && tenant !== tokTenant) {
      out.push({
        status: 'fail',
        cause: 'invalid_credentials',
        confidence: 'likely',
        messageId: 'azure-wrong-tenant',
        title: 'Token from another tenant',
        message: `The token was issued by tenant ${tokTenant}, but the server's challenge says tokens must come from tenant ${tenant} (authorization_uri ${uri}).`,
        evidence,
        fixes: [
          `Request the token from the tenant the API names: \`${azCmd}\` (or \`az login --tenant ${tenant}\`), or set the authority to https://login.microsoftonline.com/${tenant} in MSAL / the SDK.`,
          'After moving a subscription to another directory, tokens from the old tenant stop working; sign in to the new one.',
        ],
      });
    }
    const aud = typeof jwt.payload.aud === 'string' ? jwt.payload.aud : Array.isArray(jwt.payload.aud) ? String(jwt.payload.aud[0]) : null;
    if (aud) evidence.tokenAudience = aud;
    const norm = (s: string) => s.replace(/\/+$/, '').toLowerCase();
    const comparable = (a: string, b: string) => (GUID.test(a) && GUID.test(b)) || (/^https?:/i.test(a) && /^https?:/i.test(b));
    const expected = resource ?? clientId;
    if (aud && expected && comparable(aud, expected) && norm(aud) !== norm(expected)) {
      out.push({
        status: 'fail',
        cause: 'insufficient_permissions',
        confidence: 'likely',
        messageId: 'azure-wrong-resource',
        title: 'Token for another resource',
        message: `The token's audience is ${aud}, but the server asks for a token for ${expected}.`,
        evidence,
        fixes: [`Request the token for the resource the API names: \`${azCmd}\` (MSAL: scope "${expected.replace(/\/+$/, '')}/.default").`],
      });
    }
  }
  if (out.length === 0 && isAuthFailure(ctx)) {
    out.push({
      status: 'warn',
      cause: null,
      messageId: 'azure-challenge',
      title: 'Which tenant and resource the token must be for',
      message: `The server says how to get an acceptable token:${tenant ? ` from tenant ${tenant}` : uri ? ` from ${uri}` : ''}${resource ? `, for resource ${resource}` : clientId ? `, for the resource app ${clientId}` : ''}. Compare it with the token's issuer (tid/iss) and audience (aud).`,
      evidence,
      fixes: [`Get a token that matches: \`${azCmd}\`.`],
    });
  }
  return out;
}

export default defineRule({
  meta: {
    id: 'challenge',
    title: 'What WWW-Authenticate asks for',
    description: 'Compares the offered schemes with the one sent, reads RFC 6750 error codes, Docker registry token challenges and Azure authorization_uri/resource.',
    causes: ['wrong_scheme', 'invalid_credentials', 'expired_token', 'insufficient_permissions', 'malformed_credentials', 'missing_credentials', 'clock_skew'],
  },
  appliesTo: (ctx) => ctx.challenges.length > 0,
  check(ctx) {
    const out: FindingInput[] = [];
    const failure = isAuthFailure(ctx);
    const offered = offeredSchemes(ctx.challenges);
    const authz = ctx.helpers.credentials().find((c) => c.location === 'header' && c.name.toLowerCase() === 'authorization' && c.schemeWord);
    const sent = authz?.schemeWord?.toLowerCase() ?? null;
    const keyHeader = ctx.helpers.credentials().find((c) => c.location === 'header' && c.scheme === 'api-key' && c.name.toLowerCase() !== 'authorization');

    if (failure && sent && sent !== 'basic' && KNOWN_SCHEMES.has(sent) && offered.every((s) => KNOWN_SCHEMES.has(s)) && !offered.includes(sent)) {
      const fixes = offered.map((s) => `The server accepts ${s === 'basic' ? 'Basic' : s}: send ${curlHowTo(s)}.`);
      if (sent === 'bearer' && offered.includes('basic')) fixes.push('If your credential is an API key, many Basic APIs take it as the user name with an empty password (`-u "$API_KEY:"`) — check the API\'s documentation.');
      if (sent === 'bearer' && offered.includes('dpop')) fixes.unshift('This token is DPoP-bound (RFC 9449): it must be sent as "Authorization: DPoP <token>" with a DPoP proof header, not as Bearer.');
      out.push({
        status: 'fail',
        cause: 'wrong_scheme',
        confidence: 'likely',
        messageId: 'scheme-mismatch',
        title: 'Credential sent with a scheme the server does not accept',
        message: `The request used "${authz!.schemeWord}", but the server's WWW-Authenticate offers only ${offered.map((s) => `"${s}"`).join(', ')}.`,
        evidence: { sent: authz!.schemeWord, offered },
        fixes,
      });
    } else if (failure && !authz && keyHeader && offered.length > 0 && offered.every((s) => s === 'bearer' || s === 'basic')) {
      out.push({
        status: 'warn',
        cause: 'wrong_scheme',
        confidence: 'possible',
        messageId: 'key-header-vs-challenge',
        title: 'Key header, but the server asks for Authorization',
        message: `The credential went in the ${keyHeader.name} header, while the server's WWW-Authenticate asks for ${offered.join(' or ')} in the Authorization header. Some APIs always send this challenge; if yours documents ${keyHeader.name}, ignore this.`,
        evidence: { sentHeader: keyHeader.name, offered },
        fixes: offered.map((s) => `If the API documents ${s}, send ${curlHowTo(s)} instead.`),
      });
    }

    for (const challenge of ctx.challenges) {
      const scheme = challenge.scheme.toLowerCase();
      if (scheme !== 'bearer' && scheme !== 'dpop') continue;
      const fromError = bearerErrorFindings(ctx, challenge);
      const docker = dockerFinding(ctx, challenge, sent);
      const azure = azureFindings(ctx, challenge);
      // An Azure tenant/resource comparison names the same cause more precisely than the description.
      const kept = fromError.filter((f) => !azure.some((a) => a.status === 'fail' && a.cause === f.cause));
      out.push(...kept, ...(docker ? [docker] : []), ...azure);
    }
    // A challenge on a response that is not a failure is advice, not the reason for a failure.
    return failure ? out : out.map((f) => (f.status === 'fail' ? { ...f, status: 'warn' as const } : f));
  },
});
