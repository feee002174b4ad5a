/**
 * Signature forensics: the canonical request the client's request yields (built with the official
 * signer's own functions, see smithy.ts), the canonical request the server echoed, and the diff
 * between them by element (DESIGN.md §3 `canonicalDiff`).
 */

import type { HeaderEntry, RequestSnapshot } from '../../../src/core/types.ts';
import { parseAmzDate, rawQueryParams, type ParsedSigV4 } from './authorization.ts';
import { loadSmithy, singleEncodedPath } from './smithy.ts';

export interface CanonicalParts {
  method: string;
  path: string;
  query: string;
  /** Canonical header lines as [name, value], in order. */
  headers: [string, string][];
  signedHeaders: string;
  payloadHash: string;
}

export interface CanonicalDiffEntry {
  /** `method` | `path` | `query` | `header:<name>` | `signedHeaders` | `payloadHash` */
  element: string;
  /** What the client's request yields (null: absent on this side). */
  sent: string | null;
  /** What the server computed (null: absent on that side). */
  received: string | null;
}

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Splits a canonical request into its elements; null when the text is not one. */
export function parseCanonical(text: string): CanonicalParts | null {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines.length < 6) return null;
  const method = lines[0]!;
  const path = lines[1]!;
  const query = lines[2]!;
  const headers: [string, string][] = [];
  let i = 3;
  for (; i < lines.length && lines[i] !== ''; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':', line.startsWith(':') ? 1 : 0);
    if (colon < 0) return null;
    headers.push([line.slice(0, colon), line.slice(colon + 1)]);
  }
  // A blank line ends the headers; then SignedHeaders and the payload hash.
  const signedHeaders = lines[i + 1];
  const payloadHash = lines[i + 2];
  if (signedHeaders === undefined || payloadHash === undefined) return null;
  return { method, path, query, headers, signedHeaders, payloadHash };
}

export function canonicalText(parts: CanonicalParts): string {
  return [parts.method, parts.path, parts.query, ...parts.headers.map(([n, v]) => `${n}:${v}`), '', parts.signedHeaders, parts.payloadHash].join('\n');
}

/** Element-by-element differences; an empty list means the two canonical requests are identical. */
export function diffCanonical(sent: CanonicalParts, received: CanonicalParts): CanonicalDiffEntry[] {
  const out: CanonicalDiffEntry[] = [];
  if (sent.method !== received.method) out.push({ element: 'method', sent: sent.method, received: received.method });
  if (sent.path !== received.path) out.push({ element: 'path', sent: sent.path, received: received.path });
  if (sent.query !== received.query) out.push({ element: 'query', sent: sent.query, received: received.query });
  const names: string[] = [];
  for (const [n] of [...sent.headers, ...received.headers]) if (!names.includes(n)) names.push(n);
  for (const name of names) {
    const a = sent.headers.filter(([n]) => n === name).map(([, v]) => v).join(',');
    const b = received.headers.filter(([n]) => n === name).map(([, v]) => v).join(',');
    const inA = sent.headers.some(([n]) => n === name);
    const inB = received.headers.some(([n]) => n === name);
    if (a !== b || inA !== inB) out.push({ element: `header:${name.toLowerCase()}`, sent: inA ? a : null, received: inB ? b : null });
  }
  if (sent.signedHeaders !== received.signedHeaders) out.push({ element: 'signedHeaders', sent: sent.signedHeaders, received: received.signedHeaders });
  if (sent.payloadHash !== received.payloadHash) out.push({ element: 'payloadHash', sent: sent.payloadHash, received: received.payloadHash });
  return out;
}

