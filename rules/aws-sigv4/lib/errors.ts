/**
 * Reading what AWS answered. AWS services use four error shapes (Smithy protocol docs and the
 * services' "Error responses" pages):
 *
 * - S3 REST-XML:      <Error><Code/><Message/><RequestId/>…extra elements…</Error>
 * - Query (STS, IAM, SQS, SNS, CloudFormation, MWS…): <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>
 * - EC2 Query:        <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>
 * - JSON (awsJson1_0/1_1, restJson1): `x-amzn-ErrorType` header and/or `__type`/`code` in the body,
 *   `message` or `Message`; API Gateway answers `{"message": …}` with `x-amzn-ErrorType`.
 *
 * Codes come with namespaces (`com.amazon.coral.service#UnrecognizedClientException`) or suffixes
 * (`UnrecognizedClientException:http://internal.amazon.com/coral/…`); they are normalised here.
 * Query-compatible JSON services also send `x-amzn-query-error: Code;Sender`.
 */

import type { ResponseSnapshot } from '../../../src/core/types.ts';
import { parseAmzDate, parseAnyDate } from './authorization.ts';

export interface AwsError {
  protocol: 's3-xml' | 'query-xml' | 'ec2-xml' | 'json' | 'header';
  code: string;
  message: string;
  /** Query protocol: Sender or Receiver. */
  type?: string | undefined;
  requestId?: string | undefined;
  /** Every other element of the error (S3: Region, RequestTime, ServerTime, CanonicalRequest…). */
  fields: Record<string, string>;
}

/** What the error says, classified for the rules. */
export type ErrorKind =
  | 'signature'
  | 'clock'
  | 'scope-region'
  | 'scope-service'
  | 'scope-date'
  | 'incomplete'
  | 'malformed-header'
  | 'key-unknown'
  | 'token-expired'
  | 'token-invalid'
  | 'missing-auth'
  | 'access-denied'
  | 'presign-expired'
  | 'presign-params'
  | 'other';

const XML_START = /^\s*(<\?xml[^>]*>\s*)?</;

function header(response: ResponseSnapshot, name: string): string | undefined {
  const lower = name.toLowerCase();
  return response.headers.find((h) => h.name.toLowerCase() === lower)?.value;
}

/** `ns#Code:suffix` → `Code`. */
export function normaliseCode(raw: string): string {
  let code = raw.trim();
  const hash = code.lastIndexOf('#');
  if (hash >= 0) code = code.slice(hash + 1);
  const colon = code.indexOf(':');
  if (colon >= 0) code = code.slice(0, colon);
  return code;
}

/** Parses an AWS error out of a response; null when the response is not one. */
export async function parseAwsError(response: ResponseSnapshot | null): Promise<AwsError | null> {
  if (!response) return null;
  const body = response.body ?? '';
  const typeHeader = header(response, 'x-amzn-errortype');
  const queryError = header(response, 'x-amzn-query-error');
  if (XML_START.test(body)) {
    const xml = await parseXmlError(body);
    if (xml) return xml;
  }
  const trimmed = body.trim();
  if (trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      json = undefined;
    }
    if (json && typeof json === 'object' && !Array.isArray(json)) {
      const o = json as Record<string, unknown>;
      const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
      const rawCode = (queryError ? queryError.split(';')[0] : undefined) ?? str('__type') ?? typeHeader ?? str('code') ?? str('Code');
      const message = str('message') ?? str('Message') ?? str('errorMessage') ?? '';
      if (rawCode || (message && isAwsResponse(response))) {
        const fields: Record<string, string> = {};
        for (const [k, v] of Object.entries(o)) if (typeof v === 'string' && !['__type', 'message', 'Message', 'code', 'Code'].includes(k)) fields[k] = v;
        return {
          protocol: 'json',
          code: rawCode ? normaliseCode(rawCode) : '',
          message,
          ...(queryError?.split(';')[1] ? { type: queryError.split(';')[1] } : {}),
          requestId: header(response, 'x-amzn-requestid') ?? header(response, 'x-amz-request-id'),
          fields,
        };
      }
    }
  }
  if (typeHeader || queryError) {
    return { protocol: 'header', code: normaliseCode((queryError ? queryError.split(';')[0] : undefined) ?? typeHeader!), message: '', requestId: header(response, 'x-amzn-requestid'), fields: {} };
  }
  return null;
}

