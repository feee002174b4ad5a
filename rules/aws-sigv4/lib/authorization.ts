/**
 * Reading what the client sent: the SigV4 `Authorization` header, a SigV4 presigned URL, and the
 * Signature Version 2 forms (MWS, SimpleDB, old S3). Every problem is reported at the exact spot.
 *
 * Hand-written: the SDK signers only *produce* these strings, and AWS's own parser is not public.
 * The grammar and the error wording follow the SigV4 documentation ("Authorization header",
 * "Authenticating requests: using query parameters") and the messages AWS returns for
 * `IncompleteSignature` (e.g. "'…' not a valid key=value pair (missing equal-sign) in Authorization
 * header", "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term").
 */

import type { HeaderEntry } from '../../../src/core/types.ts';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
export const SIGV4A_ALGORITHM = 'AWS4-ECDSA-P256-SHA256';
const AMZ_DATE_RE = /^\d{8}T\d{6}Z$/;

export interface FormatProblem {
  /** Stable id for tests and messages: `key-id-whitespace`, `missing-equals`, `credential-elements` … */
  id: string;
  /** What is wrong, naming the spot. */
  message: string;
  /** The exact offending text. */
  fragment?: string | undefined;
  /** Character offset in the header value (or parameter), when it makes sense. */
  at?: number | undefined;
  /** The full sentence telling what to change. */
  fix: string;
  /** `error`: AWS rejects this; `warn`: suspicious but accepted. */
  severity: 'error' | 'warn';
}

export interface CredentialScope {
  date: string;
  region: string;
  service: string;
  terminator: string;
}

export interface ParsedSigV4 {
  /** Where the signature travelled. */
  location: 'header' | 'query';
  algorithm: string;
  /** The raw `Credential` value (with the key id: an identifier, mask it in output). */
  credential?: string | undefined;
  accessKeyId?: string | undefined;
  scope?: CredentialScope | undefined;
  signedHeaders?: string[] | undefined;
  signedHeadersRaw?: string | undefined;
  signature?: string | undefined;
  /** `X-Amz-Date` (header or query), else `Date`, as sent. */
  amzDate?: string | undefined;
  /** Parsed signing time. */
  signedAt?: Date | undefined;
  /** Where the signing time came from. */
  dateSource?: 'x-amz-date' | 'date' | 'X-Amz-Date' | undefined;
  /** Presigned URLs: `X-Amz-Expires` in seconds. */
  expires?: number | undefined;
  /** `X-Amz-Security-Token` (header or query), as sent; undefined when absent. */
  sessionToken?: string | undefined;
  /** `x-amz-content-sha256` as sent. */
  contentSha256?: string | undefined;
  problems: FormatProblem[];
}

export interface ParsedSigV2 {
  location: 'header' | 'query' | 'body';
  accessKeyId?: string | undefined;
  signature?: string | undefined;
  signatureMethod?: string | undefined;
  /** `Timestamp` (ISO 8601) — the signing time. */
  timestamp?: string | undefined;
  /** `Expires`: ISO 8601 for Query APIs, epoch seconds for S3 query-string auth. */
  expires?: string | undefined;
  signedAt?: Date | undefined;
  expiresAt?: Date | undefined;
  sessionToken?: string | undefined;
}

function header(headers: readonly HeaderEntry[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === lower)?.value;
}

function headerCount(headers: readonly HeaderEntry[], name: string): number {
  const lower = name.toLowerCase();
  return headers.filter((h) => h.name.toLowerCase() === lower).length;
}

/** `20150830T123600Z` → Date; undefined when it is not that shape. */
export function parseAmzDate(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value.trim());
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** HTTP dates, ISO 8601 and AWS basic format; undefined when none of them. */
export function parseAnyDate(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const amz = parseAmzDate(value);
  if (amz) return amz;
  const t = Date.parse(value.trim());
  return Number.isNaN(t) ? undefined : new Date(t);
}

