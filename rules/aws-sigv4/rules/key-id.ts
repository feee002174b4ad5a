import { defineRule } from '../../../src/plugins/define.ts';
import { factsOf, looksLikeAws } from '../lib/facts.ts';
import { keyType } from '../lib/authorization.ts';
import { OPT_IN_REGIONS } from '../lib/hosts.ts';
import { ACTION_REFRESH, ACTION_WHOAMI, keyIdForMessage, maskEcho } from '../lib/common.ts';

export default defineRule({
  meta: {
    id: 'key-id',
    title: 'AWS knows the access key ID',
    description:
      'InvalidClientTokenId, UnrecognizedClientException, InvalidAccessKeyId and AuthFailure mean AWS does not know the access key ID in this partition (deleted, deactivated, from another partition, a typo) — unlike SignatureDoesNotMatch, where the key is known and the secret or signing is wrong.',
    causes: ['invalid_credentials'],
  },
  appliesTo: looksLikeAws,
  async check(ctx) {
    const facts = await factsOf(ctx);
    const { sigv4, sigv2, error, kind, endpoint } = facts;
    if (kind !== 'key-unknown' || !error) return [];
    const keyId = (sigv4?.accessKeyId ?? sigv2?.accessKeyId ?? error.fields.AWSAccessKeyId)?.trim();
    const type = keyType(keyId);
    const token = sigv4 ? sigv4.sessionToken : sigv2?.sessionToken;
    // A temporary key without its token: the session-token rule names the missing token.
    if (type === 'temporary' && (token === undefined || token.trim() === '')) return [];
    const shown = keyIdForMessage(ctx, keyId);
    const region = sigv4?.scope?.region ?? endpoint?.region;
    const reasons: string[] = [];
    const fixes: string[] = [
      'Check which credentials were actually used: `aws sts get-caller-identity` (or the who-am-I action) with the same profile/environment, and `aws configure list` to see where the CLI found them — AWS_ACCESS_KEY_ID in the environment overrides the profile.',
      `In the IAM console (or \`aws iam list-access-keys --user-name USER\`), check that ${shown} exists and is Active in the account you mean; create a new key if it was deleted.`,
    ];
    if (type === 'temporary') {
      reasons.push('the session token does not belong to this temporary key, or the credentials were revoked');
      fixes.push('Send the session token that was issued together with this ASIA… key (AWS_SESSION_TOKEN), or get fresh temporary credentials.');
    }
    if (endpoint && endpoint.partition !== 'aws') {
      reasons.push(`the endpoint is in the ${endpoint.partition} partition, and keys from one partition (aws, aws-cn, aws-us-gov) do not work in another`);
      fixes.push(`Use credentials created in the ${endpoint.partition} partition for ${endpoint.host}.`);
    }
    if (region && OPT_IN_REGIONS.has(region)) {
      reasons.push(`${region} is an opt-in region: it must be enabled for the account, and session tokens from the global STS endpoint (sts.amazonaws.com) are not valid there`);
      fixes.push(`Enable ${region} for the account (Account settings → AWS Regions), and get temporary credentials from a regional STS endpoint (AWS_STS_REGIONAL_ENDPOINTS=regional) or set the global endpoint's tokens to version 2 (\`aws iam set-security-token-service-preferences --global-endpoint-token-version v2Token\`).`);
    }
    return [{
      cause: 'invalid_credentials',
      confidence: 'definitive',
      messageId: 'key-id-unknown',
      message: `AWS does not recognise the access key ID ${shown} (${error.code}: ${maskEcho(ctx, facts, error.message)}): the key is unknown to this partition or account, deleted or inactive${reasons.length ? `, or ${reasons.join('; or ')}` : ''}. Despite the words "security token", no session token needs to be involved; this is not SignatureDoesNotMatch, where the key is known but the secret is wrong.`,
      evidence: { code: error.code, ...(keyId ? { accessKeyId: shown } : {}), keyType: type, ...(endpoint ? { partition: endpoint.partition } : {}), ...(region ? { region } : {}) },
      fixes,
      actions: [ACTION_WHOAMI, ACTION_REFRESH],
    }];
  },
});
