/**
 * Signing an outgoing request with @smithy/signature-v4 (what the AWS SDK itself does), keeping
 * the request's own header names and order.
 */

import type { HeaderEntry } from '../../../src/core/types.ts';
import type { OutgoingRequest } from '../../../src/core/plugin.ts';
import { clientCanonical } from './canonical.ts';
import { parseSigV4, rawQueryParams } from './authorization.ts';
import { loadSmithy, sendsContentSha256, singleEncodedPath } from './smithy.ts';

export interface SignOptions {
  region: string;
  service: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined };
  signingDate: Date;
}

export interface SignResult {
  request: OutgoingRequest;
  signature: string;
  canonicalRequest: string;
}

/** Headers the signer (re)generates: the request's own copies are dropped before signing. */
const GENERATED = new Set(['authorization', 'x-amz-date', 'date', 'x-amz-content-sha256']);
const CANONICAL_NAMES: Record<string, string> = {
  host: 'Host',
  authorization: 'Authorization',
  'x-amz-date': 'X-Amz-Date',
  'x-amz-security-token': 'X-Amz-Security-Token',
  'x-amz-content-sha256': 'X-Amz-Content-Sha256',
};

function authority(url: string): string {
  return new URL(url).host;
}

export async function signOutgoing(request: OutgoingRequest, options: SignOptions): Promise<SignResult> {
  const smithy = await loadSmithy();
  const url = new URL(request.url);
  const kept: HeaderEntry[] = request.headers.filter((h) => !GENERATED.has(h.name.toLowerCase()));
  // The token travels as a header the signer adds itself when the credentials carry one.
  const withoutToken = options.credentials.sessionToken ? kept.filter((h) => h.name.toLowerCase() !== 'x-amz-security-token') : kept;
  const headers: Record<string, string> = {};
  for (const h of withoutToken) {
    const lower = h.name.toLowerCase();
    // SigV4 joins repeated headers with commas (the canonical form of a list-valued header).
    headers[lower] = lower in headers ? `${headers[lower]},${h.value}` : h.value;
  }
  if (!('host' in headers)) headers.host = authority(request.url);
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of rawQueryParams(request.url)) {
    const existing = query[k];
    query[k] = existing === undefined ? v : Array.isArray(existing) ? [...existing, v] : [existing, v];
  }
  const path = (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(request.url)?.[1] ?? url.pathname) || '/';
  const httpRequest = new smithy.HttpRequest({
    method: request.method.toUpperCase(),
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path,
    query,
    headers,
    body: request.body,
  });
  const signer = smithy.signer({
    credentials: options.credentials,
    region: options.region,
    service: options.service,
    uriEscapePath: !singleEncodedPath(options.service),
    applyChecksum: sendsContentSha256(options.service),
  });
  const signed = await signer.signHttpRequest(httpRequest, { signingDate: options.signingDate });
  const out: HeaderEntry[] = [];
  const emitted = new Set<string>();
  for (const h of withoutToken) {
    const lower = h.name.toLowerCase();
    if (emitted.has(lower)) continue;
    const value = signed.headers[lower];
    if (value === undefined) continue;
    // Repeated headers were joined for signing; send them as they were (same canonical value).
    for (const same of withoutToken.filter((x) => x.name.toLowerCase() === lower)) out.push({ name: same.name, value: same.value });
    emitted.add(lower);
  }
  for (const [name, value] of Object.entries(signed.headers)) {
    if (emitted.has(name.toLowerCase()) || value === undefined) continue;
    out.push({ name: CANONICAL_NAMES[name] ?? name, value });
    emitted.add(name.toLowerCase());
  }
  const outgoing: OutgoingRequest = { ...request, headers: out };
  const sig = parseSigV4(outgoing);
  const canonical = await clientCanonical({ method: outgoing.method, url: outgoing.url, headers: outgoing.headers, body: outgoing.body }, sig!, { service: options.service });
  return { request: outgoing, signature: sig?.signature ?? '', canonicalRequest: canonical.text };
}
