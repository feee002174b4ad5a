/**
 * Nothing usable where credentials were expected (seed: "missing or incorrect API key or access
 * token"; DESIGN.md `missing_credentials`):
 * - no Authorization, API-key header, key query parameter or URL userinfo at all on a 401/403;
 * - a carrier whose value is empty (`Bearer ` with nothing after it, `?api_key=`) or is not a
 *   credential: `null`, `undefined`, `None`, `[object Object]`, an unexpanded `$TOKEN`, `${API_KEY}`,
 *   `%API_KEY%`, `{{token}}`, `<token>`, `YOUR_API_KEY`, `xxx…`, `changeme` — client bugs such as
 *   an unset environment variable.
 * Basic credentials whose decoded user or password is such a value are the basic plugin's.
 * When a HAR exporter may have removed the headers, no blame: the capture rule explains.
 */
import { defineRule } from '../../src/plugins/define.ts';
import type { FindingInput, RuleContext } from '../../src/core/plugin.ts';
import type { CredentialCarrier } from '../../src/core/credential.ts';
import { offeredSchemes } from '../../src/core/challenge.ts';
import { bodyNotCaptured, credentialsMayBeRedacted, curlHowTo, hasCookie, isAuthFailure, looksLikeTokenEndpoint, placeholderOf, type Placeholder } from './shared.ts';

function describeCarrier(c: CredentialCarrier): string {
  if (c.location === 'header') return c.schemeWord ? `${c.name}: ${c.schemeWord} …` : `the ${c.name} header`;
  if (c.location === 'query') return `the query parameter ${c.name}`;
  if (c.location === 'userinfo') return 'the URL user info';
  return `the body field ${c.name}`;
}

function fixesFor(ctx: RuleContext<any>, p: Placeholder | null): string[] {
  const fixes: string[] = [];
  if (p) fixes.push(p.hint);
  const offered = offeredSchemes(ctx.challenges);
  if (offered.length > 0) {
    fixes.push(`The server asks for ${offered.map((s) => `"${s}"`).join(' or ')}: send it as ${curlHowTo(offered[0]!)}.`);
  } else {
    fixes.push('Send the credential the way the API documents it, for example `curl -H "Authorization: Bearer $TOKEN" URL` or the API\'s own key header (`-H "X-API-Key: $API_KEY"`), and check with `echo "${#TOKEN}"` that the variable is not empty.');
  }
  return fixes;
}

export default defineRule({
  meta: {
    id: 'missing-credentials',
    title: 'Credentials are present',
    description: 'Finds requests that carry no credential, an empty one, or a placeholder such as null, undefined or an unexpanded $TOKEN.',
    causes: ['missing_credentials'],
  },
  appliesTo: (ctx) => ctx.response !== null,
  check(ctx) {
    const failure = isAuthFailure(ctx);
    const status = ctx.response!.status;
    const carriers = ctx.helpers.credentials().filter((c) => c.scheme !== 'oauth2');
    const out: FindingInput[] = [];

    // Carriers whose value is empty or a placeholder. A Basic header's credential is base64; its
    // decoded parts are the basic plugin's, but `Basic ` / `Basic undefined` are caught here.
    const bad = carriers
      // Userinfo is the basic plugin's; a query parameter named like a key only counts on a failure
      // (`?token=` is also a pagination cursor).
      .filter((c) => c.location !== 'userinfo' && (failure || c.location === 'header'))
      .map((c) => ({ carrier: c, placeholder: placeholderOf(c.credential) }))
      .filter((x): x is { carrier: CredentialCarrier; placeholder: Placeholder } => x.placeholder !== null);
    const usable = carriers.filter((c) => c.location === 'userinfo' || !placeholderOf(c.credential));

    for (const { carrier, placeholder } of bad) {
      const what = placeholder.kind === 'empty' ? `${describeCarrier(carrier)} is empty` : `${describeCarrier(carrier)} carries ${placeholder.description}, not a credential`;
      const onlyOne = usable.length === 0;
      out.push({
        status: failure ? 'fail' : 'warn',
        cause: 'missing_credentials',
        confidence: onlyOne ? 'likely' : 'possible',
        messageId: placeholder.kind === 'empty' ? 'empty-credential' : 'placeholder-credential',
        title: placeholder.kind === 'empty' ? 'Empty credential' : 'Placeholder instead of a credential',
        message: failure
          ? `${capitalise(what)}: the server received no usable credential.`
          : `${capitalise(what)}. The server accepted the request anyway (this endpoint may not need it), but the client is not sending what you think.`,
        evidence: {
          carrier: `${carrier.location}:${carrier.name}`,
          ...(carrier.schemeWord ? { scheme: carrier.schemeWord } : {}),
          value: placeholder.kind === 'empty' ? '' : carrier.credential.trim(),
          kind: placeholder.kind,
        },
        fixes: fixesFor(ctx, placeholder),
      });
    }
    if (out.length > 0) return out;

    if (carriers.length > 0 || !failure) return [];
    if (status !== 401 && status !== 403) return [];
    if (credentialsMayBeRedacted(ctx.exchange)) return []; // the capture rule says why
    // Token requests carry their credentials in the body: the oauth2 plugin judges those.
    if (looksLikeTokenEndpoint(ctx.request) || ctx.helpers.credentials().some((c) => c.scheme === 'oauth2')) return [];
    const noBody = bodyNotCaptured(ctx.exchange);
    const proxyAuth = ctx.helpers.requestHeader('proxy-authorization');
    const cookie = hasCookie(ctx.request.headers);
    const offered = offeredSchemes(ctx.challenges);
    const evidence: Record<string, unknown> = { status, credentialHeaders: 'none' };
    if (offered.length > 0) evidence.offeredSchemes = offered;
    if (cookie) evidence.cookie = 'present';
    if (proxyAuth) evidence.proxyAuthorization = 'present';
    let message = `The request carried no credentials at all (no Authorization header, no API-key header or query parameter, no URL user info) and the server answered ${status}.`;
    if (offered.length > 0) message += ` It asks for ${offered.join(' or ')} in WWW-Authenticate.`;
    if (cookie) message += ' Only cookies were sent: if this API authenticates by session cookie, the session may have expired instead.';
    if (noBody) message += ' The capture does not include the request body, which could have carried credentials.';
    const fixes = fixesFor(ctx, null);
    if (proxyAuth) fixes.unshift('A Proxy-Authorization header was sent: it is for the proxy and is never forwarded to the API. Put the API credential in Authorization.');
    return [
      {
        status: 'fail',
        cause: 'missing_credentials',
        confidence: cookie || noBody ? 'possible' : 'likely',
        messageId: 'no-credentials',
        title: 'No credentials sent',
        message,
        evidence,
        fixes,
      },
    ];
  },
});

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
