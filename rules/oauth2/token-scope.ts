import { defineRule } from '../../src/plugins/define.ts';
import { bearerChallenge, grantedScopes } from './claims.ts';

/**
 * RFC 6750 §3.1 `insufficient_scope`: the server names the scope it needs in the challenge's
 * `scope` parameter; the token's `scope`/`scp`/`roles`/`permissions` say what it has. Naming the
 * missing one is the fix. (The generic reading of the challenge belongs to the http rules; this
 * rule adds what only the token can tell.)
 */
export default defineRule({
  meta: {
    id: 'token-scope',
    title: 'Access token scopes',
    description: 'Compares the scopes an insufficient_scope challenge asks for with those in the JWT bearer token.',
    causes: ['insufficient_permissions'],
  },
  appliesTo: (ctx) => ctx.helpers.jwt() !== null && bearerChallenge(ctx)?.params.error === 'insufficient_scope',
  check(ctx) {
    const jwt = ctx.helpers.jwt();
    const challenge = bearerChallenge(ctx);
    if (!jwt || !challenge) return [];
    const required = (challenge.params.scope ?? '').split(/\s+/).filter(Boolean);
    const have = grantedScopes(jwt.payload);
    if (required.length === 0) {
      return [
        {
          status: 'fail',
          cause: 'insufficient_permissions',
          confidence: 'definitive',
          messageId: 'insufficient-scope-unnamed',
          title: 'The token lacks a scope the API did not name',
          message: `The server says the token's scope is insufficient but does not say which scope it needs. The token has: ${[...have].join(' ') || '(no scope claims)'}.`,
          evidence: { granted: [...have] },
          fixes: ['Look up the scope this endpoint requires in the API\'s documentation and request it when getting the token.'],
        },
      ];
    }
    const missing = required.filter((s) => !have.has(s));
    if (missing.length === 0) {
      return [
        {
          status: 'warn',
          cause: null,
          messageId: 'insufficient-scope-but-present',
          title: 'Scope present, still refused',
          message: `The server asks for ${required.join(' ')}, and the token already has ${required.length === 1 ? 'it' : 'them all'}. Something the token cannot show is missing: a role, a group, admin consent, or a policy on the resource.`,
          evidence: { required, granted: [...have] },
          fixes: ['Check the user\'s or app\'s role assignments and the resource\'s access policy.'],
        },
      ];
    }
    return [
      {
        status: 'fail',
        cause: 'insufficient_permissions',
        confidence: 'definitive',
        messageId: 'missing-scope',
        title: `Token lacks scope ${missing.join(' ')}`,
        message: `The API needs scope ${missing.join(' ')}, which the token does not have (it has: ${[...have].join(' ') || 'no scopes'}).`,
        evidence: { required, missing, granted: [...have] },
        fixes: [
          `Request the token with \`scope=${[...new Set([...have, ...missing])].join(' ')}\` (and make sure the client is allowed those scopes; Entra ID may need admin consent).`,
          'A refresh keeps the scopes of the original grant: if the scope is new, sign in again (device flow or browser) so it can be granted.',
        ],
      },
    ];
  },
});
