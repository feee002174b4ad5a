import { defineAction } from '../../../src/plugins/define.ts';
import { maskSecret } from '../../../src/core/redact.ts';
import { explainResolveError, forgetResolved, resolveCredentials } from '../lib/credentials.ts';
import { rememberCredentials } from '../lib/memory.ts';
import { str } from '../auth.ts';
import { isSigV4, respec, sentSignature } from './shared.ts';
import { duration, iso } from '../lib/common.ts';

/**
 * Re-resolve the credentials from the chain (after `aws sso login` in another terminal, a rotated
 * credentials file, a new `credential_process` result) and hand back a spec that the strategy will
 * re-sign with them.
 */
export default defineAction({
  id: 'refresh-credentials',
  title: 'Re-read AWS credentials and retry',
  kind: 'refresh',
  available(ctx) {
    return isSigV4(ctx) && (ctx.exchange?.response?.status ?? 0) >= 400;
  },
  async run(ctx) {
    const params: Record<string, unknown> = { ...(ctx.spec.auth?.params ?? {}) };
    const profile = str(params.profile);
    const sent = sentSignature(ctx);
    const oldKeyId = str(params.accessKeyId) ?? sent?.accessKeyId?.trim();
    const oldToken = str(params.sessionToken) ?? sent?.sessionToken;
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
    const unchanged = creds.accessKeyId === oldKeyId && (creds.sessionToken ?? '') === (oldToken ?? '') && (params.secretAccessKey === undefined || params.secretAccessKey === creds.secretAccessKey);
    if (unchanged) {
      return {
        ok: false,
        retry: false,
        message: `${creds.source} still has the same credentials (key ${shownKey}): nothing to retry with. Renew them (\`aws sso login${profile ? ` --profile ${profile}` : ''}\`, a new \`aws sts assume-role\`, or update the credentials file), then refresh again.`,
        details: { source: creds.source, accessKeyId: shownKey, sourceId: creds.sourceId },
      };
    }
    rememberCredentials(creds);
    // Explicit keys (curl -u, a profile with keys) are replaced by the fresh ones; a profile-based
    // spec keeps only the profile name and the strategy uses the freshly cached credentials.
    const explicit = params.accessKeyId !== undefined || !ctx.spec.auth;
    const next: Record<string, unknown> = { ...params };
    delete next.credentialSource;
    if (explicit) {
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
