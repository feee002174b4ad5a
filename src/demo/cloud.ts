import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LoadedConfig } from '../config/index.ts';
import type { AuthdoctorConfig } from '../config/types.ts';
import { processRedactor, type Redactor } from '../core/redact.ts';
import { DemoIam, stsEndpoint } from './aws.ts';
import { DemoAuthServer, json } from './oauth.ts';
import { startDemoProxy, type DemoProxy } from './proxy.ts';
import { SCENARIOS } from './scenarios/index.ts';
import type { AnyScenario, ClientContext, CloudContext, DemoClient, DemoReply, DemoRequest } from './types.ts';

/**
 * The demo cloud: one HTTP server on 127.0.0.1 (a random free port; never another address) that
 * hosts every scenario under `/<scenario>/…`, the shared authorization server under `/oauth` and
 * STS under `/sts`, plus a forward proxy on a second loopback port. Everything runs in the
 * authdoctor process and stops with it. Credential files and the demo's config file go to a fresh
 * temp folder, removed on close. Every secret the demo makes is registered with the redactor, so
 * it is masked like any other.
 */
export interface DemoCloud extends CloudContext {
  /** The temp folder (config and credential files). */
  readonly dir: string;
  readonly proxyOrigin: string;
  readonly scenarios: readonly AnyScenario[];
  /** Every request the cloud received (newest last, at most 500): for tests and the curious. */
  readonly received: ReceivedRecord[];
  scenario(name: string): AnyScenario | undefined;
  /**
   * Opens a scenario from scratch: fresh server state (tokens, keys, permissions), fresh credential
   * files, and a config file whose one profile is the scenario's (when it uses a profile).
   */
  open(name: string): Promise<OpenedScenario>;
  close(): Promise<void>;
}

export interface OpenedScenario {
  scenario: AnyScenario;
  client: DemoClient;
  /** The demo's config, as loaded from its file (`config.filepath`). */
  config: LoadedConfig;
}

export interface ReceivedRecord {
  scenario: string;
  method: string;
  url: string;
  /** Header names only (values may be credentials). */
  headerNames: string[];
  viaProxy: boolean;
  status: number;
}

export interface StartOptions {
  /** The scenarios to host. @default SCENARIOS */
  scenarios?: readonly AnyScenario[];
  /** Where secrets are registered for masking. @default processRedactor */
  redactor?: Redactor;
}

const RECEIVED_LIMIT = 500;
const BODY_LIMIT = 1024 * 1024;

export async function startDemoCloud(options: StartOptions = {}): Promise<DemoCloud> {
  const scenarios = options.scenarios ?? SCENARIOS;
  const redactor = options.redactor ?? processRedactor;
  const dir = await mkdtemp(path.join(tmpdir(), 'authdoctor-demo-'));
  const states = new Map<string, unknown>();
  const received: ReceivedRecord[] = [];
  const iam = new DemoIam();
  const now = () => new Date();

  // The port is known only once listening; the handler reads `ctx` at request time.
  let ctx: CloudContext | null = null;
  const server: Server = createServer((req, res) => {
    void route(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, json(500, { error: 'demo_cloud_error', message: redactor.text(error instanceof Error ? error.message : String(error)) }));
      else res.destroy();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const cloud = ctx!;
    const port = new URL(cloud.origin).port;
    // Only the names this server is reached by on loopback: a web page in a browser cannot use
    // DNS rebinding to talk to the demo cloud.
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      send(res, { status: 421, headers: { 'content-type': 'text/plain' }, body: 'Misdirected request: the demo cloud answers only on 127.0.0.1.\n' });
      return;
    }
    const body = await readBody(req);
    const rawUrl = req.url ?? '/';
    const [, mount = '', rest = ''] = /^\/([^/?]*)(.*)$/s.exec(rawUrl) ?? [];
    const request: DemoRequest = {
      method: req.method ?? 'GET',
      path: rest.startsWith('/') ? rest : `/${rest}`,
      rawUrl,
      headers: req.headers,
      body,
      viaProxy: /authdoctor-demo-proxy/.test(String(req.headers.via ?? '')),
    };
    let reply: DemoReply;
    const scenario = scenarios.find((s) => s.name === mount);
    if (mount === 'oauth') reply = await cloud.oauth.handle(request);
    else if (mount === 'sts') reply = await stsEndpoint(request, iam, cloud.now());
    else if (scenario) {
      if (!states.has(scenario.name)) states.set(scenario.name, await scenario.setup(cloud));
      reply = await scenario.handle(request, states.get(scenario.name), cloud);
    } else if (rawUrl === '/' || rawUrl === '') {
      reply = json(200, { service: 'authdoctor demo cloud', scenarios: scenarios.map((s) => `${cloud.origin}/${s.name}/`) });
    } else {
      reply = json(404, { error: 'not_found', message: `No demo scenario is mounted at /${mount}.` });
    }
    received.push({ scenario: mount, method: request.method, url: rawUrl, headerNames: Object.keys(req.headers), viaProxy: request.viaProxy, status: reply.status });
    if (received.length > RECEIVED_LIMIT) received.splice(0, received.length - RECEIVED_LIMIT);
    send(res, reply);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let proxy: DemoProxy;
  let oauth: DemoAuthServer;
  try {
    oauth = await DemoAuthServer.create(origin, now);
    proxy = await startDemoProxy(origin);
  } catch (error) {
    server.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  ctx = { origin, now, oauth, iam };
  const cloudCtx = ctx;

  const configPath = path.join(dir, 'authdoctor.config.json');

  async function open(name: string): Promise<OpenedScenario> {
    const scenario = scenarios.find((s) => s.name === name);
    if (!scenario) throw new Error(`No demo scenario named "${name}".`);
    const state = await scenario.setup(cloudCtx);
    states.set(name, state);
    const folder = path.join(dir, name);
    await rm(folder, { recursive: true, force: true });
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const clientCtx: ClientContext = {
      ...cloudCtx,
      dir,
      proxyOrigin: proxy.origin,
      base: `${origin}/${name}`,
      async writeSecret(file, content) {
        const full = path.join(folder, file);
        await writeFile(full, content, { mode: 0o600 });
        await chmod(full, 0o600);
        redactor.addSecret(content);
        redactor.addSecret(content.trim());
        return full;
      },
    };
    const client = await scenario.client(clientCtx, state);
    const config: AuthdoctorConfig = client.kind === 'profile' ? { profiles: { [name]: client.profile } } : {};
    // The file is what a user would write; the demo reads it back the way `--config` would.
    await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    const { validateConfig } = await import('../config/index.ts');
    const validated = validateConfig(JSON.parse(JSON.stringify(config)), configPath);
    return { scenario, client, config: { filepath: configPath, config: validated.config, warnings: validated.warnings } };
  }

  return {
    origin,
    now,
    oauth,
    iam,
    dir,
    proxyOrigin: proxy.origin,
    scenarios,
    received,
    scenario: (name) => scenarios.find((s) => s.name === name),
    open,
    async close() {
      await proxy.close();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) {
        reject(new Error('request body too large for the demo cloud'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: DemoReply): void {
  const body = reply.body ?? '';
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(Buffer.byteLength(body)), date: new Date().toUTCString() });
  res.end(body);
}
