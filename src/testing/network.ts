import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { RuleHttpClient } from '../core/plugin.ts';

/**
 * Network control for RuleTester cases: a case talks to no one unless it declares a local server,
 * and then only to that server.
 *
 * Two layers. `ctx.http` (the client rules are meant to use) refuses outright and records the
 * attempt. Underneath, every TCP connection a rule opens by other means — `fetch`, `node:http`,
 * an SDK — goes through `net.Socket.prototype.connect`, which is wrapped while a case runs. The
 * wrapper consults the case's guard through AsyncLocalStorage, so only code running on behalf of
 * that case is affected: the test framework, other suites and code outside a case connect as usual
 * (nock's `disableNetConnect` works at the same level, for the same reason).
 */

export interface AttemptRecord {
  /** `ctx.http` (the rule's client), or `socket` (a connection opened some other way). */
  via: 'ctx.http' | 'socket';
  /** A URL for ctx.http; `host:port` for a socket. */
  target: string;
  method?: string | undefined;
  allowed: boolean;
}

export interface NetworkGuard {
  /** `host:port` pairs that may be connected to (the case's server), none when empty. */
  readonly allowed: ReadonlySet<string>;
  readonly attempts: AttemptRecord[];
}

export const NETWORK_DENIED = 'ERR_AUTHDOCTOR_NETWORK_DENIED';

const store = new AsyncLocalStorage<NetworkGuard>();
let installs = 0;
let originalConnect: typeof net.Socket.prototype.connect | undefined;

interface ConnectTarget {
  host?: string | undefined;
  port?: number | undefined;
  path?: string | undefined;
}

/** What `socket.connect(...)` was asked for, in any of its call shapes. */
function connectTarget(args: readonly unknown[]): ConnectTarget {
  // net.connect() hands connect() its already-normalised [options, callback] array.
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (first !== null && typeof first === 'object') {
    const o = first as { host?: unknown; hostname?: unknown; port?: unknown; path?: unknown };
    if (typeof o.path === 'string') return { path: o.path };
    const host = typeof o.host === 'string' ? o.host : typeof o.hostname === 'string' ? o.hostname : 'localhost';
    return { host, port: Number(o.port) };
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { port: Number(first), host: typeof args[1] === 'string' ? args[1] : 'localhost' };
  }
  if (typeof first === 'string') return { path: first };
  return {};
}

function allows(guard: NetworkGuard, host: string | undefined, port: number | undefined): boolean {
  const h = (host ?? '').replace(/^\[|\]$/g, '').toLowerCase();
  const names = h === 'localhost' || h === '127.0.0.1' ? ['127.0.0.1', 'localhost'] : [h];
  return names.some((name) => guard.allowed.has(`${name}:${port}`));
}

function install(): void {
  if (installs++ > 0) return;
  const original = net.Socket.prototype.connect;
  originalConnect = original;
  const guarded = function connect(this: net.Socket, ...args: unknown[]): net.Socket {
    const guard = store.getStore();
    if (!guard) return (original as (...a: unknown[]) => net.Socket).apply(this, args);
    const target = connectTarget(args);
    // A Unix socket or named pipe is not the network.
    if (target.path !== undefined) return (original as (...a: unknown[]) => net.Socket).apply(this, args);
    const where = `${target.host ?? '?'}:${Number.isFinite(target.port) ? target.port : '?'}`;
    const ok = allows(guard, target.host, target.port);
    guard.attempts.push({ via: 'socket', target: where, allowed: ok });
    if (ok) return (original as (...a: unknown[]) => net.Socket).apply(this, args);
    const error = Object.assign(new Error(`RuleTester denied a network connection to ${where}: the case declares no server for it.`), { code: NETWORK_DENIED });
    // Fail the way a refused connection fails: asynchronously, through the socket's 'error' event.
    process.nextTick(() => this.destroy(error));
    return this;
  };
  net.Socket.prototype.connect = guarded as typeof net.Socket.prototype.connect;
}

function uninstall(): void {
  if (--installs > 0) return;
  if (originalConnect) net.Socket.prototype.connect = originalConnect;
  originalConnect = undefined;
}

/** Runs `fn` with the network limited to `allowed` (`host:port`), recording every attempt. */
export async function withNetworkGuard<T>(allowed: readonly string[], fn: (guard: NetworkGuard) => Promise<T>): Promise<T> {
  const guard: NetworkGuard = { allowed: new Set(allowed), attempts: [] };
  install();
  try {
    return await store.run(guard, () => fn(guard));
  } finally {
    uninstall();
  }
}

/** The `ctx.http` of a case without a server: every call is recorded and refused. */
export function deniedHttpClient(attempts: AttemptRecord[]): RuleHttpClient {
  return {
    async request({ method = 'GET', url }) {
      attempts.push({ via: 'ctx.http', target: url, method, allowed: false });
      throw Object.assign(new Error(`RuleTester denied ${method} ${url}: network is denied in test cases unless the case declares a server.`), { code: NETWORK_DENIED });
    },
  };
}

/** Wraps a real client so that its calls are recorded too; a call anywhere but `allowed` (`host:port`) is refused. */
export function recordingHttpClient(inner: RuleHttpClient, attempts: AttemptRecord[], allowed: readonly string[]): RuleHttpClient {
  const guard: NetworkGuard = { allowed: new Set(allowed), attempts };
  return {
    async request(options) {
      const method = options.method ?? 'GET';
      let target: URL | null;
      try {
        target = new URL(options.url);
      } catch {
        target = null;
      }
      const port = target ? Number(target.port || (target.protocol === 'https:' ? 443 : 80)) : undefined;
      const ok = target !== null && allows(guard, target.hostname, port);
      attempts.push({ via: 'ctx.http', target: options.url, method, allowed: ok });
      if (!ok) throw Object.assign(new Error(`RuleTester denied ${method} ${options.url}: the case's server is the only place a case may reach.`), { code: NETWORK_DENIED });
      return inner.request(options);
    },
  };
}

/** A request the case's server received. */
export interface ReceivedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** What a case sees of its server (the function forms of `request`, `response`, `profile`, `options`). */
export interface CaseServerInfo {
  /** `http://127.0.0.1:PORT`, without a trailing slash: write `${server.url}/v1/me`. */
  url: string;
  origin: string;
  port: number;
  /** Every request the server received so far. */
  requests: ReceivedRequest[];
}

/** A local server for one case: a plain node:http handler, started on 127.0.0.1 and a free port. */
export interface CaseServer {
  /** Answers each request; may be async. What it returns is ignored (so `res.end(…)` can be the body of an arrow). */
  handler: (req: IncomingMessage, res: ServerResponse) => unknown;
}

export interface RunningServer {
  info: CaseServerInfo;
  close(): Promise<void>;
}

export async function startCaseServer(server: CaseServer): Promise<RunningServer> {
  const requests: ReceivedRequest[] = [];
  const http: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      Promise.resolve()
        .then(() => server.handler(req, res))
        .catch((error: unknown) => {
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`The case's server handler threw: ${error instanceof Error ? error.message : String(error)}`);
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    info: { url: origin, origin, port, requests },
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
