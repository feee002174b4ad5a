import type { RuleContext } from '../../src/core/plugin.ts';
import type { FindingInput } from '../../src/core/types.ts';
import { defineRule } from '../../src/plugins/define.ts';
import { KEY_FORMATS, type KeyFormat } from './key-formats.ts';
import { apiForHost, authFailed, classify, collectSent, describePlacement, hostOf, pathOf, type Classified } from './keys.ts';

/**
 * The right kind of key for this call: not a publishable key, refresh token or app secret where a
 * secret key belongs; not another provider's key; not a test-environment key against the live
 * environment (or the reverse); not an API key SID where the Account SID belongs.
 */
export default defineRule({
  meta: {
    id: 'key-kind',
    title: 'The right kind of key for this API',
    description:
      "Recognises keys of the wrong kind: publishable keys on server calls, refresh tokens and app secrets sent as credentials, one provider's key sent to another, test keys against live hosts, admin keys on regular endpoints, an API key SID in place of an Account SID.",
    causes: ['invalid_credentials', 'insufficient_permissions'],
  },
  check(ctx) {
    const host = hostOf(ctx.request.url);
    const path = pathOf(ctx.request.url);
    const hostApi = apiForHost(host);
    const failed = authFailed(ctx.response);
    const out: FindingInput[] = [];
    const status = failed ? ('fail' as const) : ('warn' as const);
    for (const s of collectSent(ctx)) {
      const c = classify(s.value, host);
      if (!c || c.problem) continue;
      const key = ctx.mask(s.value);
      const evidence = { provider: c.api.provider, keyKind: c.format.kind, keyFormat: c.format.id, key, length: c.length, sentAs: describePlacement(s.placement), source: c.format.source };
      const sameProvider = hostApi !== undefined && hostApi.provider === c.api.provider;

      if (sameProvider && (c.format.role === 'refresh' || c.format.role === 'app-secret' || (c.format.role === 'publishable' && failed))) {
        out.push({
          status,
          cause: 'invalid_credentials',
          confidence: 'likely',
          messageId: `key-${c.format.role}`,
          message: `The credential sent as ${describePlacement(s.placement)} is a ${c.api.provider} ${c.format.kind} (${key}), which is not accepted here: it is meant for ${c.format.use ?? 'another purpose'}.`,
          evidence,
          fixes: [fixFor(c.format), ...(c.api.envVar ? [`Check which value ${c.api.envVar} (or your configuration) holds: a key of the right kind is listed in the provider's console next to this one.`] : [])],
        });
        continue;
      }

      if (hostApi && !hostApi.gateway && hostApi.provider !== c.api.provider && c.format.role !== 'identifier' && !c.api.placements.every((p) => p.kind === 'sigv4')) {
        out.push({
          status,
          cause: 'invalid_credentials',
          confidence: 'likely',
          messageId: 'key-other-provider',
          message: `${article(c.api.provider, true)} ${c.api.provider} ${c.format.kind} (${c.format.prefix}…, ${key}) was sent to ${host}, which is ${hostApi.provider}'s API: ${hostApi.provider} does not know ${c.api.provider} keys, which work only at ${c.api.hosts.join(', ')}.`,
          evidence: { ...evidence, host, hostProvider: hostApi.provider },
          fixes: [
            `Either call ${c.api.provider} (https://${c.api.hosts[0]!.replace(/^\*\./, '')}) with this key, or use a ${hostApi.provider} key here${hostApi.envVar ? ` (${hostApi.envVar})` : ''}.`,
            'If a library picks the base URL and the key from different settings (e.g. OPENAI_BASE_URL and OPENAI_API_KEY), set both for the same provider.',
          ],
        });
        continue;
      }

      if (sameProvider && c.format.environment && hostApi.environment && c.format.environment !== hostApi.environment) {
        const correct = c.format.environment === 'test' ? 'test/sandbox' : 'live';
        out.push({
          status,
          cause: 'invalid_credentials',
          confidence: 'likely',
          messageId: 'key-wrong-environment',
          message: `${c.format.environment === 'test' ? 'A test/sandbox' : 'A live'} ${c.api.provider} ${c.format.kind} (${key}) was sent to ${host}, the ${hostApi.environment === 'test' ? 'test/sandbox' : 'live'} environment: ${c.api.provider} keeps them apart, and each key works only in its own (the ${correct} host is ${c.api.hosts.join(', ')}).`,
          evidence: { ...evidence, keyEnvironment: c.format.environment, hostEnvironment: hostApi.environment },
          fixes: [`Call ${c.api.hosts[0]} with this key, or use a key created in the ${hostApi.environment} environment for ${host}.`],
        });
        continue;
      }

      if (sameProvider && hostApi.adminPaths) {
        const adminPath = hostApi.adminPaths.test(path);
        if (c.format.role === 'admin' && !adminPath) {
          out.push({
            status,
            cause: 'invalid_credentials',
            confidence: 'likely',
            messageId: 'key-admin-on-api',
            message: `${article(c.api.provider, true)} ${c.api.provider} ${c.format.kind} (${key}) was sent to ${path}: admin keys work on ${c.format.use ?? 'admin endpoints only'}.`,
            evidence,
            fixes: [fixFor(c.format)],
          });
          continue;
        }
        if (c.format.role === 'secret' && adminPath && failed) {
          out.push({
            status,
            cause: 'insufficient_permissions',
            confidence: 'likely',
            messageId: 'key-not-admin',
            message: `${path} is ${article(c.api.provider)} ${c.api.provider} admin endpoint, and it was called with a regular ${c.format.kind} (${key}); admin endpoints need an admin key.`,
            evidence: { ...evidence, principal: `${c.api.provider} ${c.format.kind}`, action: `${ctx.request.method.toUpperCase()} ${path}`, resource: path },
            fixes: [`Create an admin key in the ${c.api.provider} console (organization settings, Admin keys) and use it for ${path}.`],
          });
          continue;
        }
      }
    }
    out.push(...checkPathIds(ctx, host, path, failed));
    return out;
  },
});

