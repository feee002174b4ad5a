import { defineRule } from '../../../src/plugins/define.ts';
import { factsOf, looksLikeAws } from '../lib/facts.ts';
import { maskEcho } from '../lib/common.ts';

export default defineRule({
  meta: {
    id: 'missing-authentication',
    title: 'Request to AWS is signed',
    description:
      'MissingAuthenticationToken (and API Gateway\'s "Missing Authentication Token", which also means the path, stage or method does not exist), and unsigned requests to AWS endpoints that answer with an authentication error.',
    causes: ['missing_credentials'],
  },
  appliesTo: looksLikeAws,
  async check(ctx) {
    const facts = await factsOf(ctx);
    const { error, kind, endpoint, signed } = facts;
    const apiGateway =
      endpoint?.kind === 'execute-api' ||
      /MissingAuthenticationTokenException/.test(ctx.helpers.responseHeader('x-amzn-errortype') ?? '') ||
      ctx.helpers.responseHeader('x-amz-apigw-id') !== undefined;
    if (kind === 'missing-auth' && error) {
      if (apiGateway) {
        // API Gateway answers 403 "Missing Authentication Token" both for unsigned calls to
        // AWS_IAM-authorised methods and for any resource/method not in the deployed stage
        // (API Gateway developer guide, "Troubleshoot Missing Authentication Token").
        return [{
          cause: 'missing_credentials',
          confidence: 'definitive',
          messageId: 'apigw-missing-token',
          message: signed
            ? 'API Gateway answered "Missing Authentication Token" although the request is signed: the resource path, stage or method most likely does not exist in the deployed API (API Gateway gives this answer for unknown routes).'
            : 'API Gateway answered "Missing Authentication Token". It says this for unsigned calls to IAM-authorised methods and for any path or method that does not exist in the deployed stage — check the URL first.',
          evidence: { code: error.code, serverMessage: maskEcho(ctx, facts, error.message), signed, ...(endpoint ? { host: endpoint.host } : {}) },
          fixes: [
            'Check the URL first: the stage name (…/prod/…), the resource path including any trailing "/", the HTTP method, and that the API was deployed to that stage after the last change (`aws apigateway get-resources --rest-api-id ID`, `aws apigateway create-deployment`).',
            'Only if the route exists and uses AWS_IAM authorization does the request need a SigV4 signature: sign it for the service execute-api (curl --aws-sigv4 "aws:amz:REGION:execute-api" -u "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY").',
          ],
        }];
      }
      return [{
        cause: 'missing_credentials',
        confidence: 'definitive',
        messageId: 'missing-token',
        message: `AWS says the request carries no authentication (${error.code}: ${maskEcho(ctx, facts, error.message)}).${signed ? ' A signature is present, so it did not reach AWS in a form it recognised (a proxy may have stripped the Authorization header).' : ''}`,
        evidence: { code: error.code, signed },
        fixes: [
          'Sign the request with SigV4: use an AWS SDK or the AWS CLI, or curl --aws-sigv4 "aws:amz:REGION:SERVICE" -u "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY".',
          'If you do sign it, check that nothing between the client and AWS removes the Authorization and X-Amz-* headers.',
        ],
      }];
    }
    if (signed || !facts.failed || !endpoint) return [];
    const status = ctx.response?.status;
    if (status !== 401 && status !== 403) return [];
    // An unsigned request to an AWS API endpoint that answered 401/403 without a more specific code.
    if (kind !== null && kind !== 'access-denied' && kind !== 'other') return [];
    const s3Anonymous = endpoint.kind === 's3';
    return [{
      cause: 'missing_credentials',
      confidence: s3Anonymous ? 'possible' : 'likely',
      messageId: 'unsigned-request',
      message: s3Anonymous
        ? `The request to ${endpoint.host} is not signed, so S3 treated it as anonymous; the ${endpoint.bucket ? `bucket ${endpoint.bucket}` : 'bucket'} does not allow anonymous access.`
        : `The request to ${endpoint.host} carries no AWS signature (no SigV4 Authorization header, no presigned X-Amz-* parameters), and ${endpoint.service} answered ${status}.`,
      evidence: { host: endpoint.host, service: endpoint.service, ...(error ? { code: error.code } : {}) },
      fixes: [
        `Sign the request with SigV4 for service ${endpoint.service}${endpoint.region ? ` in ${endpoint.region}` : ''}: an AWS SDK, the aws CLI, or curl --aws-sigv4 "aws:amz:${endpoint.region ?? 'REGION'}:${endpoint.service}" -u "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" (add -H "x-amz-security-token: $AWS_SESSION_TOKEN" for temporary credentials).`,
        ...(s3Anonymous ? ['Or share the object with a presigned URL: `aws s3 presign s3://BUCKET/KEY`.'] : []),
      ],
    }];
  },
});
