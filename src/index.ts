/**
 * The public API of the `authdoctor` package: what plugin authors and config files import.
 * Keep it small and stable; everything here is documented in docs/writing-plugins.md.
 */
export { definePlugin, defineRule, defineAction, defineAuth } from './plugins/define.ts';
export { defineConfig } from './config/define.ts';
export type * from './config/types.ts';
export { CAUSE_IDS, type CauseId, type FailureCause } from './core/causes.ts';
export { maskSecret, fingerprint } from './core/redact.ts';
export type {
  ActionContext,
  ActionDefinition,
  ActionResult,
  AuthContext,
  AuthSpec,
  AuthStrategy,
  DecodedBasic,
  DecodedJwt,
  OutgoingRequest,
  PluginDefinition,
  ProfileHints,
  RuleContext,
  RuleDefinition,
  RuleHelpers,
  RuleHttpClient,
  RuleMeta,
} from './core/plugin.ts';
export type { Challenge } from './core/challenge.ts';
export type { CredentialCarrier } from './core/credential.ts';
export type {
  Confidence,
  Exchange,
  Finding,
  FindingInput,
  FindingStatus,
  HeaderEntry,
  RequestSnapshot,
  RequestSpec,
  ResponseSnapshot,
  Scheme,
  Verdict,
} from './core/types.ts';
export type { Report } from './core/report.ts';
