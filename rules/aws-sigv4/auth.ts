/**
 * The `aws-sigv4` auth strategy: signs the outgoing request with @smithy/signature-v4 right before
 * it is sent, with credentials from curl (`--aws-sigv4 'aws:amz:REGION:SERVICE' -u KEY:SECRET`), a
 * config profile, or the AWS SDK's credential chain.
 *
 * `auth.params` (all optional unless noted):
 *   region, service       — the credential scope; derived from the host name when absent
 *   accessKeyId, secretAccessKey, sessionToken — explicit keys (curl -u, a profile with keys)
 *   profile               — AWS profile to resolve keys from when there are no explicit keys
 *   clockOffsetSeconds    — added to the signing clock (the re-sign action sets it on clock skew)
 *   stsEndpoint           — STS endpoint for the who-am-I action (default: the regional one)
 *   keysFrom              — where explicit keys came from when this plugin's actions put keys
 *                           resolved from the AWS credential chain (or recalled for a captured
 *                           request) into the params; absent for keys the user gave
 * After `apply`, `auth.source` says where the keys came from (the key id masked), the same text and
 * the caller's original `auth.source` are in the plugin's memory (`recallCredentialNote(params)`),
 * and the secret and token are registered with the redactor. `apply` never writes into the params.
 */

import { defineAuth } from '../../src/plugins/define.ts';
import { UsageError } from '../../src/core/errors.ts';
import type { AuthSpec, OutgoingRequest } from '../../src/core/plugin.ts';
import type { Redactor } from '../../src/core/redact.ts';
import { parseAwsEndpoint } from './lib/hosts.ts';
import { explainResolveError, resolveCredentials } from './lib/credentials.ts';
import { signOutgoing } from './lib/sign.ts';
import { noteCredentials, rememberSigning } from './lib/memory.ts';
import { whoamiEndpoint } from './actions/whoami.ts';

export interface SigV4Params {
  region?: string;
  service?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  profile?: string;
  clockOffsetSeconds?: number;
  stsEndpoint?: string;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim().length > 0 ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : undefined;
}

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  expiration?: Date | undefined;
  source: string;
  sourceId: string;
}

/** The keys to sign with: explicit ones from the params, else the profile / default chain. */
export async function credentialsFor(params: Record<string, unknown>, options: { fresh?: boolean; now?: Date } = {}): Promise<SigningCredentials> {
  const accessKeyId = str(params.accessKeyId);
  const secretAccessKey = typeof params.secretAccessKey === 'string' ? params.secretAccessKey : undefined;
  if (accessKeyId !== undefined && secretAccessKey !== undefined) {
    // `keysFrom`: set by the refresh action when it put freshly resolved keys into the params.
    const keysFrom = str(params.keysFrom);
    return {
      accessKeyId,
      secretAccessKey,
      sessionToken: str(params.sessionToken),
      source: keysFrom ?? (params.provider ? 'the command line (--aws-sigv4 with -u KEY:SECRET)' : 'the configuration profile'),
      sourceId: keysFrom ? 'refreshed' : params.provider ? 'command-line' : 'config',
    };
  }
  const profile = str(params.profile);
  try {
    return await resolveCredentials({ profile, fresh: options.fresh ?? false, ...(options.now ? { now: options.now } : {}) });
  } catch (error) {
    throw new UsageError('E_AWS_CREDENTIALS', explainResolveError(error, profile), { cause: error });
  }
}

/** Region and service for the credential scope: the params, else what the host name says. */
export function scopeFor(url: string, params: Record<string, unknown>): { region: string; service: string } {
  const endpoint = parseAwsEndpoint(url);
  const region = str(params.region) ?? endpoint?.region;
  const service = str(params.service) ?? endpoint?.service;
  if (!region || !service) {
    const missing = [!region ? 'region' : '', !service ? 'service' : ''].filter(Boolean).join(' and ');
    throw new UsageError(
      'E_AWS_SCOPE',
      `Cannot sign for ${new URL(url).host}: the ${missing} cannot be read from the host name.`,
      { hint: 'Give them explicitly: --aws-sigv4 "aws:amz:REGION:SERVICE" (e.g. aws:amz:us-east-1:execute-api), or region/service in the profile.' },
    );
  }
  return { region, service };
}

function registerSecrets(redactor: Redactor, credentials: { secretAccessKey: string; sessionToken?: string | undefined }): void {
  redactor.addSecret(credentials.secretAccessKey);
  if (credentials.sessionToken) redactor.addSecret(credentials.sessionToken);
}

export const sigv4Auth = defineAuth({
  scheme: 'aws-sigv4',
  // The who-am-I action sends the same keys to STS of the request's partition and region.
  credentialOrigins: (spec) => [whoamiEndpoint(spec).origin],
  async apply(request: OutgoingRequest, auth: AuthSpec, ctx) {
    const params = auth.params;
    const { region, service } = scopeFor(request.url, params);
    const credentials = await credentialsFor(params, { now: ctx.now() });
    registerSecrets(ctx.redactor, credentials);
    const offset = num(params.clockOffsetSeconds) ?? 0;
    const signingDate = new Date(ctx.now().getTime() + offset * 1000);
    const signedAtWallClock = new Date();
    const result = await signOutgoing(request, { region, service, credentials, signingDate });
    const source = `${credentials.source}, key ${ctx.redactor.secret(credentials.accessKeyId)}`;
    rememberSigning({
      signature: result.signature,
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
      expiration: credentials.expiration,
      region,
      service,
      signingDate,
      signedAtWallClock,
      canonicalRequest: result.canonicalRequest,
      source,
    });
    // Bookkeeping goes to the plugin's memory, never into the caller's params (a comparison of
    // the spec before and after a refresh must not see a change that nobody made).
    noteCredentials(params, { credentialSource: source, origin: auth.source });
    try {
      auth.source = source;
    } catch {
      // A frozen spec: the source is still in the signing record and the note.
    }
    return result.request;
  },
});
