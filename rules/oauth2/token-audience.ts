import { defineRule } from '../../src/plugins/define.ts';
import { audiences, authFailed, challengeText, tokenKind } from './claims.ts';

function normalise(aud: string): string {
  try {
    const u = new URL(aud);
    if (u.protocol === 'http:' || u.protocol === 'https:') return `${u.protocol}//${u.host.toLowerCase()}${u.pathname.replace(/\/+$/, '')}${u.search}`;
  } catch {
    // not a URL: an identifier such as a GUID or api://name
  }
  return aud.replace(/\/+$/, '');
}

function hostMatches(aud: string, host: string): boolean {
  try {
    const h = new URL(aud).hostname.toLowerCase();
    return h === host || host.endsWith(`.${h}`) || h.endsWith(`.${host}`);
  } catch {
    return false;
  }
}

/**
 * `aud` (RFC 7519 §4.1.3, RFC 9068 §2.2) against the audience/resource the profile names. Without
 * one, audiences that are URLs are compared with the API's host — but only as advice: many APIs
 * accept an audience on another host (Azure Resource Manager takes tokens for
 * https://management.core.windows.net/), so the host alone never fails a request.
 */
export default defineRule({
  meta: {
    id: 'token-audience',
    title: 'Access token audience',
    description: 'Compares a JWT bearer token\'s aud with the configured audience, or with the API host.',
    causes: ['insufficient_permissions'],
  },
  appliesTo: (ctx) => ctx.helpers.jwt() !== null,
  check(ctx) {
    const jwt = ctx.helpers.jwt();
    if (!jwt) return [];
    // An ID token's aud is the client id by definition; the token-type rule explains that case.
    if (tokenKind(jwt, ctx.profile).kind === 'id') return [];
    const auds = audiences(jwt.payload);
    if (auds.length === 0) return [];
    const expected = ctx.profile.oauth2?.audience;
    const failed = authFailed(ctx);
    const serverSaysAudience = /audience|\baud\b|resource/i.test(challengeText(ctx));
    const fixes = (want: string) => [
      `Request the token for ${want}: \`resource=${want}\` (RFC 8707), \`audience=${want}\` for Auth0, or \`scope=${want.replace(/\/+$/, '')}/.default\` for Microsoft Entra ID.`,
      'If the API really accepts this audience, set oauth2.audience in the profile to what it expects.',
    ];
    if (expected) {
      if (auds.some((a) => normalise(a) === normalise(expected))) return [];
      return [
        {
          status: failed ? 'fail' : 'warn',
          cause: 'insufficient_permissions',
          confidence: failed && serverSaysAudience ? 'definitive' : 'likely',
          messageId: 'audience-mismatch',
          title: 'Token is for another audience',
          message: `The token is for ${auds.join(', ')}, but this API expects ${expected}: it was requested for a different API (or environment).`,
          evidence: { aud: auds, expectedAudience: expected },
          fixes: fixes(expected),
        },
      ];
    }
    let host: string;
    try {
      host = new URL(ctx.request.url).hostname.toLowerCase();
    } catch {
      return [];
    }
    const urlAuds = auds.filter((a) => /^https?:\/\//i.test(a));
    if (urlAuds.length !== auds.length || auds.some((a) => hostMatches(a, host))) return [];
    const origin = new URL(ctx.request.url).origin;
    return [
      {
        status: failed && serverSaysAudience ? 'fail' : 'warn',
        cause: 'insufficient_permissions',
        confidence: failed && serverSaysAudience ? 'definitive' : 'possible',
        messageId: 'audience-other-host',
        title: 'Token audience names another host',
        message: `The token's audience is ${auds.join(', ')}, which is not ${host}. If this API checks aud strictly, it will refuse a token requested for another API.`,
        evidence: { aud: auds, requestHost: host },
        fixes: fixes(origin),
      },
    ];
  },
});