function fixFor(format: KeyFormat): string {
  return format.use ? `Use this key for ${format.use}.` : 'Use a key of the kind this endpoint needs.';
}

/** Identifiers the URL path must carry (Twilio's /Accounts/{AccountSid}/). */
function checkPathIds(ctx: RuleContext, host: string, path: string, failed: boolean): FindingInput[] {
  const api = apiForHost(host);
  const out: FindingInput[] = [];
  for (const slot of api?.pathIds ?? []) {
    const id = slot.pattern.exec(path)?.groups?.id;
    if (!id) continue;
    const c: Classified | null = classify(id, host);
    if (!c || c.problem || slot.expects.includes(c.format.id)) continue;
    out.push({
      status: failed ? 'fail' : 'warn',
      cause: 'invalid_credentials',
      confidence: 'likely',
      messageId: 'key-wrong-id-in-path',
      message: `${capitalise(slot.name)} holds ${c.format.prefix}… (${ctx.mask(id)}), ${article(c.api.provider)} ${c.api.provider} ${c.format.kind}, but it must be ${expectedKinds(slot.expects)}.${c.format.use ? ` The ${c.format.kind} belongs in ${c.format.use}.` : ''}`,
      evidence: { provider: c.api.provider, keyKind: c.format.kind, keyFormat: c.format.id, pathId: ctx.mask(id), expected: slot.expects, principal: `${c.format.kind} ${c.format.prefix}…`, resource: path },
      fixes: [
        c.api.provider === 'Twilio'
          ? 'Construct the client with the API key and the account: Client(apiKeySid, apiKeySecret, accountSid) (twilio-node: twilio(apiKeySid, apiKeySecret, { accountSid })), so the URL carries /Accounts/AC…/ and Basic auth carries SK…:secret.'
          : `Put the right identifier in the path (${slot.expects.join(', ')}).`,
      ],
    });
  }
  return out;
}

function expectedKinds(ids: readonly string[]): string {
  return ids
    .map((id) => KEY_FORMATS.find((f) => f.id === id))
    .filter((f): f is KeyFormat => f !== undefined)
    .map((f) => `${article(f.kind)} ${f.kind} (${f.prefix}…)`)
    .join(' or ');
}

/** "a" or "an" before a word, by its first letter (good enough for provider and key names). */
function article(word: string, capital = false): string {
  const an = /^[aeiouAEIOU]/.test(word);
  return capital ? (an ? 'An' : 'A') : an ? 'an' : 'a';
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
