/**
 * No HTTP response at all (DNS, refused, reset, timeout, TLS, a header that cannot be sent): one
 * finding that explains it plainly. It is not an authentication failure, so it warns with no cause;
 * the CLI maps the exchange to exit code 3.
 */
import { defineRule } from '../../src/plugins/define.ts';
import { damageSummary, findDamage, maskUrlUserinfo } from './shared.ts';

function hostPort(raw: string): string {
  try {
    const url = new URL(raw);
    return url.port ? `${url.hostname}:${url.port}` : `${url.hostname} (port ${url.protocol === 'https:' ? 443 : 80})`;
  } catch {
    return raw;
  }
}

export default defineRule({
  meta: {
    id: 'transport',
    title: 'The request reached a server',
    description: 'Explains DNS, connection, timeout and TLS failures in plain words.',
    causes: [],
  },
  appliesTo: (ctx) => ctx.exchange.transportError !== undefined,
  check(ctx) {
    const err = ctx.exchange.transportError!;
    const target = hostPort(ctx.request.url);
    const proxy = ctx.exchange.proxy ? maskUrlUserinfo(ctx.exchange.proxy.url, (v) => ctx.mask(v)) : null;
    const via = proxy ? ` through the proxy ${proxy}` : '';
    const code = err.code;
    let message: string;
    const fixes: string[] = [];
    if (code === 'ECONNREFUSED') {
      message = proxy ? `The connection was refused: nothing is listening at the proxy ${proxy}, or at ${target}.` : `The connection to ${target} was refused: nothing is listening there.`;
      fixes.push('Check the host and port (http vs https, a local server that is not running, a port-forward that closed).');
      if (proxy) fixes.push('Check the proxy address in HTTPS_PROXY/HTTP_PROXY or -x.');
    } else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      message = `The host name in ${target} could not be resolved (DNS${code === 'EAI_AGAIN' ? ', temporary failure' : ''}).`;
      fixes.push('Check the spelling of the host, your VPN (private hosts resolve only inside it) and your DNS settings (`nslookup HOST`).');
    } else if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT' || /TIMEOUT/i.test(code)) {
      message = `${err.message} The server at ${target}${via} did not answer in time.`;
      fixes.push('Check that the host is reachable from this network (firewall, VPN, proxy requirement), or raise the timeout in the config (`timeouts`).');
    } else if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ERR_HTTP_CONTENT_LENGTH_MISMATCH') {
      message = `${err.message} Something between you and ${target}${via} closed the connection (a firewall, a TLS-intercepting proxy, or a server that speaks another protocol on this port).`;
      fixes.push('Try the same request with curl -v to see where it stops; check whether the port expects https:// or http://.');
    } else if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
      message = `There is no network route to ${target}.`;
      fixes.push('Check your network connection, VPN and firewall.');
    } else if (/^(CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|ERR_TLS_|ERR_SSL_|EPROTO)/.test(code)) {
      const self = /SELF_SIGNED/.test(code);
      const expired = code === 'CERT_HAS_EXPIRED';
      const altname = code === 'ERR_TLS_CERT_ALTNAME_INVALID';
      const wrongVersion = /WRONG_VERSION_NUMBER|EPROTO/.test(code);
      message = self
        ? `The server at ${target} presented a self-signed TLS certificate, which is not trusted.`
        : expired
          ? `The TLS certificate of ${target} has expired.`
          : altname
            ? `The TLS certificate of ${target} is for another host name.`
            : wrongVersion
              ? `TLS failed (${code}): the port probably speaks plain HTTP, not HTTPS.`
              : `TLS verification of ${target} failed (${code}).`;
      if (wrongVersion) fixes.push('Use http:// for this port, or the port that serves HTTPS.');
      else {
        fixes.push('If this is your own or a development server, trust its CA with --ca FILE (or NODE_EXTRA_CA_CERTS=/path/ca.pem); a corporate TLS-inspecting proxy needs its root certificate there too.');
        fixes.push('To look past it once, rerun with --insecure (-k); the report marks that verification was off. Never keep it in production.');
      }
    } else if (code === 'ERR_INVALID_CHAR') {
      const forbidden = new Set(['line-break', 'control', 'non-ascii', 'invisible', 'no-break-space', 'smart-quote', 'dash', 'ellipsis']);
      const culprit = ctx.request.headers
        .map((h) => ({ name: h.name, damage: findDamage(h.value, { allowInnerSpace: true }).filter((d) => forbidden.has(d.kind)) }))
        .find((h) => h.damage.length > 0);
      message = culprit
        ? `The request could not be sent: the ${culprit.name} header contains characters HTTP does not allow (${damageSummary(culprit.damage)}).`
        : err.message;
      fixes.push("Remove the line break or other invisible characters from the value (`tr -d '\\r\\n'`, `printf '%s'`, `.trim()`); this is typically a token read from a file or produced by `echo` without -n.");
    } else if (code === 'ERR_TOO_MANY_REDIRECTS') {
      message = `${err.message} The server keeps redirecting — often a sign-in redirect loop for a request without valid credentials.`;
      fixes.push('Look at the redirect chain (curl -v -L) and call the final API URL directly with its credentials.');
    } else if (code === 'ERR_PROXY_TUNNEL') {
      message = err.message;
      fixes.push('Check that the proxy may connect to this host and port (its allow-list; many proxies allow CONNECT to port 443 only), or reach the API without the proxy (NO_PROXY=<host>) if your network allows it.');
    } else if (code === 'ERR_REDIRECT_BODY_CROSS_ORIGIN') {
      // core/http.ts stops here rather than resend a body (which may hold credentials) elsewhere.
      message = `${err.message} The answer shown is that redirect, not the final resource.`;
      fixes.push('If you trust the new origin, send the request to the URL in the Location header directly; otherwise find out why the API redirects (a moved endpoint, a region or tenant host, http→https).');
    } else if (/TOO_LARGE/.test(code)) {
      message = `${err.message} The response body was larger than the cap.`;
      fixes.push('Raise the body cap in the config, or request a smaller resource.');
    } else {
      message = err.message;
      fixes.push('Retry with curl -v to see where the request fails.');
    }
    return [
      {
        status: 'warn',
        cause: null,
        messageId: 'transport-failure',
        title: 'No response from the server',
        message: !ctx.response
          ? `${message} No HTTP response arrived, so this is a network problem, not an authentication failure.`
          : err.phase === 'body'
            ? `${message} The status (${ctx.response.status}) and headers arrived and were checked, but the body is incomplete, so a reason the server gave in it may be missing.`
            : `${message} No answer from the API arrived, so this is not an authentication failure.`,
        evidence: { code, ...(err.phase ? { phase: err.phase } : {}), target, ...(proxy ? { proxy } : {}) },
        fixes,
      },
    ];
  },
});