/** Raw query parameters in order, decoded (RFC 3986: `+` is a literal plus, as AWS reads it). */
export function rawQueryParams(url: string): [string, string][] {
  const q = url.indexOf('?');
  if (q < 0) return [];
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  if (!query) return [];
  return query.split('&').filter((p) => p.length > 0).map((pair) => {
    const eq = pair.indexOf('=');
    const k = eq < 0 ? pair : pair.slice(0, eq);
    const v = eq < 0 ? '' : pair.slice(eq + 1);
    return [decodeSafe(k), decodeSafe(v)];
  });
}

function decodeSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Finds the SigV4 signature in a request, from the header or the query string. */
export function parseSigV4(request: { url: string; headers: readonly HeaderEntry[] }): ParsedSigV4 | null {
  const auth = header(request.headers, 'authorization');
  const query = rawQueryParams(request.url);
  const q = (name: string) => query.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  if (auth !== undefined && /^\s*AWS4-/i.test(auth)) {
    const parsed = parseAuthorizationHeader(auth);
    if (headerCount(request.headers, 'authorization') > 1) {
      parsed.problems.unshift({
        id: 'authorization-twice',
        message: 'The request carries two Authorization headers.',
        fix: 'Send exactly one Authorization header: something (a proxy, an interceptor or a default header) adds a second one.',
        severity: 'error',
      });
    }
    addTimeAndToken(parsed, request.headers, undefined);
    return parsed;
  }
  if (q('X-Amz-Algorithm') !== undefined || q('X-Amz-Credential') !== undefined || q('X-Amz-Signature') !== undefined) {
    const parsed = parsePresignedQuery(query);
    addTimeAndToken(parsed, request.headers, q);
    return parsed;
  }
  return null;
}

function addTimeAndToken(parsed: ParsedSigV4, headers: readonly HeaderEntry[], q: ((name: string) => string | undefined) | undefined): void {
  const amz = q?.('X-Amz-Date') ?? header(headers, 'x-amz-date');
  const date = header(headers, 'date');
  if (amz !== undefined) {
    parsed.amzDate = amz;
    parsed.dateSource = q?.('X-Amz-Date') !== undefined ? 'X-Amz-Date' : 'x-amz-date';
    parsed.signedAt = parseAmzDate(amz);
    if (!parsed.signedAt) {
      parsed.problems.push({
        id: 'amz-date-format',
        message: `X-Amz-Date is ${JSON.stringify(amz)}, not the ISO 8601 basic format YYYYMMDD'T'HHMMSS'Z'.`,
        fragment: amz,
        fix: `Send X-Amz-Date in UTC basic format, e.g. ${formatAmzDate(new Date(Date.UTC(2026, 10, 28, 10, 0, 0)))}: no dashes, colons or fractional seconds, and a literal Z.`,
        severity: 'error',
      });
    }
  } else if (date !== undefined) {
    parsed.amzDate = date;
    parsed.dateSource = 'date';
    parsed.signedAt = parseAnyDate(date);
  } else if (parsed.location === 'header') {
    parsed.problems.push({
      id: 'no-date',
      message: 'The request has neither an X-Amz-Date nor a Date header, so AWS cannot tell when it was signed.',
      fix: 'Send the X-Amz-Date header with the signing time (UTC, YYYYMMDDTHHMMSSZ) and include it in SignedHeaders.',
      severity: 'error',
    });
  }
  const token = q?.('X-Amz-Security-Token') ?? header(headers, 'x-amz-security-token');
  if (token !== undefined) parsed.sessionToken = token;
  parsed.contentSha256 = header(headers, 'x-amz-content-sha256');
  if (parsed.scope && parsed.signedAt && AMZ_DATE_RE.test(parsed.amzDate ?? '') && parsed.scope.date !== parsed.amzDate!.slice(0, 8)) {
    parsed.problems.push({
      id: 'scope-date-mismatch',
      message: `The credential scope date ${parsed.scope.date} is not the date of X-Amz-Date (${parsed.amzDate!.slice(0, 8)}).`,
      fragment: parsed.scope.date,
      fix: 'Build the credential scope from the same timestamp as X-Amz-Date: its first 8 characters (YYYYMMDD, UTC).',
      severity: 'error',
    });
  }
}

