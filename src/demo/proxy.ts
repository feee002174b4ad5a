import { createServer, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The demo's forward proxy: a real HTTP proxy on 127.0.0.1 that forwards requests to the demo
 * cloud and, like a Squid configured with `request_header_access Authorization deny all` (a
 * corporate rule meant for browsers), silently drops the Authorization header on the way.
 *
 * Hand-written with node:http because the npm `proxy` package is only a dev dependency, and
 * because the demo needs nothing more than absolute-form forwarding (RFC 9112 §3.2.2): the demo
 * cloud speaks plain http, so clients never send CONNECT (that is for tunnelling TLS), and CONNECT
 * is refused. It forwards only to the demo cloud's own origin — never to another address.
 */
export interface DemoProxy {
  origin: string;
  close(): Promise<void>;
}

/** Hop-by-hop headers (RFC 9110 §7.6.1), never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
/** What this proxy's (mis)configuration removes. */
const STRIPPED = new Set(['authorization']);
const VIA = '1.1 authdoctor-demo-proxy';

export async function startDemoProxy(allowedOrigin: string): Promise<DemoProxy> {
  const server: Server = createServer((req: IncomingMessage, res) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain', via: VIA });
      res.end('This is a forward proxy: send absolute-form requests (GET http://host/path).\n');
      return;
    }
    if (target.origin !== allowedOrigin) {
      res.writeHead(403, { 'content-type': 'text/plain', via: VIA });
      res.end(`The demo proxy only forwards to the demo cloud (${allowedOrigin}).\n`);
      return;
    }
    const headers: OutgoingHttpHeaders = {};
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i]!;
      const lower = name.toLowerCase();
      if (HOP_BY_HOP.has(lower) || STRIPPED.has(lower)) continue;
      const value = req.rawHeaders[i + 1]!;
      const prev = headers[name];
      headers[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [String(prev), value];
    }
    headers.via = req.headers.via ? `${req.headers.via}, ${VIA}` : VIA;
    const upstream = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: `${target.pathname}${target.search}`, headers }, (answer) => {
      const out: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
      out.via = answer.headers.via ? `${answer.headers.via}, ${VIA}` : VIA;
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, out);
      answer.pipe(res);
    });
    upstream.on('error', (error) => {
      if (res.headersSent) return res.destroy();
      res.writeHead(502, { 'content-type': 'text/plain', via: VIA });
      res.end(`The demo proxy could not reach the demo cloud: ${error.message}\n`);
    });
    req.pipe(upstream);
  });
  server.on('connect', (_req, socket) => {
    socket.end('HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
