import { fork, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * The local API the benchmarks talk to: every request gets the answer of a bearer-token API that
 * rejects the token (401 with an RFC 6750 challenge and a JSON error body), on 127.0.0.1 only.
 */
export function createApi(): Server {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const body = JSON.stringify({ error: 'invalid_token', error_description: 'The access token expired' });
      res.writeHead(401, {
        'content-type': 'application/json',
        'www-authenticate': 'Bearer realm="bench", error="invalid_token", error_description="The access token expired"',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
  return server;
}

export interface RemoteApi {
  origin: string;
  close(): Promise<void>;
}

/**
 * The API in a process of its own: the benchmark's own event loop must not delay the answers (and
 * its measurements must not count the server's work).
 */
export async function startApiProcess(): Promise<RemoteApi> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--serve'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the bench API exited with ${code}`)));
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}

if (process.argv.includes('--serve') && process.send) {
  const server = createApi();
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
  process.on('disconnect', () => process.exit(0));
}