export function formatAmzDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/**
 * Parses `AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request, SignedHeaders=a;b,
 * Signature=hex`. AWS splits the parameters on commas *and* whitespace, which is why a space inside
 * the Credential value shows up as a separate "not a valid key=value pair" fragment.
 */
export function parseAuthorizationHeader(value: string): ParsedSigV4 {
  const problems: FormatProblem[] = [];
  const lead = /^\s*/.exec(value)![0].length;
  const space = value.slice(lead).search(/\s/);
  const algorithm = space < 0 ? value.slice(lead) : value.slice(lead, lead + space);
  const parsed: ParsedSigV4 = { location: 'header', algorithm, problems };
  if (lead > 0) {
    problems.push({ id: 'leading-whitespace', message: 'The Authorization header value starts with whitespace.', at: 0, fix: 'Remove the whitespace before AWS4-HMAC-SHA256 in the Authorization header.', severity: 'warn' });
  }
  checkAlgorithm(algorithm, problems, 'Authorization header');
  if (space < 0) {
    // "AWS4-HMAC-SHA256Credential=…" (no space) or only the algorithm.
    const glued = /^(AWS4-[A-Z0-9-]*?)(Credential=.*)$/i.exec(algorithm);
    problems.push({
      id: 'no-space-after-algorithm',
      message: glued ? 'There is no space between the algorithm and Credential=.' : 'The Authorization header has the algorithm but no Credential, SignedHeaders or Signature.',
      at: lead + algorithm.length,
      fix: 'Write the header as "AWS4-HMAC-SHA256 Credential=KEYID/DATE/REGION/SERVICE/aws4_request, SignedHeaders=…, Signature=…" (one space after the algorithm).',
      severity: 'error',
    });
    if (!glued) return parsed;
    parsed.algorithm = glued[1]!;
    return parseComponents(value, lead + glued[1]!.length, parsed);
  }
  return parseComponents(value, lead + space, parsed);
}

function checkAlgorithm(algorithm: string, problems: FormatProblem[], where: string): void {
  if (algorithm === SIGV4_ALGORITHM || algorithm === SIGV4A_ALGORITHM) return;
  const upper = algorithm.toUpperCase();
  const close = upper === SIGV4_ALGORITHM || upper.replace(/[^A-Z0-9]/g, '') === 'AWS4HMACSHA256';
  problems.push({
    id: 'algorithm',
    message: `The algorithm in the ${where} is ${JSON.stringify(algorithm)}${close ? ', a misspelling of' : ', not'} ${SIGV4_ALGORITHM}.`,
    fragment: algorithm,
    at: 0,
    fix: `Use exactly ${SIGV4_ALGORITHM} (upper case, with those dashes) as the algorithm.`,
    severity: 'error',
  });
}