/** True when the response carries AWS's own request-id headers. */
export function isAwsResponse(response: ResponseSnapshot): boolean {
  return response.headers.some((h) => /^(x-amzn-requestid|x-amz-request-id|x-amz-id-2|x-amzn-errortype|x-amz-apigw-id|x-amz-cf-id)$/i.test(h.name));
}

async function parseXmlError(body: string): Promise<AwsError | null> {
  const { XMLParser } = await import('fast-xml-parser');
  const parser = new XMLParser({
    ignoreAttributes: true,
    removeNSPrefix: true,
    // Keep values as text: a hex signature or an account number must not become a number.
    parseTagValue: false,
    trimValues: false,
    processEntities: true,
    htmlEntities: true,
  });
  let doc: unknown;
  try {
    doc = parser.parse(body);
  } catch {
    return null;
  }
  if (!doc || typeof doc !== 'object') return null;
  const root = doc as Record<string, unknown>;
  const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : Array.isArray(v) && v[0] && typeof v[0] === 'object' ? (v[0] as Record<string, unknown>) : undefined);
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
  const flatten = (o: Record<string, unknown>): Record<string, string> => {
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(o)) {
      const t = text(v);
      if (t !== undefined && !['Code', 'Message', 'Type', 'RequestId', 'RequestID'].includes(k)) fields[k] = t;
    }
    return fields;
  };
  const s3 = obj(root.Error);
  if (s3 && text(s3.Code) !== undefined) {
    return { protocol: 's3-xml', code: normaliseCode(text(s3.Code)!.trim()), message: text(s3.Message)?.trim() ?? '', requestId: text(s3.RequestId)?.trim(), fields: flatten(s3) };
  }
  const query = obj(root.ErrorResponse);
  const qErr = query ? obj(query.Error) : undefined;
  if (query && qErr && text(qErr.Code) !== undefined) {
    return {
      protocol: 'query-xml',
      code: normaliseCode(text(qErr.Code)!.trim()),
      message: text(qErr.Message)?.trim() ?? '',
      type: text(qErr.Type)?.trim(),
      requestId: (text(query.RequestId) ?? text(query.RequestID))?.trim(),
      fields: flatten(qErr),
    };
  }
  const ec2 = obj(root.Response);
  const ec2Errors = ec2 ? obj(ec2.Errors) : undefined;
  const ec2Err = ec2Errors ? obj(ec2Errors.Error) : undefined;
  if (ec2 && ec2Err && text(ec2Err.Code) !== undefined) {
    return { protocol: 'ec2-xml', code: normaliseCode(text(ec2Err.Code)!.trim()), message: text(ec2Err.Message)?.trim() ?? '', requestId: (text(ec2.RequestID) ?? text(ec2.RequestId))?.trim(), fields: flatten(ec2Err) };
  }
  return null;
}

// ——— What the message says ———————————————————————————————————————————————————————————————

/** "The Canonical String for this request should have been '…' The String-to-Sign should have been '…'" */
export function echoedCanonical(err: AwsError): { canonicalRequest?: string; stringToSign?: string } {
  const out: { canonicalRequest?: string; stringToSign?: string } = {};
  if (err.fields.CanonicalRequest !== undefined) out.canonicalRequest = err.fields.CanonicalRequest;
  else if (err.fields.CanonicalRequestBytes) out.canonicalRequest = fromHexBytes(err.fields.CanonicalRequestBytes);
  if (err.fields.StringToSign !== undefined) out.stringToSign = err.fields.StringToSign;
  else if (err.fields.StringToSignBytes) out.stringToSign = fromHexBytes(err.fields.StringToSignBytes);
  const m = /The Canonical String for this request should have been\s*'([\s\S]*?)'\s*The String-to-Sign should have been\s*'([\s\S]*?)'/.exec(err.message);
  if (m) {
    out.canonicalRequest ??= m[1]!;
    out.stringToSign ??= m[2]!;
  }
  return out;
}

function fromHexBytes(bytes: string): string {
  const hex = bytes.replace(/[^0-9a-fA-F]/g, '');
  return Buffer.from(hex, 'hex').toString('utf8');
}

export interface TimeClues {
  /** The request time the server read. */
  requestTime?: Date | undefined;
  /** The server's time when it judged the request. */
  serverTime?: Date | undefined;
  /** The allowed window in seconds, when the message says it. */
  windowSeconds?: number | undefined;
  /** `past`: signed too long ago (or clock behind); `future`: signed in the future (clock ahead). */
  direction?: 'past' | 'future' | undefined;
}

