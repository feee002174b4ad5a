import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedPlugin, RuleHttpClient } from '../../src/core/plugin.ts';
import { Redactor } from '../../src/core/redact.ts';
import { runRules } from '../../src/core/runner.ts';
import type { Exchange, Finding } from '../../src/core/types.ts';
import { decideVerdict } from '../../src/core/verdict.ts';
import { loadPlugins } from '../../src/plugins/loader.ts';
import { fc, hostileString } from './fc.ts';

/**
 * Every built-in rule reads what servers send: provider error bodies in JSON and XML, challenge
 * headers, dates, redirects. Whatever a server answers, no rule throws, hangs or returns garbage
 * (an `error` or `timeout` finding is a rule bug), and the verdict is always one of the causes.
 */

let plugins: LoadedPlugin[];
beforeAll(async () => {
  plugins = await loadPlugins();
});

/** Rules with `network: true` get a client that answers 404 to everything, as a quiet server would. */
const quietHttp: RuleHttpClient = {
  request: async () => ({ status: 404, statusText: 'Not Found', headers: [{ name: 'content-type', value: 'text/plain' }], body: 'not found' }),
};
/** …or one that fails like an unreachable host. */
const failingHttp: RuleHttpClient = {
  request: async () => {
    throw new Error('The host name could not be resolved (DNS).');
  },
};

const ERROR_KEYS = ['error', 'error_description', 'error_code', 'message', 'code', 'errors', 'fault', 'detail', 'title', 'status', 'type', 'reason', 'Error', 'Code', 'Message', '__type', 'errorSummary', 'errorCode', 'error_uri', 'ok', 'msg', 'statusCode'];
const ERROR_WORDS = ['invalid_token', 'invalid_grant', 'invalid_client', 'expired_token', 'insufficient_scope', 'unauthorized', 'Unauthorized', 'AccessDenied', 'SignatureDoesNotMatch', 'InvalidAccessKeyId', 'ExpiredToken', 'RequestTimeTooSkewed', 'invalid_auth', 'not_authed', 'token_expired', 'Bad credentials', 'authentication_error', 'invalid_api_key', 'AuthenticationFailed', 'E0000011', 'PERMISSION_DENIED', 'UNAUTHENTICATED', '401', 401, 403, null, true, ''];

/** JSON shaped like provider errors: the keys rules look for, with values of any type. */
const jsonBody = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constantFrom(...ERROR_WORDS), fc.jsonValue({ maxDepth: 1 }), hostileString(30), tie('object'), fc.array(tie('value'), { maxLength: 3 })),
  object: fc.dictionary(fc.oneof(fc.constantFrom(...ERROR_KEYS), fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 5 }),
})).object.map((o) => JSON.stringify(o));

const xmlText = fc.oneof(fc.constantFrom(...ERROR_WORDS.filter((w): w is string => typeof w === 'string')), hostileString(20)).map((t) => t.replace(/[<&]/g, ''));
const xmlBody = fc
  .tuple(fc.constantFrom('Error', 'ErrorResponse', 'AuthenticationErrorDetail', 'error', 'Response'), fc.array(fc.tuple(fc.constantFrom('Code', 'Message', 'RequestId', 'StringToSign', 'CanonicalRequest', 'AuthenticationErrorDetail', 'ServerTime', 'Error', 'x'), xmlText), { maxLength: 5 }), fc.boolean())
  .map(([root, children, broken]) => `<?xml version="1.0" encoding="UTF-8"?><${root}>${children.map(([k, v]) => `<${k}>${v}</${k}>`).join('')}${broken ? '' : `</${root}>`}`);
const body = fc.oneof(jsonBody, xmlBody, hostileString(200), fc.constantFrom('', '<html><body>Login</body></html>', 'null', '[]', '{', '<', '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'));

const headerValue = fc.oneof(hostileString(60), fc.constantFrom('Bearer realm="api", error="invalid_token", error_description="The access token expired"', 'Basic realm="x", charset="UTF-8"', 'Bearer error="insufficient_scope", scope="read write"', 'Negotiate', 'AWS4-HMAC-SHA256', 'Digest realm="x", nonce="abc", qop="auth"'));
const responseHeaders = fc.array(
  fc.oneof(
    fc.record({ name: fc.constantFrom('WWW-Authenticate', 'Proxy-Authenticate'), value: headerValue }),
    fc.record({ name: fc.constantFrom('Content-Type'), value: fc.constantFrom('application/json', 'application/xml', 'text/html', 'text/plain', 'application/problem+json', '') }),
    fc.record({ name: fc.constantFrom('Date', 'Retry-After', 'x-amzn-ErrorType', 'x-amz-request-id', 'Location', 'Set-Cookie', 'X-GitHub-SSO', 'x-ms-error-code', 'X-Seraph-LoginReason', 'Via', 'Server'), value: fc.oneof(hostileString(40), fc.date({ noInvalidDate: true }).map((d) => d.toUTCString())) }),
  ),
  { maxLength: 5 },
);

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const jwt = fc
  .tuple(fc.dictionary(fc.constantFrom('alg', 'typ', 'kid'), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }), fc.dictionary(fc.constantFrom('exp', 'nbf', 'iat', 'iss', 'aud', 'scope', 'scp', 'sub', 'azp', 'token_use'), fc.oneof(fc.integer(), fc.jsonValue({ maxDepth: 1 })), { maxKeys: 6 }))
  .map(([h, p]) => `${b64url(h)}.${b64url(p)}.c2ln`);
