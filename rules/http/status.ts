/**
 * Triage of the exchange by what the status (and its documented disguises) says:
 * - 401 with a credential: the server did not accept it (`invalid_credentials`, possible — the
 *   weakest reading, which any more specific finding outranks); at a token endpoint a 401 means
 *   client authentication failed (RFC 6749 §5.2, `invalid_client` "MAY return 401").
 * - 403 with a credential: authenticated but not allowed (`insufficient_permissions`; likely when
 *   the body talks about permissions, possible otherwise — many APIs answer 403 to bad keys too).
 * - Auth failures disguised as other statuses:
 *   - Slack Web API: HTTP 200 with `{"ok": false, "error": …}` (https://api.slack.com/web#errors);
 *   - Atlassian Seraph (Jira/Confluence Server and Data Center): 200 served anonymously with
 *     `X-Seraph-LoginReason: AUTHENTICATED_FAILED | AUTHENTICATION_DENIED | AUTHORISATION_FAILED`
 *     (com.atlassian.seraph.auth.LoginReason; CAPTCHA after failed logins per Atlassian's "JIRA REST
 *     API Example - Basic Authentication" page, with `X-Authentication-Denied-Reason`);
 *   - a 3xx to a sign-in page, or a 200/203 sign-in page after such a redirect (Azure DevOps answers
 *     a rejected PAT with 203 and its sign-in page);
 *   - an OAuth2 token endpoint answering 2xx with an `error` member (RFC 6749 §5.2 requires 400/401).
 * 407 is the proxy rule's; a missing credential is the missing-credentials rule's.
 */
import { defineRule } from '../../src/plugins/define.ts';
import { tokenEndpointGrant } from '../../src/core/credential.ts';
import type { FindingInput, RuleContext } from '../../src/core/plugin.ts';
import type { FailureCause } from '../../src/core/causes.ts';
import {
  SLACK_AUTH_ERRORS,
  hasCookie,
  hostOf,
  looksLikeLoginPage,
  looksLikeTokenEndpoint,
  looksLikeLoginUrl,
  placeholderOf,
  responseMime,
  seraphReasons,
  slackAuthError,
} from './shared.ts';

const PERMISSION_WORDS =
  /\b(permissions?|not permitted|not allowed to|insufficient[_ ]?(scopes?|privileges?|permissions?|rights)|access (is )?denied|does not have (access|authori[sz]ation|permission)|lacks? (the )?(required )?(scope|role|permission)|missing (the )?(required )?(scopes?|roles?|permissions?)|not authori[sz]ed to perform|cannot \w+ resource|requires? (the )?[\w.:-]+ (scope|role|permission)|resource not accessible)\b/i;
const AUTHENTICATION_WORDS = /\b(invalid|expired|revoked|malformed|missing authentication|not authenticated|unauthenticated|signature|bad credentials|token is)\b/i;

const PERMISSION_FIXES = [
  'Find out which identity this credential belongs to (for example `aws sts get-caller-identity`, `gcloud auth list`, `az account show`, or the provider\'s "who am I" endpoint) and compare it with the one you meant to use.',
  'Open the IAM console (or the API\'s permissions page) for that user, service account, app or role and grant the permission this endpoint needs on this resource; the API reference lists the required scope or role per endpoint.',
  'If you changed permissions or scopes just now, get a new token: most tokens carry the scopes they were issued with, and some providers take a few minutes to propagate policy changes.',
];

/** RFC 6749 §5.2 error codes and the cause each one names. */
function tokenErrorCause(error: string, grant: string | null): FailureCause {
  switch (error) {
    case 'invalid_client':
    case 'unauthorized_client':
      return 'client_auth_failed';
    case 'invalid_grant':
      return grant === 'refresh_token' ? 'refresh_failed' : 'invalid_credentials';
    case 'invalid_scope':
    case 'access_denied':
      return 'insufficient_permissions';
    case 'invalid_request':
      return 'malformed_credentials';
    case 'unsupported_grant_type':
      return 'wrong_scheme';
    default:
      return 'unknown';
  }
}

/** Carriers with something that could be a credential (not empty, not a placeholder, also inside Basic). */
function usableCarriers(ctx: RuleContext<any>) {
  return ctx.helpers.credentials().filter((c) => {
    if (c.scheme === 'oauth2' || c.scheme === 'none' || placeholderOf(c.credential)) return false;
    if (c.scheme === 'basic' && c.location === 'header') {
      const decoded = ctx.helpers.basic();
      // An empty user (Azure DevOps PATs) or password (API key as user) is normal; both empty is not.
      const bad = (v: string) => v.length > 0 && placeholderOf(v, { forPassword: true }) !== null;
      if (decoded && (bad(decoded.user) || bad(decoded.password) || (!decoded.user && !decoded.password))) return false;
    }
    return true;
  });
}

