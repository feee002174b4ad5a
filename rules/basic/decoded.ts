/**
 * What is inside a Basic credential once decoded (and inside URL user info):
 * - a user or password that is not a credential: `undefined`, `null`, `None`, `${PASSWORD}`,
 *   `<username>`… — the client serialised an unset variable (`missing_credentials`);
 * - both parts empty, or a password that is empty for a user that is not an API key;
 * - no ":" at all (RFC 7617 §2 requires "user-id:password");
 * - a line break inside, typically at the end: `echo "user:pass" | base64` encodes echo's newline
 *   (fix: `printf '%s'` or `curl -u`);
 * - spaces at either end, invisible characters;
 * - percent-encoding that was never decoded ("%40" for "@"): credentials taken from a URL's user
 *   info and encoded as they were.
 */
import { defineRule } from '../../src/plugins/define.ts';
import type { FindingInput, RuleContext } from '../../src/core/plugin.ts';
import { findDamage, isAuthFailure, placeholderOf, type Placeholder } from '../http/shared.ts';
import { hostOf, looksLikeKey, looseBasic } from './decode.ts';

const USER_PLACEHOLDER = /^(?:your|my|<your|<)[-_ .]?(?:user[-_ ]?name|user|email|e-mail|login|account(?:[-_ ]?(?:id|sid))?)>?$/i;
const ECHO_FIX = "Encode without echo's newline: `printf '%s' 'USER:PASSWORD' | base64`, or let the client do it: `curl -u 'USER:PASSWORD' URL`. In code, trim values read from files.";

function userPlaceholder(user: string): Placeholder | null {
  const p = placeholderOf(user, { forPassword: true });
  if (p) return p;
  if (USER_PLACEHOLDER.test(user.trim())) return { kind: 'doc-placeholder', description: `a documentation placeholder (${user.trim()})`, hint: 'Replace the example user name with the real one.' };
  return null;
}

interface Parts {
  source: 'header' | 'userinfo';
  user: string;
  password: string;
  hasColon: boolean;
}

function partsOf(ctx: RuleContext<any>): Parts[] {
  const out: Parts[] = [];
  const header = looseBasic(ctx);
  if (header && !placeholderOf(header.raw) && !header.utf16) out.push({ source: 'header', user: header.user, password: header.password, hasColon: header.hasColon });
  const userinfo = ctx.helpers.credentials().find((c) => c.location === 'userinfo');
  if (userinfo) {
    try {
      const url = new URL(ctx.request.url);
      out.push({ source: 'userinfo', user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), hasColon: true });
    } catch {
      // malformed percent-encoding in the URL: nothing reliable to say
    }
  }
  return out;
}

function where(p: Parts): string {
  return p.source === 'header' ? 'the Basic credential' : 'the URL user info';
}

