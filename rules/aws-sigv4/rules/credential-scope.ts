import { defineRule } from '../../../src/plugins/define.ts';
import type { FindingInput } from '../../../src/core/types.ts';
import { factsOf, looksLikeAws } from '../lib/facts.ts';
import { regionClues, serviceClue } from '../lib/errors.ts';
import { ACTION_RESIGN, maskEcho } from '../lib/common.ts';
import { isRegionName, type AwsEndpoint } from '../lib/hosts.ts';

/** Host labels people sign with instead of the signing name (API Gateway docs, SES docs…). */
const WRONG_SERVICE_HINTS: Record<string, string> = {
  apigateway: 'API Gateway *invocations* are signed with execute-api; apigateway is the management API.',
  'lambda-url': 'Lambda function URLs are signed with the service name lambda.',
  email: 'SES is signed with the service name ses, although its host is email.<region>.amazonaws.com.',
  opensearch: 'OpenSearch Service domains are signed with es (aoss for OpenSearch Serverless).',
  'bedrock-runtime': 'Bedrock runtime is signed with the service name bedrock.',
  cloudwatch: 'CloudWatch metrics are signed with the service name monitoring.',
};

function regionFix(region: string, service: string | undefined, endpoint: AwsEndpoint | null): string[] {
  const svc = service ?? endpoint?.service ?? 'SERVICE';
  const fixes = [
    `Sign for region ${region}: set the SDK client's region (or AWS_REGION=${region}, or region = ${region} in the profile); with curl use --aws-sigv4 "aws:amz:${region}:${svc}".`,
  ];
  if (endpoint?.kind === 's3' && endpoint.bucket) {
    fixes.push(`Use the bucket's regional endpoint, https://${endpoint.bucket}.s3.${region}.amazonaws.com, so the host and the signing region agree.`);
  }
  return fixes;
}