const requestHeaders = fc.array(
  fc.oneof(
    fc.record({ name: fc.constant('Authorization'), value: fc.oneof(jwt.map((t) => `Bearer ${t}`), fc.constantFrom('Bearer null', 'Bearer $TOKEN', 'Basic dXNlcjpwYXNz', 'Basic ???', 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261128/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc', 'token ghp_abcdefghijklmnopqrstuvwxyz0123456789'), hostileString(60)) }),
    fc.record({ name: fc.constantFrom('X-API-Key', 'Cookie', 'X-Amz-Date', 'X-Amz-Security-Token', 'Content-Type', 'Proxy-Authorization', 'Private-Token', 'X-Amz-Content-Sha256'), value: hostileString(50) }),
  ),
  { maxLength: 4 },
);

const exchange: fc.Arbitrary<Exchange> = fc
  .record({
    method: fc.constantFrom('GET', 'POST', 'PUT'),
    url: fc.oneof(fc.webUrl({ withQueryParameters: true }), fc.constantFrom('https://api.github.com/user', 'https://s3.amazonaws.com/bucket?X-Amz-Signature=abc&X-Amz-Credential=AKIA%2F20261128%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261128T100000Z&X-Amz-Expires=60', 'https://login.example.com/oauth2/token', 'https://u:p@x.example/')),
    requestHeaders,
    requestBody: fc.option(fc.oneof(fc.constantFrom('grant_type=refresh_token&refresh_token=abc', 'grant_type=client_credentials&client_id=x'), hostileString(60)), { nil: undefined }),
    status: fc.oneof(fc.constantFrom(200, 301, 400, 401, 403, 407, 429, 500), fc.integer({ min: 100, max: 599 }), fc.constant(null)),
    responseHeaders,
    body,
    redirects: fc.array(fc.record({ status: fc.constantFrom(301, 302, 307), from: fc.webUrl(), to: fc.webUrl(), crossOrigin: fc.boolean(), droppedHeaders: fc.constantFrom<string[]>([], ['Authorization']) }), { maxLength: 2 }),
    sentAt: fc.date({ noInvalidDate: true, min: new Date('2000-01-01'), max: new Date('2100-01-01') }),
    mode: fc.constantFrom('live', 'offline'),
  })
  .map((r): Exchange => ({
    mode: r.mode as Exchange['mode'],
    request: { method: r.method, url: r.url, headers: r.requestHeaders, body: r.requestBody },
    response: r.status === null ? null : { status: r.status, statusText: '', headers: r.responseHeaders, body: r.body },
    redirects: r.redirects,
    sentAt: r.sentAt,
    ...(r.status === null ? { transportError: { code: 'ECONNRESET', message: 'The connection was reset before a response arrived.' } } : {}),
  }));


function problems(findings: readonly Finding[]): string[] {
  return findings
    .filter((f) => f.status === 'error' || f.status === 'timeout')
    .map((f) => `${f.ruleId}: ${f.status}: ${f.message}`);
}

describe('the built-in rules, property-based', () => {
  it('no rule throws, hangs or returns garbage, whatever the server answered', async () => {
    await fc.assert(
      fc.asyncProperty(exchange, fc.boolean(), fc.record({ oauth2: fc.option(fc.record({ issuer: fc.webUrl(), audience: fc.string() }), { nil: undefined }), scheme: fc.option(fc.constantFrom('oauth2', 'api-key', 'basic', 'bearer', 'aws-sigv4'), { nil: undefined }) }, { requiredKeys: [] }), async (ex, failing, profile) => {
        const findings = await runRules(plugins, { exchange: ex, http: failing ? failingHttp : quietHttp, signal: new AbortController().signal, redactor: new Redactor(), profile, ruleTimeoutMs: 5_000 });
        expect(problems(findings)).toEqual([]);
        const verdict = decideVerdict(findings, ex);
        expect(typeof verdict.cause).toBe('string');
      }),
    );
  }, 120_000);
});
