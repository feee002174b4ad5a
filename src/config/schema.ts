// The namespace import (zod 4's documented form) lets the bundler keep only the parts in use.
import * as z from 'zod';
import { isSensitiveHeader } from '../core/redact.ts';
import { ConfigError } from '../core/errors.ts';
import { formatPath, isPathLike, problem } from './problem.ts';
import { AUTH_SCHEMES, isBuiltinAuth, PLUGIN_SCHEME } from './schemes.ts';
import type {
  ApiKeyAuth,
  AuthdoctorConfig,
  AwsSigV4Auth,
  BasicAuth,
  BearerAuth,
  OAuth2Auth,
  PluginAuth,
  Profile,
  ProfileAuth,
  ProfileRequest,
  RuleSetting,
  Secret,
  SecretRef,
  TimeoutsConfig,
} from './types.ts';

// Kept in problem.ts so that resolving a profile does not load zod; re-exported for existing callers.
export { formatPath, isPathLike, problem };
export { AUTH_SCHEMES };

/*
 * The config schema (zod 4). Every object is strict, so a misspelt key is an error rather than a
 * silently ignored setting. Messages are written for people: `formatIssues` turns zod's issues into
 * `<file>: <key.path>: <what is wrong>` lines, and never echoes a value that may be a secret.
 */

export const OAUTH2_GRANTS = ['static', 'refresh_token', 'client_credentials'] as const;
export const OAUTH2_CLIENT_AUTH = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'] as const;
const PROXY_PROTOCOLS = new Set(['http:', 'https:', 'socks:', 'socks4:', 'socks4a:', 'socks5:', 'socks5h:']);

/** RFC 9110 §5.6.2 token: what a method or a header name may consist of. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const SECRET_REF_KEYS = ['env', 'file', 'trim'] as const;

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  return typeof value === 'string' ? 'a string' : typeof value === 'number' ? 'a number' : typeof value === 'boolean' ? 'a boolean' : typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

const httpUrl = z.string({ error: (iss) => (iss.input === undefined ? 'is required' : `expected a URL string, got ${kindOf(iss.input)}`) })
  .refine(isHttpUrl, { error: 'expected an absolute http:// or https:// URL' });

const nonEmpty = z.string().min(1, { error: 'must not be empty' });

const seconds = z.number().int({ error: 'expected a whole number of seconds' }).nonnegative({ error: 'must be 0 or more' });
const milliseconds = z.number().int({ error: 'expected a whole number of milliseconds' }).positive({ error: 'must be more than 0' });

/**
 * A secret: a literal string, `{ env, trim? }` or `{ file, trim? }`. Checked by hand rather than
 * with `z.union`: a union can only say "invalid input", where a person needs to hear "use either
 * env or file, not both" or which key is unknown.
 */
function secretOrString(label: string): z.ZodType<Secret> {
  return z.unknown().superRefine((value, ctx) => {
    if (typeof value === 'string') return;
    if (!isPlainObject(value)) {
      ctx.addIssue({ code: 'custom', message: `expected ${label}: a string, { env: 'NAME' } or { file: 'PATH' }, got ${kindOf(value)}`, input: value });
      return;
    }
    for (const key of Object.keys(value)) {
      if (!(SECRET_REF_KEYS as readonly string[]).includes(key)) {
        ctx.addIssue({ code: 'unrecognized_keys', keys: [key], input: value, message: `Unrecognized key: "${key}"` });
      }
    }
    const hasEnv = 'env' in value;
    const hasFile = 'file' in value;
    if (hasEnv && hasFile) ctx.addIssue({ code: 'custom', message: 'a secret reference takes either env or file, not both', input: value });
    if (!hasEnv && !hasFile) ctx.addIssue({ code: 'custom', message: "a secret reference needs env (a variable name) or file (a path)", input: value });
    if (hasEnv && (typeof value.env !== 'string' || value.env.length === 0 || value.env.includes('='))) {
      ctx.addIssue({ code: 'custom', path: ['env'], message: `expected the name of an environment variable, got ${typeof value.env === 'string' ? 'an invalid name' : kindOf(value.env)}`, input: value.env });
    }
    if (hasFile && (typeof value.file !== 'string' || value.file.length === 0)) {
      ctx.addIssue({ code: 'custom', path: ['file'], message: `expected a file path, got ${typeof value.file === 'string' ? 'an empty string' : kindOf(value.file)}`, input: value.file });
    }
    if ('trim' in value && typeof value.trim !== 'boolean') {
      ctx.addIssue({ code: 'custom', path: ['trim'], message: `expected true or false, got ${kindOf(value.trim)}`, input: value.trim });
    }
  }) as unknown as z.ZodType<Secret>;
}

