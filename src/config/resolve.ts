import { dirname, resolve } from 'node:path';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../core/errors.ts';
import { processRedactor, type Redactor } from '../core/redact.ts';
import type { ProfileHints } from '../core/plugin.ts';
import type { AuthSpec, HeaderEntry, RequestSpec } from '../core/types.ts';
import type { LoadedConfig } from './load.ts';
import { isPathLike, problem } from './problem.ts';
import { isBuiltinAuth } from './schemes.ts';
import { configPath, readSecret, type SecretSource } from './secrets.ts';
import type { AuthdoctorConfig, OAuth2Auth, PluginAuth, Profile, RuleSetting, SecretRef } from './types.ts';

export interface ResolveOptions {
  /** Where `{ env }` references are read from. @default process.env */
  env?: NodeJS.ProcessEnv | undefined;
  /** Every resolved secret is registered here so that all output masks it. @default processRedactor */
  redactor?: Redactor | undefined;
  /** The URL from the command line; it wins over the profile's `request.url`. */
  url?: string | undefined;
}

export interface ResolvedProfile {
  name: string;
  /** The request to send, credentials applied (plain headers/query) or described (`spec.auth`). */
  spec: RequestSpec;
  /** What the profile tells the rules about the API. */
  hints: ProfileHints;
}

export const DEFAULT_API_KEY_HEADER = 'X-API-Key';

export const DEFAULT_TIMEOUTS: Readonly<Required<Timeouts>> = Object.freeze({ connect: 10_000, response: 30_000, rule: 2_000 });

export interface Timeouts {
  /** TCP + TLS connect timeout, ms. */
  connect: number;
  /** Time to wait for the response, ms. */
  response: number;
  /** Default per-rule timeout, ms. */
  rule: number;
}

/**
 * Turns a profile into the request to send. Secrets are read now (env/file, so a rotated value is
 * picked up on every call), registered with the redactor and listed in `spec.secrets`.
 *
 * bearer, api-key and basic become plain headers (or a query parameter); oauth2 and aws-sigv4
 * become `spec.auth` for the plugin that implements the scheme — an oauth2 `static` or
 * `refresh_token` profile with an access token also gets `Authorization: Bearer …`, so that it
 * works even without that plugin. Any other scheme is a plugin's: its params (references read,
 * as secrets) become `spec.auth` for the strategy with that scheme, checked for at send time.
 *
 * Throws ConfigError for an unknown profile (listing the known ones), and for every reference that
 * cannot be read (all at once, each naming the key path and the variable or file — never a value).
 */
export async function resolveProfile(loaded: LoadedConfig, name: string, opts: ResolveOptions = {}): Promise<ResolvedProfile> {
  const profiles = loaded.config.profiles ?? {};
  const profile = Object.hasOwn(profiles, name) ? profiles[name] : undefined;
  if (!profile) {
    const names = Object.keys(profiles);
    const message =
      names.length === 0
        ? `${loaded.filepath}: no profile named "${name}": the config defines no profiles`
        : `${loaded.filepath}: no profile named "${name}"; available: ${names.join(', ')}`;
    throw new ConfigError(message, [message]);
  }
  const redactor = opts.redactor ?? processRedactor;
  const source: SecretSource = {
    env: opts.env ?? process.env,
    baseDir: dirname(loaded.filepath),
    homeDir: loaded.homeDir ?? homedir(),
  };
  const resolver = new Resolver(loaded.filepath, ['profiles', name], source);
  const built = await buildProfile(profile, name, resolver, opts.url);
  if (resolver.problems.length > 0) {
    const problems = resolver.problems;
    const message =
      problems.length === 1 ? `Cannot use profile "${name}": ${problems[0]}` : `Cannot use profile "${name}" (${problems.length} problems):\n${problems.map((p) => `  - ${p}`).join('\n')}`;
    throw new ConfigError(message, problems);
  }
  for (const secret of resolver.secrets) redactor.addSecret(secret);
  const secrets = [...new Set(resolver.secrets.filter((s) => s.length > 0))];
  if (secrets.length > 0) built.spec.secrets = secrets;
  return { name, spec: built.spec, hints: built.hints };
}

/** Collects resolved values and every problem, so that all missing variables are reported at once. */
class Resolver {
  readonly problems: string[] = [];
  readonly secrets: string[] = [];
  readonly #file: string;
  readonly #base: readonly PropertyKey[];
  readonly #source: SecretSource;
  constructor(file: string, base: readonly PropertyKey[], source: SecretSource) {
    this.#file = file;
    this.#base = base;
    this.#source = source;
  }

  /** A secret value; registered for masking. */
  async secret(value: string | SecretRef | undefined, path: readonly PropertyKey[]): Promise<string | undefined> {
    const resolved = await this.value(value, path);
    if (resolved !== undefined) this.secrets.push(resolved);
    return resolved;
  }

