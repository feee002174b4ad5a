import type { Scenario } from '../types.ts';
import { bearerChallenge, bearerOf, json, notFound, pathIs, randomToken } from './shared.ts';

interface State {
  token: string;
}

export const basicToBearer: Scenario<State> = {
  name: 'basic-to-bearer',
  title: 'Basic sent to a Bearer-only API',
  summary: 'A token sent as Basic to a Bearer-only API.',
  story: [
    'The personal access token went as a Basic password (curl -u demo:$TOKEN). Some APIs accept that (GitHub does). This one takes tokens only as Authorization: Bearer, and it says so: 401 with WWW-Authenticate: Bearer realm="demo-api".',
    'The credential is right; only the scheme is wrong.',
  ],
  modelledOn: 'RFC 6750 §3 (a Bearer-only resource server answers a request without a token with a bare Bearer challenge)',
  intended: { cause: 'wrong_scheme' },
  fix: [{ keys: '1', how: 'send the password as a Bearer token (action 1 in the details), then retry: 200' }],
  setup: () => ({ token: `dpat_${randomToken(36)}` }),
  handle(req, state) {
    if (!pathIs(req, '/v1/me')) return notFound(req);
    const token = bearerOf(req);
    if (!token) return json(401, { error: 'unauthorized', message: 'Send a personal access token as Authorization: Bearer <token>.' }, bearerChallenge('demo-api'));
    if (token !== state.token) return json(401, { error: 'invalid_token', message: 'The token is not valid.' }, bearerChallenge('demo-api', { code: 'invalid_token', description: 'The token is not valid' }));
    return json(200, { user: 'demo', scopes: ['read'] });
  },
  client(ctx, state) {
    return { kind: 'curl', command: `curl ${ctx.base}/v1/me -u demo:$DEMO_TOKEN`, env: { DEMO_TOKEN: state.token } };
  },
};