function parseComponents(value: string, start: number, parsed: ParsedSigV4): ParsedSigV4 {
  const problems = parsed.problems;
  // Tokenise on commas and whitespace, keeping offsets and which separator preceded each piece.
  const pieces: { text: string; at: number; afterComma: boolean }[] = [];
  const re = /[^,\s]+/g;
  re.lastIndex = start;
  let prevEnd = start;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    const between = value.slice(prevEnd, m.index);
    pieces.push({ text: m[0], at: m.index, afterComma: between.includes(',') });
    prevEnd = m.index + m[0].length;
  }
  const seen = new Map<string, number>();
  let previous: { name: string; value: string; at: number } | null = null;
  for (const [i, piece] of pieces.entries()) {
    const eq = piece.text.indexOf('=');
    if (eq <= 0) {
      problems.push(describeStrayFragment(piece.text, piece.at, previous));
      continue;
    }
    const name = piece.text.slice(0, eq);
    const v = piece.text.slice(eq + 1);
    if (i > 0 && !piece.afterComma && previous) {
      problems.push({
        id: 'missing-comma',
        message: `There is no comma between ${previous.name}=… and ${name}=….`,
        at: piece.at,
        fragment: piece.text.slice(0, Math.min(piece.text.length, 24)),
        fix: `Separate the parameters with ", ": "Credential=…, SignedHeaders=…, Signature=…".`,
        severity: 'warn',
      });
    }
    seen.set(name, (seen.get(name) ?? 0) + 1);
    if (seen.get(name) === 2) {
      problems.push({ id: 'duplicate-parameter', message: `${name}= appears twice in the Authorization header.`, at: piece.at, fragment: name, fix: `Send ${name}= once.`, severity: 'error' });
    }
    previous = { name, value: v, at: piece.at };
    if (name === 'Credential') {
      if (v.length === 0 && pieces[i + 1] && !pieces[i + 1]!.text.includes('=')) {
        problems.push({
          id: 'space-after-credential',
          message: 'There is whitespace right after "Credential=", so the credential value is empty.',
          at: piece.at + eq + 1,
          fix: 'Remove the space after "Credential=" (the access key ID variable probably starts with whitespace).',
          severity: 'error',
        });
        continue;
      }
      parsed.credential = v;
      readCredential(v, piece.at + eq + 1, parsed, 'Credential');
    } else if (name === 'SignedHeaders') {
      parsed.signedHeadersRaw = v;
      parsed.signedHeaders = v.split(';');
      checkSignedHeaders(v, piece.at + eq + 1, parsed);
    } else if (name === 'Signature') {
      parsed.signature = v;
      checkSignature(v, piece.at + eq + 1, problems);
    } else {
      const known = ['Credential', 'SignedHeaders', 'Signature'].find((k) => k.toLowerCase() === name.toLowerCase());
      problems.push({
        id: known ? 'parameter-case' : 'unknown-parameter',
        message: known ? `The parameter is written ${name}=; AWS expects ${known}= (names are case-sensitive).` : `Unknown parameter ${name}= in the Authorization header.`,
        at: piece.at,
        fragment: name,
        fix: known ? `Write ${known}= exactly.` : 'The SigV4 Authorization header has exactly three parameters: Credential, SignedHeaders and Signature.',
        severity: 'error',
      });
      if (known === 'Credential') {
        parsed.credential = v;
        readCredential(v, piece.at + eq + 1, parsed, 'Credential');
      } else if (known === 'SignedHeaders') {
        parsed.signedHeaders = v.split(';');
        parsed.signedHeadersRaw = v;
      } else if (known === 'Signature') parsed.signature = v;
    }
  }
  // Whitespace inside the credential splits it, so it also "has fewer than 5 elements": that is
  // the same problem, reported once at its cause.
  if (problems.some((p) => p.id === 'key-id-whitespace' || p.id === 'space-after-credential' || p.id === 'whitespace-in-value')) {
    const i = problems.findIndex((p) => p.id === 'credential-elements');
    if (i >= 0) problems.splice(i, 1);
  }
  for (const required of ['Credential', 'SignedHeaders', 'Signature'] as const) {
    const present = required === 'Credential' ? parsed.credential !== undefined || problems.some((p) => p.id === 'space-after-credential') : required === 'SignedHeaders' ? parsed.signedHeaders !== undefined : parsed.signature !== undefined;
    if (!present) {
      problems.push({
        id: `missing-${required.toLowerCase()}`,
        message: `Authorization header requires '${required}' parameter.`,
        fix: `Add ${required}=… to the Authorization header ("${SIGV4_ALGORITHM} Credential=…, SignedHeaders=…, Signature=…").`,
        severity: 'error',
      });
    }
  }
  return parsed;
}

