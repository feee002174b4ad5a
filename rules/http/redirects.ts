/**
 * Redirects the client followed before the answer (exchange.redirects). Clients drop credential
 * headers when a redirect changes origin — scheme, host or port (curl without --location-trusted,
 * browsers' fetch, got, requests; DESIGN.md §4 makes authdoctor do the same) — so a failure after a
 * cross-origin hop, including http→https on the same host, usually means the credential never
 * reached the server that answered (`missing_credentials`, with the hops). 301/302 after POST and
 * any 303 turn the request into a GET without its body (RFC 9110 §15.4), which loses credentials
 * sent in the body (an OAuth2 token request) and the request itself.
 */
import { defineRule } from '../../src/plugins/define.ts';
import type { FindingInput } from '../../src/core/plugin.ts';
import type { RedirectHop } from '../../src/core/types.ts';
import { isAuthFailure, maskUrlUserinfo } from './shared.ts';

function short(raw: string, mask: (v: string) => string): string {
  try {
    const url = new URL(maskUrlUserinfo(raw, mask));
    return `${url.origin}${url.pathname}${url.search ? '?…' : ''}`;
  } catch {
    return raw.slice(0, 200);
  }
}

function describeHop(h: RedirectHop, mask: (v: string) => string): string {
  const dropped = h.droppedHeaders.length ? ` (dropped: ${h.droppedHeaders.join(', ')})` : h.crossOrigin ? ' (cross-origin)' : '';
  return `${h.status} ${short(h.from, mask)} → ${short(h.to, mask)}${dropped}`;
}

function isHttpToHttps(h: RedirectHop): boolean {
  try {
    const from = new URL(h.from);
    const to = new URL(h.to);
    return from.protocol === 'http:' && to.protocol === 'https:' && from.hostname === to.hostname;
  } catch {
    return false;
  }
}

export default defineRule({
  meta: {
    id: 'redirects',
    title: 'Redirects kept the credentials',
    description: 'Finds cross-origin (and http→https) redirects that dropped the credential headers, and 301/302/303 hops that turned a POST into a GET.',
    causes: ['missing_credentials'],
  },
  appliesTo: (ctx) => ctx.exchange.redirects.length > 0,
  check(ctx) {
    const hops = ctx.exchange.redirects;
    const mask = (v: string) => ctx.mask(v);
    const failure = isAuthFailure(ctx);
    const out: FindingInput[] = [];
    const sentCredentials = ctx.helpers.credentials().some((c) => c.location === 'header' || c.location === 'userinfo');
    const dropping = hops.filter((h) => h.droppedHeaders.length > 0 || (h.crossOrigin && sentCredentials));
    const evidence = { hops: hops.map((h) => describeHop(h, mask)) };
    if (dropping.length > 0) {
      const first = dropping[0]!;
      const httpToHttps = isHttpToHttps(first);
      const finalUrl = short(hops[hops.length - 1]!.to, mask);
      const fixes = httpToHttps
        ? [`Use https:// in the URL (${finalUrl}): the redirect from http:// to https:// changed the origin, so the client dropped the credentials — and they already travelled once in clear text, so rotate them if this ran over an untrusted network.`]
        : [
            `Send the request to the final URL directly (${finalUrl}) — usually the API's canonical host or a trailing-slash path.`,
            'Only if you trust the new host, let the client resend credentials after redirects (curl --location-trusted); never for a host you do not control.',
          ];
      out.push({
        status: failure ? 'fail' : 'warn',
        cause: 'missing_credentials',
        confidence: 'likely',
        messageId: httpToHttps ? 'http-to-https' : 'cross-origin-redirect',
        title: httpToHttps ? 'http→https redirect dropped the credentials' : 'Cross-origin redirect dropped the credentials',
        message: `${failure ? 'Before the failure, the' : 'The'} request was redirected to another origin (${describeHop(first, mask)}), and credentials are not sent across origins: ${failure ? 'the server that answered never received them.' : 'the final server received none (it did not ask for them this time).'}`,
        evidence,
        fixes,
      });
    }
    const method = ctx.request.method.toUpperCase();
    const toGet = hops.find((h) => h.status === 303 || ((h.status === 301 || h.status === 302) && method === 'POST'));
    if (toGet && method !== 'GET' && method !== 'HEAD') {
      const bodyCredentials = ctx.helpers.credentials().some((c) => c.location === 'body');
      out.push({
        status: failure && bodyCredentials ? 'fail' : 'warn',
        cause: bodyCredentials ? 'missing_credentials' : null,
        ...(bodyCredentials ? { confidence: 'likely' as const } : {}),
        messageId: 'method-changed',
        title: `${method} became GET on a ${toGet.status} redirect`,
        message: `The ${toGet.status} redirect (${describeHop(toGet, mask)}) made the client repeat the request as GET without its body${bodyCredentials ? ', so the credentials in the body (grant and client authentication) were lost' : ''}.`,
        evidence,
        fixes: [`${method} to the final URL directly (${short(toGet.to, mask)}); servers that want to keep the method use 307/308.`],
      });
    }
    return out;
  },
});
