/**
 * Hygiene of whatever carries the credential (seed step 1: "no leading or trailing spaces,
 * incorrect characters, or truncation"; step 3: "the authentication header is formatted correctly"):
 * - characters that do not belong in a credential: CR/LF (the `echo` newline), control characters,
 *   invisible and non-ASCII ones (U+200B, U+00A0, BOM, smart quotes, en/em dashes, "…"), spaces
 *   inside a token, quotes around it, "..." left by a shortened display;
 * - the scheme word: doubled (`Bearer Bearer …`, the client adds it and so did you), missing (a JWT
 *   or key alone in Authorization), glued to the token or followed by a colon, unusual casing
 *   (`bearer`: valid per RFC 9110 §11.1, which makes schemes case-insensitive, but some servers
 *   compare exactly — a warning);
 * - the same credential header sent twice, or two credentials folded into one line;
 * - misspelled header names (`Authorisation`, `Authorizaton`, `Authentication`), names with spaces
 *   or a colon, and underscores: nginx drops such headers by default (`underscores_in_headers off`
 *   marks them invalid and `ignore_invalid_headers on` discards them —
 *   https://nginx.org/en/docs/http/ngx_http_core_module.html#underscores_in_headers), as do many
 *   proxies and load balancers that follow the CGI convention.
 * Spaces at either end of a header value are only a warning: RFC 9110 §5.5 strips them.
 * Evidence shows positions and code points, never the secret.
 */
import { defineRule } from '../../src/plugins/define.ts';
import type { FindingInput, RuleContext } from '../../src/core/plugin.ts';
import type { CredentialCarrier } from '../../src/core/credential.ts';
import { offeredSchemes } from '../../src/core/challenge.ts';
import { JWT_SHAPE, damageSummary, describeCodePoint, findDamage, isAuthFailure, placeholderOf, type Damage } from './shared.ts';

const DAMAGING: ReadonlySet<Damage['kind']> = new Set(['line-break', 'control', 'invisible', 'no-break-space', 'smart-quote', 'dash', 'ellipsis', 'non-ascii', 'inner-whitespace', 'wrapping-quotes']);

const FIX_BY_KIND: Partial<Record<Damage['kind'], string>> = {
  'line-break':
    "Strip the line break: it comes from a file read as-is or from `echo` without -n. Use `TOKEN=$(tr -d '\\r\\n' < token.txt)` or `printf '%s' \"$TOKEN\"` in the shell, or `.trim()` / `.strip()` in code.",
  control: 'Remove the control characters: copy the credential again from a plain-text source.',
  invisible:
    "Remove the invisible characters (zero-width spaces, BOM): they come from copying out of a web page, chat or document. Copy the credential again from the provider's console, or check with `printf '%s' \"$TOKEN\" | od -c | head`.",
  'no-break-space': 'Replace the no-break space: it looks like a space but is a different character (copied from a web page or document); credentials contain no spaces at all.',
  'smart-quote': 'Replace the typographic quotes (“ ” ‘ ’): an editor or chat tool converted straight quotes. Copy the value from a plain-text source.',
  dash: 'Replace the typographic dash (– — −) with a plain hyphen "-": an editor or chat tool converted it when the value was pasted.',
  ellipsis: 'The value was copied from a display that shortens it ("…"): copy the full value from the provider.',
  'non-ascii': 'Credentials are plain ASCII: the non-ASCII characters were introduced by copying. Copy the value again from the provider.',
  'inner-whitespace': 'Remove the spaces inside the token: it was wrapped or split when copied (or a variable expanded to several words).',
  'leading-whitespace': 'Trim the value where it is read (`.trim()`, `| xargs`): in a query string the spaces are part of the value.',
  'trailing-whitespace': 'Trim the value where it is read (`.trim()`, `| xargs`): in a query string the spaces are part of the value.',
  'wrapping-quotes':
    'Remove the quotes around the value: they became part of it (quotes inside a .env or Docker --env-file are kept literally, and so are quotes inside quotes in the shell).',
};

/** Credential-ish header names that must not contain underscores to survive nginx and proxies. */
const UNDERSCORE_CREDENTIAL = /(api_?key|apikey|auth|token|secret|access_key|authorization)/i;
/** Other words used for the header: a few APIs really define such headers, so only "possible". */
const SUBSTITUTED_NAMES = new Set(['authentication', 'authorize', 'auth', 'bearer', 'authorization-bearer']);
/** Schemes whose credential is one token without spaces. Basic's base64 layout is the basic plugin's. */
const TOKEN_SCHEMES = new Set(['bearer', 'api-key', 'none']);