/** The raw path of a URL exactly as written (no WHATWG normalisation: the signer saw this). */
export function rawPath(url: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(url);
  const path = m ? m[1]! : url.split(/[?#]/)[0]!;
  return path || '/';
}

function hostOf(url: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url);
  const authority = m?.[1] ?? '';
  return authority.slice(authority.lastIndexOf('@') + 1);
}

export interface ClientCanonicalOptions {
  /** The credential-scope service (decides single vs double path encoding). */
  service: string;
  /** Override the path encoding rule (forensic variants). */
  uriEscapePath?: boolean;
  /** Use this payload hash instead of the one the request yields. */
  payloadHash?: string;
  /** Header values as sent, without trimming or collapsing whitespace (forensic variant). */
  rawHeaderValues?: boolean;
  /** Replace the value of one header (forensic variant), lower-case name. */
  headerOverride?: { name: string; value: string };
  /** Query string exactly as sent instead of sorted and re-encoded (forensic variant). */
  rawQuery?: boolean;
}

export interface ClientCanonical {
  parts: CanonicalParts;
  text: string;
  /** False when the captured request has no body although it had one (the payload hash is a guess). */
  payloadKnown: boolean;
  /** Signed header names that the request did not carry. */
  missingSignedHeaders: string[];
}

/** Values of one header, joined the way SigV4 wants repeated headers (comma-separated). */
function joinedHeader(headers: readonly HeaderEntry[], name: string): string | undefined {
  const values = headers.filter((h) => h.name.toLowerCase() === name).map((h) => h.value);
  return values.length ? values.join(',') : undefined;
}

/**
 * The canonical request for a captured request and the signature facts in it (SignedHeaders, the
 * service), built with the official signer's functions.
 */
export async function clientCanonical(request: RequestSnapshot, sig: Pick<ParsedSigV4, 'signedHeaders' | 'location' | 'contentSha256'>, options: ClientCanonicalOptions): Promise<ClientCanonical> {
  const smithy = await loadSmithy();
  const signed = (sig.signedHeaders ?? ['host']).map((n) => n.toLowerCase()).filter((n) => n.length > 0);
  const headers: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of signed) {
    let value = joinedHeader(request.headers, name);
    // HTTP/2 captures carry the host as the :authority pseudo-header.
    if (value === undefined && name === 'host') value = joinedHeader(request.headers, ':authority') ?? hostOf(request.url);
    if (options.headerOverride?.name === name) value = options.headerOverride.value;
    if (value === undefined) {
      missing.push(name);
      value = '';
    }
    headers[name] = value;
  }
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of rawQueryParams(request.url)) {
    const existing = query[k];
    query[k] = existing === undefined ? v : Array.isArray(existing) ? [...existing, v] : [existing, v];
  }
  const httpRequest = new smithy.HttpRequest({ method: request.method.toUpperCase(), path: rawPath(request.url), query, headers, body: request.body });
  let canonicalHeaders = smithy.getCanonicalHeaders(httpRequest, undefined, new Set(signed));
  if (options.rawHeaderValues) {
    canonicalHeaders = Object.fromEntries(Object.keys(canonicalHeaders).map((k) => [k, headers[k] ?? '']));
  }
  const contentLength = joinedHeader(request.headers, 'content-length');
  let payloadKnown = true;
  let payloadHash: string;
  if (options.payloadHash !== undefined) payloadHash = options.payloadHash;
  else if (sig.contentSha256 !== undefined) payloadHash = sig.contentSha256;
  else if (sig.location === 'query' && singleEncodedPath(options.service)) payloadHash = smithy.UNSIGNED_PAYLOAD;
  else {
    payloadHash = await smithy.getPayloadHash(new smithy.HttpRequest({ headers: {}, body: request.body }), smithy.sha256);
    if (request.body === undefined && contentLength !== undefined && contentLength.trim() !== '0') payloadKnown = false;
  }
  const signer = smithy.signer({
    credentials: { accessKeyId: 'forensic', secretAccessKey: 'forensic' },
    region: 'us-east-1',
    service: options.service,
    uriEscapePath: options.uriEscapePath ?? !singleEncodedPath(options.service),
    applyChecksum: false,
  });
  let text = signer.canonicalRequest(httpRequest, canonicalHeaders, payloadHash);
  if (options.rawQuery) {
    const q = request.url.indexOf('?');
    const raw = q < 0 ? '' : request.url.slice(q + 1).split('#')[0]!.split('&').filter((p) => !/^X-Amz-Signature=/.test(p)).join('&');
    const lines = text.split('\n');
    lines[2] = raw;
    text = lines.join('\n');
  }
  return { parts: parseCanonical(text)!, text, payloadKnown, missingSignedHeaders: missing };
}

export interface SigningFacts {
  amzDate: string;
  scope: { date: string; region: string; service: string; terminator?: string };
}

