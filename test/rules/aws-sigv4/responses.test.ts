import { afterEach, describe, expect, it } from 'vitest';
import plugin from '../../../rules/aws-sigv4/index.ts';
import { parseAwsError, classify, accessDeniedDetails, timeClues, echoedCanonical } from '../../../rules/aws-sigv4/lib/errors.ts';
import { clientCanonical, signCanonical } from '../../../rules/aws-sigv4/lib/canonical.ts';
import { parseSigV4 } from '../../../rules/aws-sigv4/lib/authorization.ts';
import { forgetAll, rememberCredentials } from '../../../rules/aws-sigv4/lib/memory.ts';
import { decideVerdict } from '../../../src/core/verdict.ts';
import { findingsOf, makeExchange, type ExchangeInit } from '../../helpers/exchange.ts';

const EXAMPLE_KEY = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

// The S3 documentation's SigV4 example ("GET Object", examplebucket, 2013-05-24), with its published signature.
const S3_EXAMPLE = {
  method: 'GET',
  url: 'https://examplebucket.s3.amazonaws.com/test.txt',
  requestHeaders: [
    { name: 'Host', value: 'examplebucket.s3.amazonaws.com' },
    { name: 'Range', value: 'bytes=0-9' },
    { name: 'x-amz-content-sha256', value: EMPTY },
    { name: 'x-amz-date', value: '20130524T000000Z' },
    { name: 'Authorization', value: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41' },
  ],
  sentAt: new Date('2013-05-24T00:00:01Z'),
} satisfies ExchangeInit;

function s3SignatureError(canonical: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message><AWSAccessKeyId>AKIAIOSFODNN7EXAMPLE</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256
20130524T000000Z
20130524/us-east-1/s3/aws4_request
0000</StringToSign><SignatureProvided>f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41</SignatureProvided><CanonicalRequest>${canonical}</CanonicalRequest><RequestId>4442587FB7D0A2F9</RequestId><HostId>host-id</HostId></Error>`;
}

afterEach(() => forgetAll());

describe('AWS error bodies', () => {
  it('parses the four AWS error shapes and normalises codes', async () => {
    const s3 = await parseAwsError({ status: 403, statusText: '', headers: [], body: s3SignatureError('GET\n/test.txt\n\nhost:h\n\nhost\nx') });
    expect(s3).toMatchObject({ protocol: 's3-xml', code: 'SignatureDoesNotMatch' });
    expect(echoedCanonical(s3!).canonicalRequest).toBe('GET\n/test.txt\n\nhost:h\n\nhost\nx');
    const query = await parseAwsError({ status: 403, statusText: '', headers: [], body: '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error><RequestId>1</RequestId></ErrorResponse>' });
    expect(query).toMatchObject({ protocol: 'query-xml', code: 'InvalidClientTokenId', type: 'Sender', requestId: '1' });
    const ec2 = await parseAwsError({ status: 401, statusText: '', headers: [], body: '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>AuthFailure</Code><Message>AWS was not able to validate the provided access credentials</Message></Error></Errors><RequestID>r</RequestID></Response>' });
    expect(ec2).toMatchObject({ protocol: 'ec2-xml', code: 'AuthFailure', requestId: 'r' });
    expect(classify(ec2!)).toBe('key-unknown');
    const json = await parseAwsError({ status: 400, statusText: '', headers: [{ name: 'x-amzn-RequestId', value: 'abc' }], body: '{"__type":"com.amazon.coral.service#UnrecognizedClientException","message":"The security token included in the request is invalid."}' });
    expect(json).toMatchObject({ protocol: 'json', code: 'UnrecognizedClientException', requestId: 'abc' });
    const apigw = await parseAwsError({ status: 403, statusText: '', headers: [{ name: 'x-amzn-ErrorType', value: 'IncompleteSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/' }], body: '{"message":"Authorization header requires \'Credential\' parameter."}' });
    expect(apigw).toMatchObject({ protocol: 'json', code: 'IncompleteSignatureException' });
    const sqsJson = await parseAwsError({ status: 400, statusText: '', headers: [{ name: 'x-amzn-query-error', value: 'InvalidClientTokenId;Sender' }], body: '{"__type":"com.amazon.coral.service#UnrecognizedClientException","message":"The security token included in the request is invalid."}' });
    expect(sqsJson).toMatchObject({ code: 'InvalidClientTokenId', type: 'Sender' });
    expect(await parseAwsError({ status: 401, statusText: '', headers: [], body: '{"error":"invalid_token"}' })).toBeNull();
  });

  it('reads times from clock errors', async () => {
    const sts = await parseAwsError({ status: 403, statusText: '', headers: [], body: '<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>Signature expired: 20170829T113931Z is now earlier than 20170829T114530Z (20170829T120030Z - 15 min.)</Message></Error></ErrorResponse>' });
    expect(classify(sts!)).toBe('clock');
    expect(timeClues(sts!)).toMatchObject({ requestTime: new Date('2017-08-29T11:39:31Z'), serverTime: new Date('2017-08-29T12:00:30Z'), windowSeconds: 900, direction: 'past' });
    const s3 = await parseAwsError({ status: 403, statusText: '', headers: [], body: '<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message><RequestTime>20130524T000000Z</RequestTime><ServerTime>2013-05-24T00:20:00Z</ServerTime><MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds></Error>' });
    expect(timeClues(s3!)).toMatchObject({ requestTime: new Date('2013-05-24T00:00:00Z'), serverTime: new Date('2013-05-24T00:20:00Z'), windowSeconds: 900 });
  });

  it('pulls principal, action, resource and policy type out of AccessDenied messages', () => {
    expect(accessDeniedDetails('User: arn:aws:iam::123456789012:user/bob is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::my-bucket/key.txt" because no identity-based policy allows the s3:GetObject action')).toMatchObject({
      principal: 'arn:aws:iam::123456789012:user/bob',
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::my-bucket/key.txt',
      policyType: 'identity-based policy',
    });
    expect(accessDeniedDetails('User: arn:aws:sts::123456789012:assumed-role/app/i-0abc is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/Orders with an explicit deny in a service control policy')).toMatchObject({
      action: 'dynamodb:PutItem',
      resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders',
      explicitDeny: true,
      policyType: 'service control policy',
    });
    expect(accessDeniedDetails('You are not authorized to perform this operation. Encoded authorization failure message: 4GIOHlTkIaWHQD0Q0m6XSnuUMCm-abc_DEF').encodedMessage).toBe('4GIOHlTkIaWHQD0Q0m6XSnuUMCm-abc_DEF');
  });
});

describe('the official signer on AWS\'s published examples', () => {
  it('reproduces the S3 documentation\'s GET Object signature', async () => {
    const exchange = makeExchange(S3_EXAMPLE);
    const sig = parseSigV4(exchange.request)!;
    const canonical = await clientCanonical(exchange.request, sig, { service: 's3' });
    expect(canonical.text).toBe(`GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\nx-amz-content-sha256:${EMPTY}\nx-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n${EMPTY}`);
    const { signature } = await signCanonical(canonical.text, { amzDate: sig.amzDate!, scope: sig.scope! }, EXAMPLE_KEY);
    expect(signature).toBe(sig.signature);
  });

  it('reproduces the S3 documentation\'s presigned URL signature', async () => {
    const exchange = makeExchange({
      url: 'https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
      requestHeaders: [{ name: 'Host', value: 'examplebucket.s3.amazonaws.com' }],
    });
    const sig = parseSigV4(exchange.request)!;
    const canonical = await clientCanonical(exchange.request, sig, { service: 's3' });
    const { signature } = await signCanonical(canonical.text, { amzDate: sig.amzDate!, scope: sig.scope! }, EXAMPLE_KEY);
    expect(signature).toBe(sig.signature);
  });
});

describe('findings on documented answers', () => {
  it('diffs S3\'s echoed <CanonicalRequest> against the request (a Range header changed on the way)', async () => {
    const serverCanonical = `GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-99\nx-amz-content-sha256:${EMPTY}\nx-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n${EMPTY}`;
    rememberCredentials(EXAMPLE_KEY);
    const exchange = makeExchange({ ...S3_EXAMPLE, status: 403, responseHeaders: { 'Content-Type': 'application/xml' }, responseBody: s3SignatureError(serverCanonical) });
    const findings = await findingsOf(plugin, exchange);
    const f = findings.find((x) => x.ruleId === 'aws-sigv4/signature-mismatch')!;
    expect(f.messageId).toBe('canonical-differs');
    expect(f.evidence.canonicalDiff).toEqual([{ element: 'header:range', sent: 'bytes=0-9', received: 'bytes=0-99' }]);
    expect(f.evidence.resigned).toBe('match');
    expect(decideVerdict(findings, exchange).cause).toBe('signature_mismatch');
  });

  it('reads a JSON-protocol InvalidSignatureException whose message carries the canonical string', async () => {
    const canonical = `GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\nx-amz-content-sha256:${EMPTY}\nx-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n${EMPTY}`;
    const message = `The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'${canonical}'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\nabc'\n`;
    const exchange = makeExchange({ ...S3_EXAMPLE, status: 403, responseHeaders: { 'x-amzn-ErrorType': 'InvalidSignatureException' }, responseBody: JSON.stringify({ message }) });
    const f = (await findingsOf(plugin, exchange)).find((x) => x.ruleId === 'aws-sigv4/signature-mismatch')!;
    expect(f.messageId).toBe('secret-wrong');
    expect(f.evidence.canonicalDiff).toEqual([]);
  });

  it('says "Credential should be scoped to correct service" names the service API Gateway expects', async () => {
    const exchange = makeExchange({
      url: 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/pets',
      requestHeaders: [{ name: 'X-Amz-Date', value: '20261128T100000Z' }, { name: 'Authorization', value: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261128/us-east-1/apigateway/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' }],
      status: 403,
      responseHeaders: { 'x-amzn-ErrorType': 'InvalidSignatureException', 'x-amzn-RequestId': 'r' },
      responseBody: '{"message":"Credential should be scoped to correct service: \'execute-api\'. "}',
    });
    const findings = await findingsOf(plugin, exchange);
    expect(decideVerdict(findings, exchange).cause).toBe('signature_mismatch');
    const f = findings.find((x) => x.messageId === 'wrong-service' && x.confidence === 'definitive')!;
    expect(f.evidence).toMatchObject({ signedService: 'apigateway', expectedService: 'execute-api' });
    expect(f.message).toMatch(/execute-api/);
  });

  it('names the region of the endpoint when the scope region is wrong (no server hint needed)', async () => {
    const exchange = makeExchange({
      method: 'POST',
      url: 'https://sqs.eu-west-1.amazonaws.com/',
      requestHeaders: [{ name: 'X-Amz-Date', value: '20261128T100000Z' }, { name: 'Authorization', value: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261128/us-east-1/sqs/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' }],
      status: 403,
      responseBody: '<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>Credential should be scoped to a valid region. </Message></Error><RequestId>r</RequestId></ErrorResponse>',
    });
    const f = (await findingsOf(plugin, exchange)).find((x) => x.ruleId === 'aws-sigv4/credential-scope')!;
    expect(f).toMatchObject({ messageId: 'wrong-region', confidence: 'definitive' });
    expect(f.evidence).toMatchObject({ signedRegion: 'us-east-1', expectedRegion: 'eu-west-1', expectedRegionSource: 'endpoint' });
  });

  it('finds a global service signed for the wrong region before AWS answers', async () => {
    const exchange = makeExchange({
      method: 'POST',
      url: 'https://iam.amazonaws.com/',
      requestHeaders: [{ name: 'X-Amz-Date', value: '20261128T100000Z' }, { name: 'Authorization', value: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261128/eu-west-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' }],
      status: 403,
      responseBody: '',
    });
    const f = (await findingsOf(plugin, exchange)).find((x) => x.ruleId === 'aws-sigv4/credential-scope')!;
    expect(f).toMatchObject({ messageId: 'wrong-region', confidence: 'likely' });
    expect(f.evidence.expectedRegion).toBe('us-east-1');
  });

  it('reports an expired presigned URL from S3\'s "Request has expired", and from the URL alone', async () => {
    const url = 'https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';
    const server = makeExchange({
      url,
      sentAt: new Date('2013-05-26T10:00:00Z'),
      status: 403,
      responseBody: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired</Message><X-Amz-Expires>86400</X-Amz-Expires><Expires>2013-05-25T00:00:00Z</Expires><ServerTime>2013-05-26T10:00:00Z</ServerTime><RequestId>r</RequestId><HostId>h</HostId></Error>',
    });
    const findings = await findingsOf(plugin, server);
    expect(decideVerdict(findings, server).cause).toBe('expired_token');
    const f = findings.find((x) => x.ruleId === 'aws-sigv4/presigned-url')!;
    expect(f).toMatchObject({ messageId: 'presigned-expired', confidence: 'definitive' });
    expect(f.evidence.expiredSeconds).toBe(34 * 3600);
    // Offline, from the URL alone (the answer's body was not captured).
    const alone = makeExchange({ url, sentAt: new Date('2013-05-25T01:00:00Z'), status: 403 });
    const g = (await findingsOf(plugin, alone)).find((x) => x.ruleId === 'aws-sigv4/presigned-url')!;
    expect(g).toMatchObject({ messageId: 'presigned-expired', confidence: 'likely', cause: 'expired_token' });
    expect(g.evidence.expiredSeconds).toBe(3600);
    // Still valid: nothing to say.
    const valid = makeExchange({ url, sentAt: new Date('2013-05-24T01:00:00Z'), status: 200 });
    expect((await findingsOf(plugin, valid)).filter((x) => x.ruleId === 'aws-sigv4/presigned-url')).toEqual([]);
  });

  it('reports AccessDenied with principal, action and resource, and the decode command for encoded messages', async () => {
    const signed = [{ name: 'X-Amz-Date', value: '20261128T100000Z' }, { name: 'Authorization', value: 'AWS4-HMAC-SHA256 Credential=ASIAIOSFODNN7EXAMPLE/20261128/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' }, { name: 'X-Amz-Security-Token', value: 'FwoGZXIvYXdzEXAMPLETOKEN0000000000' }];
    const ddb = makeExchange({
      method: 'POST',
      url: 'https://dynamodb.us-east-1.amazonaws.com/',
      requestHeaders: signed,
      status: 400,
      responseBody: '{"__type":"com.amazon.coral.service#AccessDeniedException","Message":"User: arn:aws:sts::123456789012:assumed-role/app-role/worker is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/Users because no identity-based policy allows the dynamodb:GetItem action"}',
    });
    const findings = await findingsOf(plugin, ddb);
    expect(decideVerdict(findings, ddb).cause).toBe('insufficient_permissions');
    const f = findings.find((x) => x.ruleId === 'aws-sigv4/access-denied')!;
    expect(f.evidence).toMatchObject({ principal: 'arn:aws:sts::123456789012:assumed-role/app-role/worker', action: 'dynamodb:GetItem', resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/Users' });
    expect(f.fixes.join('\n')).toContain('--policy-source-arn arn:aws:iam::123456789012:role/app-role');
    const ec2 = makeExchange({
      method: 'POST',
      url: 'https://ec2.us-east-1.amazonaws.com/',
      requestHeaders: signed.map((h) => (h.name === 'Authorization' ? { ...h, value: h.value.replace('/dynamodb/', '/ec2/') } : h)),
      status: 403,
      responseBody: '<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation. Encoded authorization failure message: 4GIOHlTkIaWHQD0Q0m6XSnuUMCm</Message></Error></Errors><RequestID>r</RequestID></Response>',
    });
    const e = (await findingsOf(plugin, ec2)).find((x) => x.ruleId === 'aws-sigv4/access-denied')!;
    expect(e.messageId).toBe('access-denied-encoded');
    expect(e.fixes[0]).toContain("aws sts decode-authorization-message --encoded-message '4GIOHlTkIaWHQD0Q0m6XSnuUMCm'");
  });

  it('reports "User: anonymous" from API Gateway as missing credentials', async () => {
    const exchange = makeExchange({
      url: 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/x',
      status: 403,
      responseHeaders: { 'x-amzn-ErrorType': 'AccessDeniedException', 'x-amz-apigw-id': 'id' },
      responseBody: '{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********1234:abc123/prod/GET/x"}',
    });
    const findings = await findingsOf(plugin, exchange);
    expect(decideVerdict(findings, exchange).cause).toBe('missing_credentials');
    expect(findings.find((x) => x.ruleId === 'aws-sigv4/access-denied')?.messageId).toBe('anonymous-principal');
  });

  it('identifies the fragment AWS quotes only as a SHA-256 hash (newer IncompleteSignature messages)', async () => {
    const value = 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE /20261128/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
    const { createHash } = await import('node:crypto');
    const hashed = createHash('sha256').update('/20261128/us-east-1/sts/aws4_request').digest('base64');
    const exchange = makeExchange({
      method: 'POST',
      url: 'https://sts.us-east-1.amazonaws.com/',
      requestHeaders: [{ name: 'X-Amz-Date', value: '20261128T100000Z' }, { name: 'Authorization', value }],
      status: 400,
      responseBody: `<ErrorResponse><Error><Type>Sender</Type><Code>IncompleteSignature</Code><Message>Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '${hashed}'.</Message></Error></ErrorResponse>`,
    });
    const findings = await findingsOf(plugin, exchange);
    expect(decideVerdict(findings, exchange).cause).toBe('malformed_credentials');
    const f = findings.find((x) => x.ruleId === 'aws-sigv4/authorization-format')!;
    expect(f).toMatchObject({ messageId: 'key-id-whitespace', confidence: 'definitive' });
    expect(f.evidence.fragment).toBe('/20261128/us-east-1/sts/aws4_request');
  });

  it('says nothing on a successful signed request', async () => {
    const exchange = makeExchange({ ...S3_EXAMPLE, status: 206, responseHeaders: { 'x-amz-request-id': 'r', Date: 'Fri, 24 May 2013 00:00:01 GMT' }, responseBody: 'abcdefghij' });
    const findings = await findingsOf(plugin, exchange);
    expect(findings).toEqual([]);
    expect(decideVerdict(findings, exchange).cause).toBe('none');
  });

  it('does not apply to requests that have nothing to do with AWS', async () => {
    const exchange = makeExchange({ url: 'https://api.example.com/v1/me', requestHeaders: { Authorization: 'Bearer abc' }, status: 401, responseHeaders: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } });
    const all = await findingsOf(plugin, exchange, { all: true });
    expect(all.every((f) => f.status === 'skip')).toBe(true);
  });
});

describe('clock and tokens on documented answers', () => {
  const SIGNED = (date: string, keyId = 'AKIAIOSFODNN7EXAMPLE', service = 'sts') => [
    { name: 'X-Amz-Date', value: date },
    { name: 'Authorization', value: `AWS4-HMAC-SHA256 Credential=${keyId}/${date.slice(0, 8)}/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef` },
  ];

  it('reads the SigV2 Timestamp parameter of an MWS request (RequestExpired without times in the message)', async () => {
    const exchange = makeExchange({
      method: 'POST',
      url: 'https://mws.amazonservices.com/Orders/2013-09-01?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Action=ListOrders&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2018-09-23T10%3A04%3A57Z&Version=2013-09-01&Signature=abc%3D',
      sentAt: new Date('2018-09-23T10:04:58Z'),
      status: 400,
      responseHeaders: { Date: 'Sun, 23 Sep 2018 10:27:41 GMT' },
      responseBody: '<?xml version="1.0"?>\n<ErrorResponse xmlns="http://mws.amazonaws.com/doc/2009-01-01/"><Error><Type>Sender</Type><Code>RequestExpired</Code><Message>Request signature is too far in the past and has expired.</Message></Error><RequestID>r</RequestID></ErrorResponse>',
    });
    const findings = await findingsOf(plugin, exchange);
    expect(decideVerdict(findings, exchange).cause).toBe('clock_skew');
    const f = findings.find((x) => x.ruleId === 'aws-sigv4/clock')!;
    expect(f.evidence).toMatchObject({ skewSeconds: 1364, signedAtSource: 'Timestamp parameter' });
    // The capture's clock agrees with the signature: no "signed long before it was sent" alternative.
    expect(f.evidence.alternative).toBeUndefined();
  });

  it('warns about a drift inside the window on a success, and stays silent below 5 minutes', async () => {
    const drift = makeExchange({ url: 'https://sts.us-east-1.amazonaws.com/', requestHeaders: SIGNED('20261128T100000Z'), status: 200, responseHeaders: { Date: 'Sat, 28 Nov 2026 10:10:00 GMT' } });
    const w = (await findingsOf(plugin, drift)).find((x) => x.ruleId === 'aws-sigv4/clock')!;
    expect(w).toMatchObject({ status: 'warn', messageId: 'clock-drift' });
    expect(w.evidence.skewSeconds).toBe(600);
    const fine = makeExchange({ url: 'https://sts.us-east-1.amazonaws.com/', requestHeaders: SIGNED('20261128T100000Z'), status: 200, responseHeaders: { Date: 'Sat, 28 Nov 2026 10:01:00 GMT' } });
    expect(await findingsOf(plugin, fine)).toEqual([]);
  });

  it('reports ExpiredTokenException (JSON) and S3 ExpiredToken as expired_token', async () => {
    for (const [headers, body] of [
      [{ 'x-amzn-ErrorType': 'ExpiredTokenException' }, '{"__type":"com.amazon.coral.service#ExpiredTokenException","message":"The security token included in the request is expired"}'],
      [{}, '<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message><Token-0>FwoG</Token-0><RequestId>r</RequestId></Error>'],
    ] as const) {
      const exchange = makeExchange({ url: 'https://dynamodb.us-east-1.amazonaws.com/', requestHeaders: [...SIGNED('20261128T100000Z', 'ASIAIOSFODNN7EXAMPLE', 'dynamodb'), { name: 'X-Amz-Security-Token', value: 'FwoGZXIvYXdzEXAMPLE' }], status: 400, responseHeaders: headers, responseBody: body });
      const findings = await findingsOf(plugin, exchange);
      expect(decideVerdict(findings, exchange).cause).toBe('expired_token');
      expect(findings.find((x) => x.cause === 'expired_token')?.actions).toContain('aws-sigv4/refresh-credentials');
    }
  });

  it('reports a temporary key with an empty token, and a long-term key with a token', async () => {
    const empty = makeExchange({ url: 'https://sts.us-east-1.amazonaws.com/', requestHeaders: [...SIGNED('20261128T100000Z', 'ASIAIOSFODNN7EXAMPLE'), { name: 'X-Amz-Security-Token', value: '' }], status: 403, responseBody: '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error></ErrorResponse>' });
    const e = await findingsOf(plugin, empty);
    expect(decideVerdict(e, empty).cause).toBe('missing_credentials');
    expect(e.find((x) => x.ruleId === 'aws-sigv4/session-token')?.messageId).toBe('session-token-empty');
    // The key-id rule leaves this to the session-token rule.
    expect(e.find((x) => x.ruleId === 'aws-sigv4/key-id')).toBeUndefined();
    const longTerm = makeExchange({ url: 'https://sts.us-east-1.amazonaws.com/', requestHeaders: [...SIGNED('20261128T100000Z'), { name: 'X-Amz-Security-Token', value: 'FwoGZXIvYXdzEXAMPLE' }], status: 403, responseBody: '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error></ErrorResponse>' });
    const l = await findingsOf(plugin, longTerm);
    expect(l.find((x) => x.ruleId === 'aws-sigv4/session-token')?.messageId).toBe('session-token-with-long-term-key');
    expect(decideVerdict(l, longTerm).cause).toBe('invalid_credentials');
  });

  it('mentions opt-in regions and partitions for an unknown key', async () => {
    const exchange = makeExchange({ url: 'https://sts.af-south-1.amazonaws.com/', requestHeaders: SIGNED('20261128T100000Z').map((h) => ({ ...h, value: h.value.replace('us-east-1', 'af-south-1') })), status: 403, responseBody: '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid</Message></Error></ErrorResponse>' });
    const f = (await findingsOf(plugin, exchange)).find((x) => x.ruleId === 'aws-sigv4/key-id')!;
    expect(f.message).toMatch(/opt-in region/);
    expect(f.fixes.join(' ')).toMatch(/v2Token/);
  });

  it('treats an unsigned request that S3 denies as possibly missing credentials', async () => {
    const exchange = makeExchange({ url: 'https://private-bucket.s3.eu-west-1.amazonaws.com/report.pdf', status: 403, responseBody: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>r</RequestId><HostId>h</HostId></Error>' });
    const findings = await findingsOf(plugin, exchange);
    const f = findings.find((x) => x.ruleId === 'aws-sigv4/missing-authentication')!;
    expect(f).toMatchObject({ cause: 'missing_credentials', confidence: 'possible', messageId: 'unsigned-request' });
    expect(findings.find((x) => x.ruleId === 'aws-sigv4/access-denied')).toBeUndefined();
  });
});

describe('more malformed and expired forms', () => {
  it('explains "Credential must have exactly 5 slash-delimited elements" for a secret used as the key ID', async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const exchange = makeExchange({
      method: 'POST',
      url: 'https://sts.us-east-1.amazonaws.com/',
      requestHeaders: [
        { name: 'X-Amz-Date', value: '20261128T100000Z' },
        { name: 'Authorization', value: `AWS4-HMAC-SHA256 Credential=${secret}/20261128/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef` },
      ],
      status: 400,
      responseBody: `<ErrorResponse><Error><Type>Sender</Type><Code>IncompleteSignature</Code><Message>Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${secret}/20261128/us-east-1/sts/aws4_request'</Message></Error></ErrorResponse>`,
    });
    const findings = await findingsOf(plugin, exchange);
    expect(decideVerdict(findings, exchange).cause).toBe('malformed_credentials');
    const f = findings.find((x) => x.ruleId === 'aws-sigv4/authorization-format')!;
    expect(f.messageId).toBe('credential-elements');
    expect(f.fixes[0]).toMatch(/Swap them/);
    // The secret sat in the header where the key ID belongs: it must not come back out in clear.
    expect(JSON.stringify(f).includes(secret)).toBe(false);
  });

  it('reports an expired SigV2 query-string URL (S3 Expires in epoch seconds)', async () => {
    const exchange = makeExchange({
      url: 'https://awsexamplebucket1.s3.amazonaws.com/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1141889120&Signature=vjbyPxybdZaNmGa%2ByT272YEAiv4%3D',
      sentAt: new Date('2006-03-09T08:25:20Z'),
      status: 403,
      responseBody: '<Error><Code>AccessDenied</Code><Message>Request has expired</Message><Expires>2006-03-09T07:25:20Z</Expires><ServerTime>2006-03-09T08:25:20Z</ServerTime><RequestId>r</RequestId></Error>',
    });
    const findings = await findingsOf(plugin, exchange);
    expect(decideVerdict(findings, exchange).cause).toBe('expired_token');
    expect(findings.find((x) => x.ruleId === 'aws-sigv4/presigned-url')?.evidence.expiredSeconds).toBe(3600);
  });
});

describe('no failure, no fail', () => {
  it('only warns about a scope mismatch when S3 answered 404 NoSuchKey (authentication passed)', async () => {
    const exchange = makeExchange({
      url: 'https://b.s3.eu-west-1.amazonaws.com/missing.txt',
      requestHeaders: [{ name: 'X-Amz-Date', value: '20261128T100000Z' }, { name: 'x-amz-content-sha256', value: EMPTY }, { name: 'Authorization', value: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261128/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' }],
      status: 404,
      responseBody: '<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>missing.txt</Key><RequestId>r</RequestId></Error>',
    });
    const findings = await findingsOf(plugin, exchange);
    expect(findings.filter((f) => f.status === 'fail')).toEqual([]);
    expect(findings.find((f) => f.messageId === 'wrong-region')?.status).toBe('warn');
    expect(decideVerdict(findings, exchange).cause).toBe('none');
  });
});

describe('curl\'s host-label guess', () => {
  it('explains a scope that curl derived from the first two host labels of an API Gateway URL', async () => {
    const exchange = makeExchange({
      url: 'https://abc123.execute-api.us-west-2.amazonaws.com/prod/pets',
      requestHeaders: [{ name: 'X-Amz-Date', value: '20261128T100000Z' }, { name: 'Authorization', value: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261128/execute-api/abc123/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' }],
      status: 403,
      responseHeaders: { 'x-amzn-ErrorType': 'InvalidSignatureException' },
      responseBody: '{"message":"Credential should be scoped to a valid region. "}',
    });
    const findings = await findingsOf(plugin, exchange);
    expect(decideVerdict(findings, exchange).cause).toBe('signature_mismatch');
    const region = findings.find((x) => x.messageId === 'wrong-region')!;
    expect(region.evidence).toMatchObject({ signedRegion: 'execute-api', expectedRegion: 'us-west-2' });
    const service = findings.find((x) => x.messageId === 'wrong-service')!;
    expect(service.fixes[0]).toContain('--aws-sigv4 "aws:amz:us-west-2:execute-api"');
  });
});
