import type { BuiltinAuth, ProfileAuth } from './types.ts';

/** The auth schemes the config knows and validates field by field; any other name is a plugin's. */
export const AUTH_SCHEMES = ['bearer', 'api-key', 'basic', 'oauth2', 'aws-sigv4'] as const;

/**
 * What a plugin's scheme name may look like: lower case, like the built-in ones (`acme-hmac`).
 * The engine matches it exactly against `AuthStrategy.scheme`, so a capital letter would only
 * ever be a typo.
 */
export const PLUGIN_SCHEME = /^[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)*$/;

/** True for the five schemes the config itself understands (no zod here: resolve.ts uses it). */
export function isBuiltinAuth(auth: ProfileAuth): auth is BuiltinAuth {
  return (AUTH_SCHEMES as readonly string[]).includes(auth.scheme);
}