const STAMP = '(\\d{8}T\\d{6}Z)';

/** Times in clock-related error messages and fields. */
export function timeClues(err: AwsError): TimeClues {
  const clues: TimeClues = {};
  // "Signature expired: 20190221T041016Z is now earlier than 20190221T041518Z (20190221T042018Z - 15 min.)"
  const expired = new RegExp(`Signature expired: ${STAMP} is now earlier than ${STAMP} \\(${STAMP} - (\\d+) min\\.?\\)`).exec(err.message);
  if (expired) {
    clues.requestTime = parseAmzDate(expired[1]);
    clues.serverTime = parseAmzDate(expired[3]);
    clues.windowSeconds = Number(expired[4]) * 60;
    clues.direction = 'past';
  }
  // "Signature not yet current: 20150830T123600Z is still later than 20150830T123559Z (20150830T122059Z + 15 min.)"
  const future = new RegExp(`Signature not yet current: ${STAMP} is still later than ${STAMP} \\(${STAMP} \\+ (\\d+) min\\.?\\)`).exec(err.message);
  if (future) {
    clues.requestTime = parseAmzDate(future[1]);
    clues.serverTime = parseAmzDate(future[3]);
    clues.windowSeconds = Number(future[4]) * 60;
    clues.direction = 'future';
  }
  // S3 RequestTimeTooSkewed: <RequestTime>, <ServerTime>, <MaxAllowedSkewMilliseconds>
  if (err.fields.RequestTime) clues.requestTime ??= parseAnyDate(err.fields.RequestTime);
  if (err.fields.ServerTime) clues.serverTime ??= parseAnyDate(err.fields.ServerTime);
  if (err.fields.MaxAllowedSkewMilliseconds && /^\d+$/.test(err.fields.MaxAllowedSkewMilliseconds)) clues.windowSeconds ??= Number(err.fields.MaxAllowedSkewMilliseconds) / 1000;
  // MWS/EC2: "… has expired. Timestamp date: 2018-09-23T10:04:57Z", "Timestamp date is 2017-…"
  const ts = /Timestamp date(?: is|:)\s*([0-9][0-9T:.+\-Z]+)/i.exec(err.message);
  if (ts) clues.requestTime ??= parseAnyDate(ts[1]!.replace(/\.$/, ''));
  if (/too far in the past|has expired|expired\b/i.test(err.message)) clues.direction ??= 'past';
  if (/in the future|not yet (current|valid)/i.test(err.message)) clues.direction ??= 'future';
  return clues;
}

/** S3: "the region 'us-east-1' is wrong; expecting 'us-east-2'" and <Region>. Query: "…valid region, not 'x'". */
export function regionClues(err: AwsError): { signedRegion?: string; expectedRegion?: string } {
  const out: { signedRegion?: string; expectedRegion?: string } = {};
  const m = /the region '([^']*)' is wrong; expecting '([^']*)'/.exec(err.message);
  if (m) {
    out.signedRegion = m[1]!;
    out.expectedRegion = m[2]!;
  }
  if (err.fields.Region) out.expectedRegion ??= err.fields.Region.trim();
  const q = /Credential should be scoped to a valid region(?:, not '([^']*)')?/.exec(err.message);
  if (q?.[1]) out.signedRegion ??= q[1];
  return out;
}

export function serviceClue(err: AwsError): string | undefined {
  return /Credential should be scoped to correct service: '([^']*)'/.exec(err.message)?.[1];
}

export interface AccessDeniedDetails {
  principal?: string | undefined;
  action?: string | undefined;
  resource?: string | undefined;
  /** Why, in AWS's words: "no identity-based policy allows…", "explicit deny in a service control policy"… */
  reason?: string | undefined;
  /** Which kind of policy decided, when the message says. */
  policyType?: string | undefined;
  explicitDeny?: boolean | undefined;
  encodedMessage?: string | undefined;
}

/**
 * "User: arn:aws:iam::123456789012:user/bob is not authorized to perform: s3:GetObject on resource:
 * "arn:aws:s3:::bucket/key" because no identity-based policy allows the s3:GetObject action"
 * (IAM "Troubleshooting access denied error messages").
 */