  /** A value that may come from a reference but is not itself a secret (a user name, a client id). */
  async value(value: string | SecretRef | undefined, path: readonly PropertyKey[]): Promise<string | undefined> {
    if (value === undefined) return undefined;
    const read = await readSecret(value, this.#source);
    if (!read.ok) {
      this.problems.push(problem(this.#file, [...this.#base, ...path], read.reason));
      return undefined;
    }
    return read.value;
  }

  fail(path: readonly PropertyKey[], message: string): void {
    this.problems.push(problem(this.#file, [...this.#base, ...path], message));
  }
}

async function buildProfile(profile: Profile, name: string, r: Resolver, urlOverride: string | undefined): Promise<{ spec: RequestSpec; hints: ProfileHints }> {
  const request = profile.request ?? {};
  const headers: HeaderEntry[] = [];
  for (const [header, value] of Object.entries(request.headers ?? {})) {
    // A literal header value is ordinary data; one read from env/file is treated as a secret.
    const resolved = typeof value === 'string' ? value : await r.secret(value, ['request', 'headers', header]);
    if (resolved !== undefined) headers.push({ name: header, value: resolved });
  }
  const body = typeof request.body === 'string' || request.body === undefined ? request.body : await r.secret(request.body, ['request', 'body']);

  const url = urlOverride ?? request.url;
  if (url === undefined) r.fail(['request', 'url'], 'is not set and no URL was given on the command line');

  const spec: RequestSpec = { method: request.method ?? 'GET', url: url ?? '', headers };
  if (body !== undefined) spec.body = body;

  if (profile.proxy !== undefined) {
    const proxy = typeof profile.proxy === 'string' ? profile.proxy : await r.secret(profile.proxy, ['proxy']);
    if (proxy !== undefined) {
      spec.proxy = proxy;
      spec.proxySource = 'profile';
      const password = proxyPassword(proxy);
      if (password) r.secrets.push(password);
    }
  }

  const hints: ProfileHints = { name };
  const auth = profile.auth;
  if (!auth) return { spec, hints };
  hints.scheme = auth.scheme;
  const source = `profile ${name}`;

  if (!isBuiltinAuth(auth)) {
    spec.auth = { scheme: auth.scheme, params: await pluginParams(auth, r), source } satisfies AuthSpec;
    return { spec, hints };
  }

  switch (auth.scheme) {
    case 'bearer': {
      const token = await r.secret(auth.token, ['auth', 'token']);
      if (token !== undefined) headers.push({ name: 'Authorization', value: `Bearer ${token}` });
      break;
    }
    case 'api-key': {
      const key = await r.secret(auth.key, ['auth', 'key']);
      if (auth.query !== undefined) {
        hints.apiKey = { query: auth.query };
        if (key !== undefined && url !== undefined) {
          const withKey = appendQuery(url, auth.query, key);
          if (withKey === undefined) r.fail(['request', 'url'], 'is not a valid URL, so the API key cannot be added to its query');
          else spec.url = withKey;
        }
      } else {
        const header = auth.header ?? DEFAULT_API_KEY_HEADER;
        hints.apiKey = { header, ...(auth.prefix !== undefined ? { prefix: auth.prefix } : {}) };
        if (key !== undefined) headers.push({ name: header, value: `${auth.prefix ?? ''}${key}` });
      }
      break;
    }
    case 'basic': {
      const username = await r.value(auth.username, ['auth', 'username']);
      const password = await r.secret(auth.password, ['auth', 'password']);
      if (username !== undefined && username.includes(':')) r.fail(['auth', 'username'], "a Basic user name cannot contain ':' (RFC 7617 §2)");
      else if (username !== undefined && password !== undefined) {
        // RFC 7617 §2.1: user-pass is encoded as UTF-8 before base64.
        const credential = Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
        r.secrets.push(credential);
        headers.push({ name: 'Authorization', value: `Basic ${credential}` });
      }
      break;
    }
    case 'oauth2': {
      const params = await oauth2Params(auth, r);
      spec.auth = { scheme: 'oauth2', params, source } satisfies AuthSpec;
      const accessToken = params.accessToken;
      if (typeof accessToken === 'string' && (auth.grant === 'static' || auth.grant === 'refresh_token')) {
        headers.push({ name: 'Authorization', value: `Bearer ${accessToken}` });
      }
      hints.oauth2 = definedOnly({
        issuer: auth.issuer,
        audience: auth.audience,
        clientId: typeof params.clientId === 'string' ? params.clientId : undefined,
        tokenEndpoint: auth.tokenEndpoint,
        introspectionEndpoint: auth.introspectionEndpoint,
        leewaySeconds: auth.leewaySeconds,
      });
      break;
    }
    case 'aws-sigv4': {
      const params: Record<string, unknown> = { region: auth.region, service: auth.service };
      if (auth.profile !== undefined) params.profile = auth.profile;
      const accessKeyId = await r.secret(auth.accessKeyId, ['auth', 'accessKeyId']);
      const secretAccessKey = await r.secret(auth.secretAccessKey, ['auth', 'secretAccessKey']);
      const sessionToken = await r.secret(auth.sessionToken, ['auth', 'sessionToken']);
      if (accessKeyId !== undefined) params.accessKeyId = accessKeyId;
      if (secretAccessKey !== undefined) params.secretAccessKey = secretAccessKey;
      if (sessionToken !== undefined) params.sessionToken = sessionToken;
      spec.auth = { scheme: 'aws-sigv4', params, source } satisfies AuthSpec;
      hints.aws = { region: auth.region, service: auth.service };
      break;
    }
  }
  return { spec, hints };
}

/**
 * A plugin scheme's params for `spec.auth.params`: plain values as written, `{ env }`/`{ file }`
 * references read as secrets (registered for masking like every other credential).
 */
async function pluginParams(auth: PluginAuth, r: Resolver): Promise<Record<string, unknown>> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(auth)) {
    if (key === 'scheme') continue;
    if (typeof value === 'object') {
      const read = await r.secret(value, ['auth', key]);
      if (read !== undefined) params[key] = read;
    } else params[key] = value;
  }
  return params;
}

/** The oauth2 block with secrets read and defaults made explicit, as `spec.auth.params`. */
async function oauth2Params(auth: OAuth2Auth, r: Resolver): Promise<Record<string, unknown>> {
  const params: Record<string, unknown> = { grant: auth.grant };
  const secretFields = ['accessToken', 'refreshToken', 'clientSecret', 'privateKey'] as const;
  for (const field of secretFields) {
    const value = await r.secret(auth[field], ['auth', field]);
    if (value !== undefined) params[field] = value;
  }
  const clientId = await r.value(auth.clientId, ['auth', 'clientId']);
  if (clientId !== undefined) params.clientId = clientId;
  params.clientAuth = auth.clientAuth ?? (auth.clientSecret !== undefined ? 'client_secret_basic' : auth.privateKey !== undefined ? 'private_key_jwt' : 'none');
  const plain = ['issuer', 'tokenEndpoint', 'introspectionEndpoint', 'deviceAuthorizationEndpoint', 'audience', 'leewaySeconds', 'refreshMarginSeconds'] as const;
  for (const field of plain) if (auth[field] !== undefined) params[field] = auth[field];
  // RFC 6749 §3.3: scope is one space-separated string on the wire.
  if (auth.scope !== undefined) params.scope = Array.isArray(auth.scope) ? auth.scope.join(' ') : auth.scope;
  if (auth.resource !== undefined) params.resource = auth.resource;
  return params;
}

/** Appends `name=value` without re-serialising the rest of the query (URLSearchParams would re-encode it). */
function appendQuery(url: string, name: string, value: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const pair = `${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
  parsed.search = parsed.search.length > 1 ? `${parsed.search}&${pair}` : `?${pair}`;
  return parsed.toString();
}

function proxyPassword(proxy: string): string | undefined {
  try {
    const password = new URL(proxy).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

function definedOnly<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Per-rule settings in the shape the runner takes (`RunOptions.ruleSettings`). */
export function ruleSettings(config: AuthdoctorConfig | null | undefined): Record<string, RuleSetting> {
  return { ...(config?.rules ?? {}) };
}

/** Timeouts in ms, defaults filled in: connect 10 s, response 30 s, rule 2 s. */
export function timeouts(config: AuthdoctorConfig | null | undefined): Timeouts {
  return {
    connect: config?.timeouts?.connect ?? DEFAULT_TIMEOUTS.connect,
    response: config?.timeouts?.response ?? DEFAULT_TIMEOUTS.response,
    rule: config?.timeouts?.rule ?? DEFAULT_TIMEOUTS.rule,
  };
}

/**
 * The `plugins` entries as the plugin loader takes them: files as absolute paths (relative ones
 * resolved against the config file's directory, `~` expanded), package names unchanged — resolve
 * those from `loaded.filepath` (e.g. `createRequire(loaded.filepath).resolve(name)`), so that the
 * project's own node_modules is used.
 */
export function pluginSpecifiers(loaded: LoadedConfig | null | undefined): string[] {
  if (!loaded) return [];
  return (loaded.config.plugins ?? []).map((entry) => (isPathLike(entry) ? pathOf(entry, loaded) : entry));
}

/** `rulesDir` as an absolute path, or undefined when not set. */
export function rulesDirPath(loaded: LoadedConfig | null | undefined): string | undefined {
  const dir = loaded?.config.rulesDir;
  return loaded && dir !== undefined ? pathOf(dir, loaded) : undefined;
}

/** `tokenStore` as an absolute path, or undefined when not set. */
export function tokenStorePath(loaded: LoadedConfig | null | undefined): string | undefined {
  const file = loaded?.config.tokenStore;
  return loaded && file !== undefined ? pathOf(file, loaded) : undefined;
}

function pathOf(entry: string, loaded: LoadedConfig): string {
  const path = entry.startsWith('file:') ? fileURLToPath(entry) : entry;
  return resolve(configPath(path, dirname(loaded.filepath), loaded.homeDir ?? homedir()));
}
