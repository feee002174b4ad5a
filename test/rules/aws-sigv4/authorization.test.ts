import { describe, expect, it } from 'vitest';
import { parseAuthorizationHeader, parseSigV2, parseSigV4 } from '../../../rules/aws-sigv4/lib/authorization.ts';

const SIG = 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41';
const GOOD = `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=${SIG}`;

const ids = (value: string) => parseAuthorizationHeader(value).problems.map((p) => p.id);

describe('parseAuthorizationHeader', () => {
  it('reads a well-formed header (with or without spaces after the commas)', () => {
    for (const value of [GOOD, GOOD.replace(/, /g, ',')]) {
      const p = parseAuthorizationHeader(value);
      expect(p.problems).toEqual([]);
      expect(p).toMatchObject({
        algorithm: 'AWS4-HMAC-SHA256',
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        scope: { date: '20130524', region: 'us-east-1', service: 's3', terminator: 'aws4_request' },
        signedHeaders: ['host', 'range', 'x-amz-content-sha256', 'x-amz-date'],
        signature: SIG,
      });
    }
  });

  it('points at whitespace after the access key ID (AWS sees a separate /date/… fragment)', () => {
    const value = GOOD.replace('EXAMPLE/', 'EXAMPLE /');
    const p = parseAuthorizationHeader(value);
    expect(p.problems.map((x) => x.id)).toEqual(['key-id-whitespace']);
    expect(p.problems[0]).toMatchObject({ fragment: '/20130524/us-east-1/s3/aws4_request', at: value.indexOf(' /20130524') + 1 });
  });

  it('points at a stray space right after "Credential="', () => {
    expect(ids(GOOD.replace('Credential=', 'Credential= '))).toContain('space-after-credential');
  });

  it('reports a missing comma between parameters', () => {
    expect(ids(GOOD.replace('aws4_request, SignedHeaders', 'aws4_request SignedHeaders'))).toEqual(['missing-comma']);
  });

  it('reports a misspelt algorithm name', () => {
    const p = parseAuthorizationHeader(GOOD.replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA-256'));
    expect(p.problems[0]).toMatchObject({ id: 'algorithm', fragment: 'AWS4-HMAC-SHA-256' });
    expect(p.problems[0]!.message).toMatch(/misspelling/);
  });

  it('reports an empty SignedHeaders and an unsorted one', () => {
    expect(ids(GOOD.replace('SignedHeaders=host;range;x-amz-content-sha256;x-amz-date', 'SignedHeaders='))).toContain('signed-headers-empty');
    expect(ids(GOOD.replace('host;range;x-amz-content-sha256;x-amz-date', 'x-amz-date;host'))).toContain('signed-headers-order');
    expect(ids(GOOD.replace('host;range;x-amz-content-sha256;x-amz-date', 'range;x-amz-date'))).toContain('host-not-signed');
  });

  it('reports a credential without five parts, and a secret put where the key ID belongs', () => {
    expect(ids(GOOD.replace('/us-east-1/s3/', '/us-east-1/'))).toContain('credential-elements');
    const swapped = parseAuthorizationHeader(GOOD.replace('AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'));
    const p = swapped.problems.find((x) => x.id === 'credential-elements')!;
    expect(p.fix).toMatch(/swap/i);
    expect(p.fragment?.includes('wJalr')).toBe(false);
  });

  it('recognises IAM unique IDs used as access key IDs, AZs as regions, and missing parameters', () => {
    expect(ids(GOOD.replace('AKIAIOSFODNN7EXAMPLE', 'AIDAJQABLZS4A3QDU576Q'))).toContain('key-id-not-a-key');
    expect(ids(GOOD.replace('us-east-1', 'us-east-1a'))).toContain('scope-region-az');
    expect(ids(`AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host`)).toContain('missing-signature');
    expect(ids(GOOD.replace(SIG, SIG.toUpperCase()))).toContain('signature-format');
  });

  it('checks the scope date against X-Amz-Date', () => {
    const p = parseSigV4({ url: 'https://examplebucket.s3.amazonaws.com/test.txt', headers: [{ name: 'Authorization', value: GOOD }, { name: 'x-amz-date', value: '20130525T000000Z' }] })!;
    expect(p.problems.map((x) => x.id)).toEqual(['scope-date-mismatch']);
    expect(p.signedAt?.toISOString()).toBe('2013-05-25T00:00:00.000Z');
  });

  it('reports two Authorization headers', () => {
    const p = parseSigV4({ url: 'https://x.amazonaws.com/', headers: [{ name: 'Authorization', value: GOOD }, { name: 'authorization', value: GOOD }, { name: 'X-Amz-Date', value: '20130524T000000Z' }] })!;
    expect(p.problems[0]!.id).toBe('authorization-twice');
  });
});

describe('presigned URLs', () => {
  // The S3 documentation's presigned URL example.
  const URL_OK =
    'https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';

  it('reads the X-Amz-* parameters', () => {
    const p = parseSigV4({ url: URL_OK, headers: [] })!;
    expect(p.problems).toEqual([]);
    expect(p).toMatchObject({ location: 'query', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', expires: 86400, signedHeaders: ['host'], amzDate: '20130524T000000Z' });
  });

  it('reports a missing parameter, a wrong-case parameter and an expiry above 7 days', () => {
    expect(parseSigV4({ url: URL_OK.replace(/&X-Amz-SignedHeaders=host/, ''), headers: [] })!.problems.map((x) => x.id)).toEqual(['presign-parameter-missing']);
    expect(parseSigV4({ url: URL_OK.replace('X-Amz-Date', 'x-amz-date'), headers: [] })!.problems.map((x) => x.id)).toContain('presign-parameter-case');
    expect(parseSigV4({ url: URL_OK.replace('X-Amz-Expires=86400', 'X-Amz-Expires=700000'), headers: [] })!.problems.map((x) => x.id)).toEqual(['presign-expires-too-long']);
  });
});

describe('Signature Version 2', () => {
  it('reads Timestamp from the query string (MWS, SimpleDB)', () => {
    const p = parseSigV2({
      url: 'https://mws.amazonservices.com/Orders/2013-09-01?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Action=ListOrders&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2018-09-23T10%3A04%3A57Z&Version=2013-09-01&Signature=abc%3D',
      headers: [],
    })!;
    expect(p).toMatchObject({ location: 'query', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', timestamp: '2018-09-23T10:04:57Z', signature: 'abc=' });
    expect(p.signedAt?.toISOString()).toBe('2018-09-23T10:04:57.000Z');
  });

  it('reads SigV2 parameters from a form body and S3\'s "AWS key:signature" header', () => {
    const body = parseSigV2({ url: 'https://sdb.amazonaws.com/', headers: [], body: 'Action=ListDomains&AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&SignatureVersion=2&SignatureMethod=HmacSHA256&Timestamp=2010-01-25T15%3A01%3A28-07%3A00&Signature=xyz' })!;
    expect(body.location).toBe('body');
    expect(body.signedAt?.toISOString()).toBe('2010-01-25T22:01:28.000Z');
    const header = parseSigV2({ url: 'https://b.s3.amazonaws.com/k', headers: [{ name: 'Authorization', value: 'AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=' }, { name: 'Date', value: 'Tue, 27 Mar 2007 19:36:42 +0000' }] })!;
    expect(header).toMatchObject({ location: 'header', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', signature: 'frJIUN8DYpKDtOLCwo//yllqDzg=' });
  });
});