export function accessDeniedDetails(message: string): AccessDeniedDetails {
  const out: AccessDeniedDetails = {};
  const m = /User:\s*(\S+)\s+is not authorized to perform:\s*([\w-]+:[\w*-]+)(?:\s+on resource:\s*(?:"([^"]+)"|(\S+)))?(?:[\s.,]+(because .*|with an explicit deny .*))?/i.exec(message);
  if (m) {
    out.principal = m[1]!;
    out.action = m[2]!;
    const resource = m[3] ?? m[4]?.replace(/[.,]$/, '');
    if (resource) out.resource = resource;
    if (m[5]) out.reason = m[5].replace(/\.?\s*$/, '');
  }
  const why = out.reason ?? message;
  if (/explicit deny/i.test(why)) out.explicitDeny = true;
  const policy = /(service control policy|resource control policy|identity-based policy|resource-based policy|permissions boundary|session policy|VPC endpoint policy)/i.exec(why);
  if (policy) out.policyType = policy[1]!.toLowerCase();
  const encoded = /Encoded authorization failure message:\s*([A-Za-z0-9_\-+/=]+)/.exec(message);
  if (encoded) out.encodedMessage = encoded[1]!;
  return out;
}

const SIGNATURE_CODES = new Set(['SignatureDoesNotMatch', 'InvalidSignatureException', 'InvalidSignature']);
const CLOCK_CODES = new Set(['RequestTimeTooSkewed', 'RequestExpired', 'RequestInTheFuture', 'RequestTimeTooSkewedException']);
const KEY_CODES = new Set(['InvalidClientTokenId', 'UnrecognizedClientException', 'InvalidAccessKeyId', 'AuthFailure', 'InvalidUserID.NotFound']);
const TOKEN_EXPIRED_CODES = new Set(['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired', 'RequestExpiredToken']);
const TOKEN_INVALID_CODES = new Set(['InvalidToken', 'InvalidSecurityToken', 'InvalidTokenException']);
const MISSING_CODES = new Set(['MissingAuthenticationToken', 'MissingAuthenticationTokenException', 'MissingSecurityHeader', 'MissingSecurityHeaderException']);
const INCOMPLETE_CODES = new Set(['IncompleteSignature', 'IncompleteSignatureException']);
const DENIED_CODES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedAccess',
  'AuthorizationError',
  'AuthorizationErrorException',
  'AllAccessDisabled',
  'NotAuthorized',
]);

/** What an error is about. One error has one kind; the rules split the work by kind. */
export function classify(err: AwsError): ErrorKind {
  const { code, message } = err;
  // S3 presigned URLs past X-Amz-Expires: AccessDenied "Request has expired" with <X-Amz-Expires>.
  if (code === 'AccessDenied' && (err.fields['X-Amz-Expires'] !== undefined || /^Request has expired/.test(message))) return 'presign-expired';
  if (CLOCK_CODES.has(code) || /Signature expired:|Signature not yet current:|too far in the (past|future)|Request has expired/i.test(message)) return 'clock';
  if (/Credential should be scoped to a valid region|the region '[^']*' is wrong; expecting/.test(message)) return 'scope-region';
  if (/Credential should be scoped to correct service/.test(message)) return 'scope-service';
  if (/Date in Credential scope does not match/.test(message)) return 'scope-date';
  if (code === 'AuthorizationQueryParametersError') return /region/.test(message) ? 'scope-region' : 'presign-params';
  if (code === 'AuthorizationHeaderMalformed') return err.fields.Region ? 'scope-region' : 'malformed-header';
  if (INCOMPLETE_CODES.has(code)) return 'incomplete';
  if (SIGNATURE_CODES.has(code) || /request signature we calculated does not match/i.test(message)) return 'signature';
  if (TOKEN_EXPIRED_CODES.has(code) || /security token included in the request is expired|provided token has expired|token must be refreshed/i.test(message)) return 'token-expired';
  if (TOKEN_INVALID_CODES.has(code) || /provided token is malformed/i.test(message)) return 'token-invalid';
  if (KEY_CODES.has(code) || /security token included in the request is invalid|Access Key Id you provided does not exist|not able to validate the provided access credentials/i.test(message)) return 'key-unknown';
  if (MISSING_CODES.has(code) || /^Missing Authentication Token$|Request is missing Authentication Token/i.test(message)) return 'missing-auth';
  if (DENIED_CODES.has(code) || /is not authorized to perform/i.test(message)) return 'access-denied';
  return 'other';
}
