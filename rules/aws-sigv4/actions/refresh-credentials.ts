import { defineAction } from '../../../src/plugins/define.ts';
import type { ActionAvailabilityContext } from '../../../src/core/plugin.ts';
import { maskSecret } from '../../../src/core/redact.ts';
import { explainResolveError, forgetResolved, resolveCredentials } from '../lib/credentials.ts';
import { recallSigning, rememberCredentials } from '../lib/memory.ts';
import { str } from '../auth.ts';
import { isSigV4, originOf, respec, sentSignature } from './shared.ts';
import { duration, iso } from '../lib/common.ts';

/**
 * Where the keys the request was signed with came from, which decides what a refresh may re-read:
 * - `chain`: the AWS SDK credential chain (a `profile` param or the default chain, no explicit
 *   keys), or keys this plugin put into the params from the chain earlier (`keysFrom`), or a
 *   captured request signed by someone else (no strategy: the chain is the only source we have);
 * - `command-line`: curl's `-u KEY:SECRET` — nothing to re-read;
 * - `config`: accessKeyId/secretAccessKey of an authdoctor profile, read from their `{ env }` /
 *   `{ file }` references by the config layer before the plugin saw them. The plugin cannot
 *   re-read those references (it only has the values); re-reading the profile is the config
 *   layer's refresh (the session's "re-read profile" when no plugin action offers one).
 */
export type KeyOrigin = { kind: 'chain'; profile?: string | undefined } | { kind: 'command-line' } | { kind: 'config'; profileName?: string | undefined };

export function keyOrigin(ctx: ActionAvailabilityContext): KeyOrigin {
  const auth = ctx.spec.auth;
  if (!auth) return { kind: 'chain', profile: undefined };
  const params = auth.params;
  // The same test as the strategy's `credentialsFor`: with both keys it signs with them, else the chain.
  const explicit = str(params.accessKeyId) !== undefined && typeof params.secretAccessKey === 'string';
  if (!explicit || str(params.keysFrom) !== undefined) return { kind: 'chain', profile: str(params.profile) };
  const origin = originOf(ctx.spec);
  // curl's --aws-sigv4 parser sets `provider` (src/inputs/curl.ts) and the source 'curl'.
  if (origin === 'curl' || params.provider !== undefined) return { kind: 'command-line' };
  const named = origin?.match(/^profile (.+)$/)?.[1] ?? ctx.profile.name;
  return { kind: 'config', profileName: named };
}

/** Why explicit keys cannot be refreshed here, and what the user does instead. */
function cannotRefresh(origin: Exclude<KeyOrigin, { kind: 'chain' }>): string {
  if (origin.kind === 'command-line') {
    return 'The keys were given on the command line (-u ACCESS_KEY_ID:SECRET_ACCESS_KEY), so there is no source to re-read, and the AWS credential chain would be other credentials: run the command again with the new keys in -u (and, for temporary keys, the new token in -H "x-amz-security-token: …").';
  }
  const profile = origin.profileName ? `profile "${origin.profileName}"` : 'the configuration profile';
  return `The keys come from auth.accessKeyId / auth.secretAccessKey of ${profile}, read from their env/file references when the profile was loaded — not from the AWS credential chain, whose credentials would be someone else's here. Update the variable or file they reference, then re-read the profile (r in the interactive session) or run authdoctor again.`;
}

/**
 * Re-resolve the credentials from the chain (after `aws sso login` in another terminal, a rotated
 * credentials file, a new `credential_process` result) and hand back a spec that the strategy will
 * re-sign with them. Only for keys that came from the chain in the first place (see `keyOrigin`).
 */
