import type { Scenario } from '../types.ts';
import { bearerChallenge, bearerOf, json, notFound, pathIs, randomToken } from './shared.ts';

interface State {
  token: string;
}

export const proxyStripsAuth: Scenario<State> = {
  name: 'proxy-strips-auth',
  title: 'A proxy strips Authorization',
  summary: 'A proxy drops Authorization on the way.',
  story: [
    'The profile sends the request through a forward proxy (the demo runs a real one on 127.0.0.1). Its configuration removes Authorization, as a Squid with "request_header_access Authorization deny all" does. The API never sees the token and answers 401 with a bare Bearer challenge.',
    'Sending the same request without the proxy tells it apart: only the direct request works. In real life, ask for the header to pass through, or put the host in NO_PROXY.',
  ],
  modelledOn: 'RFC 9110 §7.6 (intermediaries), RFC 6750 §3 (the challenge without a token)',
  intended: { cause: 'proxy_auth', checkFlags: ['--probe'] },
  fix: [{ keys: 'p', how: 'send it again without the proxy: 200 directly, so the proxy is the cause' }],
  setup: () => ({ token: `dtk_${randomToken(32)}` }),
  handle(req, state) {
    if (!pathIs(req, '/v1/projects')) return notFound(req);
    const token = bearerOf(req);
    if (!token) return json(401, { error: 'unauthorized', message: 'No access token was provided.' }, bearerChallenge('demo-api'));
    if (token !== state.token) return json(401, { error: 'invalid_token' }, bearerChallenge('demo-api', { code: 'invalid_token', description: 'The token is not valid' }));
    return json(200, { projects: [{ id: 'p-1', name: 'demo' }] });
  },
  async client(ctx, state) {
    const file = await ctx.writeSecret('token', state.token);
    return { kind: 'profile', profile: { request: { url: `${ctx.base}/v1/projects` }, auth: { scheme: 'bearer', token: { file } }, proxy: ctx.proxyOrigin } };
  },
};