const secret = secretOrString('a secret');
const identifier = secretOrString('a string');

const requestSchema = z.strictObject({
  method: z.string().regex(TOKEN, { error: 'expected an HTTP method such as GET or POST' }).optional(),
  url: httpUrl.optional(),
  headers: z
    .record(z.string().regex(TOKEN, { error: 'is not a valid header name' }), secretOrString('a header value') as z.ZodType<string | SecretRef>)
    .optional(),
  body: (secretOrString('a body') as z.ZodType<string | SecretRef>).optional(),
});

const bearerSchema = z.strictObject({ scheme: z.literal('bearer'), token: secret });

const apiKeySchema = z
  .strictObject({
    scheme: z.literal('api-key'),
    key: secret,
    header: z.string().regex(TOKEN, { error: 'is not a valid header name' }).optional(),
    query: nonEmpty.optional(),
    prefix: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.header !== undefined && v.query !== undefined) ctx.addIssue({ code: 'custom', path: ['query'], message: 'set either header or query, not both' });
    if (v.query !== undefined && v.prefix !== undefined) ctx.addIssue({ code: 'custom', path: ['prefix'], message: 'prefix applies to a header only; it cannot be used with query' });
  });

const basicSchema = z
  .strictObject({ scheme: z.literal('basic'), username: identifier, password: secret })
  .superRefine((v, ctx) => {
    // RFC 7617 §2: the user-id cannot contain a colon (the server would split the pair there).
    if (typeof v.username === 'string' && v.username.includes(':')) ctx.addIssue({ code: 'custom', path: ['username'], message: "a Basic user name cannot contain ':' (RFC 7617 §2)" });
  });

const scopeSchema = z.union([z.string(), z.array(nonEmpty)], { error: (iss) => `expected a string or a list of strings, got ${kindOf(iss.input)}` });

const oauth2Schema = z
  .strictObject({
    scheme: z.literal('oauth2'),
    grant: z.enum(OAUTH2_GRANTS),
    accessToken: secret.optional(),
    refreshToken: secret.optional(),
    clientId: identifier.optional(),
    clientSecret: secret.optional(),
    clientAuth: z.enum(OAUTH2_CLIENT_AUTH).optional(),
    privateKey: secret.optional(),
    issuer: httpUrl.optional(),
    tokenEndpoint: httpUrl.optional(),
    introspectionEndpoint: httpUrl.optional(),
    deviceAuthorizationEndpoint: httpUrl.optional(),
    scope: scopeSchema.optional(),
    audience: nonEmpty.optional(),
    resource: scopeSchema.optional(),
    leewaySeconds: seconds.optional(),
    refreshMarginSeconds: seconds.optional(),
  })
  .superRefine((v, ctx) => {
    const need = (key: keyof OAuth2Auth, why: string) => {
      if (v[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `is required ${why}` });
    };
    const endpoint = () => {
      if (v.tokenEndpoint === undefined && v.issuer === undefined) {
        ctx.addIssue({ code: 'custom', path: ['tokenEndpoint'], message: `is required for grant '${v.grant}' (or set issuer, whose metadata names it)` });
      }
    };
    if (v.grant === 'static') need('accessToken', "for grant 'static'");
    if (v.grant === 'refresh_token') {
      need('refreshToken', "for grant 'refresh_token'");
      endpoint();
    }
    if (v.grant === 'client_credentials') {
      need('clientId', "for grant 'client_credentials'");
      endpoint();
      // RFC 6749 §4.4: the client credentials grant is for confidential clients only.
      if (v.clientAuth === 'none') ctx.addIssue({ code: 'custom', path: ['clientAuth'], message: "grant 'client_credentials' needs an authenticated client; 'none' cannot be used" });
      else if (v.clientAuth === undefined && v.clientSecret === undefined && v.privateKey === undefined) {
        ctx.addIssue({ code: 'custom', path: ['clientSecret'], message: "is required for grant 'client_credentials' (or set privateKey with clientAuth 'private_key_jwt')" });
      }
    }
    if (v.clientAuth === 'client_secret_basic' || v.clientAuth === 'client_secret_post') need('clientSecret', `for clientAuth '${v.clientAuth}'`);
    if (v.clientAuth === 'private_key_jwt') need('privateKey', "for clientAuth 'private_key_jwt'");
    if (v.clientAuth === undefined && v.clientSecret !== undefined && v.privateKey !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['clientAuth'], message: "is required when both clientSecret and privateKey are set, to say which one the client uses" });
    }
  });

