import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Misbehaving servers for the fault tests: every one a real socket on 127.0.0.1, so the client
 * meets exactly what the network would hand it. Each tracks its sockets and closes them all.
 */
export interface FaultServer {
  port: number;
  origin: string;
  close(): Promise<void>;
}

function track(server: Server | ReturnType<typeof createNetServer>): () => Promise<void> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

async function listen(server: Server | ReturnType<typeof createNetServer>, scheme = 'http'): Promise<FaultServer> {
  const close = track(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { port, origin: `${scheme}://127.0.0.1:${port}`, close };
}

/** A raw TCP server: the handler gets the socket and the first bytes of the request. */
export function rawServer(onRequest: (socket: Socket, head: Buffer) => void): Promise<FaultServer> {
  const server = createNetServer((socket) => {
    socket.once('data', (head) => onRequest(socket, head));
    socket.on('error', () => {});
  });
  return listen(server);
}

/** An HTTP server (node:http). */
export function httpServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<FaultServer> {
  const server = createHttpServer(handler);
  server.on('clientError', (_e, socket) => socket.destroy());
  return listen(server);
}

/** A forward proxy stand-in: `onConnect` answers CONNECT (https targets), `handler` absolute-form requests. */
export function proxyServer(options: { onConnect?: (socket: Socket) => void; handler?: (req: IncomingMessage, res: ServerResponse) => void }): Promise<FaultServer> {
  const server = createHttpServer(options.handler ?? ((_req, res) => res.end()));
  server.on('connect', (_req: IncomingMessage, socket: Socket) => {
    socket.on('error', () => {});
    options.onConnect?.(socket);
  });
  return listen(server);
}

export interface SelfSigned {
  dir: string;
  certFile: string;
  keyFile: string;
  cert: Buffer;
  key: Buffer;
}

/**
 * A self-signed certificate for 127.0.0.1, made at test time with the system's openssl (so no key
 * material is checked in). Null when openssl is not installed; the TLS tests then skip, saying so.
 */
export function makeSelfSigned(): SelfSigned | null {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'authdoctor-tls-'));
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  return { dir, certFile, keyFile, cert: readFileSync(certFile), key: readFileSync(keyFile) };
}

/** An HTTPS server with the given certificate. */
export function tlsServer(tls: SelfSigned, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<FaultServer> {
  const server = createHttpsServer({ cert: tls.cert, key: tls.key }, handler);
  server.on('tlsClientError', () => {});
  return listen(server as unknown as Server, 'https');
}

/** A config file with short timeouts, so that "no answer" tests take a second, not thirty. */
export function shortTimeoutConfig(dir: string, response = 400): string {
  const file = path.join(dir, `timeouts-${response}.json`);
  writeFileSync(file, JSON.stringify({ timeouts: { connect: 2_000, response } }));
  return file;
}
