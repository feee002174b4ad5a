import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { DemoReply, DemoRequest } from './types.ts';
import { headerValue, sameText } from './oauth.ts';

/**
 * The demo cloud's AWS: an IAM with principals, keys and permissions, an S3-style object endpoint
 * and an STS GetCallerIdentity endpoint, both verifying Signature Version 4 FOR REAL and answering
 * in AWS's documented formats.
 *
 * Verification rebuilds the canonical request from the request exactly as it arrived on the wire
 * (method, raw path, query, the values of the headers named in SignedHeaders, x-amz-content-sha256),
 * derives the signing key from the demo's copy of the secret and the credential scope the client
 * claimed, and compares signatures — with @smithy/signature-v4's canonicalisation and key
 * derivation (the SDK's own implementation), used here on the server side the way AWS's front ends
 * verify. What is checked, in AWS's order and words:
 * - S3 (REST-XML `<Error>`, https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html):
 *   no signature → 403 AccessDenied; a scope for another region → 400 AuthorizationHeaderMalformed
 *   "the region 'x' is wrong; expecting 'y'" with `<Region>`; an unknown key → 403
 *   InvalidAccessKeyId; more than 15 minutes between X-Amz-Date and the server clock → 403
 *   RequestTimeTooSkewed with RequestTime, ServerTime, MaxAllowedSkewMilliseconds; a wrong
 *   signature → 403 SignatureDoesNotMatch with StringToSign and CanonicalRequest (and their bytes);
 *   no permission → 403 AccessDenied with S3's detailed same-account message "User: <arn> is not
 *   authorized to perform: s3:GetObject on resource: \"<arn>\" because no identity-based policy
 *   allows the s3:GetObject action"
 *   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html).
 * - STS (Query `<ErrorResponse>`): the same checks, with the Query protocol's codes and the
 *   "Signature expired: … (… - 15 min.)" text.
 */

export interface DemoPrincipal {
  userName: string;
  arn: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** The demo's IAM: who exists, their keys, and what each may do. */
export class DemoIam {
  readonly account = '123456789012';
  readonly #byKey = new Map<string, DemoPrincipal>();
  readonly #allowed = new Set<string>();