/** Damerau–Levenshtein (optimal string alignment) distance, small strings only. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** 'misspelled' (Authorisation, Authorizaton), 'substituted' (Authentication, Auth) or null. */
function looksLikeAuthorization(name: string): 'misspelled' | 'substituted' | null {
  const n = name.trim().toLowerCase().replace(/:$/, '');
  if (n === 'authorization' || n === 'proxy-authorization' || n === 'authorization-token') return null;
  if (SUBSTITUTED_NAMES.has(n)) return 'substituted';
  return n.length >= 10 && n.length <= 16 && n.startsWith('a') && editDistance(n, 'authorization') <= 2 ? 'misspelled' : null;
}

interface Problem {
  messageId: string;
  title: string;
  message: string;
  evidence: Record<string, unknown>;
  fixes: string[];
  /** Damaging problems fail on an auth failure; cosmetic ones only warn. */
  severity: 'damaging' | 'cosmetic';
  cause: 'malformed_credentials' | 'missing_credentials';
  confidence: 'likely' | 'possible';
}

function carrierLabel(c: CredentialCarrier): string {
  return c.location === 'header' ? `the ${c.name} header` : c.location === 'query' ? `the query parameter ${c.name}` : 'the URL user info';
}

function valueProblems(ctx: RuleContext<any>, c: CredentialCarrier, skipInnerWhitespace: boolean): Problem[] {
  const out: Problem[] = [];
  const label = carrierLabel(c);
  const masked = c.credential ? ctx.mask(c.credential) : '';
  const tokenLike = TOKEN_SCHEMES.has(c.scheme);
  // Whole value with spaces allowed (scheme separator, auth-params); inner spaces of a token below.
  const damage = findDamage(c.value, { allowInnerSpace: true })
    .filter((d) => c.location !== 'header' || (d.kind !== 'leading-whitespace' && d.kind !== 'trailing-whitespace'))
    // Line breaks inside a Basic credential are wrapped base64: the basic plugin explains them.
    .filter((d) => !(c.scheme === 'basic' && d.kind === 'line-break'));
  if (tokenLike && c.credential) {
    // A doubled scheme word ("Bearer Bearer x") is reported by schemeProblems, not as a space.
    const token = c.credential.replace(/^(\s*(bearer|basic|token)\s+)+/i, '');
    const start = c.value.lastIndexOf(token);
    const inner = token.trim();
    const innerStart = start + token.indexOf(inner);
    [...inner].forEach((ch, i) => {
      if (!skipInnerWhitespace && (ch === ' ' || ch === '\t')) damage.push({ kind: 'inner-whitespace', position: innerStart + i + 1, char: describeCodePoint(ch.codePointAt(0)!) });
    });
    if (inner.length >= 2 && /^(["'`]).*\1$/s.test(inner) && !damage.some((d) => d.kind === 'wrapping-quotes')) {
      damage.push({ kind: 'wrapping-quotes', position: innerStart + 1, char: `${inner[0]}…${inner[0]}` });
    }
    if (/\.\.\./.test(inner)) damage.push({ kind: 'ellipsis', position: innerStart + inner.indexOf('...') + 1, char: '"..." (three dots)' });
  }
  // HTTP strips spaces at the ends of a header value, not of a query parameter.
  const damaging = damage
    .filter((d) => DAMAGING.has(d.kind) || (c.location === 'query' && (d.kind === 'leading-whitespace' || d.kind === 'trailing-whitespace')))
    .sort((a, b) => a.position - b.position);
  if (damaging.length > 0) {
    const kinds = [...new Set(damaging.map((d) => d.kind))];
    out.push({
      messageId: kinds.includes('line-break') ? 'line-break' : kinds.includes('wrapping-quotes') ? 'quoted' : kinds.every((k) => k === 'inner-whitespace') ? 'inner-whitespace' : 'bad-characters',
      title: 'Damaged characters in the credential',
      message: `${cap(label)} contains characters that do not belong in a credential: ${damageSummary(damaging)} (positions count from the start of the ${c.location === 'header' ? 'header value' : 'parameter value'}). The server compares the value byte for byte, so it sees a different credential.`,
      evidence: { carrier: `${c.location}:${c.name}`, credential: masked, length: [...c.value].length, damage: damaging.map((d) => `${d.char} at position ${d.position}`) },
      fixes: [...new Set(kinds.map((k) => FIX_BY_KIND[k]).filter((f): f is string => Boolean(f)))],
      severity: 'damaging',
      cause: 'malformed_credentials',
      confidence: 'likely',
    });
  }
  if (c.location === 'header') {
    const ends = findDamage(c.value).filter((d) => d.kind === 'leading-whitespace' || d.kind === 'trailing-whitespace');
    if (ends.length > 0) {
      out.push({
        messageId: 'edge-whitespace',
        title: 'Whitespace around the header value',
        message: `${cap(label)} has whitespace at its ${[...new Set(ends.map((d) => (d.kind === 'leading-whitespace' ? 'start' : 'end')))].join(' and ')}. HTTP strips it (RFC 9110 §5.5), so most servers never see it — but it shows the value was copied or read with whitespace, which does break it wherever it is not stripped (query strings, signatures, Basic encoding).`,
        evidence: { carrier: `${c.location}:${c.name}`, damage: ends.map((d) => `${d.char} at position ${d.position}`) },
        fixes: ['Trim the value where it is read (`.trim()`, `| xargs`, or `tr -d " \\t\\r\\n"`).'],
        severity: 'cosmetic',
        cause: 'malformed_credentials',
        confidence: 'possible',
      });
    }
  }
  return out;
}

function schemeProblems(ctx: RuleContext<any>, c: CredentialCarrier): Problem[] {
  if (c.location !== 'header' || c.name.toLowerCase() !== 'authorization') return [];
  const out: Problem[] = [];
  const value = c.value.trim();
  const masked = c.credential ? ctx.mask(c.credential.replace(/^(\s*(bearer|basic|token)\s+)+/i, '')) : '';
  const doubled = /^(bearer|basic|token|digest|negotiate)(\s+)/i.exec(c.credential);
  if (c.schemeWord && doubled) {
    out.push({
      messageId: 'doubled-scheme',
      title: 'Scheme word sent twice',
      message: `The Authorization header reads "${c.schemeWord} ${doubled[1]} …": the scheme word is doubled, so the server takes "${doubled[1]}" for the start of the credential and cannot parse it.`,
      evidence: { header: `${c.schemeWord} ${doubled[1]} ${masked}` },
      fixes: [
        `Send "${c.schemeWord} <credential>" once. The usual cause: a client library adds "${c.schemeWord} " itself and the value you gave it already had it — pass the bare token/credential to the library.`,
      ],
      severity: 'damaging',
      cause: 'malformed_credentials',
      confidence: 'likely',
    });
  }
  const glued = /^(bearer|basic)(:?)(?=[A-Za-z0-9_\-.~+/]{8,})/i.exec(value);
  const colon = /^(bearer|basic|token)\s*:\s*/i.exec(value);
  const headerLine = /^(authorization)\s*:/i.exec(value);
  if (!c.schemeWord && headerLine) {
    out.push({
      messageId: 'header-name-in-value',
      title: 'Header name inside the value',
      message: 'The Authorization header value itself starts with "Authorization:": the whole header line was pasted as the value.',
      evidence: { header: 'Authorization: Authorization: …' },
      fixes: ['Set the header value to "<scheme> <credential>" only, e.g. `-H "Authorization: Bearer $TOKEN"`.'],
      severity: 'damaging',
      cause: 'malformed_credentials',
      confidence: 'likely',
    });
  } else if (!c.schemeWord && colon) {
    out.push({
      messageId: 'scheme-colon',
      title: 'Colon after the scheme word',
      message: `The Authorization header reads "${colon[1]}: …": there is no colon between the scheme and the credential, so the server does not recognise the scheme.`,
      evidence: { header: `${colon[1]}: …` },
      fixes: [`Send "${colon[1]} <credential>" with a single space and no colon.`],
      severity: 'damaging',
      cause: 'malformed_credentials',
      confidence: 'likely',
    });
  } else if (!c.schemeWord && glued) {
    out.push({
      messageId: 'scheme-glued',
      title: 'No space after the scheme word',
      message: `The Authorization header starts with "${glued[1]}" directly followed by the credential, without the space the syntax requires ("${glued[1]} <credential>").`,
      evidence: { header: `${glued[1]}${ctx.mask(value.slice(glued[0].length))}` },
      fixes: [`Insert one space: "${glued[1]} <credential>" (string concatenation such as 'Bearer' + token loses it).`],
      severity: 'damaging',
      cause: 'malformed_credentials',
      confidence: 'likely',
    });
  } else if (!c.schemeWord && value) {
    const offered = offeredSchemes(ctx.challenges);
    const jwt = JWT_SHAPE.test(value);
    const bearerAsked = offered.includes('bearer');
    if ((jwt || (bearerAsked && offered.length === 1)) && !placeholderOf(value)) {
      out.push({
        messageId: 'missing-scheme',
        title: 'Scheme word missing',
        message: jwt
          ? 'The Authorization header holds a JWT without the "Bearer " prefix: RFC 6750 requires "Authorization: Bearer <token>", and most servers reject a bare token.'
          : 'The Authorization header holds a bare value without a scheme word, and the server asks for Bearer.',
        evidence: { header: ctx.mask(value), ...(offered.length ? { offeredSchemes: offered } : {}) },
        fixes: ['Send "Authorization: Bearer <token>" (`curl -H "Authorization: Bearer $TOKEN"` or `--oauth2-bearer "$TOKEN"`).'],
        severity: 'damaging',
        cause: 'malformed_credentials',
        confidence: 'likely',
      });
    }
  }
  if (c.schemeWord && (c.scheme === 'bearer' || c.scheme === 'basic')) {
    const canonical = c.scheme === 'bearer' ? 'Bearer' : 'Basic';
    if (c.schemeWord !== canonical) {
      out.push({
        messageId: 'scheme-case',
        title: 'Unusual scheme casing',
        message: `The scheme is written "${c.schemeWord}". Scheme names are case-insensitive (RFC 9110 §11.1), but some servers and gateways compare "${canonical}" exactly.`,
        evidence: { scheme: c.schemeWord, expected: canonical },
        fixes: [`Write it as "${canonical}" to rule this out.`],
        severity: 'cosmetic',
        cause: 'malformed_credentials',
        confidence: 'possible',
      });
    }
    const sep = c.value.replace(/^[\s\u00a0\u200b\ufeff]+/, '').slice(c.schemeWord.length);
    const spaces = /^[ \t]+/.exec(sep)?.[0] ?? '';
    if (spaces.length > 1 && c.credential) {
      out.push({
        messageId: 'scheme-separator',
        title: 'Several spaces after the scheme',
        message: `There are ${spaces.length} whitespace characters between "${c.schemeWord}" and the credential; many servers split on a single space and then read an empty credential.`,
        evidence: { separator: [...spaces].map((s) => describeCodePoint(s.codePointAt(0)!)).join(', ') },
        fixes: [`Use exactly one space: "${c.schemeWord} <credential>".`],
        severity: 'damaging',
        cause: 'malformed_credentials',
        confidence: 'possible',
      });
    }
    const folded = /,\s*(bearer|basic)\s+/i.exec(c.credential);
    if (folded) {
      out.push({
        messageId: 'folded-credentials',
        title: 'Two credentials in one header',
        message: `The Authorization header contains a second "${folded[1]}" credential after a comma: two values were joined into one line (a client or proxy merged two Authorization headers).`,
        evidence: { header: 'Authorization: … , ' + folded[1] + ' …' },
        fixes: ['Send exactly one Authorization header with one credential; find where the second one is added (default headers of an HTTP client plus a per-request header, or a proxy).'],
        severity: 'damaging',
        cause: 'malformed_credentials',
        confidence: 'likely',
      });
    }
  }
  return out;
}

function requestProblems(ctx: RuleContext<any>, carriers: readonly CredentialCarrier[]): Problem[] {
  const out: Problem[] = [];
  const headers = ctx.request.headers;
  // The same credential header more than once.
  const counts = new Map<string, number>();
  for (const c of carriers) if (c.location === 'header') counts.set(c.name.toLowerCase(), (counts.get(c.name.toLowerCase()) ?? 0) + 1);
  for (const [name, count] of counts) {
    if (count < 2) continue;
    const values = carriers.filter((c) => c.location === 'header' && c.name.toLowerCase() === name).map((c) => c.value);
    const same = values.every((v) => v === values[0]);
    out.push({
      messageId: 'duplicate-header',
      title: 'Credential header sent twice',
      message: `The ${name} header was sent ${count} times${same ? ' with the same value' : ' with different values'}. Servers take the first, the last, or join them with a comma — and then reject the result.`,
      evidence: { header: name, count, sameValue: same },
      fixes: ['Send the header once: look for a default header on the HTTP client (or an interceptor) plus the same header on the request, or a `-H` given twice.'],
      severity: 'damaging',
      cause: 'malformed_credentials',
      confidence: 'likely',
    });
  }
  const hasAuthorization = headers.some((h) => h.name.toLowerCase() === 'authorization');
  const usable = carriers.filter((c) => !placeholderOf(c.credential) && !c.name.includes('_'));
  for (const h of headers) {
    const name = h.name;
    const broken = name !== name.trim() || name.endsWith(':') || /\s/.test(name.trim());
    const lookalike = looksLikeAuthorization(name);
    if (lookalike) {
      const alone = !hasAuthorization && usable.length === 0;
      out.push({
        messageId: 'misspelled-header',
        title: 'Misspelled credential header',
        message: `The request has a "${name}" header${alone ? ' and no Authorization header' : ''}: servers only read credentials from "Authorization", so this one is ignored.`,
        evidence: { header: name, expected: 'Authorization' },
        fixes: [`Rename the header to "Authorization" (\`-H "Authorization: ${/^bearer\b/i.test(h.value) ? 'Bearer $TOKEN' : '<scheme> <credential>'}"\`).`],
        severity: alone ? 'damaging' : 'cosmetic',
        cause: alone ? 'missing_credentials' : 'malformed_credentials',
        confidence: lookalike === 'misspelled' ? 'likely' : 'possible',
      });
      continue;
    }
    if (broken && (UNDERSCORE_CREDENTIAL.test(name) || /key|token/i.test(name))) {
      out.push({
        messageId: 'broken-header-name',
        title: 'Header name with spaces or a colon',
        message: `The header name "${JSON.stringify(name).slice(1, -1)}" contains whitespace or a colon: it is not a valid field name (RFC 9110 §5.1), so it is rejected or never matched by the server.`,
        evidence: { header: JSON.stringify(name) },
        fixes: [`Use the exact name "${name.trim().replace(/:$/, '')}" without spaces or colon (in curl: \`-H "${name.trim().replace(/:$/, '')}: value"\`).`],
        severity: 'damaging',
        cause: 'missing_credentials',
        confidence: 'likely',
      });
      continue;
    }
    if (name.includes('_') && UNDERSCORE_CREDENTIAL.test(name)) {
      const alone = usable.length === 0;
      const nginx = /nginx|openresty|tengine/i.test(`${ctx.helpers.responseHeader('server') ?? ''} ${ctx.helpers.responseHeader('via') ?? ''}`);
      out.push({
        messageId: 'underscore-header',
        title: 'Underscore in a credential header name',
        message: `The header "${name}" has an underscore. nginx drops such headers by default (underscores_in_headers off, ignore_invalid_headers on), and so do many proxies and load balancers${nginx ? ' — and this server identifies itself as nginx' : ''}, so the API may never see it.`,
        evidence: { header: name, suggested: name.replace(/_/g, '-'), ...(nginx ? { server: ctx.helpers.responseHeader('server') } : {}) },
        fixes: [
          `Use the hyphenated name the API documents, e.g. "${name.replace(/_/g, '-')}".`,
          'If you run the nginx in front of the API and need the underscore, set `underscores_in_headers on;` in its http or server block.',
        ],
        severity: alone ? 'damaging' : 'cosmetic',
        cause: 'missing_credentials',
        confidence: nginx ? 'likely' : 'possible',
      });
    }
  }
  return out;
}

export default defineRule({
  meta: {
    id: 'header-hygiene',
    title: 'Credential header is well-formed',
    description: 'Whitespace, line breaks, invisible or typographic characters, quotes, doubled or missing scheme words, duplicate and misspelled headers.',
    causes: ['malformed_credentials', 'missing_credentials'],
  },
  check(ctx) {
    const carriers = ctx.helpers.credentials().filter((c) => c.location === 'header' || c.location === 'query');
    const problems: Problem[] = [];
    for (const c of carriers) {
      if (placeholderOf(c.credential) && c.credential.trim() === c.credential) continue; // missing-credentials reports it
      // A broken scheme word (colon, two credentials in one line) explains the spaces it leaves.
      const scheme = schemeProblems(ctx, c);
      problems.push(...valueProblems(ctx, c, scheme.some((p) => p.severity === 'damaging')), ...scheme);
    }
    problems.push(...requestProblems(ctx, carriers));
    // A line break or control character in a header value: Node (like every HTTP client) refuses
    // to send it at all (ERR_INVALID_CHAR), so this damage is certainly why the request failed.
    const unsendable = ctx.exchange.transportError?.code === 'ERR_INVALID_CHAR';
    const failure = unsendable || isAuthFailure(ctx);
    return problems.map(
      (p): FindingInput => ({
        status: failure && p.severity === 'damaging' ? 'fail' : 'warn',
        cause: p.cause,
        confidence: unsendable && p.severity === 'damaging' ? 'definitive' : p.confidence,
        messageId: p.messageId,
        title: p.title,
        message: unsendable && p.severity === 'damaging'
          ? `${p.message} The request could not even be sent: HTTP does not allow this character in a header.`
          : failure || p.severity === 'cosmetic' ? p.message : `${p.message} The server did not report an authentication failure this time.`,
        evidence: p.evidence,
        fixes: p.fixes,
      }),
    );
  },
});

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
