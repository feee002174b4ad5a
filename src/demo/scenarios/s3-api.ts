import { s3Endpoint, type DemoPrincipal, type S3Object } from '../aws.ts';
import type { ClientContext, CloudContext, DemoClient, DemoReply, DemoRequest } from '../types.ts';

/** The half that the three AWS scenarios share: one object in an S3 bucket, and an IAM user with keys. */
export interface S3State {
  principal: DemoPrincipal;
  object: S3Object;
}

const REPORT = 'date,region,requests\n2026-01-01,eu-west-1,1284\n2026-01-02,eu-west-1,1377\n';

export function setupS3(cloud: CloudContext, options: { user: string; region: string; allowed: boolean }): S3State {
  const principal = cloud.iam.user(options.user);
  const object: S3Object = { bucket: 'demo-bucket', key: 'report.csv', region: options.region, contentType: 'text/csv', body: REPORT };
  const resource = `arn:aws:s3:::${object.bucket}/${object.key}`;
  if (options.allowed) cloud.iam.allow(principal.arn, 's3:GetObject', resource);
  else cloud.iam.revoke(principal.arn, 's3:GetObject', resource);
  return { principal, object };
}

export function s3Api(req: DemoRequest, state: S3State, cloud: CloudContext): Promise<DemoReply> {
  return s3Endpoint(req, state.object, cloud.iam, cloud.now());
}

export async function s3Client(ctx: ClientContext, state: S3State, options: { region: string; clockOffsetMs?: number }): Promise<DemoClient> {
  const [accessKeyId, secretAccessKey] = await Promise.all([ctx.writeSecret('aws-access-key-id', state.principal.accessKeyId), ctx.writeSecret('aws-secret-access-key', state.principal.secretAccessKey)]);
  return {
    kind: 'profile',
    profile: {
      request: { url: `${ctx.base}/${state.object.bucket}/${state.object.key}` },
      auth: { scheme: 'aws-sigv4', region: options.region, service: 's3', accessKeyId: { file: accessKeyId }, secretAccessKey: { file: secretAccessKey } },
    },
    ...(options.clockOffsetMs ? { clockOffsetMs: options.clockOffsetMs } : {}),
  };
}
