/**
 * An in-process AWS-like endpoint on 127.0.0.1 that verifies SigV4 signatures with an INDEPENDENT
 * verifier from npm, and answers in AWS's documented error formats. For tests, the demo cloud and
 * TUI tests.
 *
 * Why @filen/aws4-express: read its code (src/awsSignature.ts) — it rebuilds the canonical request
 * from the request as received (method, path encoded twice like AWS's non-S3 services, sorted and
 * RFC 3986-encoded query, the SignedHeaders values trimmed, x-amz-content-sha256 or the SHA-256 of
 * the raw body), derives the key from the secret + scope date/region/service and compares the whole
 * Authorization header it computes with the one received. It is generic (any service), has no
 * framework dependency at run time (it only calls `req.header()`), and its protected
 * `canonicalString()` / `stringToSign()` let us echo what it computed — as S3 and the other
 * services do. (s3rver also verifies, but is S3-only, requires x-amz-content-sha256, and does not
 * expose its canonical request.)
 *
 * What aws4-express does NOT check, and this helper adds with AWS's documented behaviour and error
 * bodies: the credential scope's region and service ("Credential should be scoped to a valid
 * region", S3's AuthorizationHeaderMalformed with <Region>), the 15-minute clock window
 * (RequestTimeTooSkewed / "Signature expired: … (… - 15 min.)"), unknown keys (InvalidAccessKeyId /
 * InvalidClientTokenId / UnrecognizedClientException), session tokens (ExpiredToken, a missing or
 * wrong token), and a missing signature. Its own failures are plain text ("The signature does not
 * match"); this helper wraps them in the documented formats: S3 REST-XML `<Error>` with
 * <StringToSign>, <CanonicalRequest> and their bytes; Query `<ErrorResponse>` whose message ends
 * with "The Canonical String for this request should have been '…' The String-to-Sign should have
 * been '…'"; JSON `{"__type": …, "message": …}` with `x-amzn-ErrorType`.
 *
 * Limitation: aws4-express always encodes the path twice (correct for every service but S3), so S3
 * paths with characters that need encoding are verified the non-S3 way.
 */

import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import aws4Express from '@filen/aws4-express';

const { AwsSignature } = aws4Express;

/** A verifier per request (aws4-express keeps per-request state on the instance). */
class EchoingVerifier extends AwsSignature {
  computed(): { canonicalRequest: string; stringToSign: string } {
    return { canonicalRequest: this.canonicalString(), stringToSign: this.stringToSign() };
  }
}

export type ErrorProtocol = 's3' | 'query' | 'json';

export interface ServerCredential {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary credentials: the token that must accompany the key. */
  sessionToken?: string;
  /** After this (server clock), the session token is expired. */
  expiresAt?: Date;
  account?: string;
  arn?: string;
}

export interface SigV4ServerOptions {
  /** Which AWS error format to answer in. Default `json`. */
  protocol?: ErrorProtocol;
  /** The region requests must be signed for. Default us-east-1. */
  region?: string;
  /** The service name requests must be signed for. Default: s3, sts or execute-api by protocol. */
  service?: string;
  credentials?: ServerCredential[];
  /** The server's clock. Default: the real time. */
  clock?: () => Date;
  /** Allowed skew in seconds. Default 900 (15 minutes), as AWS. */
  maxSkewSeconds?: number;
  /** Echo the canonical request on a signature mismatch, as AWS does. Default true. */
  echoCanonical?: boolean;
  /** Answer for a verified request (default: 200 JSON with the caller, or STS GetCallerIdentity). */
  onVerified?: (req: ReceivedRequest, credential: ServerCredential, res: ServerResponse) => void;
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface SigV4Server {
  url: string;
  origin: string;
  port: number;
  region: string;
  service: string;
  protocol: ErrorProtocol;
  /** Every request received, in order. */
  received: ReceivedRequest[];
  setClock(clock: () => Date): void;
  addCredential(credential: ServerCredential): void;
  close(): Promise<void>;
}

const DEFAULT_SERVICE: Record<ErrorProtocol, string> = { s3: 's3', query: 'sts', json: 'execute-api' };

function xml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function hexBytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('hex').match(/../g)?.join(' ') ?? '';
}

function amzDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

function parseAmz(value: string | undefined): Date | undefined {
  const m = value ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value) : null;
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : undefined;
}

interface ErrorSpec {
  status: number;
  code: string;
  message: string;
  /** S3 extra elements. */
  fields?: Record<string, string>;
}

function sendError(res: ServerResponse, protocol: ErrorProtocol, service: string, e: ErrorSpec): void {
  const requestId = randomUUID();
  if (protocol === 's3') {
    const extra = Object.entries(e.fields ?? {}).map(([k, v]) => `<${k}>${xml(v)}</${k}>`).join('');
    res.writeHead(e.status, { 'content-type': 'application/xml', 'x-amz-request-id': requestId.slice(0, 16).toUpperCase(), 'x-amz-id-2': Buffer.from(requestId).toString('base64'), server: 'AmazonS3' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${e.code}</Code><Message>${xml(e.message)}</Message>${extra}<RequestId>${requestId.slice(0, 16).toUpperCase()}</RequestId><HostId>${Buffer.from(requestId).toString('base64')}</HostId></Error>`);
    return;
  }
  if (protocol === 'query') {
    res.writeHead(e.status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
    res.end(`<ErrorResponse xmlns="https://${service}.amazonaws.com/doc/2011-06-15/">\n  <Error>\n    <Type>Sender</Type>\n    <Code>${e.code}</Code>\n    <Message>${xml(e.message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`);
    return;
  }
  res.writeHead(e.status, { 'content-type': 'application/json', 'x-amzn-errortype': `${e.code}:http://internal.amazon.com/coral/com.amazon.coral.service/`, 'x-amzn-requestid': requestId });
  res.end(JSON.stringify({ __type: `com.amazon.coral.service#${e.code}`, message: e.message }));
}

/** The codes each protocol family uses for the same condition (from the services' error docs). */
const CODES = {
  unknownKey: { s3: ['InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.'], query: ['InvalidClientTokenId', 'The security token included in the request is invalid.'], json: ['UnrecognizedClientException', 'The security token included in the request is invalid.'] },
  badToken: { s3: ['InvalidToken', 'The provided token is malformed or otherwise invalid.'], query: ['InvalidClientTokenId', 'The security token included in the request is invalid.'], json: ['UnrecognizedClientException', 'The security token included in the request is invalid.'] },
  expiredToken: { s3: ['ExpiredToken', 'The provided token has expired.'], query: ['ExpiredToken', 'The security token included in the request is expired'], json: ['ExpiredTokenException', 'The security token included in the request is expired'] },
  signature: { s3: 'SignatureDoesNotMatch', query: 'SignatureDoesNotMatch', json: 'InvalidSignatureException' },
  missing: { s3: ['AccessDenied', 'Access Denied'], query: ['MissingAuthenticationToken', 'Request is missing Authentication Token'], json: ['MissingAuthenticationTokenException', 'Missing Authentication Token'] },
  incomplete: { s3: 'AuthorizationHeaderMalformed', query: 'IncompleteSignature', json: 'IncompleteSignatureException' },
} as const;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', () => resolve(body));
  });
}

export async function startSigV4Server(options: SigV4ServerOptions = {}): Promise<SigV4Server> {
  const protocol = options.protocol ?? 'json';
  const region = options.region ?? 'us-east-1';
  const service = options.service ?? DEFAULT_SERVICE[protocol];
  const maxSkew = options.maxSkewSeconds ?? 900;
  const echo = options.echoCanonical ?? true;
  let clock = options.clock ?? (() => new Date());
  const credentials = new Map<string, ServerCredential>((options.credentials ?? []).map((c) => [c.accessKeyId, c]));
  const received: ReceivedRequest[] = [];

  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const record: ReceivedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: { ...req.headers }, body };
    received.push(record);
    const fail = (e: ErrorSpec) => sendError(res, protocol, service, e);
    const authorization = req.headers.authorization;
    if (!authorization) {
      const [code, message] = CODES.missing[protocol];
      return fail({ status: 403, code, message });
    }
    // Structure (AWS splits the parameters on commas and whitespace).
    if (!authorization.startsWith('AWS4-HMAC-SHA256 ')) {
      return fail({ status: 400, code: CODES.incomplete[protocol], message: `Unsupported AWS 'algorithm': '${authorization.split(/\s/)[0]}'.` });
    }
    const pieces = authorization.slice('AWS4-HMAC-SHA256 '.length).split(/[,\s]+/).filter(Boolean);
    const stray = pieces.find((p) => !p.includes('='));
    if (stray) {
      return fail({ status: 400, code: CODES.incomplete[protocol], message: `'${stray}' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization}'.` });
    }
    const param = (name: string) => pieces.find((p) => p.startsWith(`${name}=`))?.slice(name.length + 1);
    const credential = param('Credential');
    for (const name of ['Credential', 'SignedHeaders', 'Signature']) {
      if (param(name) === undefined) return fail({ status: 400, code: CODES.incomplete[protocol], message: `Authorization header requires '${name}' parameter. Authorization=${authorization}` });
    }
    const parts = credential!.split('/');
    if (parts.length !== 5) {
      return fail({ status: 400, code: CODES.incomplete[protocol], message: `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'` });
    }
    const [keyId, , scopeRegion, scopeService] = parts as [string, string, string, string, string];
    // Scope: region and service.
    if (scopeRegion !== region) {
      if (protocol === 's3') {
        return fail({ status: 400, code: 'AuthorizationHeaderMalformed', message: `The authorization header is malformed; the region '${scopeRegion}' is wrong; expecting '${region}'`, fields: { Region: region } });
      }
      return fail({ status: 403, code: CODES.signature[protocol], message: `Credential should be scoped to a valid region, not '${scopeRegion}'. ` });
    }
    if (scopeService !== service) {
      return fail({ status: 403, code: CODES.signature[protocol], message: `Credential should be scoped to correct service: '${service}'. ` });
    }
    // Clock.
    const now = clock();
    const amz = req.headers['x-amz-date'] as string | undefined;
    const requestTime = parseAmz(amz);
    if (!requestTime) {
      return fail({ status: 403, code: protocol === 's3' ? 'AccessDenied' : CODES.incomplete[protocol], message: 'AWS authentication requires a valid Date or x-amz-date header' });
    }
    const skew = (requestTime.getTime() - now.getTime()) / 1000;
    if (Math.abs(skew) > maxSkew) {
      if (protocol === 's3') {
        return fail({ status: 403, code: 'RequestTimeTooSkewed', message: 'The difference between the request time and the current time is too large.', fields: { RequestTime: amz!, ServerTime: now.toISOString().replace(/\.\d{3}Z$/, 'Z'), MaxAllowedSkewMilliseconds: String(maxSkew * 1000) } });
      }
      const minutes = Math.round(maxSkew / 60);
      const message = skew < 0
        ? `Signature expired: ${amz} is now earlier than ${amzDate(new Date(now.getTime() - maxSkew * 1000))} (${amzDate(now)} - ${minutes} min.)`
        : `Signature not yet current: ${amz} is still later than ${amzDate(new Date(now.getTime() + maxSkew * 1000))} (${amzDate(now)} + ${minutes} min.)`;
      return fail({ status: 403, code: CODES.signature[protocol], message });
    }
    // Key and token.
    const known = credentials.get(keyId);
    if (!known) {
      const [code, message] = CODES.unknownKey[protocol];
      return fail({ status: 403, code, message, ...(protocol === 's3' ? { fields: { AWSAccessKeyId: keyId } } : {}) });
    }
    const token = req.headers['x-amz-security-token'] as string | undefined;
    if (known.sessionToken !== undefined || token !== undefined) {
      if (token !== known.sessionToken) {
        const [code, message] = (known.sessionToken === undefined || token === undefined ? CODES.unknownKey : CODES.badToken)[protocol];
        return fail({ status: 403, code, message });
      }
      if (known.expiresAt && known.expiresAt.getTime() <= now.getTime()) {
        const [code, message] = CODES.expiredToken[protocol];
        return fail({ status: 403, code, message });
      }
    }
    // The signature, by the independent verifier.
    const verifier = new EchoingVerifier();
    const shim = Object.assign(req, {
      rawBody: body,
      header: (name: string) => {
        const v = req.headers[name.toLowerCase()];
        return Array.isArray(v) ? v.join(', ') : v;
      },
    });
    type Outcome = 'ok' | 'mismatch' | 'missing' | 'expired' | 'error';
    // Assigned in the verifier's callbacks: widen so TypeScript does not narrow it to 'error'.
    let outcome = 'error' as Outcome;
    await verifier.verify({
      secretKey: () => known.secretAccessKey,
      onSignatureMismatch: () => {
        outcome = 'mismatch';
      },
      onMissingHeaders: () => {
        outcome = 'missing';
      },
      onExpired: () => {
        outcome = 'expired';
      },
      onSuccess: () => {
        outcome = 'ok';
      },
    })(shim, res, () => {
      outcome = 'error';
    });
    if (outcome === 'ok') {
      if (options.onVerified) return options.onVerified(record, known, res);
      const action = new URLSearchParams(body).get('Action') ?? new URL(record.url, 'http://x').searchParams.get('Action');
      if (action === 'GetCallerIdentity') {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(`<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <GetCallerIdentityResult>\n    <Arn>${xml(known.arn ?? `arn:aws:iam::${known.account ?? '123456789012'}:user/test`)}</Arn>\n    <UserId>AIDA${keyId.slice(4, 20)}</UserId>\n    <Account>${known.account ?? '123456789012'}</Account>\n  </GetCallerIdentityResult>\n  <ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>\n</GetCallerIdentityResponse>\n`);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() });
      res.end(JSON.stringify({ ok: true, caller: known.arn ?? keyId, method: record.method, path: record.url }));
      return;
    }
    if (outcome === 'mismatch') {
      const { canonicalRequest, stringToSign } = verifier.computed();
      const signatureProvided = param('Signature') ?? '';
      if (protocol === 's3') {
        return fail({
          status: 403,
          code: 'SignatureDoesNotMatch',
          message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
          fields: {
            AWSAccessKeyId: keyId,
            StringToSign: stringToSign,
            SignatureProvided: signatureProvided,
            StringToSignBytes: hexBytes(stringToSign),
            ...(echo ? { CanonicalRequest: canonicalRequest, CanonicalRequestBytes: hexBytes(canonicalRequest) } : {}),
          },
        });
      }
      const message =
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.' +
        (echo ? `\n\nThe Canonical String for this request should have been\n'${canonicalRequest}'\n\nThe String-to-Sign should have been\n'${stringToSign}'\n` : '');
      return fail({ status: 403, code: CODES.signature[protocol], message });
    }
    return fail({ status: 400, code: CODES.incomplete[protocol], message: outcome === 'missing' ? 'Authorization header requires existence of either a \'X-Amz-Date\' or a \'Date\' header.' : 'The request could not be verified.' });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    origin,
    port,
    region,
    service,
    protocol,
    received,
    setClock(next) {
      clock = next;
    },
    addCredential(c) {
      credentials.set(c.accessKeyId, c);
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/**
 * A reverse proxy that forwards to `target` and rewrites Host to the target's host (as many load
 * balancers and dev proxies do) — the classic way a valid signature breaks after signing.
 */
export async function startHostRewritingProxy(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const t = new URL(target);
  const server = createServer((req, res) => {
    const headers = { ...req.headers, host: t.host };
    const upstream = httpRequest({ hostname: t.hostname, port: t.port, method: req.method, path: req.url, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