const awsSchema = z
  .strictObject({
    scheme: z.literal('aws-sigv4'),
    region: nonEmpty,
    service: nonEmpty,
    profile: nonEmpty.optional(),
    accessKeyId: secret.optional(),
    secretAccessKey: secret.optional(),
    sessionToken: secret.optional(),
  })
  .superRefine((v, ctx) => {
    const keys = v.accessKeyId !== undefined || v.secretAccessKey !== undefined;
    if (v.profile !== undefined && keys) ctx.addIssue({ code: 'custom', path: ['profile'], message: 'set either profile or accessKeyId/secretAccessKey, not both' });
    if (v.accessKeyId !== undefined && v.secretAccessKey === undefined) ctx.addIssue({ code: 'custom', path: ['secretAccessKey'], message: 'is required with accessKeyId' });
    if (v.secretAccessKey !== undefined && v.accessKeyId === undefined) ctx.addIssue({ code: 'custom', path: ['accessKeyId'], message: 'is required with secretAccessKey' });
    if (v.sessionToken !== undefined && !keys) ctx.addIssue({ code: 'custom', path: ['sessionToken'], message: 'goes with accessKeyId and secretAccessKey (temporary credentials); set those too' });
  });

const authSchema = z.discriminatedUnion('scheme', [bearerSchema, apiKeySchema, basicSchema, oauth2Schema, awsSchema]);

/** How the choice of scheme is described when it is missing or wrong. */
const SCHEME_CHOICES = `${AUTH_SCHEMES.join(', ')}, or the scheme of a plugin's auth strategy`;

/**
 * The auth block of a scheme a plugin provides (`{ scheme: 'acme-hmac', ...params }`). Its keys
 * are the plugin's business, so only the shape is checked: a lower-case scheme name, and params
 * that are plain values or secret references. Whether a loaded plugin provides the scheme is
 * checked when the request is sent (the engine's E_NO_AUTH_STRATEGY), since plugins load later.
 */
function checkPluginAuth(value: Record<string, unknown>, ctx: z.core.$RefinementCtx<unknown>): void {
  const scheme = value.scheme as string;
  if (!PLUGIN_SCHEME.test(scheme)) {
    const builtin = AUTH_SCHEMES.find((known) => known === scheme.toLowerCase());
    const shown = nearMiss(scheme, AUTH_SCHEMES) ? JSON.stringify(scheme) : describeOther(scheme);
    ctx.addIssue({
      code: 'custom',
      path: ['scheme'],
      input: scheme,
      message: builtin
        ? `unknown scheme ${shown}: scheme names are lower case (did you mean "${builtin}"?)`
        : `expected one of ${SCHEME_CHOICES}, got ${shown}: a plugin's scheme is a lower-case name of letters, digits and single "-", "_" or "." (e.g. "acme-hmac")`,
    });
  }
  for (const [key, param] of Object.entries(value)) {
    if (key === 'scheme') continue;
    if (typeof param === 'string' || typeof param === 'boolean' || (typeof param === 'number' && Number.isFinite(param))) continue;
    const isRef = isPlainObject(param) && Object.keys(param).some((k) => (SECRET_REF_KEYS as readonly string[]).includes(k));
    if (!isRef) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        input: param,
        message: `expected a plain value (a string, a number, true or false) or a secret reference { env: 'NAME' } / { file: 'PATH' }, got ${typeof param === 'number' ? 'a number that is not finite' : kindOf(param)}`,
      });
      continue;
    }
    for (const issue of secret.safeParse(param).error?.issues ?? []) ctx.addIssue({ ...issue, path: [key, ...issue.path], input: param } as never);
  }
}

/**
 * A built-in scheme is checked field by field (strict, as before); any other string scheme is a
 * plugin's. A missing or non-string scheme falls through to the built-in union, whose "no matching
 * discriminator" problem `formatIssues` turns into the list of choices.
 */
