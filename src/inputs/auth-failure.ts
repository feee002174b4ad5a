import type { HeaderEntry } from '../core/types.ts';

/**
 * A cheap "does this response show an authentication/authorization failure?" predicate, for
 * choosing the interesting entry of a HAR (and for anyone else who needs a quick answer). It reads
 * only the status, a few headers and documented error codes in the body; it never decides a cause.
 */

export interface ResponseLike {
  status: number;
  headers: readonly HeaderEntry[];
  body?: string | undefined;
}

/**
 * Error codes that providers document for failed authentication or authorization, compared in
 * lower case. Several come with a 200 or a 400 status, which is why the body is read at all.
 */
const AUTH_ERROR_CODES = new Set(
  [
    // RFC 6750 §3.1 (Bearer) and RFC 6749 §5.2 (token endpoint)
    'invalid_token', 'insufficient_scope', 'invalid_client', 'invalid_grant', 'unauthorized_client',
    // Slack Web API: HTTP 200 with {"ok":false,"error":…} (api.slack.com/web#evaluating_responses)
    'not_authed', 'invalid_auth', 'account_inactive', 'token_revoked', 'token_expired', 'no_permission',
    'missing_scope', 'not_allowed_token_type', 'ekm_access_denied',
    // GraphQL servers (Apollo Server's built-in codes), HTTP 200 with errors[].extensions.code
    'unauthenticated', 'forbidden',
    // Google APIs error model (cloud.google.com/apis/design/errors): status and reasons
    'permission_denied', 'autherror', 'keyinvalid', 'api_key_invalid', 'access_token_expired',
    // AWS error codes (XML <Code>, JSON __type/code); many arrive as 400
    'signaturedoesnotmatch', 'invalidclienttokenid', 'invalidaccesskeyid', 'expiredtoken',
    'expiredtokenexception', 'requestexpired', 'authfailure', 'authorizationheadermalformed',
    'incompletesignature', 'incompletesignatureexception', 'missingauthenticationtoken',
    'missingauthenticationtokenexception', 'unrecognizedclientexception', 'invalidsignatureexception',
    'accessdenied', 'accessdeniedexception', 'invalidtoken', 'tokenrefreshrequired',
    'requesttimetooskewed', 'missingsecurityheader', 'notauthorized', 'notauthorizedexception',
    // Azure Storage / ARM
    'authenticationfailed', 'invalidauthenticationinfo', 'invalidauthenticationtoken',
    'expiredauthenticationtoken', 'authorizationfailed', 'authorizationpermissionmismatch',
    // Salesforce REST
    'invalid_session_id',
  ].map((c) => c.toLowerCase()),
);

/** Atlassian (Jira/Confluence) answers failed Basic auth with 200 and this header. */
const SERAPH_FAILURES = new Set(['authenticated_failed', 'authentication_denied', 'authorisation_failed']);

/** Only the start of a body is parsed: error documents are small, page loads are not. */
const BODY_SCAN_LIMIT = 256 * 1024;

function header(headers: readonly HeaderEntry[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === lower)?.value;
}

function isAuthCode(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  // AWS JSON protocols: "__type": "com.amazon.coral.service#UnrecognizedClientException"
  const code = value.includes('#') ? value.slice(value.lastIndexOf('#') + 1) : value;
  return AUTH_ERROR_CODES.has(code.trim().toLowerCase());
}

function jsonShowsAuthFailure(doc: unknown, depth = 0): boolean {
  if (depth > 3 || doc === null || typeof doc !== 'object') return false;
  if (Array.isArray(doc)) return doc.slice(0, 20).some((item) => jsonShowsAuthFailure(item, depth + 1));
  const o = doc as Record<string, unknown>;
  for (const key of ['error', 'error_code', 'errorCode', 'code', '__type', 'status', 'reason', 'type']) {
    if (isAuthCode(o[key])) return true;
  }
  const error = o['error'];
  if (error && typeof error === 'object') {
    const e = error as Record<string, unknown>;
    if (e['code'] === 401 || e['code'] === 403 || e['code'] === 407) return true;
    if (jsonShowsAuthFailure(error, depth + 1)) return true;
    if (Array.isArray(e['errors']) && jsonShowsAuthFailure(e['errors'], depth + 1)) return true;
    if (Array.isArray(e['details']) && jsonShowsAuthFailure(e['details'], depth + 1)) return true;
  }
  const errors = o['errors'];
  if (Array.isArray(errors)) {
    for (const item of errors.slice(0, 20)) {
      if (item && typeof item === 'object') {
        const extensions = (item as Record<string, unknown>)['extensions'];
        if (extensions && typeof extensions === 'object' && isAuthCode((extensions as Record<string, unknown>)['code'])) return true;
        if (jsonShowsAuthFailure(item, depth + 1)) return true;
      }
    }
  }
  const awsError = o['Error'];
  if (awsError && typeof awsError === 'object' && isAuthCode((awsError as Record<string, unknown>)['Code'])) return true;
  return false;
}

function bodyShowsAuthFailure(body: string): boolean {
  const text = body.slice(0, BODY_SCAN_LIMIT).trim();
  if (text === '') return false;
  if (text.startsWith('{') || text.startsWith('[')) {
    try {
      return jsonShowsAuthFailure(JSON.parse(text));
    } catch {
      return false;
    }
  }
  if (text.startsWith('<')) {
    for (const match of text.matchAll(/<Code>\s*([A-Za-z0-9_.#-]{1,100})\s*<\/Code>/g)) {
      if (isAuthCode(match[1])) return true;
    }
  }
  return false;
}

/**
 * True when the response shows an authentication or authorization failure: 401, 403, 407; a
 * `WWW-Authenticate`/`Proxy-Authenticate` challenge on an error status (a 2xx may legitimately
 * carry `WWW-Authenticate: Negotiate <token>` for mutual auth, RFC 4559 §5, so it counts there only
 * with an `error=` parameter); Atlassian's `X-Seraph-LoginReason`; or a documented error code in
 * the body (Slack's 200 `invalid_auth`, OAuth2's 400 `invalid_grant`, AWS's 400 `<Code>` …).
 */
export function looksLikeAuthFailure(response: ResponseLike): boolean {
  const { status, headers } = response;
  if (status === 401 || status === 403 || status === 407) return true;
  const challenge = header(headers, 'www-authenticate') ?? header(headers, 'proxy-authenticate');
  if (challenge !== undefined && (status >= 400 || /\berror\s*=/i.test(challenge))) return true;
  const seraph = header(headers, 'x-seraph-loginreason');
  if (seraph !== undefined && seraph.split(',').some((v) => SERAPH_FAILURES.has(v.trim().toLowerCase()))) return true;
  return response.body !== undefined && bodyShowsAuthFailure(response.body);
}
