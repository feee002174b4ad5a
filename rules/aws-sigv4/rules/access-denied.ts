import { defineRule } from '../../../src/plugins/define.ts';
import { factsOf, looksLikeAws } from '../lib/facts.ts';
import { accessDeniedDetails } from '../lib/errors.ts';
import { ACTION_WHOAMI, maskEcho } from '../lib/common.ts';

export default defineRule({
  meta: {
    id: 'access-denied',
    title: 'Authenticated principal is allowed the action',
    description:
      'AccessDenied / AccessDeniedException / UnauthorizedOperation: the signature was accepted, the policy said no. Pulls out the principal, action and resource ("User: arn:… is not authorized to perform: s3:GetObject on resource: …"), which kind of policy denied, and turns encoded authorization messages into the `aws sts decode-authorization-message` command.',
    causes: ['insufficient_permissions', 'missing_credentials'],
  },
  appliesTo: looksLikeAws,
  async check(ctx) {
    const facts = await factsOf(ctx);
    const { error, kind, signed } = facts;
    if (kind !== 'access-denied' || !error) return [];
    const d = accessDeniedDetails(error.message);
    const serverMessage = maskEcho(ctx, facts, error.message);
    if (d.principal === 'anonymous') {
      return [{
        cause: 'missing_credentials',
        confidence: 'definitive',
        messageId: 'anonymous-principal',
        message: `AWS evaluated the request as anonymous ("User: anonymous is not authorized to perform: ${d.action ?? '…'}"): it was not signed${signed ? ' in a form AWS recognised' : ''}, and the resource policy requires an authenticated principal.`,
        evidence: { code: error.code, principal: 'anonymous', ...(d.action ? { action: d.action } : {}), ...(d.resource ? { resource: d.resource } : {}) },
        fixes: ['Sign the request with SigV4 (an AWS SDK, or curl --aws-sigv4 "aws:amz:REGION:SERVICE" -u KEY:SECRET) using credentials of a principal the resource policy allows.'],
      }];
    }
    // S3's bare "Access Denied" for an unsigned request: the missing-authentication rule explains it.
    if (!signed && !d.principal) return [];
    const fixes: string[] = [];
    if (d.encodedMessage) {
      fixes.push(
        `Decode the details: \`aws sts decode-authorization-message --encoded-message '${d.encodedMessage}' --query DecodedMessage --output text\` (needs sts:DecodeAuthorizationMessage); it names the denying policy and the evaluated context.`,
      );
    }
    if (d.explicitDeny) {
      fixes.push(`An explicit Deny in ${d.policyType ? `a ${d.policyType}` : 'a policy'} wins over any Allow: find and change that statement${d.policyType === 'service control policy' || d.policyType === 'resource control policy' ? ' (in AWS Organizations, with the management account)' : ''}; adding an Allow elsewhere will not help.`);
    } else if (d.action) {
      fixes.push(
        `Allow ${d.action}${d.resource ? ` on ${d.resource}` : ''} for ${d.principal ?? 'the calling principal'}: add {"Effect": "Allow", "Action": "${d.action}", "Resource": "${d.resource ?? '*'}"} to a policy attached to it${d.policyType === 'resource-based policy' ? ', and to the resource policy (bucket policy, key policy…) for cross-account access' : ''}.`,
      );
    }
    if (d.principal && d.action) {
      fixes.push(`Check it before retrying: \`aws iam simulate-principal-policy --policy-source-arn ${d.principal.replace(/:assumed-role\/([^/]+)\/.*$/, ':role/$1').replace(/^arn:(aws[\w-]*):sts::/, 'arn:$1:iam::')} --action-names ${d.action}${d.resource ? ` --resource-arns ${d.resource}` : ''}\`.`);
    }
    fixes.push('Confirm which principal made the call (the who-am-I action, or `aws sts get-caller-identity`): a different profile or role than expected is a common cause.');
    const what = d.action ? `${d.principal ?? 'The caller'} may not perform ${d.action}${d.resource ? ` on ${d.resource}` : ''}` : 'The caller is authenticated but not allowed to do this';
    return [{
      cause: 'insufficient_permissions',
      confidence: 'definitive',
      messageId: d.encodedMessage ? 'access-denied-encoded' : 'access-denied',
      message: `${what} (${error.code})${d.reason ? `: ${d.reason}` : ''}. The signature and credentials were accepted; a policy denied the request.`,
      evidence: {
        code: error.code,
        serverMessage,
        ...(d.principal ? { principal: d.principal } : {}),
        ...(d.action ? { action: d.action } : {}),
        ...(d.resource ? { resource: d.resource } : {}),
        ...(d.policyType ? { policyType: d.policyType } : {}),
        ...(d.explicitDeny ? { explicitDeny: true } : {}),
        ...(d.encodedMessage ? { encodedMessage: d.encodedMessage } : {}),
      },
      fixes,
      actions: [ACTION_WHOAMI],
    }];
  },
});