export default defineRule({
  meta: {
    id: 'decoded',
    title: 'Basic user and password look right',
    description: 'Placeholders, empty parts, a missing colon, echo newlines, whitespace and undecoded percent-encoding inside a Basic credential or URL user info.',
    causes: ['missing_credentials', 'malformed_credentials'],
  },
  appliesTo: (ctx) => ctx.helpers.credentials().some((c) => c.scheme === 'basic'),
  check(ctx) {
    const failure = isAuthFailure(ctx);
    const status = failure ? ('fail' as const) : ('warn' as const);
    const out: FindingInput[] = [];
    for (const p of partsOf(ctx)) {
      const userP = p.user.length > 0 ? userPlaceholder(p.user) : null;
      const passP = p.password.length > 0 ? placeholderOf(p.password, { forPassword: true }) : null;
      if (userP || passP) {
        const what = [userP ? `the user name is ${userP.description}` : null, passP ? `the password is ${passP.description}` : null].filter(Boolean).join(' and ');
        out.push({
          status,
          cause: 'missing_credentials',
          confidence: 'likely',
          messageId: 'placeholder-part',
          title: 'Placeholder inside the Basic credential',
          message: `In ${where(p)}, ${what}: the client built the credential from ${userP && passP ? 'variables that had' : 'a variable that had'} no value.`,
          evidence: { source: p.source, ...(userP ? { user: p.user.trim() } : {}), ...(passP ? { password: p.password.trim() } : { password: p.password ? ctx.mask(p.password) : '' }) },
          fixes: [...new Set([userP?.hint, passP?.hint].filter((h): h is string => Boolean(h))), 'Check the configuration path your client reads the user and password from (some clients only take them from the URL or from an `auth` option).'],
        });
        continue;
      }
      if (p.source === 'header' && !p.hasColon) {
        out.push({
          status,
          cause: 'malformed_credentials',
          confidence: 'likely',
          messageId: 'no-colon',
          title: 'No ":" in the Basic credential',
          message: `The decoded Basic credential has no ":" (${[...p.user].length} characters): RFC 7617 needs "user:password", so the server cannot split it — often a token encoded alone.`,
          evidence: { decoded: ctx.mask(p.user) },
          fixes: ['Encode "user:password". For an API key used as the user name keep the colon: `printf \'%s\' "$API_KEY:" | base64`, or `curl -u "$API_KEY:"`; for a token used as the password (Azure DevOps) put the colon first: `curl -u ":$PAT"`.'],
        });
        continue;
      }
      if (p.user.length === 0 && p.password.length === 0) {
        out.push({
          status,
          cause: 'missing_credentials',
          confidence: 'likely',
          messageId: 'empty-parts',
          title: 'Empty user and password',
          message: `${where(p).charAt(0).toUpperCase() + where(p).slice(1)} decodes to ":" — both the user name and the password are empty.`,
          evidence: { source: p.source },
          fixes: ['Set the variables that hold the user name and password (and export them), or pass them with `curl -u USER:PASSWORD`.'],
        });
        continue;
      }
      for (const [part, value] of [['user name', p.user], ['password', p.password]] as const) {
        const damage = findDamage(value, { allowInnerSpace: true }).filter((d) => d.kind !== 'non-ascii' && d.kind !== 'wrapping-quotes');
        const breaks = damage.filter((d) => d.kind === 'line-break');
        if (breaks.length > 0) {
          const atEnd = /[\r\n]$/.test(value);
          out.push({
            status,
            cause: 'malformed_credentials',
            confidence: 'likely',
            messageId: 'newline-inside',
            title: 'Line break inside the Basic credential',
            message: `The ${part} in ${where(p)} ${atEnd ? 'ends with' : 'contains'} ${breaks.map((d) => `${d.char} (position ${d.position})`).join(', ')}: the classic \`echo "user:pass" | base64\` mistake (echo adds a newline), or a value read from a file.`,
            evidence: { part, damage: breaks.map((d) => `${d.char} at position ${d.position} of the ${part}`) },
            fixes: [ECHO_FIX],
          });
          continue;
        }
        const edges = damage.filter((d) => d.kind === 'leading-whitespace' || d.kind === 'trailing-whitespace');
        const invisible = damage.filter((d) => d.kind === 'invisible' || d.kind === 'control' || d.kind === 'no-break-space');
        if (edges.length > 0 || invisible.length > 0) {
          const all = [...edges, ...invisible].sort((a, b) => a.position - b.position);
          out.push({
            status,
            cause: 'malformed_credentials',
            confidence: invisible.length > 0 || part === 'user name' ? 'likely' : 'possible',
            messageId: 'whitespace-inside',
            title: 'Stray characters in the user name or password',
            message: `The ${part} in ${where(p)} has ${all.map((d) => `${d.char} at position ${d.position}`).join(', ')}; the server compares it exactly.`,
            evidence: { part, damage: all.map((d) => `${d.char} at position ${d.position} of the ${part}`) },
            fixes: ['Trim the value where it is read, or copy it again from a plain-text source.'],
          });
        }
      }
      if (p.source === 'header') {
        const encoded = [['user name', p.user], ['password', p.password]].filter(([, v]) => /%[0-9A-Fa-f]{2}/.test(v!));
        for (const [part, value] of encoded) {
          const seq = /%[0-9A-Fa-f]{2}/.exec(value!)![0];
          const char = String.fromCharCode(Number.parseInt(seq.slice(1), 16));
          const reserved = /[@:/?#[\]%\s!$&'()*+,;=]/.test(char);
          out.push({
            status,
            cause: 'malformed_credentials',
            confidence: reserved ? 'likely' : 'possible',
            messageId: 'percent-encoded',
            title: 'URL-encoded user name or password',
            message: `The ${part} contains "${seq}", URL encoding of "${char}" that was never decoded: the server compares the literal text "${seq}". This happens when credentials are taken from a URL (user:p%40ss@host) and encoded as they are.`,
            evidence: { part, sequence: seq, stands: char },
            fixes: ['Decode the user and password (decodeURIComponent / urllib.parse.unquote) before building the Basic header, or pass them unencoded with `curl -u`.'],
          });
        }
      }
      if (p.password.length === 0 && p.user.length > 0 && !looksLikeKey(p.user) && failure) {
        out.push({
          status: 'fail',
          cause: 'missing_credentials',
          confidence: 'possible',
          messageId: 'empty-password',
          title: 'Empty password',
          message: `The password in ${where(p)} is empty. Unless this API takes a key as the user name with no password, the variable that should hold the password was empty.`,
          evidence: { source: p.source, user: p.user.length > 24 ? ctx.mask(p.user) : p.user },
          fixes: ['Set the password variable (and export it), or pass it: `curl -u "USER:$PASSWORD"`.'],
        });
      }
      if (p.user.length === 0 && p.password.length > 0 && failure && !/(^|\.)(dev\.azure\.com|visualstudio\.com)$/.test(hostOf(ctx.request.url))) {
        out.push({
          status: 'warn',
          cause: null,
          messageId: 'empty-user',
          title: 'Empty user name',
          message: `The user name in ${where(p)} is empty (":password"). Some APIs expect exactly that for tokens (Azure DevOps PATs); most need a user name.`,
          evidence: { source: p.source },
          fixes: ['Check the API documentation for what goes in the user name (an account name, an email, an account SID, or the key itself).'],
        });
      }
    }
    return out;
  },
});
