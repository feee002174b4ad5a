/**
 * The official SigV4 implementation (@smithy/signature-v4, the one inside the AWS SDK for
 * JavaScript v3), loaded on first use so that a run without AWS requests never pays for it.
 *
 * The library exports the pieces of the canonical request (getCanonicalQuery, getCanonicalHeaders,
 * getPayloadHash, createScope, getSigningKey) but keeps `createCanonicalRequest` (which also
 * normalises and escapes the path) and `createStringToSign` protected. `ForensicSigner` subclasses
 * `SignatureV4` only to call those two, so every byte of the canonical request and string to sign
 * comes from the library and nothing of SigV4 is re-implemented here.
 */

import type { HttpRequest as SmithyHttpRequest, HeaderBag, AwsCredentialIdentity, ChecksumConstructor, HashConstructor } from '@smithy/types';

export interface SmithyKit {
  sha256: ChecksumConstructor | HashConstructor;
  HttpRequest: new (options: Partial<SmithyHttpRequest>) => SmithyHttpRequest;
  getCanonicalHeaders(request: SmithyHttpRequest, unsignable?: Set<string>, signable?: Set<string>): HeaderBag;
  getCanonicalQuery(request: SmithyHttpRequest): string;
  getPayloadHash(request: SmithyHttpRequest, hash: SmithyKit['sha256']): Promise<string>;
  createScope(shortDate: string, region: string, service: string): string;
  UNSIGNED_PAYLOAD: string;
  ALGORITHM: string;
  /** A signer for these credentials; `uriEscapePath` false for S3 (its paths are encoded once). */
  signer(options: { credentials: AwsCredentialIdentity; region: string; service: string; uriEscapePath: boolean; applyChecksum: boolean }): ForensicSignerLike;
}

export interface ForensicSignerLike {
  canonicalRequest(request: SmithyHttpRequest, canonicalHeaders: HeaderBag, payloadHash: string): string;
  stringToSign(longDate: string, scope: string, canonicalRequest: string): Promise<string>;
  /** HMAC of a string to sign with the key derived for (date of signingDate, region, service). */
  hmacString(stringToSign: string, options: { signingDate: Date; signingRegion: string; signingService: string }): Promise<string>;
  signHttpRequest(request: SmithyHttpRequest, options: { signingDate: Date }): Promise<SmithyHttpRequest>;
}

let kit: Promise<SmithyKit> | null = null;

export function loadSmithy(): Promise<SmithyKit> {
  kit ??= (async () => {
    const sv4 = await import('@smithy/signature-v4');
    const { Hash } = await import('@smithy/hash-node');
    const { HttpRequest } = await import('@smithy/protocol-http');
    // The SDK's own wiring for Node: `sha256: Hash.bind(null, "sha256")`.
    const sha256 = Hash.bind(null, 'sha256') as SmithyKit['sha256'];
    class ForensicSigner extends sv4.SignatureV4 implements ForensicSignerLike {
      canonicalRequest(request: SmithyHttpRequest, canonicalHeaders: HeaderBag, payloadHash: string): string {
        return this.createCanonicalRequest(request, canonicalHeaders, payloadHash);
      }
      stringToSign(longDate: string, scope: string, canonicalRequest: string): Promise<string> {
        return this.createStringToSign(longDate, scope, canonicalRequest, sv4.ALGORITHM_IDENTIFIER);
      }
      hmacString(stringToSign: string, options: { signingDate: Date; signingRegion: string; signingService: string }): Promise<string> {
        return this.sign(stringToSign, options);
      }
      signHttpRequest(request: SmithyHttpRequest, options: { signingDate: Date }): Promise<SmithyHttpRequest> {
        return this.sign(request, options);
      }
    }
    return {
      sha256,
      HttpRequest: HttpRequest as unknown as SmithyKit['HttpRequest'],
      getCanonicalHeaders: sv4.getCanonicalHeaders,
      getCanonicalQuery: sv4.getCanonicalQuery,
      getPayloadHash: sv4.getPayloadHash as SmithyKit['getPayloadHash'],
      createScope: sv4.createScope,
      UNSIGNED_PAYLOAD: sv4.UNSIGNED_PAYLOAD,
      ALGORITHM: sv4.ALGORITHM_IDENTIFIER,
      signer: ({ credentials, region, service, uriEscapePath, applyChecksum }) =>
        new ForensicSigner({ credentials, region, service, sha256, uriEscapePath, applyChecksum }),
    };
  })();
  return kit;
}

/** Services whose paths are URI-encoded once, not twice (the S3 clients set `uriEscapePath: false`). */
export function singleEncodedPath(service: string): boolean {
  return service === 's3' || service === 's3express' || service === 's3-outposts' || service === 's3-object-lambda';
}

/** Services that sign `x-amz-content-sha256` (the S3 family; curl's --aws-sigv4 does the same). */
export function sendsContentSha256(service: string): boolean {
  return singleEncodedPath(service);
}
