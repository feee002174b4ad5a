import type { Scenario } from '../types.ts';
import { headerValue, json, notFound, pathIs, randomToken } from './shared.ts';

interface State {
  key: string;
}

/** Anthropic's error shape (https://docs.anthropic.com/en/api/errors), with a request id. */
function anthropicError(status: number, type: string, message: string) {
  const requestId = `req_${randomToken(24)}`;
  return json(status, { type: 'error', error: { type, message }, request_id: requestId }, { 'request-id': requestId, 'x-should-retry': 'false' });
}

export const wrongHeader: Scenario<State> = {
  name: 'wrong-header',
  title: 'API key in the wrong header',
  summary: 'Key sent as Bearer; the API reads x-api-key.',
  story: [
    'The request was copied from an OpenAI example: the key goes as Authorization: Bearer. This API works like Anthropic\'s Messages API: it reads the key from the x-api-key header. It treats a Bearer value as an OAuth token and answers 401 authentication_error, "OAuth authentication is currently not supported."',
    'On api.anthropic.com authdoctor knows where the key goes from the host name. On 127.0.0.1 the demo passes that knowledge to the rules the way a profile would (apiKey.header: x-api-key).',
  ],
  modelledOn: 'Anthropic API: x-api-key authentication and its authentication_error answers (docs.anthropic.com/en/api/overview#authentication, /errors)',
  intended: { cause: 'wrong_scheme' },
  fix: [{ keys: '1', how: 'send the key in x-api-key instead (action 1 in the details), then retry: 200' }],
  setup: () => ({ key: `sk-ant-api03-${randomToken(93)}AA` }),
  handle(req, state) {
    if (!pathIs(req, '/v1/models')) return notFound(req);
    const key = headerValue(req.headers, 'x-api-key');
    if (!key) {
      return /^\s*Bearer\s/i.test(headerValue(req.headers, 'authorization') ?? '')
        ? anthropicError(401, 'authentication_error', 'OAuth authentication is currently not supported.')
        : anthropicError(401, 'authentication_error', 'x-api-key header is required');
    }
    if (key !== state.key) return anthropicError(401, 'authentication_error', 'invalid x-api-key');
    if (!headerValue(req.headers, 'anthropic-version')) return anthropicError(400, 'invalid_request_error', 'anthropic-version: header is required');
    return json(200, { data: [{ type: 'model', id: 'claude-demo-1', display_name: 'Claude (demo)', created_at: '2026-01-01T00:00:00Z' }], has_more: false, first_id: 'claude-demo-1', last_id: 'claude-demo-1' });
  },
  client(ctx, state) {
    return {
      kind: 'curl',
      command: `curl ${ctx.base}/v1/models -H "anthropic-version: 2023-06-01" -H "Authorization: Bearer $ANTHROPIC_API_KEY"`,
      env: { ANTHROPIC_API_KEY: state.key },
      // What the providers pack knows from api.anthropic.com; on 127.0.0.1 the demo says it.
      hints: { apiKey: { header: 'x-api-key' } },
    };
  },
};
