import { defineRule } from '../../src/plugins/define.ts';
import { apiForHost, classify, collectSent, curlExample, describePlacement, hostMatches, hostOf } from './keys.ts';

/**
 * A key in the URL leaks wherever the URL goes: server and proxy access logs, browser history,
 * Referer headers, monitoring tools. Advice, not a cause of failure — unless the provider reads
 * its keys only from the query string, where it is no advice at all.
 */
export default defineRule({
  meta: {
    id: 'key-in-query',
    title: 'API key in the URL',
    description: 'Warns when an API key or token travels in the URL query string, where logs, proxies and browser history keep it.',
    causes: [],
  },
  check(ctx) {
    const host = hostOf(ctx.request.url);
    const api = apiForHost(host);
    const out = [];
    for (const s of collectSent(ctx)) {
      if (s.placement.kind !== 'query') continue;
      const c = classify(s.value, host);
      if (!s.credentialPlace && !c) continue;
      const readsFrom = c && hostMatches(host, c.api.hosts) ? (c.format.placements ?? c.api.placements) : api?.placements;
      // The provider reads this credential only from the query string: nothing better to suggest.
      if (readsFrom && readsFrom.length > 0 && readsFrom.every((p) => p.kind === 'query')) continue;
      const header = readsFrom?.find((p) => p.kind !== 'query' && p.kind !== 'sigv4');
      const provider = c?.api.provider ?? api?.provider;
      out.push({
        status: 'warn' as const,
        cause: null,
        messageId: 'key-in-query',
        message: `${c ? `The ${c.api.provider} ${c.format.kind}` : 'A credential'} (${ctx.mask(s.value)}) travels in the URL as ?${s.name}=. URLs end up in server and proxy access logs, browser history, Referer headers and monitoring tools, so the key leaks wherever the URL goes.${header && provider ? ` ${provider} also accepts it in ${describePlacement(header)}.` : ''}`,
        evidence: { parameter: s.name, key: ctx.mask(s.value), ...(header ? { alternative: describePlacement(header) } : {}) },
        fixes: [
          header ? `Send it in a header instead: curl ${curlExample(header, c?.api.envVar ?? api?.envVar)} …` : 'Send it in a header if the API supports one (Authorization or a documented API-key header).',
          'If URLs with this key were logged or shared, rotate the key.',
        ],
      });
    }
    return out;
  },
});
