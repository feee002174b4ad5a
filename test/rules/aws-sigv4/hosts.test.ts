import { describe, expect, it } from 'vitest';
import { parseAwsEndpoint, stsEndpointFor } from '../../../rules/aws-sigv4/lib/hosts.ts';

type Row = [input: string, expected: Record<string, unknown> | null];

const TABLE: Row[] = [
  // Regional service endpoints
  ['https://sqs.eu-west-1.amazonaws.com/000000000000/queue', { service: 'sqs', region: 'eu-west-1', partition: 'aws', regionCertain: true, kind: 'regional' }],
  ['https://cloudformation.us-east-1.amazonaws.com/', { service: 'cloudformation', region: 'us-east-1' }],
  ['https://dynamodb.ap-southeast-2.amazonaws.com/', { service: 'dynamodb', region: 'ap-southeast-2' }],
  ['https://sts.us-west-2.amazonaws.com/', { service: 'sts', region: 'us-west-2', global: false }],
  // Signing names that differ from the host label
  ['https://email.us-east-1.amazonaws.com/', { service: 'ses', region: 'us-east-1' }],
  ['https://monitoring.eu-central-1.amazonaws.com/', { service: 'monitoring', region: 'eu-central-1' }],
  ['https://bedrock-runtime.us-east-1.amazonaws.com/model/x/invoke', { service: 'bedrock', region: 'us-east-1' }],
  ['https://runtime.sagemaker.us-east-1.amazonaws.com/endpoints/e/invocations', { service: 'sagemaker', region: 'us-east-1' }],
  ['https://abcdef-ats.iot.us-east-1.amazonaws.com/topics/t', { service: 'iotdata', region: 'us-east-1' }],
  ['https://abc.appsync-api.eu-west-1.amazonaws.com/graphql', { service: 'appsync', region: 'eu-west-1' }],
  ['https://search-logs-abc123.us-east-1.es.amazonaws.com/_search', { service: 'es', region: 'us-east-1' }],
  ['https://xyz.us-west-2.aoss.amazonaws.com/', { service: 'aoss', region: 'us-west-2' }],
  ['https://db.cluster-abc.us-east-1.neptune.amazonaws.com:8182/', { service: 'neptune-db', region: 'us-east-1' }],
  // Global services sign in us-east-1 (their partition's global region)
  ['https://iam.amazonaws.com/', { service: 'iam', region: 'us-east-1', global: true, regionCertain: true }],
  ['https://sts.amazonaws.com/', { service: 'sts', region: 'us-east-1', global: true }],
  ['https://route53.amazonaws.com/2013-04-01/hostedzone', { service: 'route53', region: 'us-east-1', global: true }],
  ['https://cloudfront.amazonaws.com/2020-05-31/distribution', { service: 'cloudfront', region: 'us-east-1', global: true }],
  ['https://organizations.us-east-1.amazonaws.com/', { service: 'organizations', region: 'us-east-1', global: true }],
  ['https://globalaccelerator.amazonaws.com/', { service: 'globalaccelerator', region: 'us-west-2', global: true }],
  ['https://iam.us-gov.amazonaws.com/', { service: 'iam', region: 'us-gov-west-1', partition: 'aws-us-gov' }],
  // API Gateway, Lambda function URLs, Selling Partner API
  ['https://abc123.execute-api.us-west-2.amazonaws.com/api/hello', { service: 'execute-api', region: 'us-west-2', kind: 'execute-api' }],
  ['https://abc123-vpce-0123456789abcdef0.execute-api.eu-west-1.amazonaws.com/prod/', { service: 'execute-api', region: 'eu-west-1' }],
  ['https://abcdefghijklmnop.lambda-url.eu-north-1.on.aws/', { service: 'lambda', region: 'eu-north-1', kind: 'lambda-url' }],
  ['https://sellingpartnerapi-eu.amazon.com/orders/v0/orders', { service: 'execute-api', region: 'eu-west-1', kind: 'sp-api' }],
  // S3: virtual-hosted, path style, legacy dash-region, global, dual-stack, FIPS, accelerate, access points
  ['https://my-bucket.s3.us-east-2.amazonaws.com/key.txt', { service: 's3', region: 'us-east-2', bucket: 'my-bucket', s3Style: 'virtual-hosted', regionCertain: true }],
  ['https://s3.eu-west-1.amazonaws.com/my-bucket/key.txt', { service: 's3', region: 'eu-west-1', bucket: 'my-bucket', s3Style: 'path' }],
  ['https://my.dotted.bucket.s3.eu-west-1.amazonaws.com/k', { bucket: 'my.dotted.bucket', region: 'eu-west-1' }],
  ['https://my-bucket.s3-us-west-2.amazonaws.com/k', { service: 's3', region: 'us-west-2', bucket: 'my-bucket' }],
  ['https://example-bucket.s3.amazonaws.com/', { service: 's3', region: 'us-east-1', regionCertain: false, bucket: 'example-bucket' }],
  ['https://my-bucket.s3.dualstack.ap-south-1.amazonaws.com/k', { service: 's3', region: 'ap-south-1', dualStack: true }],
  ['https://s3-fips.us-gov-west-1.amazonaws.com/b/k', { service: 's3', region: 'us-gov-west-1', fips: true, partition: 'aws-us-gov', bucket: 'b' }],
  ['https://my-bucket.s3-fips.dualstack.us-east-1.amazonaws.com/k', { fips: true, dualStack: true, region: 'us-east-1' }],
  ['https://my-bucket.s3-accelerate.amazonaws.com/k', { service: 's3', regionCertain: false, bucket: 'my-bucket' }],
  ['https://ap-123456789012.s3-accesspoint.us-west-2.amazonaws.com/k', { service: 's3', region: 'us-west-2', bucket: undefined }],
  ['https://123456789012.s3-control.us-east-1.amazonaws.com/v20180820/jobs', { service: 's3', region: 'us-east-1' }],
  ['https://b--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com/k', { service: 's3express', region: 'us-west-2', bucket: 'b--usw2-az1--x-s3' }],
  ['https://b.s3.cn-north-1.amazonaws.com.cn/k', { service: 's3', region: 'cn-north-1', partition: 'aws-cn' }],
  // FIPS and dual-stack for other services
  ['https://dynamodb-fips.us-gov-west-1.amazonaws.com/', { service: 'dynamodb', region: 'us-gov-west-1', fips: true, partition: 'aws-us-gov' }],
  ['https://ec2.us-east-1.api.aws/', { service: 'ec2', region: 'us-east-1', dualStack: true }],
  // China and GovCloud partitions
  ['https://sqs.cn-northwest-1.amazonaws.com.cn/', { service: 'sqs', region: 'cn-northwest-1', partition: 'aws-cn' }],
  ['https://iam.cn-north-1.amazonaws.com.cn/', { service: 'iam', region: 'cn-north-1', partition: 'aws-cn' }],
  ['https://sts.us-gov-east-1.amazonaws.com/', { service: 'sts', region: 'us-gov-east-1', partition: 'aws-us-gov' }],
  // VPC interface endpoints and legacy forms
  ['https://vpce-0abc-12345.sqs.us-east-1.vpce.amazonaws.com/', { service: 'sqs', region: 'us-east-1', kind: 'vpce' }],
  ['https://us-east-1.queue.amazonaws.com/123/q', { service: 'sqs', region: 'us-east-1' }],
  ['https://queue.amazonaws.com/123/q', { service: 'sqs', region: 'us-east-1' }],
  // MWS (Signature Version 2)
  ['https://mws.amazonservices.com/Orders/2013-09-01', { service: 'mws', kind: 'mws', signatureVersion: 2 }],
  // Not AWS
  ['https://api.example.com/v1/me', null],
  ['http://127.0.0.1:8080/x', null],
  ['https://amazonaws.com.evil.example/', null],
];

describe('parseAwsEndpoint', () => {
  it.each(TABLE)('reads %s', (input, expected) => {
    const endpoint = parseAwsEndpoint(input);
    if (expected === null) {
      expect(endpoint).toBeNull();
      return;
    }
    expect(endpoint).not.toBeNull();
    for (const [key, value] of Object.entries(expected)) {
      expect({ key, value: (endpoint as unknown as Record<string, unknown>)[key] }).toEqual({ key, value });
    }
  });

  it('builds the regional STS endpoint of each partition', () => {
    expect(stsEndpointFor('eu-west-1')).toBe('https://sts.eu-west-1.amazonaws.com');
    expect(stsEndpointFor('cn-north-1')).toBe('https://sts.cn-north-1.amazonaws.com.cn');
    expect(stsEndpointFor('us-gov-west-1')).toBe('https://sts.us-gov-west-1.amazonaws.com');
  });
});
