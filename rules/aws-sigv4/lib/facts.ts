/**
 * The parsed facts every rule of this plugin reads, computed once per exchange (rules run in
 * parallel; the first one to ask pays, the rest share the promise).
 */

import type { RuleContext } from '../../../src/core/plugin.ts';
import type { Exchange } from '../../../src/core/types.ts';
import { parseSigV2, parseSigV4, rawQueryParams, type ParsedSigV2, type ParsedSigV4 } from './authorization.ts';
import { classify, isAwsResponse, parseAwsError, type AwsError, type ErrorKind } from './errors.ts';
import { parseAwsEndpoint, type AwsEndpoint } from './hosts.ts';

export interface Facts {
  sigv4: ParsedSigV4 | null;
  sigv2: ParsedSigV2 | null;
  endpoint: AwsEndpoint | null;
  error: AwsError | null;
  kind: ErrorKind | null;
  /** The exchange is an authentication failure: rules may `fail`; otherwise they only warn. */
  failed: boolean;
  /** The request carries any AWS signature at all. */
  signed: boolean;
}

const memo = new WeakMap<Exchange, Promise<Facts>>();

export function factsOf(ctx: RuleContext<unknown>): Promise<Facts> {
  let p = memo.get(ctx.exchange);
  if (!p) {
    p = compute(ctx.exchange);
    memo.set(ctx.exchange, p);
  }
  return p;
}

async function compute(exchange: Exchange): Promise<Facts> {
  const request = exchange.request;
  const sigv4 = parseSigV4(request);
  const sigv2 = sigv4 ? null : parseSigV2(request);
  const endpoint = parseAwsEndpoint(request.url);
  const error = await parseAwsError(exchange.response);
  const status = exchange.response?.status ?? 0;
  const kind = error ? classify(error) : null;
  return {
    sigv4,
    sigv2,
    endpoint,
    error,
    kind,
    // AWS rejects authentication with 400, 403 (and EC2 with 401). A 404 NoSuchKey or a 5xx means
    // the signature was accepted: rules then only warn.
    failed: status === 400 || status === 401 || status === 403 || (kind !== null && kind !== 'other'),
    signed: sigv4 !== null || sigv2 !== null,
  };
}

/**
 * Cheap, synchronous: does this exchange involve AWS at all? A SigV4/SigV2 signature, an AWS host,
 * AWS's response headers or error markers, or a profile configured for `aws-sigv4`.
 */
export function looksLikeAws(ctx: RuleContext<unknown>): boolean {
  const { request, response } = ctx;
  if (ctx.profile.scheme === 'aws-sigv4' || ctx.profile.aws) return true;
  const auth = ctx.helpers.requestHeader('authorization');
  if (auth && /^\s*AWS(4-|\s)/i.test(auth)) return true;
  const params = rawQueryParams(request.url).map(([k]) => k);
  if (params.some((k) => /^X-Amz-(Algorithm|Credential|Signature)$/i.test(k))) return true;
  if (params.includes('AWSAccessKeyId') && params.includes('Signature')) return true;
  if (parseAwsEndpoint(request.url)) return true;
  if (response) {
    if (isAwsResponse(response)) return true;
    if (/xmlns="https?:\/\/[a-z0-9.-]*amazonaws\.com\/doc\//.test(response.body.slice(0, 400))) return true;
  }
  return false;
}
