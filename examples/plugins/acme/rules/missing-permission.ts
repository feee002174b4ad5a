/**
 * ACME-3001 "Missing permission" (README, "Scopes"): the key is valid, but it was created without
 * the scope the operation needs, and Acme names that scope in `required_scope`. Authentication
 * worked; authorisation did not — so the fix is on the key, not on how it is sent.
 */
import { defineRule } from '../../../../src/index.ts';
import { acmeError, supportHint } from '../acme.ts';

export default defineRule({
  meta: {
    id: 'missing-permission',
    title: 'The key has the scope the operation needs',
    description: 'Acme answers 403 ACME-3001 and names the scope in required_scope when a valid key lacks the permission for the operation.',
    causes: ['insufficient_permissions'],
  },
  appliesTo: (ctx) => ctx.response !== null,
  check(ctx) {
    const error = acmeError(ctx);
    if (error?.code !== 'ACME-3001') return [];
    const scope = error.requiredScope;
    const operation = `${ctx.request.method} ${new URL(ctx.request.url).pathname}`;
    return [
      {
        status: 'fail',
        cause: 'insufficient_permissions',
        confidence: 'definitive',
        messageId: 'missing-scope',
        title: scope ? `The key lacks the ${scope} scope` : 'The key lacks a permission',
        message: scope
          ? `Acme accepted the key but refused ${operation}: the key has no ${scope} scope (ACME-3001: "${error.message}").`
          : `Acme accepted the key but refused ${operation} for want of a permission it did not name (ACME-3001: "${error.message}").`,
        evidence: { code: error.code, operation, ...(scope ? { requiredScope: scope } : {}) },
        fixes: [
          scope
            ? `Add the ${scope} scope to the key in the Acme console (Settings → API keys → the key → Scopes), or use a key that has it; scopes apply at once, no new key is needed.`
            : 'Compare the key\'s scopes in the Acme console (Settings → API keys → the key → Scopes) with the scope the API reference lists for this endpoint.',
          'To see which scopes this key has, run the "Show the key\'s scopes" action (acme/key-info).',
          ...supportHint(error),
        ],
        actions: ['acme/key-info'],
      },
    ];
  },
});
