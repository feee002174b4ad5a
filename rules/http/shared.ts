/**
 * Helpers shared by the `http` rules (and imported by the `basic` plugin): what counts as an
 * authentication failure, placeholder values, visible descriptions of damaged characters, and
 * whether a HAR exporter may have removed the credential headers.
 *
 * Nothing here prints a secret: the damage descriptions give positions and code points only.
 */
import type { RuleContext } from '../../src/core/plugin.ts';
import { tokenEndpointGrant } from '../../src/core/credential.ts';
import type { Exchange, HeaderEntry } from '../../src/core/types.ts';

// ---------------------------------------------------------------------------------------------
// Status and failure
// ---------------------------------------------------------------------------------------------

/** Words that tie a 400/404 body to authentication rather than to the request's content. */
const AUTH_WORDS =
  /\b(authenticat\w*|authori[sz]\w*|unauthori[sz]ed|forbidden|credentials?|api[-_ ]?key|access[-_ ]?token|bearer|(invalid|expired|missing|bad|revoked) (access |auth |api )?token|token (is |has )?(invalid|expired|missing|revoked|not valid)|signature|permission|access denied|log ?in required|sign[- ]?in)\b/i;

/**
 * Slack Web API error codes that concern authentication or authorisation. Slack answers HTTP 200
 * with `{"ok": false, "error": "<code>"}`; the codes and their meanings are Slack's documented
 * common errors (https://api.slack.com/web#errors, the per-method "Errors" tables, e.g.
 * https://api.slack.com/methods/auth.test).
 */
export const SLACK_AUTH_ERRORS: Record<string, { cause: 'missing_credentials' | 'invalid_credentials' | 'expired_token' | 'insufficient_permissions' | 'wrong_scheme'; meaning: string }> = {
  not_authed: { cause: 'missing_credentials', meaning: 'No authentication token provided.' },
  invalid_auth: {
    cause: 'invalid_credentials',
    meaning: 'Some aspect of authentication cannot be validated: the token is invalid, or the request comes from an IP address the workspace does not allow.',
  },
  account_inactive: { cause: 'invalid_credentials', meaning: 'The token belongs to a deleted user or workspace (bot token).' },
  token_revoked: { cause: 'invalid_credentials', meaning: 'The token belongs to a deleted user or workspace, or the app was removed (user token).' },
  token_expired: { cause: 'expired_token', meaning: 'The token has expired (apps with token rotation must refresh it every 12 hours).' },
  no_permission: { cause: 'insufficient_permissions', meaning: 'The token lacks the permissions this call needs (e.g. the app is not a member of the conversation).' },
  missing_scope: { cause: 'insufficient_permissions', meaning: 'The token was not granted the scope this method requires.' },
  not_allowed_token_type: { cause: 'wrong_scheme', meaning: 'This method does not accept this kind of token (bot, user or app-level token).' },
  not_bearer_token: { cause: 'wrong_scheme', meaning: 'An incompatible token type was provided.' },
  access_denied: { cause: 'insufficient_permissions', meaning: 'Access to a resource specified in the request is denied.' },
  ekm_access_denied: { cause: 'insufficient_permissions', meaning: 'Administrators have suspended the ability to use this method (Enterprise Key Management).' },
  team_access_not_granted: { cause: 'insufficient_permissions', meaning: 'The token has not been granted access to this workspace.' },
  two_factor_setup_required: { cause: 'insufficient_permissions', meaning: 'The user must set up two-factor authentication before this call is allowed.' },
};

/** The Slack envelope `{"ok": false, "error": "…"}` with an authentication error code, or null. */
export function slackAuthError(ctx: RuleContext<any>): { code: string; body: Record<string, unknown> } | null {
  const json = ctx.helpers.responseJson();
  if (!json || typeof json !== 'object' || Array.isArray(json)) return null;
  const body = json as Record<string, unknown>;
  if (body.ok !== false || typeof body.error !== 'string') return null;
  return body.error in SLACK_AUTH_ERRORS ? { code: body.error, body } : null;
}

