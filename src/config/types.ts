/**
 * The shape of an authdoctor config file, written by hand (not inferred from the zod schema) so
 * that editors show these comments on hover inside `defineConfig({...})`. `schema.ts` is checked
 * against these types at compile time, so the two cannot drift apart.
 */

/** Read a secret from an environment variable at the moment the profile is used. */
export interface EnvSecretRef {
  /** Name of the environment variable, e.g. `STRIPE_KEY`. */
  env: string;
  /** Strip leading and trailing whitespace from the value. @default false */
  trim?: boolean;
}

/**
 * Read a secret from a file at the moment the profile is used. `~` is the home directory; a
 * relative path is relative to the config file. The content is used exactly as read — a trailing
 * newline included, because that is what a naive client would send (and a rule diagnoses it) —
 * unless `trim: true`.
 */
export interface FileSecretRef {
  /** Path of the file, e.g. `~/.config/acme/token`. */
  file: string;
  /** Strip leading and trailing whitespace (a trailing newline, say). @default false */
  trim?: boolean;
}

export type SecretRef = EnvSecretRef | FileSecretRef;

/**
 * Where a secret goes. A literal string is accepted but draws a warning: keep secrets out of the
 * file with `{ env: 'NAME' }` or `{ file: 'PATH' }`.
 */
export type Secret = string | SecretRef;

/** A value that identifies rather than authenticates (a user name, a client id): a string or a reference. */
export type Identifier = string | SecretRef;

export interface ProfileRequest {
  /** HTTP method. @default 'GET' */
  method?: string;
  /** Absolute http(s) URL. Optional: a URL given on the command line is used (and wins) otherwise. */
  url?: string;
  /** Extra request headers. A value from `{ env }` / `{ file }` is treated as a secret. */
  headers?: Record<string, string | SecretRef>;
  /** Request body. A body from `{ env }` / `{ file }` is treated as a secret. */
  body?: string | SecretRef;
}

export interface BearerAuth {
  scheme: 'bearer';
  /** Sent as `Authorization: Bearer <token>`. */
  token: Secret;
}

export interface ApiKeyAuth {
  scheme: 'api-key';
  key: Secret;
  /** Header that carries the key. @default 'X-API-Key' (when `query` is not set) */
  header?: string;
  /** Query parameter that carries the key, instead of a header. */
  query?: string;
  /** Text in front of the key in the header, e.g. `'Bearer '` when the key goes in `Authorization`. */
  prefix?: string;
}

export interface BasicAuth {
  scheme: 'basic';
  /** The user id (RFC 7617: it cannot contain ':'). */
  username: Identifier;
  password: Secret;
}

export type OAuth2Grant = 'static' | 'refresh_token' | 'client_credentials';
export type OAuth2ClientAuth = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';

export interface OAuth2Auth {
  scheme: 'oauth2';
  /**
   * `static`: send `accessToken` as is. `refresh_token`: send `accessToken` (if any) and refresh it
   * with `refreshToken`. `client_credentials`: get tokens with the client's own credentials.
   */
  grant: OAuth2Grant;
  accessToken?: Secret;
  refreshToken?: Secret;
  clientId?: Identifier;
  clientSecret?: Secret;
  /**
   * How the client authenticates at the token endpoint.
   * @default 'client_secret_basic' with a clientSecret, 'private_key_jwt' with a privateKey, else 'none'
   */
  clientAuth?: OAuth2ClientAuth;
  /** PEM or JWK (JSON) private key for `private_key_jwt`. */
  privateKey?: Secret;
  /** Issuer URL; its OpenID/OAuth metadata supplies endpoints that are not set here. */
  issuer?: string;
  tokenEndpoint?: string;
  introspectionEndpoint?: string;
  deviceAuthorizationEndpoint?: string;
  /** Space-separated string or a list of scopes. */
  scope?: string | string[];
  audience?: string;
  /** RFC 8707 resource indicator(s). */
  resource?: string | string[];
  /** Clock tolerance when checking `exp`/`nbf`, in seconds. */
  leewaySeconds?: number;
  /** Refresh this many seconds before the access token expires. */
  refreshMarginSeconds?: number;
}

export interface AwsSigV4Auth {
  scheme: 'aws-sigv4';
  /** Signing region, e.g. `eu-west-1`. */
  region: string;
  /** Signing service name, e.g. `s3`, `execute-api`, `sts`. */
  service: string;
  /** Profile name in the AWS shared config/credentials files. */
  profile?: string;
  accessKeyId?: Secret;
  secretAccessKey?: Secret;
  sessionToken?: Secret;
}

/** A value in a plugin scheme's auth block: plain data, or a secret read from env/file. */
export type PluginAuthParam = string | number | boolean | SecretRef;

/**
 * An auth block for a scheme a plugin provides (`defineAuth({ scheme: 'acme-hmac', apply })`):
 * every key besides `scheme` is handed to the strategy as `auth.params`, `{ env }`/`{ file }`
 * references read first (and masked as secrets). Whether a loaded plugin provides the scheme is
 * checked when the request is sent.
 */
export interface PluginAuth {
  /** The strategy's scheme name, lower case (`acme-hmac`). Not one of the built-in schemes. */
  scheme: string;
  [param: string]: PluginAuthParam;
}

/** The schemes the config itself understands, checked field by field. */
export type BuiltinAuth = BearerAuth | ApiKeyAuth | BasicAuth | OAuth2Auth | AwsSigV4Auth;
export type ProfileAuth = BuiltinAuth | PluginAuth;
/** The built-in scheme names; a plugin's scheme is any other lower-case name. */
export type AuthScheme = BuiltinAuth['scheme'];

export interface Profile {
  request?: ProfileRequest;
  auth?: ProfileAuth;
  /** Proxy URL (`http://proxy:3128`); a `{ env }`/`{ file }` reference when it holds credentials. */
  proxy?: string | SecretRef;
}

/** `'off'` disables a rule; an object enables it with these options (`ctx.options`). */
export type RuleSetting = 'off' | Record<string, unknown>;

export interface TimeoutsConfig {
  /** TCP + TLS connect timeout, ms. @default 10000 */
  connect?: number;
  /** Time to wait for the response, ms. @default 30000 */
  response?: number;
  /** Default per-rule timeout, ms (a rule's own `meta.timeoutMs` wins). @default 2000 */
  rule?: number;
}

export interface AuthdoctorConfig {
  /** Named requests with their credentials: `authdoctor check --profile NAME`. */
  profiles?: Record<string, Profile>;
  /** Plugin files (relative to this config file) or npm package names. */
  plugins?: string[];
  /** A folder whose plugin files are all loaded (relative to this config file). */
  rulesDir?: string;
  /** Per full rule id (`oauth2/token-expired`): `'off'` or an options object. */
  rules?: Record<string, RuleSetting>;
  timeouts?: TimeoutsConfig;
  /** File where refreshed tokens are written back (atomically, mode 0600). */
  tokenStore?: string;
}