export default defineAction({
  id: 'refresh-credentials',
  title: 'Re-read AWS credentials and retry',
  kind: 'refresh',
  available(ctx) {
    return isSigV4(ctx) && (ctx.exchange?.response?.status ?? 0) >= 400 && keyOrigin(ctx).kind === 'chain';
  },
  async run(ctx) {
    const origin = keyOrigin(ctx);
    if (origin.kind !== 'chain') {
      return { ok: false, retry: false, message: cannotRefresh(origin), details: { keysFrom: origin.kind } };
    }
    const params: Record<string, unknown> = { ...(ctx.spec.auth?.params ?? {}) };
    const profile = origin.profile;
    const sent = sentSignature(ctx);
    const signed = recallSigning(sent?.signature);
    const oldKeyId = str(params.accessKeyId) ?? sent?.accessKeyId?.trim();
    const oldToken = str(params.sessionToken) ?? sent?.sessionToken;
    // The secret never travels; this process knows it when it signed (or the params carry it).
    const oldSecret = typeof params.secretAccessKey === 'string' ? params.secretAccessKey : signed?.accessKeyId === oldKeyId ? signed?.secretAccessKey : undefined;
    ctx.progress(`Re-reading AWS credentials${profile ? ` for profile "${profile}"` : ' from the default chain'}…`);
    forgetResolved(profile);
    let creds;
    try {
      creds = await resolveCredentials({ profile, fresh: true, now: ctx.now() });
    } catch (error) {
      return { ok: false, retry: false, message: explainResolveError(error, profile) };
    }
    ctx.redactor.addSecret(creds.secretAccessKey);
    if (creds.sessionToken) ctx.redactor.addSecret(creds.sessionToken);
    const shownKey = maskSecret(creds.accessKeyId);
    const now = ctx.now();
    if (creds.expiration && creds.expiration.getTime() <= now.getTime()) {
      return {
        ok: false,
        retry: false,
        message: `The credentials from ${creds.source} are still expired (since ${iso(creds.expiration)}): renew them first (\`aws sso login${profile ? ` --profile ${profile}` : ''}\`, or re-run the command that issues them), then refresh again.`,
        details: { source: creds.source, accessKeyId: shownKey, expiration: iso(creds.expiration) },
      };
    }
    const unchanged = creds.accessKeyId === oldKeyId && (creds.sessionToken ?? '') === (oldToken ?? '') && (oldSecret === undefined || oldSecret === creds.secretAccessKey);
    if (unchanged) {
      return {
        ok: false,
        retry: false,
        message: `${creds.source} still has the same credentials (key ${shownKey}): nothing to retry with. Renew them (\`aws sso login${profile ? ` --profile ${profile}` : ''}\`, a new \`aws sts assume-role\`, or update the credentials file), then refresh again.`,
        details: { source: creds.source, accessKeyId: shownKey, sourceId: creds.sourceId },
      };
    }
    rememberCredentials(creds);
    // Keys that an earlier refresh put into the params (or a captured request without a strategy)
    // are replaced by the fresh ones, marked with `keysFrom`; a profile/default-chain spec keeps
    // only the profile name and the strategy uses the freshly cached credentials.
    const keysInParams = params.accessKeyId !== undefined || !ctx.spec.auth;
    const next: Record<string, unknown> = { ...params };
    if (keysInParams) {
      next.keysFrom = creds.source;
      next.accessKeyId = creds.accessKeyId;
      next.secretAccessKey = creds.secretAccessKey;
      if (creds.sessionToken) next.sessionToken = creds.sessionToken;
      else delete next.sessionToken;
    }
    if (!ctx.spec.auth && sent?.scope) {
      next.region = sent.scope.region;
      next.service = sent.scope.service;
    }
    const source = `${creds.source}, key ${shownKey}`;
    const spec = respec(ctx.spec, next, { keepTokenHeader: false, source });
    spec.secrets = [...(ctx.spec.secrets ?? []), creds.secretAccessKey, ...(creds.sessionToken ? [creds.sessionToken] : [])];
    const lifetime = creds.expiration ? `, valid for ${duration((creds.expiration.getTime() - now.getTime()) / 1000)}` : '';
    return {
      ok: true,
      retry: true,
      message: `Got ${creds.accessKeyId === oldKeyId ? 'renewed' : 'new'} credentials from ${creds.source} (key ${shownKey}${creds.sessionToken ? ', with a session token' : ''}${lifetime}); re-signing and retrying.`,
      spec,
      details: { source: creds.source, sourceId: creds.sourceId, accessKeyId: shownKey, ...(creds.expiration ? { expiration: iso(creds.expiration) } : {}) },
    };
  },
});