/**
 * Atlassian Seraph's login outcome (X-Seraph-LoginReason), documented in the Seraph API
 * (com.atlassian.seraph.auth.LoginReason): OK, OUT, AUTHENTICATED_FAILED ("could not be
 * authenticated"), AUTHENTICATION_DENIED ("not allowed to even attempt a login", e.g. CAPTCHA after
 * failed logins), AUTHORISATION_FAILED ("could not be authorised"). Jira and Confluence Server send
 * it with a 200 when they fall back to anonymous access.
 */
export function seraphReasons(ctx: RuleContext<any>): string[] {
  return ctx.helpers
    .responseHeaders('x-seraph-loginreason')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim().toUpperCase())
    .filter(Boolean);
}

export const SERAPH_FAILURES = new Set(['AUTHENTICATED_FAILED', 'AUTHENTICATION_DENIED', 'AUTHORISATION_FAILED']);

const LOGIN_PATH = /(^|[/?#&=._-])(log-?in|sign-?in|signon|sso|saml2?|auth|authenticate|authorize|oauth2?|openid-connect|adfs|idp|cas|session\/new|sign_in|users\/sign_in)([/?#&=._-]|$)/i;
const LOGIN_HOST = /^(login\.microsoftonline\.com|login\.windows\.net|login\.live\.com|accounts\.google\.com|github\.com\/login|id\.atlassian\.com|.*\.okta\.com|.*\.auth0\.com|.*\.onelogin\.com|sso\..*|login\..*|auth\..*|signin\..*|idp\..*)$/i;

/** True when a URL looks like a sign-in page (path words such as login/signin/sso, or an IdP host). */
export function looksLikeLoginUrl(raw: string, base?: string): boolean {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return LOGIN_PATH.test(raw);
  }
  return LOGIN_PATH.test(url.pathname + url.search) || LOGIN_HOST.test(url.hostname);
}

/** An HTML body that is a sign-in form (a password input or a sign-in title). */
export function looksLikeLoginPage(body: string, mimeType: string | undefined): boolean {
  if (!/html/i.test(mimeType ?? '') && !/^\s*<(!doctype|html)/i.test(body)) return false;
  return /<input[^>]+type\s*=\s*["']?password/i.test(body) || /<title>[^<]*(sign[ -]?in|log[ -]?in|anmelden|connexion)[^<]*<\/title>/i.test(body);
}

/** RFC 6749 §5.2 / RFC 6750 §3.1 error codes in a JSON body (`{"error": "invalid_grant"}`). */
const OAUTH_ERRORS = new Set(['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope', 'access_denied', 'invalid_token', 'insufficient_scope']);

export function oauthErrorCode(ctx: RuleContext<any>): string | null {
  const json = ctx.helpers.responseJson();
  if (!json || typeof json !== 'object' || Array.isArray(json)) return null;
  const error = (json as Record<string, unknown>).error;
  return typeof error === 'string' && OAUTH_ERRORS.has(error) ? error : null;
}

export function responseMime(ctx: RuleContext<any>): string | undefined {
  return ctx.response?.mimeType ?? ctx.helpers.responseHeader('content-type');
}

/**
 * True when the exchange shows an authentication or authorisation failure: 401/403/407, a 400 or
 * 404 whose body talks about authentication, or a documented disguise (Slack's `ok:false`, a Seraph
 * failure, a redirect to a sign-in page). Rules only `fail` when this holds.
 */
export function isAuthFailure(ctx: RuleContext<any>): boolean {
  const res = ctx.response;
  if (!res) return false;
  if (res.status === 401 || res.status === 403 || res.status === 407) return true;
  if ((res.status === 400 || res.status === 404 || res.status === 419 || res.status === 440) && AUTH_WORDS.test(res.body.slice(0, 4000))) return true;
  if ((res.status === 400 || res.status === 401) && oauthErrorCode(ctx)) return true;
  if (slackAuthError(ctx)) return true;
  if (seraphReasons(ctx).some((r) => SERAPH_FAILURES.has(r))) return true;
  const location = ctx.helpers.responseHeader('location');
  if (res.status >= 300 && res.status < 400 && location && looksLikeLoginUrl(location, ctx.request.url)) return true;
  if ((res.status === 200 || res.status === 203) && looksLikeLoginPage(res.body, responseMime(ctx)) && ctx.exchange.redirects.some((h) => looksLikeLoginUrl(h.to))) return true;
  if (res.status === 203 && looksLikeLoginPage(res.body, responseMime(ctx))) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Placeholders
// ---------------------------------------------------------------------------------------------

export interface Placeholder {
  kind: 'empty' | 'literal' | 'variable' | 'template' | 'doc-placeholder' | 'masked';
  /** What the value is, in words: "the literal string \"null\"", "an unexpanded shell variable". */
  description: string;
  /** The fix in one sentence. */
  hint: string;
}

/** Programming-language "no value" literals that end up in headers when a variable is unset. */
const NO_VALUE_LITERALS = new Set(['null', 'undefined', 'none', 'nil', 'nan', '[object object]', 'object object', 'nothing', 'missing', 'n/a']);
/** Words that stand for a credential in documentation and tutorials, never a credential. */
const DOC_WORDS = new Set([
  'changeme', 'change_me', 'change-me', 'changeit', 'replaceme', 'replace_me', 'replace-me', 'placeholder', 'todo', 'tbd', 'fixme',
  'token', 'access_token', 'accesstoken', 'api_key', 'apikey', 'api-key', 'secret', 'key', 'bearer', 'xxx', 'your-token',
]);
const KEYWORD = '(?:key|token|secret|password|pass|pat|sid|credentials?|apikey|api[-_ ]?key|access[-_ ]?key|auth[-_ ]?token)';
const FILLER = '(?:your|the|a|an|own|api|access|auth|bearer|secret|private|personal|account|app|client|bot|user|oauth|real|actual|valid|stripe|github|openai|slack|service|live|test|jwt)';
const DOC_PHRASE = new RegExp(`^(?:your|my|insert|enter|paste|replace|put|add|<your)(?:[-_ .]?${FILLER})*[-_ .]?${KEYWORD}(?:[-_ .]?(?:here|value|goes[-_ .]?here))?>?$`, 'i');

/**
 * Classifies a credential value that is not a credential at all: empty, a "no value" literal, an
 * unexpanded variable or template, a documentation placeholder or a masked copy. `forPassword`
 * skips dictionary words that are (bad but) real passwords, e.g. Elasticsearch's old default
 * "changeme".
 */
export function placeholderOf(value: string, opts: { forPassword?: boolean } = {}): Placeholder | null {
  const v = value.trim();
  if (v.length === 0) {
    return { kind: 'empty', description: 'an empty value', hint: 'The variable that should hold the credential was empty: check that it is set (and exported) in the environment that sends the request.' };
  }
  const lower = v.toLowerCase();
  if (NO_VALUE_LITERALS.has(lower)) {
    return {
      kind: 'literal',
      description: `the literal string "${v}"`,
      hint: `"${v}" is what a program prints for a variable that has no value: the credential variable was unset when the request was built (a missing environment variable, a config file that was not loaded, or dotenv loaded after the client was created).`,
    };
  }
  const variable: Array<[RegExp, string]> = [
    [/^\$[A-Za-z_][A-Za-z0-9_]*$/, 'an unexpanded shell variable'],
    [/^\$\{[^}]*\}$/, 'an unexpanded ${…} variable'],
    [/^\$\([^)]*\)$/, 'an unexpanded $(…) command substitution'],
    [/^%[A-Za-z_][A-Za-z0-9_]*%$/, 'an unexpanded Windows %VARIABLE%'],
    [/^\$env:[A-Za-z_]\w*$/i, 'an unexpanded PowerShell $env: variable'],
    [/^process\.env\.[A-Za-z_]\w*$/, 'the text of a JavaScript expression (process.env…)'],
    [/^os\.environ(\.get)?[[(]/, 'the text of a Python expression (os.environ…)'],
  ];
  for (const [re, description] of variable) {
    if (re.test(v)) {
      return {
        kind: 'variable',
        description: `${description} (${v})`,
        hint: 'The variable was sent as text instead of its value: use double quotes (not single quotes) around it in the shell, make sure it is set, or let your tool expand it (Postman environments, .env files).',
      };
    }
  }
  if (/^\{\{\s*[^{}]+\s*\}\}$/.test(v)) {
    return { kind: 'template', description: `an unrendered template variable (${v})`, hint: 'The template variable was not substituted: select the environment that defines it (Postman/Insomnia) or render the template before sending.' };
  }
  // Placeholders are short; a long value is a credential (and the phrase pattern stays cheap).
  if (v.length > 80) return null;
  if (/^<[^<>]{1,60}>$/.test(v) || /^\[[A-Za-z][A-Za-z _-]{1,40}\]$/.test(v) || DOC_PHRASE.test(v)) {
    return { kind: 'doc-placeholder', description: `a documentation placeholder (${v})`, hint: 'This is the example text from the documentation: replace it with your real credential.' };
  }
  if (!opts.forPassword && DOC_WORDS.has(lower)) {
    return { kind: 'doc-placeholder', description: `a placeholder word (${v})`, hint: 'This is a stand-in word, not a credential: replace it with your real credential.' };
  }
  if (/^(?:x{3,}|X{3,})$/.test(v) || /^(?:x+[-_.])+x+$/i.test(v) || /^[A-Za-z]{1,8}[-_](?:x{6,}|X{6,})$/.test(v)) {
    return { kind: 'doc-placeholder', description: `a documentation example value (${v})`, hint: 'This is the xxx… example from the documentation: replace it with your real credential.' };
  }
  if (/^[*•●]{3,}$/.test(v)) {
    return { kind: 'masked', description: 'a masked value (only asterisks or bullets)', hint: 'This was copied from a screen that hides the secret: copy the real value (most consoles show it once, when the credential is created).' };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Character damage
// ---------------------------------------------------------------------------------------------

export interface Damage {
  kind: 'line-break' | 'control' | 'invisible' | 'no-break-space' | 'smart-quote' | 'dash' | 'ellipsis' | 'non-ascii' | 'inner-whitespace' | 'leading-whitespace' | 'trailing-whitespace' | 'wrapping-quotes';
  /** 1-based character position in the value. */
  position: number;
  /** `\n`, `U+200B ZERO WIDTH SPACE` … never the secret's own characters. */
  char: string;
}

const CHAR_NAMES: Record<number, string> = {
  0x00a0: 'NO-BREAK SPACE',
  0x00ad: 'SOFT HYPHEN',
  0x1680: 'OGHAM SPACE MARK',
  0x2000: 'EN QUAD',
  0x2002: 'EN SPACE',
  0x2003: 'EM SPACE',
  0x2007: 'FIGURE SPACE',
  0x2009: 'THIN SPACE',
  0x200a: 'HAIR SPACE',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2010: 'HYPHEN',
  0x2011: 'NON-BREAKING HYPHEN',
  0x2012: 'FIGURE DASH',
  0x2013: 'EN DASH',
  0x2014: 'EM DASH',
  0x2018: 'LEFT SINGLE QUOTATION MARK',
  0x2019: 'RIGHT SINGLE QUOTATION MARK',
  0x201c: 'LEFT DOUBLE QUOTATION MARK',
  0x201d: 'RIGHT DOUBLE QUOTATION MARK',
  0x2026: 'HORIZONTAL ELLIPSIS',
  0x202f: 'NARROW NO-BREAK SPACE',
  0x2060: 'WORD JOINER',
  0x2212: 'MINUS SIGN',
  0x3000: 'IDEOGRAPHIC SPACE',
  0xfeff: 'BYTE ORDER MARK (ZERO WIDTH NO-BREAK SPACE)',
};

export function describeCodePoint(cp: number): string {
  if (cp === 0x0a) return '\\n (line feed)';
  if (cp === 0x0d) return '\\r (carriage return)';
  if (cp === 0x09) return '\\t (tab)';
  if (cp === 0x20) return 'space';
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  const name = CHAR_NAMES[cp];
  return name ? `U+${hex} ${name}` : `U+${hex}`;
}

function classify(cp: number): Damage['kind'] | null {
  if (cp === 0x0a || cp === 0x0d) return 'line-break';
  if (cp < 0x20 || cp === 0x7f) return cp === 0x09 ? null : 'control';
  if (cp === 0x00a0 || cp === 0x202f || cp === 0x2007) return 'no-break-space';
  if (cp === 0x00ad || (cp >= 0x200b && cp <= 0x200f) || cp === 0x2060 || cp === 0xfeff) return 'invisible';
  if (cp === 0x2018 || cp === 0x2019 || cp === 0x201c || cp === 0x201d) return 'smart-quote';
  if (cp >= 0x2010 && cp <= 0x2015) return 'dash';
  if (cp === 0x2212) return 'dash';
  if (cp === 0x2026) return 'ellipsis';
  if ((cp >= 0x2000 && cp <= 0x200a) || cp === 0x3000 || cp === 0x1680) return 'invisible';
  if (cp > 0x7e) return 'non-ascii';
  return null;
}

/**
 * Finds characters that do not belong in a credential: line breaks and control characters,
 * invisible and non-ASCII characters (smart quotes, en/em dashes, no-break spaces), whitespace
 * inside, at either end, and wrapping quotes. `allowInnerSpace` is for values whose syntax has
 * spaces (auth-params such as SigV4's).
 */
export function findDamage(value: string, opts: { allowInnerSpace?: boolean } = {}): Damage[] {
  const out: Damage[] = [];
  const chars = [...value];
  const firstNonWs = chars.findIndex((c) => c !== ' ' && c !== '\t');
  let lastNonWs = -1;
  for (let i = chars.length - 1; i >= 0; i--) {
    if (chars[i] !== ' ' && chars[i] !== '\t') {
      lastNonWs = i;
      break;
    }
  }
  chars.forEach((c, i) => {
    const cp = c.codePointAt(0)!;
    const kind = classify(cp);
    if (kind) {
      out.push({ kind, position: i + 1, char: describeCodePoint(cp) });
      return;
    }
    if (c === ' ' || c === '\t') {
      if (firstNonWs < 0 || i < firstNonWs) out.push({ kind: 'leading-whitespace', position: i + 1, char: describeCodePoint(cp) });
      else if (i > lastNonWs) out.push({ kind: 'trailing-whitespace', position: i + 1, char: describeCodePoint(cp) });
      else if (!opts.allowInnerSpace) out.push({ kind: 'inner-whitespace', position: i + 1, char: describeCodePoint(cp) });
    }
  });
  const trimmed = value.trim();
  if (trimmed.length >= 2) {
    const a = trimmed[0]!;
    const b = trimmed[trimmed.length - 1]!;
    if ((a === '"' && b === '"') || (a === "'" && b === "'") || (a === '`' && b === '`')) {
      out.push({ kind: 'wrapping-quotes', position: value.indexOf(a) + 1, char: `${a}…${b}` });
    }
  }
  return out;
}

/** A short, secret-free rendering of the damage: `\n (line feed) at position 41`. */
export function damageSummary(damage: readonly Damage[], max = 4): string {
  const parts = damage.slice(0, max).map((d) => `${d.char} at position ${d.position}`);
  if (damage.length > max) parts.push(`and ${damage.length - max} more`);
  return parts.join(', ');
}

// ---------------------------------------------------------------------------------------------
// Captures and credentials
// ---------------------------------------------------------------------------------------------

const CREDENTIAL_HEADER_NAMES = /^(authorization|cookie|x-api-key|api-key|proxy-authorization)$/i;
/** Browser devtools as HAR creators: Chrome/Edge ("WebInspector"), Safari ("WebKit Web Inspector"), Firefox. */
const BROWSER_CREATOR = /\b(webinspector|web inspector|firefox|chrome|edge|safari)\b/i;

/**
 * True when the capture tool may have removed the credential headers: the HAR names sanitized
 * headers, or it comes from browser devtools and the request carries neither Authorization nor a
 * Cookie (current Chrome DevTools export "sanitized" HARs by default, without Authorization,
 * Cookie and Set-Cookie).
 */
export function credentialsMayBeRedacted(exchange: Exchange): boolean {
  const capture = exchange.capture;
  if (!capture) return false;
  if (capture.sanitizedHeaders.some((h) => CREDENTIAL_HEADER_NAMES.test(h))) return true;
  if (capture.creator && BROWSER_CREATOR.test(capture.creator)) {
    return !exchange.request.headers.some((h) => /^(authorization|cookie)$/i.test(h.name));
  }
  return false;
}

export function hasCookie(headers: readonly HeaderEntry[]): boolean {
  return headers.some((h) => h.name.toLowerCase() === 'cookie' && h.value.trim().length > 0);
}

const TOKEN_PATH = /\/(oauth2?\/(v\d(\.\d)?\/)?token|openid-connect\/token|connect\/token|token)\/?$/i;

/**
 * True for an OAuth2 token-endpoint call: a grant_type in the body, or a POST to a path that ends
 * in /token (…/oauth2/token, …/openid-connect/token, …/v1/token) when the capture has no body.
 * Its credentials travel in the body, which HAR exports often omit.
 */
export function looksLikeTokenEndpoint(request: { method: string; url: string; body?: string | undefined }): boolean {
  if (tokenEndpointGrant(request)) return true;
  if (request.method.toUpperCase() !== 'POST' || request.body) return false;
  try {
    return TOKEN_PATH.test(new URL(request.url).pathname);
  } catch {
    return false;
  }
}

/** A request whose body may hold credentials but was not captured (HAR without postData). */
export function bodyNotCaptured(exchange: Exchange): boolean {
  const m = exchange.request.method.toUpperCase();
  return exchange.mode === 'offline' && (m === 'POST' || m === 'PUT' || m === 'PATCH') && exchange.request.body === undefined;
}

export const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

/** Scheme names registered with IANA (plus SigV4's) whose presence in a challenge we understand. */
export const KNOWN_SCHEMES = new Set(['basic', 'bearer', 'digest', 'negotiate', 'ntlm', 'hoba', 'mutual', 'scram-sha-1', 'scram-sha-256', 'vapid', 'dpop', 'aws4-hmac-sha256', 'privatetoken', 'concealed']);

export function hostOf(raw: string): string {
  try {
    return new URL(raw).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/** A URL with its userinfo masked (proxy URLs often carry a password). */
export function maskUrlUserinfo(raw: string, mask: (v: string) => string): string {
  try {
    const url = new URL(raw);
    if (!url.username && !url.password) return raw;
    const user = decodeURIComponent(url.username);
    const shown = `${url.protocol}//${user ? `${user.length > 24 ? mask(user) : user}` : ''}${url.password ? `:${mask(decodeURIComponent(url.password))}` : ''}@${url.host}${url.pathname === '/' ? '' : url.pathname}`;
    return shown;
  } catch {
    return mask(raw);
  }
}

/** How to send credentials of a scheme with curl, for fix texts. */
export function curlHowTo(scheme: string): string {
  switch (scheme.toLowerCase()) {
    case 'basic':
      return "curl -u 'USER:PASSWORD' URL (curl builds the Basic header itself)";
    case 'bearer':
      return 'curl -H "Authorization: Bearer $TOKEN" URL';
    case 'digest':
      return "curl --digest -u 'USER:PASSWORD' URL";
    case 'negotiate':
      return 'kinit USER@REALM, then curl --negotiate -u : URL';
    case 'ntlm':
      return "curl --ntlm -u 'DOMAIN\\USER:PASSWORD' URL";
    case 'dpop':
      return 'send the token as "Authorization: DPoP <token>" together with a fresh "DPoP: <proof JWT>" header (RFC 9449)';
    case 'aws4-hmac-sha256':
      return "curl --aws-sigv4 'aws:amz:REGION:SERVICE' --user \"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY\" URL";
    default:
      return `the "${scheme}" scheme as the API's documentation describes it`;
  }
}
