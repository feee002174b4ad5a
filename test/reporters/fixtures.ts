import { Redactor } from '../../src/core/redact.ts';
import { buildReport, type ActionRecord, type AttemptSummary, type Report } from '../../src/core/report.ts';
import type { Finding, Scheme } from '../../src/core/types.ts';
import { decideVerdict } from '../../src/core/verdict.ts';
import { makeExchange, type ExchangeInit } from '../helpers/exchange.ts';

/**
 * Reports built the way the CLI builds them: an exchange, hand-written findings (what the rules
 * would return), the real verdict and the real masking path (`buildReport`).
 */

/** A JWT-shaped access token; it must never appear in any reporter's output. */
export const ACCESS_TOKEN =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwiZXhwIjoxNzk1ODQyMDAwLCJhdWQiOiJhcGkifQ.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmUtc2lnbmF0dXJl';
export const SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

const EVALUATED_AT = new Date('2026-11-28T10:00:00.000Z');

export function finding(partial: Partial<Finding> & Pick<Finding, 'ruleId' | 'status'>): Finding {
  const plugin = partial.ruleId.split('/')[0]!;
  return {
    plugin,
    cause: null,
    title: partial.ruleId,
    message: partial.status === 'pass' ? 'No problem found.' : partial.status === 'skip' ? 'Does not apply to this request.' : '',
    evidence: {},
    fixes: [],
    durationMs: 1.2,
    ...partial,
  };
}

interface ReportInit {
  exchange: ExchangeInit & { transportError?: { code: string; message: string; phase?: 'connect' } };
  findings: Finding[];
  scheme: Scheme;
  requests?: { host: string; count: number }[];
  attempts?: AttemptSummary[];
  actions?: ActionRecord[];
  insecure?: boolean;
  capture?: Report['capture'];
}

export function reportFrom(init: ReportInit): Report {
  const exchange = makeExchange(init.exchange);
  if (init.exchange.transportError) exchange.transportError = init.exchange.transportError;
  if (init.insecure) exchange.insecure = true;
  if (init.capture) exchange.capture = init.capture;
  const redactor = new Redactor();
  redactor.addSecret(SECRET_ACCESS_KEY);
  return buildReport(
    {
      version: '0.1.0',
      exchange,
      evaluatedAt: EVALUATED_AT,
      scheme: init.scheme,
      verdict: decideVerdict(init.findings, exchange),
      findings: init.findings,
      requests: init.requests ?? [],
      attempts: init.attempts,
      actions: init.actions,
    },
    redactor,
  );
}

/** A live 401 with an expired bearer token, and one finding of every status. */
export function expiredTokenReport(): Report {
  return reportFrom({
    scheme: 'bearer',
    requests: [{ host: 'api.example.com', count: 1 }],
    exchange: {
      mode: 'live',
      method: 'GET',
      url: 'https://api.example.com/v1/me',
      requestHeaders: { Authorization: `Bearer ${ACCESS_TOKEN}`, Accept: 'application/json' },
      status: 401,
      statusText: 'Unauthorized',
      responseHeaders: {
        'WWW-Authenticate': 'Bearer realm="api", error="invalid_token", error_description="The access token expired"',
        'Content-Type': 'application/json',
        Date: 'Sat, 28 Nov 2026 10:00:00 GMT',
      },
      responseBody: '{"error":"invalid_token","error_description":"The access token expired"}',
    },
    findings: [
      finding({
        ruleId: 'oauth2/token-expired',
        status: 'fail',
        cause: 'expired_token',
        confidence: 'definitive',
        messageId: 'expired',
        title: 'Access token is expired',
        message: `The access token ${'Bearer ' + ACCESS_TOKEN} expired at 2026-11-28T07:00:00Z, 3 h before the request was sent, and the server says so (error="invalid_token").`,
        evidence: { exp: '2026-11-28T07:00:00Z', expiredSeconds: 10_800, 'www-authenticate error': 'invalid_token' },
        fixes: ['Refresh the access token with your refresh token, or request a new one from the token endpoint, then send the request again.'],
        actions: ['oauth2/refresh-token'],
      }),
      finding({ ruleId: 'oauth2/jwt-shape', status: 'pass', title: 'Token is a well-formed JWT' }),
      finding({
        ruleId: 'oauth2/audience',
        status: 'warn',
        cause: null,
        messageId: 'no-audience',
        title: 'Audience not checked',
        message: 'The token has aud "api" but no profile says which audience this API expects.',
        evidence: { aud: 'api', scopes: ['read:user', 'read:org'] },
        fixes: ['Set oauth2.audience in the profile so authdoctor can compare the token with the API.'],
      }),
      finding({ ruleId: 'http/www-authenticate', status: 'pass', title: 'WWW-Authenticate challenge present', message: 'The server offers Bearer (realm "api").' }),
      finding({
        ruleId: 'http/clock',
        status: 'warn',
        cause: 'clock_skew',
        title: 'Client clock is ahead of the server',
        message: 'The response Date is 7 minutes behind the client clock.',
        evidence: { skewSeconds: -420, serverDate: 'Sat, 28 Nov 2026 10:00:00 GMT' },
        fixes: ['Synchronise the clock: run `sudo timedatectl set-ntp true` (Linux) or enable automatic time in the system settings.'],
      }),
      finding({ ruleId: 'aws-sigv4/signature', status: 'skip', title: 'SigV4 signature' }),
      finding({ ruleId: 'aws-sigv4/region', status: 'skip', title: 'SigV4 region and service' }),
      finding({ ruleId: 'basic/decode', status: 'skip', title: 'Basic credentials decode' }),
      finding({
        ruleId: 'acme/broken',
        status: 'error',
        title: 'Acme tenant check',
        message: "Rule threw: TypeError: Cannot read properties of undefined (reading 'tenant')",
        fixes: ['This is a bug in acme/broken (./rules/acme.ts); the other checks are unaffected.'],
      }),
      finding({ ruleId: 'acme/slow', status: 'timeout', title: 'Acme introspection', message: 'Rule did not finish within 2000 ms and was stopped.', evidence: { timeoutMs: 2000 } }),
    ],
  });
}