function slackFinding(ctx: RuleContext<any>): FindingInput | null {
  const slack = slackAuthError(ctx);
  if (!slack) return null;
  const info = SLACK_AUTH_ERRORS[slack.code]!;
  const onSlack = /(^|\.)slack\.com$/.test(hostOf(ctx.request.url));
  const evidence: Record<string, unknown> = { status: ctx.response!.status, error: slack.code, meaning: info.meaning };
  const fixes: string[] = [];
  switch (slack.code) {
    case 'missing_scope': {
      if (typeof slack.body.needed === 'string') evidence.neededScope = slack.body.needed;
      if (typeof slack.body.provided === 'string') evidence.providedScopes = slack.body.provided;
      fixes.push(
        `Add the scope ${typeof slack.body.needed === 'string' ? `"${slack.body.needed}" ` : ''}to your app (api.slack.com/apps → OAuth & Permissions → Scopes), reinstall the app to the workspace, and use the new token it shows.`,
      );
      break;
    }
    case 'not_authed':
      fixes.push('Send the token in the Authorization header: `-H "Authorization: Bearer xoxb-…"` (or as the `token` form field of a POST); Slack ignores an `access_token` parameter.');
      break;
    case 'invalid_auth':
      fixes.push('Check that the token is the current one for this workspace (auth.test tells you which workspace and user it belongs to); if it is, check the workspace\'s IP allowlist for the address you call from.');
      break;
    case 'token_expired':
      fixes.push('Refresh the token: POST https://slack.com/api/oauth.v2.access with grant_type=refresh_token, your refresh token, client_id and client_secret, and store both new tokens.');
      break;
    case 'token_revoked':
    case 'account_inactive':
      fixes.push('The token can no longer be used: reinstall the app to the workspace (or have the user authorise it again) and use the new token.');
      break;
    case 'not_allowed_token_type':
    case 'not_bearer_token':
      fixes.push('Use the token type the method\'s documentation asks for: a bot token (xoxb-), a user token (xoxp-) or an app-level token (xapp-) are not interchangeable.');
      break;
    default:
      fixes.push('Grant the app or user the access this method needs (workspace admin settings or the app\'s scopes), then retry with a new token.');
  }
  return {
    status: 'fail',
    cause: info.cause,
    confidence: onSlack ? 'definitive' : 'likely',
    messageId: 'slack-error',
    title: 'Slack-style error inside a successful response',
    message: `The server answered ${ctx.response!.status} but the body says {"ok": false, "error": "${slack.code}"}: ${info.meaning}`,
    evidence,
    fixes,
  };
}

function seraphFinding(ctx: RuleContext<any>): FindingInput | null {
  const reasons = seraphReasons(ctx);
  const status = ctx.response!.status;
  const denied = ctx.helpers.responseHeader('x-authentication-denied-reason');
  const evidence: Record<string, unknown> = { status, 'x-seraph-loginreason': reasons.join(', ') };
  if (denied) evidence['x-authentication-denied-reason'] = denied;
  const anonymously = status >= 200 && status < 300 ? ` The ${status} is misleading: Jira/Confluence served the request anonymously.` : '';
  if (reasons.includes('AUTHENTICATION_DENIED')) {
    const captcha = /captcha/i.test(denied ?? '');
    const loginUrl = /login-url=(\S+)/i.exec(denied ?? '')?.[1];
    return {
      status: 'fail',
      cause: 'invalid_credentials',
      confidence: 'definitive',
      messageId: 'seraph-denied',
      title: 'Login refused (X-Seraph-LoginReason: AUTHENTICATION_DENIED)',
      message: `The server refused to even check the credentials (AUTHENTICATION_DENIED)${captcha ? ': after too many failed logins it now requires a CAPTCHA' : ', which Jira does after repeated failed logins (CAPTCHA)'}.${anonymously}`,
      evidence,
      fixes: [
        'Fix the password or token first (the earlier failed attempts are what triggered this).',
        `Then log in once in a browser${loginUrl ? ` at ${loginUrl}` : ''} and answer the CAPTCHA to reset the failed-login counter; API calls keep failing until you do.`,
        'Clients must check the X-Seraph-LoginReason header, not only the status code.',
      ],
    };
  }
  if (reasons.includes('AUTHENTICATED_FAILED')) {
    return {
      status: 'fail',
      cause: 'invalid_credentials',
      confidence: 'definitive',
      messageId: 'seraph-failed',
      title: 'Login failed (X-Seraph-LoginReason: AUTHENTICATED_FAILED)',
      message: `The server could not authenticate the user with the credentials sent (AUTHENTICATED_FAILED).${anonymously}`,
      evidence,
      fixes: [
        'Correct the user name and password (or personal access token); on Atlassian Cloud use your account email with an API token.',
        'Clients must check the X-Seraph-LoginReason header, not only the status code.',
      ],
    };
  }
  if (reasons.includes('AUTHORISATION_FAILED')) {
    return {
      status: 'fail',
      cause: 'insufficient_permissions',
      confidence: 'definitive',
      messageId: 'seraph-authorisation',
      title: 'Authenticated, not authorised (X-Seraph-LoginReason: AUTHORISATION_FAILED)',
      message: `The user was authenticated but is not allowed to use this resource (AUTHORISATION_FAILED).${anonymously}`,
      evidence,
      fixes: ['Ask a Jira/Confluence administrator to grant this user the needed permission (project role, global permission or space permission), or use an account that has it.'],
    };
  }
  return null;
}