  /** Creates (or re-creates, with new keys) a user. */
  user(userName: string): DemoPrincipal {
    for (const [key, p] of this.#byKey) if (p.userName === userName) this.#byKey.delete(key);
    // Shaped like real keys (AKIA + 16, 40-character secret) so every AWS rule reads them as such.
    const accessKeyId = `AKIA${randomBytes(10).toString('hex').toUpperCase().slice(0, 16)}`;
    const secretAccessKey = randomBytes(30).toString('base64').replace(/[+/=]/g, 'x').slice(0, 40);
    const principal = { userName, arn: `arn:aws:iam::${this.account}:user/${userName}`, accessKeyId, secretAccessKey };
    this.#byKey.set(accessKeyId, principal);
    return principal;
  }

  byKey(accessKeyId: string): DemoPrincipal | undefined {
    return this.#byKey.get(accessKeyId);
  }

  allow(arn: string, action: string, resource: string): void {
    this.#allowed.add(`${arn}|${action}|${resource}`);
  }

  revoke(arn: string, action: string, resource: string): void {
    this.#allowed.delete(`${arn}|${action}|${resource}`);
  }

  isAllowed(arn: string, action: string, resource: string): boolean {
    return this.#allowed.has(`${arn}|${action}|${resource}`);
  }

  /** A principal of this IAM by ARN (the demo's "IAM console" grants only to its own users). */
  knows(arn: string): boolean {
    return [...this.#byKey.values()].some((p) => p.arn === arn);
  }
}

export interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

type Parse = { ok: true; auth: ParsedAuthorization } | { ok: false; message: string };

/** `AWS4-HMAC-SHA256 Credential=AKIA…/20260101/us-east-1/s3/aws4_request, SignedHeaders=…, Signature=…` */
export function parseAuthorization(value: string): Parse {
  if (!value.startsWith('AWS4-HMAC-SHA256 ')) return { ok: false, message: `Unsupported Authorization Type` };
  const params = new Map<string, string>();
  for (const piece of value.slice('AWS4-HMAC-SHA256 '.length).split(/[,\s]+/).filter(Boolean)) {
    const eq = piece.indexOf('=');
    if (eq < 0) return { ok: false, message: `The authorization header is malformed; '${piece}' is not a key=value pair.` };
    params.set(piece.slice(0, eq), piece.slice(eq + 1));
  }
  const credential = params.get('Credential');
  const signedHeaders = params.get('SignedHeaders');
  const signature = params.get('Signature');
  if (!credential || !signedHeaders || !signature) return { ok: false, message: 'The authorization header is malformed; it needs Credential, SignedHeaders and Signature.' };
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') return { ok: false, message: `The authorization header is malformed; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".` };
  const [accessKeyId, date, region, service] = parts as [string, string, string, string];
  return { ok: true, auth: { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature } };
}

export function amzDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

function parseAmzDate(value: string | undefined): Date | undefined {
  const m = value ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value) : null;
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : undefined;
}

export interface Computed {
  signature: string;
  canonicalRequest: string;
  stringToSign: string;
}

type Verifier = {
  compute(request: DemoRequest, auth: ParsedAuthorization, secretAccessKey: string, signingDate: Date, options: { s3: boolean }): Promise<Computed>;
};

let verifier: Promise<Verifier> | null = null;

/** The server-side computation, with the SDK's canonicalisation (loaded on first use). */
function loadVerifier(): Promise<Verifier> {
  verifier ??= (async () => {
    const sv4 = await import('@smithy/signature-v4');
    const { Hash } = await import('@smithy/hash-node');
    const { HttpRequest } = await import('@smithy/protocol-http');
    const sha256 = Hash.bind(null, 'sha256');
    // SignatureV4 keeps the canonical request and string to sign protected; a subclass reaches them.
    class ServerSide extends sv4.SignatureV4 {
      async compute(request: DemoRequest, auth: ParsedAuthorization, signingDate: Date, payloadHash: string): Promise<Computed> {
        const [rawPath, rawQuery = ''] = request.rawUrl.split(/\?(.*)/s) as [string, string?];
        const query: Record<string, string | string[]> = {};
        for (const [k, v] of new URLSearchParams(rawQuery)) {
          const prev = query[k];
          query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
        }
        const headers: Record<string, string> = {};
        for (const name of auth.signedHeaders) {
          const value = request.headers[name];
          if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
        }
        const httpRequest = new HttpRequest({ method: request.method, protocol: 'http:', hostname: '127.0.0.1', path: rawPath, query, headers, body: request.body });
        const canonicalHeaders = sv4.getCanonicalHeaders(httpRequest, new Set(), new Set(auth.signedHeaders));
        const canonicalRequest = this.createCanonicalRequest(httpRequest, canonicalHeaders, payloadHash);
        const longDate = amzDate(signingDate);
        const scope = sv4.createScope(longDate.slice(0, 8), auth.region, auth.service);
        const stringToSign = await this.createStringToSign(longDate, scope, canonicalRequest, sv4.ALGORITHM_IDENTIFIER);
        const signature = await this.sign(stringToSign, { signingDate, signingRegion: auth.region, signingService: auth.service });
        return { signature, canonicalRequest, stringToSign };
      }
    }
    return {
      async compute(request, auth, secretAccessKey, signingDate, options) {
        const signer = new ServerSide({
          credentials: { accessKeyId: auth.accessKeyId, secretAccessKey },
          region: auth.region,
          service: auth.service,
          sha256,
          // S3 encodes the path once; every other service twice (the SigV4 docs, "Canonical URI").
          uriEscapePath: !options.s3,
          applyChecksum: options.s3,
        });
        const claimed = headerValue(request.headers, 'x-amz-content-sha256');
        const payloadHash = options.s3 && claimed ? claimed : createHash('sha256').update(request.body).digest('hex');
        return signer.compute(request, auth, signingDate, payloadHash);
      },
    };
  })();
  return verifier;
}

interface ErrorSpec {
  status: number;
  code: string;
  message: string;
  fields?: Record<string, string>;
}

function xml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function hexBytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('hex').match(/../g)?.join(' ') ?? '';
}

/** S3's REST-XML error, with its request-id headers. */
function s3Error(e: ErrorSpec): DemoReply {
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  const hostId = randomBytes(48).toString('base64');
  const extra = Object.entries(e.fields ?? {}).map(([k, v]) => `<${k}>${xml(v)}</${k}>`).join('');
  return {
    status: e.status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId, 'x-amz-id-2': hostId, server: 'AmazonS3' },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${e.code}</Code><Message>${xml(e.message)}</Message>${extra}<RequestId>${requestId}</RequestId><HostId>${hostId}</HostId></Error>`,
  };
}

/** The Query protocol's error (STS, IAM, SQS…). */
function queryError(e: ErrorSpec): DemoReply {
  const requestId = randomUUID();
  return {
    status: e.status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <Error>\n    <Type>Sender</Type>\n    <Code>${e.code}</Code>\n    <Message>${xml(e.message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`,
  };
}

