import type { Scenario } from '../types.ts';
import { s3Api, s3Client, setupS3, type S3State } from './s3-api.ts';

export const sigv4WrongRegion: Scenario<S3State> = {
  name: 'sigv4-wrong-region',
  title: 'SigV4 signed for the wrong region',
  summary: 'Signed for us-east-1; the bucket is in eu-west-1.',
  story: [
    'The profile signs for us-east-1, but the bucket lives in eu-west-1. The demo cloud checks Signature Version 4 for real: it rebuilds the canonical request from what arrived and derives the signing key from its copy of the secret. S3 rejects the scope before it looks at the signature: 400 AuthorizationHeaderMalformed, "the region \'us-east-1\' is wrong; expecting \'eu-west-1\'".',
    'The keys are fine. Only the signing region is wrong.',
  ],
  modelledOn: 'Amazon S3 error responses: AuthorizationHeaderMalformed with <Region> (docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html)',
  intended: { cause: 'signature_mismatch' },
  fix: [{ keys: 's', how: 're-sign for the region S3 named (eu-west-1); the signature verifies and S3 answers 200' }],
  setup: (cloud) => setupS3(cloud, { user: 'report-reader', region: 'eu-west-1', allowed: true }),
  handle: s3Api,
  client: (ctx, state) => s3Client(ctx, state, { region: 'us-east-1' }),
};
