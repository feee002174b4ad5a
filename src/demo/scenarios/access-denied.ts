import type { Scenario } from '../types.ts';
import { s3Api, s3Client, setupS3, type S3State } from './s3-api.ts';

export const accessDenied: Scenario<S3State> = {
  name: 'access-denied',
  title: 'AWS AccessDenied: no permission',
  summary: 'Signed right, but user/demo may not s3:GetObject.',
  story: [
    'The signature is right; the policy says no. S3 answers 403 AccessDenied and names who, what and where: "User: arn:aws:iam::123456789012:user/demo is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::demo-bucket/report.csv" because no identity-based policy allows the s3:GetObject action".',
    'A new token or another signature will not help; someone has to grant the permission. The demo cloud has its own IAM, and a demo-only action grants exactly what the message names. In real life an administrator does that in the IAM console.',
  ],
  modelledOn: 'Amazon S3 AccessDenied with the detailed same-account message (docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html)',
  intended: { cause: 'insufficient_permissions' },
  fix: [{ keys: '2', how: 'grant the permission in the demo cloud (action 2, "stands in for the IAM console"), then retry: 200' }],
  setup: (cloud) => setupS3(cloud, { user: 'demo', region: 'us-east-1', allowed: false }),
  handle: s3Api,
  client: (ctx, state) => s3Client(ctx, state, { region: 'us-east-1' }),
};
