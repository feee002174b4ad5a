import type { Scenario } from '../types.ts';
import { headerValue, json, notFound, pathIs, randomToken } from './shared.ts';

interface State {
  user: string;
  password: string;
}

export const echoBasic: Scenario<State> = {
  name: 'echo-basic',
  title: 'Basic credentials made with echo',
  summary: 'Basic made with echo | base64: a newline inside.',
  story: [
    'The Basic value was made with echo demo:$PASSWORD | base64. echo ends its output with a newline, so base64 encoded "demo:password\\n" and the server sees a wrong password. It answers 401 with WWW-Authenticate: Basic realm="demo".',
    'Decoding the value shows the stray newline. In real life the fix is printf \'%s\' \'demo:PASSWORD\' | base64 (or echo -n), or curl -u demo:$PASSWORD.',
  ],
  modelledOn: 'RFC 7617 (Basic): 401 with a Basic challenge for wrong credentials',
  intended: { cause: 'malformed_credentials' },
  fix: [{ keys: 'e Enter', how: 'edit the header: the suggested fix re-encodes it without the newline; Enter retries: 200' }],
  setup: () => ({ user: 'demo', password: `pw-${randomToken(20)}` }),
  handle(req, state) {
    if (!pathIs(req, '/v1/me')) return notFound(req);
    const auth = headerValue(req.headers, 'authorization') ?? '';
    const m = /^Basic\s+(\S+)$/i.exec(auth);
    const decoded = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : undefined;
    if (decoded !== `${state.user}:${state.password}`) {
      return { status: 401, headers: { 'www-authenticate': 'Basic realm="demo", charset="UTF-8"', 'content-type': 'text/plain; charset=utf-8' }, body: 'Unauthorized\n' };
    }
    return json(200, { user: state.user, name: 'Demo User' });
  },
  client(ctx, state) {
    // `echo demo:$PASSWORD | base64`: echo's newline is encoded too.
    const made = Buffer.from(`${state.user}:${state.password}\n`, 'utf8').toString('base64');
    return { kind: 'curl', command: `curl ${ctx.base}/v1/me -H "Authorization: Basic $DEMO_BASIC"`, env: { DEMO_BASIC: made } };
  },
};