const profileAuthSchema = z.unknown().superRefine((value, ctx) => {
  if (isPlainObject(value) && typeof value.scheme === 'string' && !isBuiltinAuth(value as unknown as ProfileAuth)) {
    checkPluginAuth(value, ctx);
    return;
  }
  for (const issue of authSchema.safeParse(value).error?.issues ?? []) ctx.addIssue({ ...issue, input: value } as never);
}) as unknown as z.ZodType<ProfileAuth>;

const proxySchema = z.unknown().superRefine((value, ctx) => {
  if (typeof value === 'string') {
    if (!isProxyUrl(value)) ctx.addIssue({ code: 'custom', message: 'expected a proxy URL such as http://proxy.internal:3128' });
    return;
  }
  const inner = secretOrString('a proxy URL').safeParse(value);
  for (const issue of inner.error?.issues ?? []) ctx.addIssue({ ...issue, input: value } as never);
}) as unknown as z.ZodType<string | SecretRef>;

export function isProxyUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return PROXY_PROTOCOLS.has(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}

const profileSchema = z.strictObject({
  request: requestSchema.optional(),
  auth: profileAuthSchema.optional(),
  proxy: proxySchema.optional(),
});

/** A full rule id is `<plugin>/<rule>`; plugin names may themselves contain `/` (`@acme/x`). */
const RULE_ID = /^\S+\/[^/\s]+$/;

const ruleSettingSchema = z.union([z.literal('off'), z.record(z.string(), z.unknown())], {
  error: (iss) => {
    const input = iss.input;
    if (typeof input === 'string' && input.length <= 40) {
      return `unknown rule setting ${JSON.stringify(input)}: use 'off' to disable the rule, or an options object to configure it`;
    }
    return `expected 'off' or an options object, got ${kindOf(input)}`;
  },
});

const rulesSchema = z.record(z.string(), ruleSettingSchema).superRefine((rules, ctx) => {
  for (const id of Object.keys(rules)) {
    if (!RULE_ID.test(id)) {
      ctx.addIssue({ code: 'custom', path: [id], message: `is not a full rule id: write "<plugin>/<rule>", e.g. "oauth2/token-expired"` });
    }
  }
});

const timeoutsSchema = z.strictObject({ connect: milliseconds.optional(), response: milliseconds.optional(), rule: milliseconds.optional() });

export const configSchema = z.strictObject({
  profiles: z.record(nonEmpty, profileSchema).optional(),
  plugins: z.array(nonEmpty).optional(),
  rulesDir: nonEmpty.optional(),
  rules: rulesSchema.optional(),
  timeouts: timeoutsSchema.optional(),
  tokenStore: nonEmpty.optional(),
});

/*
 * Compile-time guard: the schema's output and the hand-written types in types.ts must describe the
 * same thing. If one changes without the other, one of these lines stops compiling.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesTypes: [
  Same<z.output<typeof configSchema>, AuthdoctorConfig>,
  Same<z.output<typeof profileSchema>, Profile>,
  Same<z.output<typeof requestSchema>, ProfileRequest>,
  Same<z.output<typeof bearerSchema>, BearerAuth>,
  Same<z.output<typeof apiKeySchema>, ApiKeyAuth>,
  Same<z.output<typeof basicSchema>, BasicAuth>,
  Same<z.output<typeof oauth2Schema>, OAuth2Auth>,
  Same<z.output<typeof awsSchema>, AwsSigV4Auth>,
  Same<z.output<typeof authSchema>, Exclude<ProfileAuth, PluginAuth>>,
  Same<z.output<typeof timeoutsSchema>, TimeoutsConfig>,
  Same<z.output<typeof ruleSettingSchema>, RuleSetting>,
] = [true, true, true, true, true, true, true, true, true, true, true];
void schemaMatchesTypes;

/** Keys allowed at a place in the config, for "did you mean" on an unknown key. */
function knownKeysAt(path: readonly PropertyKey[], root: unknown): readonly string[] {
  const keys = (schema: { shape: Record<string, unknown> }) => Object.keys(schema.shape);
  const [top, , section, field] = path;
  if (path.length === 0) return keys(configSchema);
  if (top === 'timeouts' && path.length === 1) return keys(timeoutsSchema);
  if (top !== 'profiles') return [];
  if (path.length === 2) return keys(profileSchema);
  if (section === 'request' && path.length === 3) return keys(requestSchema);
  if (section === 'proxy' || (section === 'request' && (field === 'body' || field === 'headers'))) return SECRET_REF_KEYS;
  if (section === 'auth' && path.length === 3) {
    const auth = valueAt(root, path);
    const scheme = isPlainObject(auth) ? auth.scheme : undefined;
    const option = authSchema.options.find((o) => o.shape.scheme.value === scheme);
    return option ? keys(option) : [];
  }
  if (section === 'auth' && path.length === 4) return SECRET_REF_KEYS;
  return [];
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[segment];
  }
  return node;
}