const MAX_SKEW_SECONDS = 15 * 60;

type Authenticated = { ok: true; principal: DemoPrincipal } | { ok: false; reply: DemoReply };

/**
 * Authenticates a SigV4 request the way AWS does, answering failures in the protocol's format.
 * `region` is the region this endpoint signs in.
 */
async function authenticate(req: DemoRequest, options: { protocol: 's3' | 'query'; region: string | null; service: string; iam: DemoIam; now: Date }): Promise<Authenticated> {
  const s3 = options.protocol === 's3';
  const fail = (e: ErrorSpec): Authenticated => ({ ok: false, reply: s3 ? s3Error(e) : queryError(e) });
  const header = headerValue(req.headers, 'authorization');
  if (!header) {
    return s3
      ? fail({ status: 403, code: 'AccessDenied', message: 'Access Denied' })
      : fail({ status: 403, code: 'MissingAuthenticationToken', message: 'Request is missing Authentication Token' });
  }
  const parsed = parseAuthorization(header);
  if (!parsed.ok) return fail({ status: 400, code: s3 ? 'AuthorizationHeaderMalformed' : 'IncompleteSignature', message: parsed.message });
  const { auth } = parsed;
  if (options.region !== null && auth.region !== options.region) {
    return s3
      ? fail({ status: 400, code: 'AuthorizationHeaderMalformed', message: `The authorization header is malformed; the region '${auth.region}' is wrong; expecting '${options.region}'`, fields: { Region: options.region } })
      : fail({ status: 403, code: 'SignatureDoesNotMatch', message: `Credential should be scoped to a valid region, not '${auth.region}'. ` });
  }
  if (auth.service !== options.service) {
    return s3
      ? fail({ status: 400, code: 'AuthorizationHeaderMalformed', message: `The authorization header is malformed; incorrect service "${auth.service}". This endpoint belongs to "${options.service}".` })
      : fail({ status: 403, code: 'SignatureDoesNotMatch', message: `Credential should be scoped to correct service: '${options.service}'. ` });
  }
  const principal = options.iam.byKey(auth.accessKeyId);
  if (!principal) {
    return s3
      ? fail({ status: 403, code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.', fields: { AWSAccessKeyId: auth.accessKeyId } })
      : fail({ status: 403, code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' });
  }
  const stamp = headerValue(req.headers, 'x-amz-date');
  const signedAt = parseAmzDate(stamp);
  if (!signedAt || !auth.signedHeaders.includes('x-amz-date')) {
    return fail({ status: 403, code: s3 ? 'AccessDenied' : 'IncompleteSignature', message: 'AWS authentication requires a valid Date or x-amz-date header' });
  }
  const skew = (signedAt.getTime() - options.now.getTime()) / 1000;
  if (Math.abs(skew) > MAX_SKEW_SECONDS) {
    if (s3) {
      return fail({
        status: 403,
        code: 'RequestTimeTooSkewed',
        message: 'The difference between the request time and the current time is too large.',
        fields: { RequestTime: stamp!, ServerTime: options.now.toISOString().replace(/\.\d{3}Z$/, 'Z'), MaxAllowedSkewMilliseconds: String(MAX_SKEW_SECONDS * 1000) },
      });
    }
    const minutes = MAX_SKEW_SECONDS / 60;
    return fail({
      status: 403,
      code: 'SignatureDoesNotMatch',
      message:
        skew < 0
          ? `Signature expired: ${stamp} is now earlier than ${amzDate(new Date(options.now.getTime() - MAX_SKEW_SECONDS * 1000))} (${amzDate(options.now)} - ${minutes} min.)`
          : `Signature not yet current: ${stamp} is still later than ${amzDate(new Date(options.now.getTime() + MAX_SKEW_SECONDS * 1000))} (${amzDate(options.now)} + ${minutes} min.)`,
    });
  }
  if (s3) {
    const claimed = headerValue(req.headers, 'x-amz-content-sha256');
    if (!claimed) return fail({ status: 400, code: 'InvalidRequest', message: 'Missing required header for this request: x-amz-content-sha256' });
    const actual = createHash('sha256').update(req.body).digest('hex');
    if (claimed !== 'UNSIGNED-PAYLOAD' && claimed !== actual) {
      return fail({ status: 400, code: 'XAmzContentSHA256Mismatch', message: "The provided 'x-amz-content-sha256' header does not match what was computed.", fields: { ClientComputedContentSHA256: claimed, S3ComputedContentSHA256: actual } });
    }
  }
  const { compute } = await loadVerifier();
  const computed = await compute(req, auth, principal.secretAccessKey, signedAt, { s3 });
  if (!sameText(computed.signature, auth.signature)) {
    if (s3) {
      return fail({
        status: 403,
        code: 'SignatureDoesNotMatch',
        message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
        fields: {
          AWSAccessKeyId: auth.accessKeyId,
          StringToSign: computed.stringToSign,
          SignatureProvided: auth.signature,
          StringToSignBytes: hexBytes(computed.stringToSign),
          CanonicalRequest: computed.canonicalRequest,
          CanonicalRequestBytes: hexBytes(computed.canonicalRequest),
        },
      });
    }
    return fail({
      status: 403,
      code: 'SignatureDoesNotMatch',
      message: `The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'${computed.canonicalRequest}'\n\nThe String-to-Sign should have been\n'${computed.stringToSign}'\n`,
    });
  }
  return { ok: true, principal };
}

export interface S3Object {
  bucket: string;
  key: string;
  /** The region the bucket lives in: requests must be signed for it. */
  region: string;
  contentType: string;
  body: string;
}

/** An S3 endpoint (path-style) serving one object, under a scenario's mount point. */
export async function s3Endpoint(req: DemoRequest, object: S3Object, iam: DemoIam, now: Date): Promise<DemoReply> {
  const authn = await authenticate(req, { protocol: 's3', region: object.region, service: 's3', iam, now });
  if (!authn.ok) return authn.reply;
  const path = req.path.split('?')[0]!;
  const wanted = `/${object.bucket}/${object.key}`;
  const key = decodeURIComponent(path.replace(/^\/[^/]+\/?/, ''));
  if (req.method !== 'GET' && req.method !== 'HEAD') return s3Error({ status: 405, code: 'MethodNotAllowed', message: 'The specified method is not allowed against this resource.', fields: { Method: req.method, ResourceType: 'OBJECT' } });
  const action = 's3:GetObject';
  const resource = `arn:aws:s3:::${object.bucket}/${key}`;
  if (!iam.isAllowed(authn.principal.arn, action, resource)) {
    return s3Error({
      status: 403,
      code: 'AccessDenied',
      message: `User: ${authn.principal.arn} is not authorized to perform: ${action} on resource: "${resource}" because no identity-based policy allows the ${action} action`,
    });
  }
  if (path !== wanted) return s3Error({ status: 404, code: 'NoSuchKey', message: 'The specified key does not exist.', fields: { Key: key } });
  const etag = `"${createHash('md5').update(object.body).digest('hex')}"`;
  return {
    status: 200,
    headers: {
      'content-type': object.contentType,
      etag,
      'last-modified': new Date(now.getTime() - 86_400_000).toUTCString(),
      'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(),
      'x-amz-id-2': randomBytes(48).toString('base64'),
      server: 'AmazonS3',
    },
    body: req.method === 'HEAD' ? '' : object.body,
  };
}

/** STS GetCallerIdentity: who the signing keys belong to (needs no permission, as on AWS). */
export async function stsEndpoint(req: DemoRequest, iam: DemoIam, now: Date): Promise<DemoReply> {
  // A regional STS endpoint signs in its own region; the demo's answers for whichever is claimed.
  const authn = await authenticate(req, { protocol: 'query', region: null, service: 'sts', iam, now });
  if (!authn.ok) return authn.reply;
  const params = new URLSearchParams(req.method === 'POST' ? req.body : (req.path.split('?')[1] ?? ''));
  if (params.get('Action') !== 'GetCallerIdentity') return queryError({ status: 400, code: 'InvalidAction', message: `Could not find operation ${params.get('Action') ?? ''} for version ${params.get('Version') ?? ''}` });
  const p = authn.principal;
  return {
    status: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() },
    body: `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <GetCallerIdentityResult>\n    <Arn>${xml(p.arn)}</Arn>\n    <UserId>AIDA${p.accessKeyId.slice(4)}</UserId>\n    <Account>${iam.account}</Account>\n  </GetCallerIdentityResult>\n  <ResponseMetadata>\n    <RequestId>${randomUUID()}</RequestId>\n  </ResponseMetadata>\n</GetCallerIdentityResponse>\n`,
  };
}