function loginRedirectFinding(ctx: RuleContext<any>): FindingInput | null {
  const res = ctx.response!;
  const location = ctx.helpers.responseHeader('location');
  const hop = ctx.exchange.redirects.find((h) => looksLikeLoginUrl(h.to));
  const loginPage = looksLikeLoginPage(res.body, responseMime(ctx));
  let where: string | null = null;
  let confidenceCap: 'likely' | 'possible' = 'likely';
  if (res.status >= 300 && res.status < 400 && location && looksLikeLoginUrl(location, ctx.request.url)) {
    where = `a ${res.status} redirect to a sign-in page (${safeUrl(location, ctx.request.url)})`;
  } else if (hop && (res.status === 200 || res.status === 203) && loginPage) {
    where = `a ${hop.status} redirect to a sign-in page (${safeUrl(hop.to)}), which answered ${res.status} with a login form`;
  } else if (res.status === 203 && loginPage) {
    where = 'a 203 (Non-Authoritative Information) sign-in page instead of the API response';
  } else if (res.status === 200 && loginPage && /json/i.test(ctx.helpers.requestHeader('accept') ?? '')) {
    where = 'an HTML sign-in page although the request asked for JSON';
    confidenceCap = 'possible';
  }
  if (!where) return null;
  const carriers = usableCarriers(ctx);
  const evidence: Record<string, unknown> = { status: res.status };
  if (location) evidence.location = safeUrl(location, ctx.request.url);
  if (hop) evidence.redirect = `${hop.status} ${safeUrl(hop.from)} → ${safeUrl(hop.to)}`;
  if (carriers.length === 0 && !hasCookie(ctx.request.headers)) {
    return {
      status: 'fail',
      cause: 'missing_credentials',
      confidence: confidenceCap,
      messageId: 'login-redirect',
      title: 'Sent to a sign-in page',
      message: `The server answered with ${where}: it treats the request as not logged in, and the request carried no credentials.`,
      evidence,
      fixes: [
        'Call the API with an API credential (token, API key or Basic credentials as its documentation says) instead of relying on a browser login.',
        'A sign-in page means you reached the web UI, not the API: check the URL (API host and path) as well.',
      ],
    };
  }
  return {
    status: 'fail',
    cause: 'invalid_credentials',
    confidence: 'possible',
    messageId: 'login-redirect',
    title: 'Sent to a sign-in page',
    message: `The server answered with ${where}: it did not accept the credentials sent${carriers.length === 0 ? ' (only a session cookie, which may have expired)' : ''}.`,
    evidence: { ...evidence, credentials: carriers.map((c) => `${c.location} ${c.name}`) },
    fixes: [
      'Check that the credential is valid for this host and has not expired or been revoked; Azure DevOps, for example, answers a bad personal access token this way.',
      'Make sure the URL is the API endpoint, not the web UI (which always wants an interactive login).',
    ],
  };
}

function tokenEndpointFinding(ctx: RuleContext<any>): FindingInput | null {
  const res = ctx.response!;
  if (res.status < 200 || res.status >= 300) return null;
  const grant = tokenEndpointGrant(ctx.request);
  if (!grant) return null;
  const json = ctx.helpers.responseJson();
  if (!json || typeof json !== 'object' || Array.isArray(json)) return null;
  const body = json as Record<string, unknown>;
  if (typeof body.error !== 'string' || typeof body.access_token === 'string') return null;
  const description = typeof body.error_description === 'string' ? body.error_description : undefined;
  return {
    status: 'fail',
    cause: tokenErrorCause(body.error, grant),
    confidence: 'likely',
    messageId: 'token-endpoint-error-200',
    title: 'Token endpoint error inside a successful response',
    message: `The token endpoint answered ${res.status} but returned an error instead of a token: "${body.error}"${description ? ` (${description})` : ''}. RFC 6749 §5.2 says errors come with 400/401, so a client that only checks the status will take this for success.`,
    evidence: { status: res.status, grantType: grant, error: body.error, ...(description ? { errorDescription: description } : {}) },
    fixes: ['Treat any token response without an access_token as a failure, and fix the cause the error names (client credentials, grant, scope or request parameters).'],
  };
}

