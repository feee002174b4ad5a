import type { AuthdoctorConfig } from './types.ts';

export type {
  ApiKeyAuth,
  AuthdoctorConfig,
  AuthScheme,
  AwsSigV4Auth,
  BasicAuth,
  BearerAuth,
  BuiltinAuth,
  EnvSecretRef,
  FileSecretRef,
  Identifier,
  OAuth2Auth,
  OAuth2ClientAuth,
  OAuth2Grant,
  PluginAuth,
  PluginAuthParam,
  Profile,
  ProfileAuth,
  ProfileRequest,
  RuleSetting,
  Secret,
  SecretRef,
  TimeoutsConfig,
} from './types.ts';

/**
 * Identity helper for `authdoctor.config.ts` (Vite's `defineConfig` is the model): it does nothing
 * at run time, and gives the editor the config's types so that a typo is a type error. It is not
 * generic on purpose: a plain parameter type keeps TypeScript's excess-property check on.
 */
export function defineConfig(config: AuthdoctorConfig): AuthdoctorConfig {
  return config;
}
