/**
 * ACME-1001 "API key revoked" (README, "Error codes"): the key was valid once and someone revoked
 * it in the console, or Acme did after a leak report. Nothing on the client side fixes it.
 */
import { defineRule } from '../../../../src/index.ts';
import { acmeError, acmeKey, supportHint } from '../acme.ts';

export default defineRule({
  meta: {
    id: 'key-revoked',
    title: 'The Acme API key is not revoked',
    description: 'Acme answers 401 with error code ACME-1001 when the key was revoked (in the console, or by Acme after a leak report).',
    causes: ['invalid_credentials'],
  },
  appliesTo: (ctx) => ctx.response !== null,
  check(ctx) {
    const error = acmeError(ctx);
    if (error?.code !== 'ACME-1001') return [];
    const key = acmeKey(ctx);
    return [
      {
        status: 'fail',
        cause: 'invalid_credentials',
        confidence: 'definitive',
        messageId: 'key-revoked',
        title: 'The Acme API key was revoked',
        message: `Acme says the key ${key ? ctx.mask(key.value) : 'sent'} was revoked (ACME-1001: "${error.message}"). A revoked key stays revoked; no retry or re-encoding will make it work.`,
        evidence: { code: error.code, ...(error.requestId ? { requestId: error.requestId } : {}) },
        fixes: [
          'Create a new key in the Acme console (Settings → API keys → Create key) and put it where your client reads ACME_API_KEY.',
          'If nobody on your team revoked it, Acme may have revoked it after finding it in a public repository: check where the old key was committed or logged.',
          ...supportHint(error),
        ],
      },
    ];
  },
});