export default defineRule({
  meta: {
    id: 'credential-scope',
    title: 'Credential scope matches the endpoint (region, service, date)',
    description:
      'Checks the region, service and date in the SigV4 credential scope against the endpoint (host names of every AWS partition, global services that sign in us-east-1, S3 in all its host styles, API Gateway, Lambda function URLs), the profile, and what AWS said it expected (AuthorizationHeaderMalformed, "Credential should be scoped to…").',
    causes: ['signature_mismatch', 'malformed_credentials'],
  },
  appliesTo: looksLikeAws,
  async check(ctx) {
    const facts = await factsOf(ctx);
    const { sigv4: sig, error, kind, endpoint } = facts;
    const out: FindingInput[] = [];
    const scope = sig?.scope;
    const bucketRegion = ctx.helpers.responseHeader('x-amz-bucket-region');
    // curl's --aws-sigv4 without region/service takes them from the first two host labels
    // (lib/http_aws_sigv4.c), which is wrong for API Gateway, S3 virtual hosts, Lambda URLs…
    const labels = (endpoint?.host ?? '').split('.');
    const curlGuess = labels.length > 2 && scope !== undefined && scope.service === labels[0] && scope.region === labels[1];
    const curlFix = (region: string | undefined, service: string | undefined) =>
      curlGuess ? [`curl took the service and region from the first two labels of the host name (${labels[0]}, ${labels[1]}) because --aws-sigv4 did not name them: write --aws-sigv4 "aws:amz:${region ?? 'REGION'}:${service ?? 'SERVICE'}".`] : [];

    // ——— What AWS said ———
    if (error && (kind === 'scope-region' || kind === 'scope-service' || kind === 'scope-date')) {
      const serverMessage = maskEcho(ctx, facts, error.message);
      if (kind === 'scope-region') {
        const clues = regionClues(error);
        const signedRegion = clues.signedRegion ?? scope?.region;
        const expected = clues.expectedRegion ?? bucketRegion ?? (endpoint?.regionCertain ? endpoint.region : undefined) ?? ctx.profile.aws?.region;
        const expectedSource = clues.expectedRegion ? 'server' : bucketRegion ? 'x-amz-bucket-region' : endpoint?.regionCertain ? 'endpoint' : ctx.profile.aws?.region ? 'profile' : undefined;
        out.push({
          cause: 'signature_mismatch',
          confidence: 'definitive',
          messageId: 'wrong-region',
          message: expected
            ? `The request was signed for region ${signedRegion ?? '(unknown)'}, but AWS expects ${expected}${expectedSource === 'server' ? ' (it said so in its answer)' : ''}. The keys are fine; only the signing region is wrong.`
            : `The request was signed for region ${signedRegion ?? '(unknown)'}, which AWS does not accept for this endpoint (${error.code}).`,
          evidence: { code: error.code, serverMessage, signedRegion, ...(expected ? { expectedRegion: expected, expectedRegionSource: expectedSource } : {}), signedService: scope?.service },
          fixes: [...curlFix(expected, endpoint?.service), ...(expected ? regionFix(expected, endpoint?.service ?? scope?.service, endpoint) : ['Sign for the region of the endpoint you call (the region in its host name; us-east-1 for global services such as IAM).'])],
          actions: [ACTION_RESIGN],
        });
      } else if (kind === 'scope-service') {
        const expected = serviceClue(error) ?? endpoint?.service ?? ctx.profile.aws?.service;
        out.push({
          cause: 'signature_mismatch',
          confidence: 'definitive',
          messageId: 'wrong-service',
          message: `The request was signed for service ${scope?.service ?? '(unknown)'}, but AWS expects ${expected ?? 'another service name'} in the credential scope.${scope?.service && WRONG_SERVICE_HINTS[scope.service] ? ` ${WRONG_SERVICE_HINTS[scope.service]}` : ''}`,
          evidence: { code: error.code, serverMessage, signedService: scope?.service, ...(expected ? { expectedService: expected } : {}), signedRegion: scope?.region },
          fixes: [
            `Sign with the service name ${expected ?? 'the endpoint expects (its signing name, e.g. execute-api for API Gateway)'}: with curl use --aws-sigv4 "aws:amz:${scope?.region ?? 'REGION'}:${expected ?? 'SERVICE'}"; in code, set the signer's service (signingName).`,
          ],
          actions: [ACTION_RESIGN],
        });
      } else {
        out.push({
          cause: 'signature_mismatch',
          confidence: 'definitive',
          messageId: 'scope-date',
          message: `The date in the credential scope does not match X-Amz-Date (${serverMessage}).`,
          evidence: { code: error.code, serverMessage, scopeDate: scope?.date, amzDate: sig?.amzDate },
          fixes: ['Take the credential scope date and X-Amz-Date from one timestamp, in UTC: scope date = the first 8 characters of X-Amz-Date.'],
          actions: [ACTION_RESIGN],
        });
      }
    }
    // AWS names one problem at a time; the other elements of the scope are still checked below.
    const covered = kind === 'scope-region' ? 'region' : kind === 'scope-service' ? 'service' : kind === 'scope-date' ? 'date' : null;

    if (!sig || !scope) return out;
    const status = facts.failed ? 'fail' : 'warn';
    // When AWS already said something else definite (an unknown key, an expired token, …) the
    // scope is not the reason; a mismatch is then only worth a warning.
    const otherDefinite = kind !== null && kind !== 'signature' && kind !== 'other' && covered === null;
    const statusForClientSide = otherDefinite ? 'warn' : status;
    // ——— Region ———
    const serverRegion = bucketRegion;
    const endpointRegion = endpoint?.regionCertain ? endpoint.region : undefined;
    const expectedRegion = serverRegion ?? endpointRegion;
    if (covered !== 'region' && expectedRegion && scope.region !== expectedRegion) {
      out.push({
        status: statusForClientSide,
        cause: 'signature_mismatch',
        confidence: serverRegion ? 'definitive' : 'likely',
        messageId: 'wrong-region',
        message: `The request was signed for region ${scope.region}${isRegionName(scope.region) ? '' : ' (not a region name)'}, but ${serverRegion ? `the bucket is in ${serverRegion} (x-amz-bucket-region)` : endpoint?.global ? `${endpoint.host} is a global endpoint that signs in ${expectedRegion}` : `the endpoint ${endpoint?.host} is in ${expectedRegion}`}.`,
        evidence: { signedRegion: scope.region, expectedRegion, expectedRegionSource: serverRegion ? 'x-amz-bucket-region' : 'endpoint', signedService: scope.service, ...(endpoint?.note ? { note: endpoint.note } : {}) },
        fixes: [...curlFix(expectedRegion, endpoint?.service), ...regionFix(expectedRegion, endpoint?.service ?? scope.service, endpoint)],
        actions: [ACTION_RESIGN],
      });
    } else if (covered !== 'region' && !expectedRegion && ctx.profile.aws?.region && scope.region !== ctx.profile.aws.region) {
      out.push({
        status: 'warn',
        cause: 'signature_mismatch',
        messageId: 'profile-region-differs',
        message: `The request was signed for region ${scope.region}, but the profile says ${ctx.profile.aws.region}.`,
        evidence: { signedRegion: scope.region, expectedRegion: ctx.profile.aws.region, expectedRegionSource: 'profile' },
        fixes: regionFix(ctx.profile.aws.region, scope.service, endpoint),
        actions: [ACTION_RESIGN],
      });
    }

    // ——— Service ———
    const expectedService = endpoint?.service ?? ctx.profile.aws?.service;
    if (covered !== 'service' && expectedService && scope.service && scope.service !== expectedService && endpoint?.kind !== 'mws') {
      const fromEndpoint = endpoint?.service !== undefined;
      out.push({
        status: fromEndpoint ? statusForClientSide : 'warn',
        cause: 'signature_mismatch',
        confidence: 'likely',
        messageId: 'wrong-service',
        message: `The request was signed for service ${scope.service}, but ${fromEndpoint ? `${endpoint!.host} expects the signing name ${expectedService}` : `the profile says ${expectedService}`}.${WRONG_SERVICE_HINTS[scope.service] ? ` ${WRONG_SERVICE_HINTS[scope.service]}` : ''}`,
        evidence: { signedService: scope.service, expectedService, expectedServiceSource: fromEndpoint ? 'endpoint' : 'profile', signedRegion: scope.region },
        fixes: [...curlFix(expectedRegion ?? scope.region, expectedService), `Sign with the service name ${expectedService}: with curl use --aws-sigv4 "aws:amz:${expectedRegion ?? scope.region}:${expectedService}"; in code, set the signer's service (signingName).`],
        actions: [ACTION_RESIGN],
      });
    }

    // ——— Date ———
    const dateProblem = sig.problems.find((p) => p.id === 'scope-date-mismatch');
    if (dateProblem && covered !== 'date') {
      out.push({
        status: statusForClientSide,
        cause: 'signature_mismatch',
        confidence: 'likely',
        messageId: 'scope-date',
        message: dateProblem.message,
        evidence: { scopeDate: scope.date, amzDate: sig.amzDate },
        fixes: [dateProblem.fix],
        actions: [ACTION_RESIGN],
      });
    }
    return out;
  },
});
