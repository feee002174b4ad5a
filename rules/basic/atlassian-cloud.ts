/**
 * Atlassian Cloud (Jira, Confluence, Jira Service Management on *.atlassian.net) takes Basic
 * authentication only as "account email address : API token". Passwords were deprecated and, from
 * 3 June 2019, progressively disabled ("Deprecation notice - Basic authentication with passwords and
 * cookie-based authentication", https://developer.atlassian.com/cloud/jira/platform/deprecation-notice-basic-auth-and-cookie-based-auth/;
 * "Basic auth for REST APIs", https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/).
 * API tokens are created at https://id.atlassian.com/manage-profile/security/api-tokens; they are
 * 24 characters (older) or start with "ATATT" (current). Bearer on *.atlassian.net is not how API
 * tokens are sent (Bearer is for OAuth 2.0 (3LO) tokens, via api.atlassian.com).
 */
import { defineRule } from '../../src/plugins/define.ts';
import type { FindingInput } from '../../src/core/plugin.ts';
import { JWT_SHAPE, isAuthFailure } from '../http/shared.ts';
import { hostOf, looseBasic } from './decode.ts';

const CLOUD_HOST = /(^|\.)(atlassian\.net|jira\.com)$/;
const TOKEN_PAGE = 'https://id.atlassian.com/manage-profile/security/api-tokens';

function looksLikeApiToken(password: string): boolean {
  return /^ATATT[A-Za-z0-9_=-]{20,}$/.test(password) || /^[A-Za-z0-9]{24}$/.test(password);
}

export default defineRule({
  meta: {
    id: 'atlassian-cloud',
    title: 'Atlassian Cloud credentials are email + API token',
    description: 'On *.atlassian.net, Basic must be the account email with an API token; passwords and Bearer API tokens are rejected.',
    causes: ['invalid_credentials', 'wrong_scheme'],
  },
  appliesTo: (ctx) => CLOUD_HOST.test(hostOf(ctx.request.url)) && ctx.response !== null,
  check(ctx) {
    if (!isAuthFailure(ctx)) return [];
    const out: FindingInput[] = [];
    const fixes = [
      `Create an API token at ${TOKEN_PAGE} and send it with your Atlassian account email: \`curl -u 'you@example.com:$ATLASSIAN_API_TOKEN' https://your-site.atlassian.net/rest/api/3/myself\`.`,
    ];
    const bearer = ctx.helpers.credentials().find((c) => c.location === 'header' && c.scheme === 'bearer');
    if (bearer && bearer.credential && !JWT_SHAPE.test(bearer.credential.trim())) {
      out.push({
        status: 'fail',
        cause: 'wrong_scheme',
        confidence: 'likely',
        messageId: 'atlassian-bearer',
        title: 'Atlassian API token sent as Bearer',
        message: 'An opaque token was sent as Bearer to Atlassian Cloud. Atlassian Cloud API tokens go in Basic authentication together with the account email; Bearer is only for OAuth 2.0 access tokens (through api.atlassian.com). Personal access tokens as Bearer exist only on Jira/Confluence Data Center.',
        evidence: { host: hostOf(ctx.request.url), sent: bearer.schemeWord },
        fixes,
      });
      return out;
    }
    const basic = looseBasic(ctx);
    if (!basic || !basic.hasColon) return out;
    const deprecated = /basic authentication with passwords is deprecated/i.test(ctx.response!.body);
    const emailUser = /@/.test(basic.user);
    const tokenShaped = looksLikeApiToken(basic.password.trim());
    if (deprecated || !emailUser || !tokenShaped) {
      const problems: string[] = [];
      if (!emailUser) problems.push(`the user name "${basic.user.length > 40 ? ctx.mask(basic.user) : basic.user}" is not an email address (Atlassian Cloud identifies you by your account email)`);
      if (!tokenShaped) problems.push('the password does not look like an API token (24 characters, or starting with "ATATT") — it looks like an account password, which Atlassian Cloud no longer accepts');
      out.push({
        status: 'fail',
        cause: 'invalid_credentials',
        confidence: deprecated ? 'definitive' : !emailUser || !tokenShaped ? 'likely' : 'possible',
        messageId: 'atlassian-cloud-basic',
        title: 'Atlassian Cloud needs email + API token',
        message: deprecated
          ? `Atlassian Cloud says "Basic authentication with passwords is deprecated": it only accepts your account email with an API token${problems.length ? `, and here ${problems.join('; ')}` : ''}.`
          : `Atlassian Cloud only accepts Basic authentication as account email + API token, and ${problems.join('; ')}.`,
        evidence: { host: hostOf(ctx.request.url), userIsEmail: emailUser, passwordLooksLikeApiToken: tokenShaped },
        fixes,
      });
    }
    return out;
  },
});
