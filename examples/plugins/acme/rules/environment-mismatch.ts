/**
 * Acme keys belong to one environment (README, "Keys"): `acme_live_…` keys work against
 * api.acme-cloud.example only, `acme_test_…` keys against sandbox.api.acme-cloud.example only.
 *
 * - Acme's own answer ACME-1003 ("sandbox key used against production", and its twin ACME-1004 for
 *   a live key sent to the sandbox) is definitive.
 * - Without the code (a gateway in front of Acme that rewrites error bodies, an older API version),
 *   a 401 to a request whose key prefix names the other environment is still strong evidence from
 *   the request itself: likely.
 * - A request that succeeded is not reported, whatever its key looks like.
 */
import { defineRule } from '../../../../src/index.ts';
import { acmeError, acmeKey, apiEnvironment, hostOf, supportHint, type AcmeEnvironment } from '../acme.ts';

const KEY_PREFIX: Record<AcmeEnvironment, string> = { production: 'acme_live_', sandbox: 'acme_test_' };
const SERVER_CODE: Record<AcmeEnvironment, string> = { sandbox: 'ACME-1003', production: 'ACME-1004' };

export default defineRule({
  meta: {
    id: 'environment-mismatch',
    title: 'The key belongs to the environment it is sent to',
    description: 'A sandbox key (acme_test_…) sent to production or a live key (acme_live_…) sent to the sandbox: from Acme’s ACME-1003/ACME-1004 answer, or from the key prefix and the host when a 401 carries no code.',
    causes: ['invalid_credentials'],
  },
  appliesTo: (ctx) => ctx.response !== null && (apiEnvironment(ctx.request.url) !== null || acmeError(ctx) !== null),
  check(ctx) {
    const error = acmeError(ctx);
    const key = acmeKey(ctx);
    const target = apiEnvironment(ctx.request.url);
    const fromServer = error?.code === 'ACME-1003' ? 'sandbox' : error?.code === 'ACME-1004' ? 'production' : null;
    const keyEnvironment: AcmeEnvironment | null = fromServer ?? key?.environment ?? null;
    if (!keyEnvironment) return [];
    const apiEnv: AcmeEnvironment = target ?? (keyEnvironment === 'sandbox' ? 'production' : 'sandbox');
    if (keyEnvironment === apiEnv) return [];
    const definitive = fromServer !== null;
    // Without Acme's own code, only a rejected request counts: a 200 means the key works here.
    if (!definitive && ctx.response?.status !== 401) return [];
    const shown = key ? ctx.mask(key.value) : 'the key';
    const fixes = [
      `Use a ${KEY_PREFIX[apiEnv]}… key for ${hostOf(apiEnv)}: create one in the Acme console under Settings → API keys with the environment switch set to ${apiEnv}.`,
      `Or, to keep using this ${keyEnvironment} key, point the client at https://${hostOf(keyEnvironment)} (for example ACME_BASE_URL=https://${hostOf(keyEnvironment)}).`,
      ...(error ? supportHint(error) : []),
    ];
    return [
      {
        status: 'fail',
        cause: 'invalid_credentials',
        confidence: definitive ? 'definitive' : 'likely',
        messageId: definitive ? 'environment-rejected' : 'environment-prefix',
        title: `A ${keyEnvironment} key sent to ${apiEnv}`,
        message: definitive
          ? `Acme refused the key ${shown} because it is a ${keyEnvironment} key and this is the ${apiEnv} API (${SERVER_CODE[keyEnvironment]}: "${error?.message ?? ''}").`
          : `The key ${shown} starts with ${KEY_PREFIX[keyEnvironment]}, so it is a ${keyEnvironment} key, and ${new URL(ctx.request.url).host} is the ${apiEnv} API: Acme keys work in their own environment only.`,
        evidence: { keyEnvironment, apiEnvironment: apiEnv, ...(error ? { code: error.code } : { keyPrefix: KEY_PREFIX[keyEnvironment] }) },
        fixes,
      },
    ];
  },
});