/** A piece without "=": say what it most likely is. */
function describeStrayFragment(text: string, at: number, previous: { name: string; value: string; at: number } | null): FormatProblem {
  if (previous?.name === 'Credential' && /^\/?\d{8}\//.test(text)) {
    return {
      id: 'key-id-whitespace',
      message: `The access key ID in Credential= is followed by whitespace, so "${text}" became a separate piece that is not a key=value pair.`,
      fragment: text,
      at,
      fix: 'Remove the trailing whitespace from the access key ID (AWS_ACCESS_KEY_ID, aws_access_key_id in ~/.aws/credentials, or the variable your code reads): it must be exactly the 20-character key ID.',
      severity: 'error',
    };
  }
  if (previous?.name === 'Credential' && previous.value.length === 0) {
    return {
      id: 'space-after-credential',
      message: `There is whitespace right after "Credential=", so "${text}" is a separate piece.`,
      fragment: text,
      at,
      fix: 'Remove the whitespace before the access key ID: the access key ID variable starts with a space or a newline.',
      severity: 'error',
    };
  }
  if (previous && /^[A-Za-z0-9/+]+$/.test(text)) {
    return {
      id: 'whitespace-in-value',
      message: `"${text}" follows ${previous.name}= after whitespace: the ${previous.name} value contains a space.`,
      fragment: text,
      at,
      fix: `Remove the whitespace inside the ${previous.name} value.`,
      severity: 'error',
    };
  }
  return {
    id: 'missing-equals',
    message: `"${text}" is not a valid key=value pair (missing equal-sign) in the Authorization header.`,
    fragment: text,
    at,
    fix: 'Write the header as "AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…" with nothing else in it.',
    severity: 'error',
  };
}

