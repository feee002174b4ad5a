/**
 * Azure DevOps personal access tokens (PATs) go as Basic authentication with an empty user name:
 * "Authorization: Basic base64(':' + PAT)" (Microsoft Learn, "REST API samples for Azure DevOps",
 * https://learn.microsoft.com/en-us/azure/devops/integrate/get-started/rest/samples — the C# sample
 * encodes string.Format("{0}:{1}", "", personalAccessToken)). Bearer is for Microsoft Entra access
 * tokens (JWTs), not PATs; a PAT as Bearer, or the PAT in the user-name slot with an empty
 * password, is rejected. (A rejected PAT often comes back as a 203 sign-in page: the http status
 * rule reads that.)
 */
import { defineRule } from '../../src/plugins/define.ts';
import type { FindingInput } from '../../src/core/plugin.ts';
import { JWT_SHAPE, isAuthFailure } from '../http/shared.ts';
import { hostOf, looseBasic } from './decode.ts';

const DEVOPS_HOST = /(^|\.)(dev\.azure\.com|visualstudio\.com)$/;
const FIX = 'Send the PAT as Basic with an empty user name: `curl -u ":$AZURE_DEVOPS_PAT" https://dev.azure.com/ORG/_apis/projects?api-version=7.1`, or in code base64(":" + pat) in an "Authorization: Basic …" header.';

export default defineRule({
  meta: {
    id: 'azure-devops',
    title: 'Azure DevOps PATs go as Basic with an empty user',
    description: 'A personal access token sent as Bearer, or in the user-name slot, is rejected by Azure DevOps.',
    causes: ['wrong_scheme', 'malformed_credentials'],
  },
  appliesTo: (ctx) => DEVOPS_HOST.test(hostOf(ctx.request.url)) && ctx.response !== null,
  check(ctx) {
    if (!isAuthFailure(ctx)) return [];
    const out: FindingInput[] = [];
    const bearer = ctx.helpers.credentials().find((c) => c.location === 'header' && c.scheme === 'bearer');
    if (bearer && bearer.credential.trim() && !JWT_SHAPE.test(bearer.credential.trim())) {
      out.push({
        status: 'fail',
        cause: 'wrong_scheme',
        confidence: 'likely',
        messageId: 'pat-as-bearer',
        title: 'Azure DevOps PAT sent as Bearer',
        message: 'An opaque token (a personal access token, by its shape) was sent as Bearer to Azure DevOps. PATs go in Basic authentication with an empty user name; Bearer is only for Microsoft Entra access tokens (JWTs).',
        evidence: { host: hostOf(ctx.request.url), sent: bearer.schemeWord },
        fixes: [FIX],
      });
    }
    const basic = looseBasic(ctx);
    if (basic && basic.hasColon && basic.password.length === 0 && basic.user.length >= 40) {
      out.push({
        status: 'fail',
        cause: 'malformed_credentials',
        confidence: 'likely',
        messageId: 'pat-as-user',
        title: 'PAT in the user-name slot',
        message: 'The Basic credential is "<long value>:" with an empty password: the PAT was put in the user-name slot. Azure DevOps reads the PAT from the password.',
        evidence: { userLength: basic.user.length },
        fixes: [FIX],
      });
    }
    return out;
  },
});