/** No HTTP response at all (exit 3): connection refused. */
export function transportFailureReport(): Report {
  return reportFrom({
    scheme: 'api-key',
    exchange: {
      mode: 'live',
      method: 'POST',
      url: 'http://127.0.0.1:9/v1/things?api_key=abcdefghijklmnopqrstuvwx',
      requestHeaders: { 'Content-Type': 'application/json' },
      requestBody: '{"name":"thing"}',
      status: null,
      transportError: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9', phase: 'connect' },
    },
    findings: [
      finding({
        ruleId: 'http/transport',
        status: 'warn',
        title: 'No HTTP response',
        message: 'Nothing listens on 127.0.0.1:9: the connection was refused before any credential was checked.',
        evidence: { code: 'ECONNREFUSED', phase: 'connect' },
        fixes: ['Check the host and port in the URL, and that the service is running.'],
      }),
      finding({ ruleId: 'api-key/placement', status: 'skip', title: 'API key placement' }),
    ],
  });
}

/** A SigV4 403 whose canonical request differs, then a re-sign and a 200. */
export function signatureReport(diff: unknown[] = defaultDiff()): Report {
  return reportFrom({
    scheme: 'aws-sigv4',
    requests: [
      { host: 's3.eu-west-1.amazonaws.com', count: 2 },
      { host: 'sts.amazonaws.com', count: 1 },
    ],
    exchange: {
      mode: 'live',
      method: 'GET',
      url: 'https://s3.eu-west-1.amazonaws.com/bucket/key.txt',
      requestHeaders: {
        Authorization:
          'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261128/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024',
        'x-amz-date': '20261128T100000Z',
      },
      status: 403,
      statusText: 'Forbidden',
      responseHeaders: { 'Content-Type': 'application/xml' },
      responseBody: '<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error>',
    },
    attempts: [
      { n: 1, status: 403, cause: 'signature_mismatch', durationMs: 312 },
      { n: 2, status: 200, cause: 'none', durationMs: 95, change: 're-signed for region eu-west-1' },
    ],
    actions: [{ id: 'aws-sigv4/re-sign', ok: true, message: 'Re-signed the request for eu-west-1/s3.', details: { region: 'eu-west-1', service: 's3' } }],
    findings: [
      finding({
        ruleId: 'aws-sigv4/signature',
        status: 'fail',
        cause: 'signature_mismatch',
        confidence: 'definitive',
        title: 'Signature does not match',
        message: 'S3 computed a different canonical request (SignatureDoesNotMatch).',
        evidence: { code: 'SignatureDoesNotMatch', canonicalDiff: diff },
        fixes: ['Sign the exact path and query that are sent; percent-encode each path segment once.'],
        actions: ['aws-sigv4/re-sign'],
      }),
      finding({ ruleId: 'aws-sigv4/clock', status: 'pass', title: 'Signing time within 15 minutes' }),
    ],
  });
}

export function defaultDiff(): { element: string; sent: string; received: string }[] {
  return [
    { element: 'path', sent: '/bucket/key.txt', received: '/bucket/key%2Etxt' },
    { element: 'header:host', sent: 's3.eu-west-1.amazonaws.com', received: 's3.amazonaws.com' },
  ];
}

/** An offline HAR analysis whose exporter removed the credentials. */
export function offlineReport(): Report {
  return reportFrom({
    scheme: 'unknown',
    capture: {
      file: 'captures/login.har',
      entryIndex: 3,
      entryCount: 120,
      creator: 'WebInspector 537.36',
      startedDateTime: '2026-11-28T10:00:00.000Z',
      sanitizedHeaders: ['authorization', 'cookie'],
    },
    exchange: { mode: 'offline', status: 401, statusText: 'Unauthorized' },
    findings: [finding({ ruleId: 'http/status', status: 'pass', title: 'Status class' })],
  });
}