/** Damerau-free Levenshtein distance, for suggesting the key someone meant. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

function suggest(key: string, known: readonly string[]): string | undefined {
  let best: { key: string; d: number } | undefined;
  for (const candidate of known) {
    const d = candidate.toLowerCase() === key.toLowerCase() ? 0 : distance(key, candidate);
    if (d <= Math.max(1, Math.floor(candidate.length / 4)) && (!best || d < best.d)) best = { key: candidate, d };
  }
  return best?.key;
}

/**
 * A wrong value is quoted back only when it reads as a word — a typo of an allowed one (`bearr`),
 * or another name (`digest`, `password`) — never when it is shaped like a credential (12 or more
 * characters mixing upper case, lower case and digits): that may be a token pasted on the wrong
 * line, so only its kind and length are told.
 */
function nearMiss(value: string, allowed: readonly string[]): boolean {
  if (allowed.some((word) => word.toLowerCase() === value.toLowerCase() || distance(value.toLowerCase(), word.toLowerCase()) <= Math.max(2, Math.floor(word.length / 3)))) return true;
  if (!/^[A-Za-z][A-Za-z0-9_. -]{0,39}$/.test(value)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(value)).length;
  return value.length < 12 || classes <= 1;
}

function describeOther(value: unknown): string {
  return typeof value === 'string' ? `another string (${[...value].length} characters)` : kindOf(value);
}

/** Turns zod issues into `<file>: <key.path>: <what is wrong>` lines. Values are never echoed, except enum-like words. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], file: string, input: unknown): string[] {
  const out: string[] = [];
  for (const issue of issues) {
    const path = issue.path as PropertyKey[];
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownKeysAt(path, input);
        for (const key of issue.keys) {
          const guess = suggest(key, known);
          const hint = guess ? ` (did you mean "${guess}"?)` : known.length > 0 ? ` (allowed: ${known.join(', ')})` : '';
          out.push(problem(file, [...path, key], `unknown key${hint}`));
        }
        break;
      }
      case 'invalid_type': {
        const actual = valueAt(input, path);
        // A message of our own (set on the schema) says it better than the generic one.
        if (!issue.message.startsWith('Invalid input')) {
          out.push(problem(file, path, issue.message));
          break;
        }
        const expected = issue.expected === 'record' || issue.expected === 'object' ? 'an object' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`;
        out.push(problem(file, path, actual === undefined ? `is required (expected ${expected})` : `expected ${expected}, got ${kindOf(actual)}`));
        break;
      }
      case 'invalid_union': {
        if ('note' in issue && issue.note === 'No matching discriminator') {
          const actual = valueAt(input, path);
          const choices = SCHEME_CHOICES;
          out.push(
            problem(
              file,
              path,
              actual === undefined
                ? `is required: one of ${choices}`
                : typeof actual === 'string' && nearMiss(actual, AUTH_SCHEMES)
                  ? `unknown scheme ${JSON.stringify(actual)}: expected one of ${choices}`
                  : `expected one of ${choices}, got ${describeOther(actual)}`,
            ),
          );
        } else out.push(problem(file, path, issue.message));
        break;
      }
      case 'invalid_value': {
        const actual = valueAt(input, path);
        const shown = typeof actual === 'string' && nearMiss(actual, issue.values.map(String)) ? ` ${JSON.stringify(actual)}` : ` ${describeOther(actual)}`;
        const values = issue.values.map((v) => JSON.stringify(v)).join(', ');
        out.push(problem(file, path, actual === undefined ? `is required: one of ${values}` : `expected one of ${values}, got${shown}`));
        break;
      }
      case 'invalid_key':
        out.push(problem(file, path, issue.issues[0]?.message ?? issue.message));
        break;
      default:
        out.push(problem(file, path, issue.message));
    }
  }
  return [...new Set(out)];
}

export interface Validated {
  config: AuthdoctorConfig;
  warnings: string[];
}

/**
 * Validates a loaded config and reports every problem at once. Throws ConfigError with one
 * `<file>: <key.path>: <what is wrong>` line per problem; returns the config and its warnings.
 */
