/**
 * The config module: find and load the config file (cosmiconfig), validate it (zod), and turn a
 * profile into a request. The CLI calls `loadConfig`, then `resolveProfile` and the helpers.
 */
export { defineConfig } from './define.ts';
export type * from './types.ts';
export { loadConfig, searchDirectories, SEARCH_PLACES, MODULE_NAME, type LoadOptions, type LoadedConfig } from './load.ts';
export { validateConfig, AUTH_SCHEMES, type Validated } from './schema.ts';
export {
  resolveProfile,
  ruleSettings,
  timeouts,
  pluginSpecifiers,
  rulesDirPath,
  tokenStorePath,
  DEFAULT_TIMEOUTS,
  DEFAULT_API_KEY_HEADER,
  type ResolveOptions,
  type ResolvedProfile,
  type Timeouts,
} from './resolve.ts';
export { expandTilde } from './secrets.ts';