/** Credential = <key id>/<yyyymmdd>/<region>/<service>/aws4_request */
function readCredential(v: string, at: number, parsed: ParsedSigV4, where: string): void {
  const problems = parsed.problems;
  const parts = v.split('/');
  if (parts.length !== 5) {
    const looksSecret = parts.length > 5 && parts.slice(0, parts.length - 4).join('/').length >= 30;
    problems.push({
      id: 'credential-elements',
      message: `Credential must have exactly 5 slash-delimited elements (keyid/date/region/service/aws4_request); it has ${parts.length}.`,
      fragment: parts.length > 5 ? '(value with extra slashes)' : v.replace(/^[^/]*/, '<key id>'),
      at,
      fix: looksSecret
        ? 'The key ID part contains "/": the secret access key (which may contain "/") was put where the access key ID belongs. Swap them: the key ID is the 20-character AKIA…/ASIA… value.'
        : 'Build Credential as ACCESS_KEY_ID/YYYYMMDD/REGION/SERVICE/aws4_request, e.g. AKIA…/20261128/us-east-1/s3/aws4_request.',
      severity: 'error',
    });
    if (parts.length < 5) {
      parsed.accessKeyId = parts[0];
      return;
    }
    // Extra slashes: assume the last four are the scope, the rest the (damaged) key id.
    const tail = parts.slice(-4);
    parsed.accessKeyId = parts.slice(0, -4).join('/');
    parsed.scope = { date: tail[0]!, region: tail[1]!, service: tail[2]!, terminator: tail[3]! };
    return;
  }
  const [keyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  parsed.accessKeyId = keyId;
  parsed.scope = { date, region, service, terminator };
  checkKeyId(keyId, at, problems, where);
  let offset = at + keyId.length + 1;
  if (!/^\d{8}$/.test(date)) {
    problems.push({ id: 'scope-date-format', message: `The date in the credential scope is ${JSON.stringify(date)}, not YYYYMMDD.`, fragment: date, at: offset, fix: 'Use the UTC date of the signing time as YYYYMMDD (the first 8 characters of X-Amz-Date).', severity: 'error' });
  }
  offset += date.length + 1;
  if (region.length === 0 || region !== region.trim()) {
    problems.push({ id: 'scope-region-empty', message: 'The region in the credential scope is empty or has whitespace.', at: offset, fix: 'Put the signing region (e.g. us-east-1) in the credential scope.', severity: 'error' });
  } else if (/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/.test(region)) {
    problems.push({ id: 'scope-region-az', message: `The credential scope region "${region}" is an Availability Zone, not a region.`, fragment: region, at: offset, fix: `Sign for the region ${region.slice(0, -1)}, not the Availability Zone ${region}.`, severity: 'error' });
  } else if (region !== region.toLowerCase()) {
    problems.push({ id: 'scope-region-case', message: `The credential scope region "${region}" has upper-case letters.`, fragment: region, at: offset, fix: `Use the lower-case region name ${region.toLowerCase()}.`, severity: 'error' });
  }
  offset += region.length + 1;
  if (service.length === 0 || service !== service.trim()) {
    problems.push({ id: 'scope-service-empty', message: 'The service in the credential scope is empty or has whitespace.', at: offset, fix: 'Put the service signing name (e.g. s3, execute-api, sts) in the credential scope.', severity: 'error' });
  }
  offset += service.length + 1;
  if (terminator !== 'aws4_request') {
    problems.push({ id: 'scope-terminator', message: `The credential scope ends with "${terminator}" instead of "aws4_request".`, fragment: terminator, at: offset, fix: 'End the credential scope with the literal string aws4_request.', severity: 'error' });
  }
}

/** Shapes of AWS identifiers (IAM "Unique identifiers" table). */
const ID_PREFIXES: Record<string, string> = {
  AIDA: 'an IAM user ID',
  AROA: 'an IAM role ID',
  AGPA: 'an IAM group ID',
  ANPA: 'a managed policy ID',
  ANVA: 'a policy version ID',
  AIPA: 'an EC2 instance profile ID',
  APKA: 'a CloudFront key pair ID',
  ASCA: 'a certificate ID',
};

export function keyType(keyId: string | undefined): 'long-term' | 'temporary' | 'unknown' {
  if (!keyId) return 'unknown';
  if (/^AKIA/.test(keyId)) return 'long-term';
  if (/^ASIA/.test(keyId)) return 'temporary';
  return 'unknown';
}

function checkKeyId(keyId: string, at: number, problems: FormatProblem[], where: string): void {
  if (keyId.length === 0) {
    problems.push({ id: 'key-id-empty', message: `The access key ID in ${where} is empty.`, at, fix: 'Set the access key ID (AWS_ACCESS_KEY_ID or aws_access_key_id in the profile): the credential scope starts with it.', severity: 'error' });
    return;
  }
  if (keyId !== keyId.trim() || /[\s"'<>]/.test(keyId)) {
    problems.push({
      id: /["']/.test(keyId) ? 'key-id-quotes' : 'key-id-whitespace',
      message: `The access key ID in ${where} contains ${/["']/.test(keyId) ? 'quotes' : 'whitespace'}.`,
      at,
      fix: 'Remove quotes and whitespace around the access key ID where it is set (environment variable, credentials file or code).',
      severity: 'error',
    });
    return;
  }
  const prefix = keyId.slice(0, 4);
  const other = ID_PREFIXES[prefix];
  if (other) {
    problems.push({
      id: 'key-id-not-a-key',
      message: `The value in the access key ID position starts with ${prefix}: it is ${other}, not an access key ID.`,
      at,
      fix: 'Use the access key ID (AKIA… for an IAM user\'s key, ASIA… for temporary credentials), not the principal\'s unique ID; create a key with `aws iam create-access-key --user-name NAME` if you have none.',
      severity: 'error',
    });
    return;
  }
  if (!/^[A-Z0-9]{16,128}$/.test(keyId)) {
    problems.push({
      id: 'key-id-shape',
      message: `The access key ID in ${where} does not look like one (expected 16–128 upper-case letters and digits, usually 20 starting with AKIA or ASIA).`,
      at,
      fix: 'Check that the access key ID is complete and is not the secret access key or an ARN.',
      severity: 'warn',
    });
  }
}

function checkSignedHeaders(v: string, at: number, parsed: ParsedSigV4): void {
  const problems = parsed.problems;
  if (v.length === 0) {
    problems.push({ id: 'signed-headers-empty', message: 'SignedHeaders is empty.', at, fix: 'List the signed header names, lower-case and separated by ";", e.g. SignedHeaders=host;x-amz-date. At least host must be signed.', severity: 'error' });
    return;
  }
  const names = v.split(';');
  if (names.some((n) => n.length === 0)) {
    problems.push({ id: 'signed-headers-empty-name', message: 'SignedHeaders has an empty name (a doubled or trailing ";").', at, fragment: v, fix: 'Separate the header names with single ";" and no trailing ";".', severity: 'error' });
  }
  if (names.some((n) => n !== n.toLowerCase())) {
    problems.push({ id: 'signed-headers-case', message: 'SignedHeaders has upper-case header names.', at, fragment: v, fix: 'Write the header names in SignedHeaders in lower case (and use the lower-case names in the canonical request).', severity: 'error' });
  }
  const sorted = [...names].sort();
  if (names.join(';') !== sorted.join(';') && names.every((n) => n === n.toLowerCase())) {
    problems.push({ id: 'signed-headers-order', message: 'SignedHeaders is not sorted.', at, fragment: v, fix: `Sort the names alphabetically: SignedHeaders=${sorted.join(';')}.`, severity: 'error' });
  }
  if (!names.includes('host') && !names.includes(':authority')) {
    problems.push({ id: 'host-not-signed', message: 'The Host header is not in SignedHeaders.', at, fragment: v, fix: 'Sign the Host header: AWS requires host in SignedHeaders.', severity: 'error' });
  }
  if (names.includes('authorization')) {
    problems.push({ id: 'authorization-signed', message: 'SignedHeaders includes authorization, which cannot be signed.', at, fragment: v, fix: 'Remove authorization from SignedHeaders: the signature cannot cover itself.', severity: 'error' });
  }
}

function checkSignature(v: string, at: number, problems: FormatProblem[]): void {
  if (v.length === 0) {
    problems.push({ id: 'signature-empty', message: 'Signature= is empty.', at, fix: 'Send the 64-character hex HMAC-SHA256 signature.', severity: 'error' });
  } else if (!/^[0-9a-f]{64}$/.test(v)) {
    problems.push({
      id: 'signature-format',
      message: /^[0-9A-F]{64}$/.test(v) ? 'The signature is upper-case hex; SigV4 signatures are lower-case hex.' : `The signature is not 64 lower-case hex characters (it has ${v.length} characters).`,
      at,
      fix: 'Encode the HMAC-SHA256 result as 64 lower-case hexadecimal characters (not base64).',
      severity: 'error',
    });
  }
}

function parsePresignedQuery(query: [string, string][]): ParsedSigV4 {
  const problems: FormatProblem[] = [];
  const get = (name: string) => query.find(([k]) => k === name)?.[1];
  const getCi = (name: string) => query.find(([k]) => k.toLowerCase() === name.toLowerCase());
  const algorithm = get('X-Amz-Algorithm') ?? '';
  const parsed: ParsedSigV4 = { location: 'query', algorithm, problems };
  for (const name of ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature']) {
    if (get(name) === undefined) {
      const wrongCase = getCi(name);
      problems.push({
        id: wrongCase ? 'presign-parameter-case' : 'presign-parameter-missing',
        message: wrongCase ? `The presigned URL has ${wrongCase[0]}; the parameter is ${name} (case-sensitive).` : `The presigned URL has no ${name} parameter.`,
        fragment: name,
        fix: wrongCase ? `Write the parameter as ${name}.` : `Query-string authentication needs X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders and X-Amz-Signature: add ${name} (regenerate the URL with the SDK's presigner).`,
        severity: 'error',
      });
    }
  }
  if (get('X-Amz-Algorithm') !== undefined) checkAlgorithm(algorithm, problems, 'X-Amz-Algorithm parameter');
  const credential = get('X-Amz-Credential');
  if (credential !== undefined) {
    parsed.credential = credential;
    readCredential(credential, 0, parsed, 'X-Amz-Credential');
  }
  const signedHeaders = get('X-Amz-SignedHeaders');
  if (signedHeaders !== undefined) {
    parsed.signedHeaders = signedHeaders.split(';');
    parsed.signedHeadersRaw = signedHeaders;
    checkSignedHeaders(signedHeaders, 0, parsed);
  }
  const signature = get('X-Amz-Signature');
  if (signature !== undefined) {
    parsed.signature = signature;
    checkSignature(signature, 0, problems);
  }
  const expires = get('X-Amz-Expires');
  if (expires !== undefined) {
    const n = Number(expires);
    if (!/^\d+$/.test(expires)) {
      problems.push({ id: 'presign-expires-format', message: `X-Amz-Expires is ${JSON.stringify(expires)}, not a whole number of seconds.`, fragment: expires, fix: 'Set X-Amz-Expires to the lifetime in seconds (1 to 604800).', severity: 'error' });
    } else {
      parsed.expires = n;
      if (n > 604800) {
        problems.push({ id: 'presign-expires-too-long', message: `X-Amz-Expires is ${n} s; presigned URLs may last at most 604800 s (7 days).`, fragment: expires, fix: 'Presign with an expiry of at most 7 days (604800 s); for longer access use a different mechanism (CloudFront signed URLs, or regenerate the URL).', severity: 'error' });
      }
    }
  }
  return parsed;
}

/**
 * Signature Version 2 (MWS, SimpleDB, EC2 Query before 2014, S3 `AWS key:signature`): the access key,
 * signature and timestamp, from the header, the query string or a form body.
 */
export function parseSigV2(request: { url: string; headers: readonly HeaderEntry[]; body?: string | undefined }): ParsedSigV2 | null {
  const auth = header(request.headers, 'authorization');
  if (auth && /^\s*AWS\s+/.test(auth)) {
    const m = /^\s*AWS\s+([^:\s]*):(\S*)/.exec(auth);
    const date = header(request.headers, 'x-amz-date') ?? header(request.headers, 'date');
    return { location: 'header', accessKeyId: m?.[1], signature: m?.[2], timestamp: date, signedAt: parseAnyDate(date), sessionToken: header(request.headers, 'x-amz-security-token') };
  }
  const fromPairs = (pairs: [string, string][], location: ParsedSigV2['location']): ParsedSigV2 | null => {
    const get = (name: string) => pairs.find(([k]) => k === name)?.[1];
    if (get('Signature') === undefined || (get('AWSAccessKeyId') === undefined && get('SignatureVersion') === undefined)) return null;
    const timestamp = get('Timestamp');
    const expires = get('Expires');
    const expiresAt = expires === undefined ? undefined : /^\d+$/.test(expires) ? new Date(Number(expires) * 1000) : parseAnyDate(expires);
    return {
      location,
      accessKeyId: get('AWSAccessKeyId'),
      signature: get('Signature'),
      signatureMethod: get('SignatureMethod'),
      timestamp,
      expires,
      signedAt: parseAnyDate(timestamp),
      expiresAt,
      sessionToken: get('SecurityToken') ?? header(request.headers, 'x-amz-security-token'),
    };
  };
  const q = fromPairs(rawQueryParams(request.url), 'query');
  if (q) return q;
  if (request.body && /^[\w.%-]+=[^&]*(&[\w.%-]+=[^&]*)*$/.test(request.body.trim())) {
    return fromPairs(rawQueryParams(`?${request.body.trim().replace(/\+/g, '%20')}`), 'body');
  }
  return null;
}