export function validateConfig(input: unknown, file: string): Validated {
  const result = configSchema.safeParse(input === undefined || input === null ? {} : input);
  if (!result.success) {
    const problems = formatIssues(result.error.issues, file, input);
    throw new ConfigError(problemsMessage(file, problems), problems);
  }
  return { config: result.data, warnings: collectWarnings(result.data, file) };
}

export function problemsMessage(file: string, problems: readonly string[]): string {
  if (problems.length === 1) return `Invalid config: ${problems[0]}`;
  return `Invalid config ${file} (${problems.length} problems):\n${problems.map((p) => `  - ${p}`).join('\n')}`;
}

const SECRET_FIELDS: Record<string, readonly string[]> = {
  bearer: ['token'],
  'api-key': ['key'],
  basic: ['password'],
  oauth2: ['accessToken', 'refreshToken', 'clientSecret', 'privateKey'],
  'aws-sigv4': ['accessKeyId', 'secretAccessKey', 'sessionToken'],
};

/** The header an auth block writes, lower-case, if any (for the duplicate-header warning). */
function authHeader(profile: Profile): string | undefined {
  const auth = profile.auth;
  // A plugin's scheme writes whatever its strategy writes: nothing to compare with.
  if (!auth || !isBuiltinAuth(auth)) return undefined;
  if (auth.scheme === 'api-key') return auth.query === undefined ? (auth.header ?? 'X-API-Key').toLowerCase() : undefined;
  // bearer, basic, oauth2 (the profile's token, or the one the plugin fetches) and SigV4 all use Authorization.
  return 'authorization';
}

/** Param names of a plugin scheme that read as credentials (`secret`, `apiKey`, `signingKey`, `password`…; not `keyId`). */
const SECRET_PARAM = /secret|token|passw|credential|private|key$/i;

const INLINE_ADVICE = "a secret is written inline in the config file; use { env: 'NAME' } or { file: 'PATH' } so it stays out of the file";

function collectWarnings(config: AuthdoctorConfig, file: string): string[] {
  const warnings: string[] = [];
  for (const [name, profile] of Object.entries(config.profiles ?? {})) {
    const base = ['profiles', name];
    const auth = profile.auth as Record<string, unknown> | undefined;
    if (auth) {
      for (const field of SECRET_FIELDS[auth.scheme as string] ?? []) {
        if (typeof auth[field] === 'string') warnings.push(problem(file, [...base, 'auth', field], INLINE_ADVICE));
      }
      // A plugin's params are not known field by field; a name that says "secret" is enough to warn.
      if (!isBuiltinAuth(profile.auth!)) {
        for (const [field, value] of Object.entries(auth)) {
          if (field !== 'scheme' && typeof value === 'string' && value !== '' && SECRET_PARAM.test(field)) warnings.push(problem(file, [...base, 'auth', field], INLINE_ADVICE));
        }
      }
    }
    for (const [header, value] of Object.entries(profile.request?.headers ?? {})) {
      if (typeof value === 'string' && value !== '' && isSensitiveHeader(header)) warnings.push(problem(file, [...base, 'request', 'headers', header], INLINE_ADVICE));
    }
    if (typeof profile.proxy === 'string' && proxyHasPassword(profile.proxy)) warnings.push(problem(file, [...base, 'proxy'], `the proxy URL holds a password inline; use { env: 'NAME' } or { file: 'PATH' } for the whole URL`));
    const written = authHeader(profile);
    if (written) {
      for (const header of Object.keys(profile.request?.headers ?? {})) {
        if (header.toLowerCase() === written) {
          warnings.push(problem(file, [...base, 'request', 'headers', header], `the auth block sets ${header} too, so the request would carry it twice; remove one`));
        }
      }
    }
  }
  for (const [i, entry] of (config.plugins ?? []).entries()) {
    if (!isPathLike(entry) && /\.(m|c)?[jt]s$/.test(entry) && !entry.startsWith('@')) {
      warnings.push(problem(file, ['plugins', i], `"${entry}" is read as an npm package name; write "./${entry}" for a file next to the config`));
    }
  }
  return warnings;
}

function proxyHasPassword(value: string): boolean {
  try {
    return new URL(value).password !== '';
  } catch {
    return false;
  }
}