function safeUrl(raw: string, base?: string): string {
  try {
    const url = new URL(raw, base);
    url.username = '';
    url.password = '';
    // Query strings of sign-in redirects carry state and codes; the path is what helps.
    return `${url.origin}${url.pathname}${url.search ? '?…' : ''}`;
  } catch {
    return raw.slice(0, 200);
  }
}

export default defineRule({
  meta: {
    id: 'status',
    title: 'What the response status says',
    description: 'Reads 401/403 and the auth failures that hide behind 200, 203 and redirects (Slack, Jira, sign-in pages, token endpoints).',
    causes: ['invalid_credentials', 'insufficient_permissions', 'client_auth_failed', 'missing_credentials', 'expired_token', 'wrong_scheme', 'refresh_failed', 'malformed_credentials', 'unknown'],
  },
  appliesTo: (ctx) => ctx.response !== null,
  check(ctx) {
    const res = ctx.response!;
    const disguised = [slackFinding(ctx), seraphFinding(ctx), loginRedirectFinding(ctx), tokenEndpointFinding(ctx)].filter((f): f is FindingInput => f !== null);
    if (disguised.length > 0) return disguised;

    const carriers = usableCarriers(ctx);
    if (res.status === 401 && (carriers.length > 0 || looksLikeTokenEndpoint(ctx.request))) {
      if (looksLikeTokenEndpoint(ctx.request)) {
        return [
          {
            status: 'fail',
            cause: 'client_auth_failed',
            confidence: 'possible',
            messageId: 'token-endpoint-401',
            title: 'Token endpoint rejected the client',
            message: 'The token endpoint answered 401: per RFC 6749 §5.2 that is how it reports that client authentication failed (wrong client id or secret, or an authentication method the client is not registered for).',
            evidence: { status: 401, ...(tokenEndpointGrant(ctx.request) ? { grantType: tokenEndpointGrant(ctx.request) } : {}) },
            fixes: ['Check the client id and secret (or assertion) and that the client authentication method (client_secret_basic, client_secret_post, private_key_jwt) matches the client\'s registration.'],
          },
        ];
      }
      return [
        {
          status: 'fail',
          cause: 'invalid_credentials',
          confidence: 'possible',
          messageId: 'unauthorized',
          title: 'The server did not accept the credential',
          message: `The server answered 401 Unauthorized to a request that carried ${carriers.map((c) => `${c.location === 'header' ? 'the header' : c.location === 'query' ? 'the query parameter' : 'URL'} ${c.name}`).join(' and ')}: it did not accept the credential. Nothing more specific was found in the response alone.`,
          evidence: { status: 401, scheme: ctx.helpers.scheme(), carriers: carriers.map((c) => `${c.location}:${c.name}`) },
          fixes: [
            'Copy the credential again from the provider\'s console and compare it with what was sent (prefix, length, no whitespace or truncation).',
            'Check that it belongs to the same environment and account as this URL (test vs live, region, tenant) and has not been revoked or rotated.',
          ],
        },
      ];
    }
    if (res.status === 403 && carriers.length > 0) {
      const body = res.body.slice(0, 4000);
      const permissionWords = PERMISSION_WORDS.test(body) && !AUTHENTICATION_WORDS.test(body);
      return [
        {
          status: 'fail',
          cause: 'insufficient_permissions',
          confidence: permissionWords ? 'likely' : 'possible',
          messageId: 'forbidden',
          title: 'Authenticated, but not allowed',
          message: permissionWords
            ? 'The server answered 403 Forbidden and its message is about permissions: the credential was recognised, but the identity behind it is not allowed to do this.'
            : 'The server answered 403 Forbidden: usually the credential was recognised but is not allowed to do this (a missing scope, role or policy). Some APIs also answer 403 to an invalid key, so check the other findings too.',
          evidence: { status: 403, scheme: ctx.helpers.scheme(), ...(permissionWords ? { permissionMessage: firstSentence(body) } : {}) },
          fixes: PERMISSION_FIXES,
        },
      ];
    }
    return [];
  },
});

function firstSentence(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
