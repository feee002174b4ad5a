import type { Scenario } from '../types.ts';
import { headerValue, json, notFound, pathIs, randomToken } from './shared.ts';

interface State {
  key: string;
}

export const keyFileNewline: Scenario<State> = {
  name: 'key-file-newline',
  title: 'API key file ends with a newline',
  summary: 'The API key file ends with a newline.',
  story: [
    'The profile reads the API key from a file, and the file ends with a newline (echo or an editor added it). The header value then holds a line break. Node refuses to send such a header (ERR_INVALID_CHAR), so the request never leaves this machine. In a shell you rarely see this: $(cat file) drops trailing newlines. Programs that read the file keep them.',
    'The key file is in the demo folder under key-file-newline/api-key. Fix it there (printf %s "$(cat api-key)" > api-key) and press r to read it again, or trim the value here.',
  ],
  modelledOn: 'RFC 9110 §5.5 (field values cannot contain CR/LF); Node.js ERR_INVALID_CHAR',
  intended: { cause: 'malformed_credentials' },
  fix: [
    { keys: 'e Enter', how: 'edit the header: the first suggestion trims the stray newline, Enter applies it and retries: 200' },
    { keys: 'r', how: 'or fix the file in another terminal and read it again', or: true },
  ],
  setup: () => ({ key: `dmk_${randomToken(32)}` }),
  handle(req, state) {
    if (!pathIs(req, '/v1/status')) return notFound(req);
    const key = headerValue(req.headers, 'x-api-key');
    if (!key) return json(401, { error: { code: 'missing_api_key', message: 'Pass your API key in the X-API-Key header.' } });
    if (key !== state.key) return json(401, { error: { code: 'invalid_api_key', message: 'The API key is not valid.' } });
    return json(200, { status: 'ok', plan: 'demo' });
  },
  async client(ctx, state) {
    const file = await ctx.writeSecret('api-key', `${state.key}\n`);
    return { kind: 'profile', profile: { request: { url: `${ctx.base}/v1/status` }, auth: { scheme: 'api-key', key: { file }, header: 'X-API-Key' } } };
  },
};