/** String to sign and signature for a canonical request, with the official signer. */
export async function signCanonical(canonical: string, facts: SigningFacts, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined }): Promise<{ stringToSign: string; signature: string }> {
  const smithy = await loadSmithy();
  const { date, region, service } = facts.scope;
  const signer = smithy.signer({ credentials, region, service, uriEscapePath: !singleEncodedPath(service), applyChecksum: false });
  const scope = `${date}/${region}/${service}/${facts.scope.terminator ?? 'aws4_request'}`;
  const stringToSign = await signer.stringToSign(facts.amzDate, scope, canonical);
  const signingDate = parseAmzDate(`${date}T000000Z`) ?? new Date();
  const signature = await signer.hmacString(stringToSign, { signingDate, signingRegion: region, signingService: service });
  return { stringToSign, signature };
}

/** A variant of the canonical request that reproduces the client's signature: where its signer deviates. */
export interface SignerDeviation {
  element: string;
  /** What the client's signer used. */
  signed: string;
  /** What SigV4 requires for the request as sent. */
  expected: string;
  explanation: string;
}

/**
 * The client's signature does not match the canonical form of what it sent. With the secret known,
 * try the usual signer bugs one at a time and see which one reproduces the client's signature.
 */
export async function findSignerDeviation(
  request: RequestSnapshot,
  sig: ParsedSigV4,
  credentials: { accessKeyId: string; secretAccessKey: string },
  standard: ClientCanonical,
): Promise<SignerDeviation | null> {
  if (!sig.scope || !sig.amzDate || !sig.signature) return null;
  const facts: SigningFacts = { amzDate: sig.amzDate, scope: sig.scope };
  const service = sig.scope.service;
  const tries: { options: ClientCanonicalOptions; element: string; explanation: string; pick: (c: ClientCanonical) => string }[] = [];
  const defaultEscape = !singleEncodedPath(service);
  tries.push({
    options: { service, uriEscapePath: !defaultEscape },
    element: 'path',
    explanation: defaultEscape
      ? `The signer encoded the path once; ${service} expects each path segment URI-encoded twice in the canonical request (only S3 encodes once).`
      : 'The signer URI-encoded the path twice; S3 expects the path encoded once in the canonical request.',
    pick: (c) => c.parts.path,
  });
  const bodyHash = (await clientCanonical(request, { ...sig, contentSha256: undefined }, { service })).parts.payloadHash;
  for (const [hash, why] of [
    ['UNSIGNED-PAYLOAD', 'The signer used UNSIGNED-PAYLOAD as the payload hash'],
    [EMPTY_SHA256, 'The signer hashed an empty body although the request has one'],
    [bodyHash, 'The signer hashed the body, but the x-amz-content-sha256 header says otherwise'],
  ] as const) {
    if (hash !== standard.parts.payloadHash) tries.push({ options: { service, payloadHash: hash }, element: 'payloadHash', explanation: `${why}.`, pick: (c) => c.parts.payloadHash });
  }
  tries.push({ options: { service, rawHeaderValues: true }, element: 'header', explanation: 'The signer did not trim and collapse whitespace in header values (SigV4 canonical headers trim them and turn runs of spaces into one).', pick: (c) => c.parts.headers.map(([n, v]) => `${n}:${v}`).join('\n') });
  tries.push({ options: { service, rawQuery: true }, element: 'query', explanation: 'The signer used the query string as sent; SigV4 sorts the parameters by name and URI-encodes names and values (RFC 3986, %20 for space).', pick: (c) => c.parts.query });
  const host = joinedHeader(request.headers, 'host') ?? hostOf(request.url);
  const https = /^https:/i.test(request.url);
  const hostVariants = /:\d+$/.test(host) ? [host.replace(/:\d+$/, '')] : [`${host}:${https ? 443 : 80}`];
  for (const v of hostVariants) tries.push({ options: { service, headerOverride: { name: 'host', value: v } }, element: 'header:host', explanation: `The signer signed the host as "${v}" but the request carried "${host}" (a port added or dropped).`, pick: (c) => c.parts.headers.find(([n]) => n === 'host')?.[1] ?? '' });
  for (const t of tries) {
    const variant = await clientCanonical(request, sig, t.options);
    if (variant.text === standard.text) continue;
    const { signature } = await signCanonical(variant.text, facts, credentials);
    if (signature === sig.signature) {
      if (t.element === 'header') {
        const diff = diffCanonical(variant.parts, standard.parts).find((d) => d.element.startsWith('header:'));
        return { element: diff?.element ?? 'header', signed: diff?.sent ?? '', expected: diff?.received ?? '', explanation: t.explanation };
      }
      return { element: t.element, signed: t.pick(variant), expected: t.pick(standard), explanation: t.explanation };
    }
  }
  return null;
}
