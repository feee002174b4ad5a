import path from 'node:path';
import { UsageError } from '../core/errors.ts';
import { Engine } from '../core/engine.ts';
import type { ProfileHints, TokenStoreHandle } from '../core/plugin.ts';
import { processRedactor } from '../core/redact.ts';
import type { Exchange, RequestSpec } from '../core/types.ts';
// The config modules themselves, not config/index.ts: that one re-exports the schema, i.e. zod.
import { loadConfig, type LoadedConfig } from '../config/load.ts';
import { pluginSpecifiers, resolveProfile, ruleSettings, rulesDirPath, timeouts, tokenStorePath } from '../config/resolve.ts';
import { loadPlugins } from '../plugins/loader.ts';
import type { ParsedOptions } from './args.ts';

/** What the user asked to diagnose: a request to send, or a captured exchange to read. */
export type Target =
  | { kind: 'live'; spec: RequestSpec; describe: string }
  | { kind: 'offline'; exchange: Exchange; describe: string };

export interface Session {
  engine: Engine;
  target: Target;
  config: LoadedConfig | null;
  profileName?: string | undefined;
}

// In a module of its own so that `tui` can print its help and paint its first frame without loading
// the engine, the config loader or the plugins; re-exported for existing callers.
export { INPUT_OPTIONS } from './input-options.ts';

/** Reads the inputs of `check`/`tui`: exactly one of URL+flags, --curl, --har, --profile. */
export async function resolveTarget(options: ParsedOptions, rest: readonly string[], config: LoadedConfig | null): Promise<{ target: Target; hints: ProfileHints; profileName?: string }> {
  // A profile may take its URL from the command line: `--profile billing https://…/v2/invoices`.
  const profileUrl = options.profile && rest.length === 1 && !rest[0]!.startsWith('-') ? rest[0] : undefined;
  const given = [rest.length > 0 && !profileUrl ? 'a URL' : null, options.curl ? '--curl' : null, options.har ? '--har' : null, options.profile ? '--profile' : null].filter(Boolean);
  if (given.length === 0) {
    throw new UsageError('E_NO_INPUT', 'Nothing to diagnose: give a URL (with curl-like flags), --curl \'<command>\', --har FILE or --profile NAME.', {
      hint: "Example: authdoctor check https://api.example.com/v1/me -H 'Authorization: Bearer $TOKEN'",
    });
  }
  if (given.length > 1) throw new UsageError('E_USAGE', `Give one input, not ${given.join(' and ')}.`);
  if (options.entry !== undefined && !options.har) throw new UsageError('E_USAGE', '--entry only goes with --har.');
  if (options.har) {
    // Each input parser loads only for its own input: the HAR one brings zod and jsonc-parser.
    const { loadHarFile } = await import('../inputs/har.ts');
    const entry = options.entry === undefined ? undefined : parseEntry(String(options.entry));
    const { exchange, entryIndex, entryCount } = await loadHarFile(String(options.har), entry);
    return { target: { kind: 'offline', exchange, describe: `${path.basename(String(options.har))} entry ${entryIndex} of ${entryCount}` }, hints: {} };
  }
  const { parseCurlArgs, parseCurlCommand } = await import('../inputs/curl.ts');
  if (options.curl) {
    const spec = parseCurlCommand(String(options.curl), process.env, { cwd: process.cwd() });
    return { target: { kind: 'live', spec, describe: `${spec.method} ${spec.url}` }, hints: {} };
  }
  if (options.profile) {
    if (!config) throw new UsageError('E_NO_CONFIG', `--profile ${String(options.profile)} needs a config file, and none was found.`, { hint: 'Create authdoctor.config.ts (see authdoctor.config.example.ts) or pass --config PATH.' });
    const resolved = await resolveProfile(config, String(options.profile), { env: process.env, redactor: processRedactor, ...(profileUrl ? { url: profileUrl } : {}) });
    return { target: { kind: 'live', spec: resolved.spec, describe: `profile ${resolved.name}` }, hints: { ...resolved.hints, name: resolved.name }, profileName: resolved.name };
  }
  const spec = parseCurlArgs([...rest], process.env, { cwd: process.cwd() });
  return { target: { kind: 'live', spec, describe: `${spec.method} ${spec.url}` }, hints: {} };
}

function parseEntry(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError('E_USAGE', `--entry must be a whole number from 1 (got "${raw}").`);
  return n;
}

/** Config, plugins and the engine for a command. */
export async function openSession(options: ParsedOptions, rest: readonly string[]): Promise<Session> {
  const config = await loadConfig({ cwd: process.cwd(), ...(options.config ? { configPath: String(options.config) } : {}) });
  const { target, hints, profileName } = await resolveTarget(options, rest, config);
  const plugins = await loadPlugins({
    specifiers: config ? pluginSpecifiers(config) : [],
    rulesDir: config ? rulesDirPath(config) : undefined,
    baseDir: config ? path.dirname(config.filepath) : process.cwd(),
  });
  const t = timeouts(config?.config);
  let tokenStore: TokenStoreHandle | undefined;
  const storePath = config ? tokenStorePath(config) : undefined;
  if (storePath) {
    const { openTokenStore } = await import('../core/token-store.ts');
    tokenStore = await openTokenStore(storePath);
  }
  const engine = new Engine({
    plugins,
    redactor: processRedactor,
    timeouts: { connect: t.connect, response: t.response },
    ruleTimeoutMs: t.rule,
    ruleSettings: ruleSettings(config?.config),
    profile: hints,
    profileName,
    caFile: options.ca ? String(options.ca) : undefined,
    tokenStore,
  });
  return { engine, target, config, profileName };
}
