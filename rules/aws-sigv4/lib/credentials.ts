/**
 * Resolving credentials the way the AWS CLI does, with the AWS SDK's own providers (loaded only
 * when this plugin signs or refreshes): environment, shared `config`/`credentials` files and
 * profiles (static keys, assume-role, `credential_process`, IAM Identity Center / SSO cache, web
 * identity), then container and instance metadata. The SDK tags what it returns with `$source`
 * (its credential feature ids); that tells us which source supplied the keys.
 */

import { homedir } from 'node:os';
import { join } from 'node:path';

export interface ResolvedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  expiration?: Date | undefined;
  /** Human description of the source ("profile "dev" in ~/.aws/credentials and ~/.aws/config"). */
  source: string;
  /** Stable id of the source for tests and UI: env | profile | sso | process | web-identity | assume-role | container | imds | login | unknown. */
  sourceId: string;
}

/** SDK credential feature ids (`@aws-sdk/types` feature-ids) → our source id, most specific first. */
const FEATURES: readonly [feature: string, id: string][] = [
  ['CREDENTIALS_PROFILE_SSO', 'sso'],
  ['CREDENTIALS_PROFILE_SSO_LEGACY', 'sso'],
  ['CREDENTIALS_SSO', 'sso'],
  ['CREDENTIALS_SSO_LEGACY', 'sso'],
  ['CREDENTIALS_PROFILE_PROCESS', 'process'],
  ['CREDENTIALS_PROCESS', 'process'],
  ['CREDENTIALS_PROFILE_STS_WEB_ID_TOKEN', 'web-identity'],
  ['CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN', 'web-identity'],
  ['CREDENTIALS_STS_ASSUME_ROLE_WEB_ID', 'web-identity'],
  ['CREDENTIALS_PROFILE_LOGIN', 'login'],
  ['CREDENTIALS_LOGIN', 'login'],
  ['CREDENTIALS_PROFILE_SOURCE_PROFILE', 'assume-role'],
  ['CREDENTIALS_STS_ASSUME_ROLE', 'assume-role'],
  ['CREDENTIALS_PROFILE_NAMED_PROVIDER', 'assume-role'],
  ['CREDENTIALS_PROFILE', 'profile'],
  ['CREDENTIALS_ENV_VARS', 'env'],
  ['CREDENTIALS_HTTP', 'container'],
  ['CREDENTIALS_IMDS', 'imds'],
];

export function sharedFiles(): { credentials: string; config: string } {
  return {
    credentials: process.env.AWS_SHARED_CREDENTIALS_FILE || join(homedir(), '.aws', 'credentials'),
    config: process.env.AWS_CONFIG_FILE || join(homedir(), '.aws', 'config'),
  };
}

function describe(sourceId: string, profile: string): string {
  const files = sharedFiles();
  switch (sourceId) {
    case 'env':
      return 'the environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN)';
    case 'profile':
      return `profile "${profile}" in ${files.credentials} / ${files.config}`;
    case 'sso':
      return `the IAM Identity Center (SSO) token cache for profile "${profile}" (aws sso login --profile ${profile})`;
    case 'process':
      return `credential_process of profile "${profile}" in ${files.config}`;
    case 'web-identity':
      return 'a web identity token (AWS_WEB_IDENTITY_TOKEN_FILE / web_identity_token_file) exchanged with STS';
    case 'assume-role':
      return `STS AssumeRole for profile "${profile}" (role_arn with source_profile or credential_source)`;
    case 'login':
      return `the aws login cache for profile "${profile}"`;
    case 'container':
      return 'the container credentials endpoint (ECS/EKS Pod Identity)';
    case 'imds':
      return 'the EC2 instance metadata service (instance profile)';
    default:
      return `the AWS SDK default credential chain (profile "${profile}")`;
  }
}

interface CacheEntry {
  credentials: ResolvedCredentials;
}
const cache = new Map<string, CacheEntry>();

export function forgetResolved(profile?: string | undefined): void {
  if (profile === undefined) cache.clear();
  else cache.delete(profile);
}

/**
 * Resolves credentials for a profile (or the default chain when none is named). `fresh` re-reads
 * files and asks the providers again (after `aws sso login`, or a rotated credentials file).
 */
export async function resolveCredentials(options: { profile?: string | undefined; fresh?: boolean; now?: Date } = {}): Promise<ResolvedCredentials> {
  const profileName = options.profile ?? process.env.AWS_PROFILE ?? process.env.AWS_DEFAULT_PROFILE ?? 'default';
  const key = options.profile ?? '(default chain)';
  const now = options.now ?? new Date();
  const cached = cache.get(key);
  if (!options.fresh && cached && (!cached.credentials.expiration || cached.credentials.expiration.getTime() > now.getTime() + 60_000)) return cached.credentials;
  const { fromIni, fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  // ignoreCache: re-read the shared files instead of the SDK's process-wide file cache, so a
  // credentials file that was rewritten (a rotation, `aws sso login`) is seen.
  const provider = options.profile ? fromIni({ profile: options.profile, ignoreCache: true }) : fromNodeProviderChain({ ignoreCache: true });
  const identity = (await provider()) as { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date; $source?: Record<string, string> };
  const features = Object.keys(identity.$source ?? {});
  const sourceId = FEATURES.find(([f]) => features.includes(f))?.[1] ?? (options.profile ? 'profile' : 'unknown');
  const credentials: ResolvedCredentials = {
    accessKeyId: identity.accessKeyId,
    secretAccessKey: identity.secretAccessKey,
    sessionToken: identity.sessionToken,
    expiration: identity.expiration,
    source: describe(sourceId, profileName),
    sourceId,
  };
  cache.set(key, { credentials });
  return credentials;
}

/** A one-line explanation of why resolving failed, with the command that fixes it. */
export function explainResolveError(error: unknown, profile: string | undefined): string {
  const message = error instanceof Error ? error.message : String(error);
  const files = sharedFiles();
  const name = profile ?? process.env.AWS_PROFILE ?? 'default';
  if (/sso|token.*(expired|refresh)|SSO session/i.test(message)) {
    return `The SSO session for profile "${name}" is missing or expired: run \`aws sso login --profile ${name}\` and try again.`;
  }
  if (/Could not resolve credentials using profile|Profile .* could not be found|not found in/i.test(message)) {
    return `Profile "${name}" has no usable credentials in ${files.credentials} or ${files.config}: check the profile name, or run \`aws configure --profile ${name}\`.`;
  }
  if (/Could not load credentials from any providers/i.test(message)) {
    return `No AWS credentials were found (environment, ${files.credentials}, ${files.config}, SSO, credential_process, web identity, container or instance metadata): run \`aws configure\` or \`aws sso login\`.`;
  }
  return `Resolving AWS credentials failed: ${message.split('\n')[0]}`;
}
