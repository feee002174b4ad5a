import type { Diagnosis } from './engine.ts';
import type { Finding } from './types.ts';

/**
 * The proxy probe (seed: "temporarily bypass the proxy to isolate the issue"): the same request
 * sent through the proxy and directly. If only the direct one is accepted, the proxy strips or
 * alters the credentials. Runs only on the user's explicit request (--probe, a key in the TUI).
 */
export function compareProxyProbe(viaProxy: Diagnosis, direct: Diagnosis): Finding | null {
  const proxied = viaProxy.exchange.response?.status;
  const straight = direct.exchange.response?.status;
  const base = { ruleId: 'http/proxy-bypass-probe', plugin: 'http', title: 'Proxy bypass probe', fixes: [] as string[] };
  const evidence = { viaProxy: proxied ?? viaProxy.exchange.transportError?.code ?? null, direct: straight ?? direct.exchange.transportError?.code ?? null, proxy: viaProxy.exchange.proxy?.url };
  if (viaProxy.verdict.cause !== 'none' && direct.verdict.cause === 'none') {
    return {
      ...base,
      status: 'fail',
      cause: 'proxy_auth',
      confidence: 'definitive',
      messageId: 'proxy-alters-credentials',
      message: `Through the proxy the server answered ${proxied ?? 'nothing'}; sent directly, the same request succeeded (${straight}). The proxy strips or alters the credentials.`,
      evidence,
      fixes: [
        'Configure the proxy to pass the Authorization header (and API-key headers) through unchanged — e.g. in squid, do not use "request_header_access Authorization deny all".',
        'Or exclude this host from the proxy: add it to NO_PROXY (e.g. export NO_PROXY=api.example.com).',
      ],
    };
  }
  if (viaProxy.verdict.cause !== 'none' && direct.verdict.cause !== 'none') {
    return {
      ...base,
      status: 'pass',
      cause: null,
      messageId: 'proxy-not-the-cause',
      message: `The request fails with and without the proxy (${proxied ?? 'no response'} vs ${straight ?? 'no response'}): the proxy is not the cause.`,
      evidence,
    };
  }
  return null;
}
