import type { Session } from '../../src/cli/setup.ts';
import { Engine } from '../../src/core/engine.ts';
import type { LoadedPlugin, PluginDefinition } from '../../src/core/plugin.ts';
import { Redactor } from '../../src/core/redact.ts';
import type { RequestSpec } from '../../src/core/types.ts';
import { defineAction, definePlugin, defineRule } from '../../src/plugins/define.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

/**
 * What the screen tests run against: a real API on 127.0.0.1 that rejects expired bearer tokens,
 * with a token endpoint, and a small in-test plugin whose refresh action calls that endpoint (the
 * real OAuth2 and SigV4 plugins are tested on their own).
 */

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT-shaped token (unsigned) that expires `seconds` from now (negative: already expired). */
export function jwt(seconds: number, sub = 'user-1'): string {
  return `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub, exp: Math.floor(Date.now() / 1000) + seconds })}.${Buffer.from(`sig-${sub}-${seconds}`).toString('base64url')}`;
}

function expOf(token: string): number {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: number };
    return typeof payload.exp === 'number' ? payload.exp : 0;
  } catch {
    return 0;
  }
}

export interface Api extends TestServer {
  /** The token the token endpoint hands out (valid for an hour). */
  fresh: string;
}

/**
 * GET /v1/me: 200 for a bearer token that has not expired, else 401 with the RFC 6750 challenge.
 * POST /token: a fresh token; POST /token-denied: invalid_grant; POST /token-hang: never answers.
 */
export async function startApi(): Promise<Api> {
  const fresh = jwt(3600, 'fresh');
  const server = await startServer((req, res) => {
    const url = req.url ?? '';
    if (req.method === 'POST' && url === '/token') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: fresh, token_type: 'Bearer', expires_in: 3600 }));
      return;
    }
    if (req.method === 'POST' && url === '/token-denied') {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_grant', error_description: 'The refresh token has expired' }));
      return;
    }
    if (url === '/token-hang') return; // never answers: for cancelling
    const auth = req.headers.authorization ?? '';
    const match = /^Bearer ([^\s]+)$/.exec(auth);
    if (match && expOf(match[1]!) * 1000 > Date.now()) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"user":"me"}');
      return;
    }
    res.writeHead(401, {
      'content-type': 'application/json',
      'www-authenticate': 'Bearer error="invalid_token", error_description="The access token expired"',
    });
    res.end('{"error":"invalid_token"}');
  });
  return { ...server, fresh };
}

export interface PluginOptions {
  /** Path of the token endpoint on the API (`/token`, `/token-denied`, `/token-hang`). */
  tokenPath?: string;
  /** Offer a `re-sign` action (it re-stamps a header). */
  resign?: boolean;
}

/** A plugin shaped like the real ones: one rule that reads the challenge, a refresh action, an inspect action. */
export function tokenPlugin(options: PluginOptions = {}): PluginDefinition {
  const tokenPath = options.tokenPath ?? '/token';
  return definePlugin({
    name: 'test',
    rules: [
      defineRule({
        meta: { id: 'token-expired', title: 'Access token is expired', causes: ['expired_token'] },
        check(ctx) {
          const challenge = ctx.helpers.responseHeader('www-authenticate') ?? '';
          if (ctx.response?.status !== 401 || !challenge.includes('invalid_token')) return [];
          return [
            {
              cause: 'expired_token',
              confidence: 'definitive',
              messageId: 'expired',
              message: 'The server says the access token expired ("The access token expired").',
              evidence: { expiredSeconds: 600, decoded: 'user:secret-password\n' },
              fixes: ['Refresh the token (press r), or request a new one from the token endpoint.'],
              actions: ['test/refresh-token'],
            },
          ];
        },
      }),
      defineRule({
        meta: { id: 'header-present', title: 'Authorization header is present', causes: ['missing_credentials'] },
        check: (ctx) => (ctx.helpers.requestHeader('authorization') ? [] : [{ cause: 'missing_credentials', message: 'No Authorization header was sent.' }]),
      }),
      defineRule({
        meta: { id: 'not-basic', title: 'Not a Basic credential', causes: ['wrong_scheme'] },
        appliesTo: (ctx) => ctx.helpers.scheme() === 'basic',
        check: () => [],
      }),
    ],
    actions: [
      defineAction({
        id: 'refresh-token',
        title: 'Refresh the access token',
        kind: 'refresh',
        available: ({ spec }) => spec.headers.some((h) => h.name.toLowerCase() === 'authorization'),
        async run(ctx) {
          ctx.progress('calling the token endpoint…');
          const origin = new URL(ctx.spec.url).origin;
          const res = await ctx.http.request({ method: 'POST', url: `${origin}${tokenPath}`, body: 'grant_type=refresh_token', credentialed: true, signal: ctx.signal });
          if (res.status !== 200) {
            return {
              ok: false,
              message: `The token endpoint answered ${res.status}: invalid_grant.`,
              findings: [{ cause: 'refresh_failed', message: 'The refresh token has expired.', fixes: ['Sign in again to get a new refresh token.'] }],
            };
          }
          const token = (JSON.parse(res.body) as { access_token: string }).access_token;
          const headers = ctx.spec.headers.map((h) => (h.name.toLowerCase() === 'authorization' ? { name: h.name, value: `Bearer ${token}` } : h));
          return { ok: true, message: 'Got a new access token (expires in 3600 s)', spec: { ...ctx.spec, headers, secrets: [...(ctx.spec.secrets ?? []), token] } };
        },
      }),
      defineAction({
        id: 'whoami',
        title: 'Who am I',
        kind: 'inspect',
        available: () => true,
        run: async () => ({ ok: true, message: 'You are user-1', retry: false, details: { subject: 'user-1', tenant: 'acme' } }),
      }),
      ...(options.resign
        ? [
            defineAction({
              id: 're-sign',
              title: 'Re-sign the request',
              kind: 're-sign',
              available: () => true,
              run: async (ctx) => ({ ok: true, message: 'Signed again with the current time', spec: { ...ctx.spec, headers: [...ctx.spec.headers.filter((h) => h.name !== 'X-Signed-At'), { name: 'X-Signed-At', value: 'now' }] } }),
            }),
          ]
        : []),
    ],
  });
}

export function loaded(...plugins: PluginDefinition[]): LoadedPlugin[] {
  return plugins.map((plugin) => ({ plugin, source: `test:${plugin.name}`, builtin: false }));
}

/** A session opener for renderTui: an engine with the given plugins and a live request. */
export function liveSession(spec: RequestSpec, plugins: LoadedPlugin[], extra: Partial<Session> = {}): (signal: AbortSignal) => Promise<Session> {
  return async () => ({
    engine: new Engine({ plugins, redactor: new Redactor(), env: {} }),
    target: { kind: 'live', spec, describe: `${spec.method} ${spec.url}` },
    config: null,
    ...extra,
  });
}

export function bearerSpec(url: string, token: string, extra: Partial<RequestSpec> = {}): RequestSpec {
  return { method: 'GET', url, headers: [{ name: 'Authorization', value: `Bearer ${token}` }], ...extra };
}
