import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { validateConfig } from '../../src/config/schema.ts';
import { ConfigError } from '../../src/core/errors.ts';
import { configError, sandbox } from './helpers.ts';

const FILE = '/project/authdoctor.config.ts';

/** The problems validateConfig reports for `config` (failing the test if it validates). */
function problems(config: unknown): string[] {
  try {
    validateConfig(config, FILE);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

const url = 'https://api.example.com/v1/me';

describe('problems name the file and the key path', () => {
  test('an unknown key, with a suggestion for a near miss', async () => {
    const box = await sandbox();
    const path = await box.write('repo/.authdoctorrc.yaml', `profiles:\n  a:\n    request:\n      url: ${url}\n      heders:\n        Accept: application/json\n`);
    const error = await configError(() => loadConfig({ cwd: box.repo, homeDir: box.home }));
    expect(error.problems).toEqual([`${path}: profiles.a.request.heders: unknown key (did you mean "headers"?)`]);
    expect(error.message).toBe(`Invalid config: ${path}: profiles.a.request.heders: unknown key (did you mean "headers"?)`);
    expect(error.code).toBe('E_CONFIG');
  });

  test('an unknown key without a near miss lists the allowed keys', () => {
    expect(problems({ timeouts: { total: 5 } })).toEqual([`${FILE}: timeouts.total: unknown key (allowed: connect, response, rule)`]);
  });

  test('unknown top-level keys', () => {
    expect(problems({ profile: {}, tokenstore: 'x' })).toEqual([
      `${FILE}: profile: unknown key (did you mean "profiles"?)`,
      `${FILE}: tokenstore: unknown key (did you mean "tokenStore"?)`,
    ]);
  });

  test('an unknown key inside an auth block is checked against that scheme', () => {
    expect(problems({ profiles: { a: { auth: { scheme: 'api-key', key: { env: 'K' }, headers: 'X-Key' } } } })).toEqual([
      `${FILE}: profiles.a.auth.headers: unknown key (did you mean "header"?)`,
    ]);
  });

  test('a wrong type', () => {
    expect(problems({ timeouts: { rule: '2s' } })).toEqual([`${FILE}: timeouts.rule: expected a number, got a string`]);
    expect(problems({ plugins: './mine.ts' })).toEqual([`${FILE}: plugins: expected a list, got a string`]);
    expect(problems({ profiles: { a: { request: { url: 42 } } } })).toEqual([`${FILE}: profiles.a.request.url: expected a URL string, got a number`]);
  });

  test('request and proxy values', () => {
    expect(problems({ profiles: { a: { request: { method: 'GET /x', headers: { 'X Bad': 'v' } }, proxy: 'proxy.corp:3128' } } })).toEqual([
      `${FILE}: profiles.a.request.method: expected an HTTP method such as GET or POST`,
      `${FILE}: profiles.a.request.headers["X Bad"]: is not a valid header name`,
      `${FILE}: profiles.a.proxy: expected a proxy URL such as http://proxy.internal:3128`,
    ]);
    expect(problems({ profiles: { a: { proxy: { env: 'P', file: 'x' } } } })).toEqual([`${FILE}: profiles.a.proxy: a secret reference takes either env or file, not both`]);
  });

  test('a top level that is not an object', async () => {
    const box = await sandbox();
    const path = await box.write('repo/.authdoctorrc', '- one\n- two\n');
    const error = await configError(() => loadConfig({ cwd: box.repo, homeDir: box.home }));
    expect(error.problems).toEqual([`${path}: expected an object, got an array`]);
  });

  test('every problem is reported at once', async () => {
    const box = await sandbox();
    const path = await box.write(
      'repo/.authdoctorrc.json',
      JSON.stringify({
        profiles: {
          github: { request: { url: 'api.github.com/user' }, auth: { scheme: 'bearer', token: { env: 'GH_TOKEN', file: '~/.gh' } } },
          legacy: { auth: { scheme: 'Digest', user: 'x' } },
        },
        rules: { 'oauth2/token-expired': 'warn' },
        timeouts: { connect: -1 },
        extra: true,
      }),
    );
    const error = await configError(() => loadConfig({ cwd: box.repo, homeDir: box.home }));
    expect(error.problems).toEqual([
      `${path}: profiles.github.request.url: expected an absolute http:// or https:// URL`,
      `${path}: profiles.github.auth.token: a secret reference takes either env or file, not both`,
      `${path}: profiles.legacy.auth.scheme: expected one of bearer, api-key, basic, oauth2, aws-sigv4, or the scheme of a plugin's auth strategy, got "Digest": a plugin's scheme is a lower-case name of letters, digits and single "-", "_" or "." (e.g. "acme-hmac")`,
      `${path}: rules.oauth2/token-expired: unknown rule setting "warn": use 'off' to disable the rule, or an options object to configure it`,
      `${path}: timeouts.connect: must be more than 0`,
      `${path}: extra: unknown key (allowed: profiles, plugins, rulesDir, rules, timeouts, tokenStore)`,
    ]);
    expect(error.message.split('\n')).toEqual([`Invalid config ${path} (6 problems):`, ...error.problems.map((p) => `  - ${p}`)]);
  });
});

describe('auth blocks', () => {
  test('a missing scheme', () => {
    expect(problems({ profiles: { a: { auth: { token: { env: 'T' } } } } })).toEqual([
      `${FILE}: profiles.a.auth.scheme: is required: one of bearer, api-key, basic, oauth2, aws-sigv4, or the scheme of a plugin's auth strategy`,
    ]);
  });

  test('a missing required field', () => {
    expect(problems({ profiles: { a: { auth: { scheme: 'aws-sigv4', region: 'eu-west-1' } } } })).toEqual([`${FILE}: profiles.a.auth.service: is required (expected a string)`]);
  });

  test('api-key: header and query are exclusive, prefix needs a header', () => {
    expect(problems({ profiles: { a: { auth: { scheme: 'api-key', key: { env: 'K' }, header: 'X-Key', query: 'key' } } } })).toEqual([
      `${FILE}: profiles.a.auth.query: set either header or query, not both`,
    ]);
    expect(problems({ profiles: { a: { auth: { scheme: 'api-key', key: { env: 'K' }, query: 'key', prefix: 'Bearer ' } } } })).toEqual([
      `${FILE}: profiles.a.auth.prefix: prefix applies to a header only; it cannot be used with query`,
    ]);
    expect(problems({ profiles: { a: { auth: { scheme: 'api-key', key: { env: 'K' }, header: 'X Key' } } } })).toEqual([`${FILE}: profiles.a.auth.header: is not a valid header name`]);
  });

  test('basic: a user name with a colon', () => {
    expect(problems({ profiles: { a: { auth: { scheme: 'basic', username: 'corp:jane', password: { env: 'P' } } } } })).toEqual([
      `${FILE}: profiles.a.auth.username: a Basic user name cannot contain ':' (RFC 7617 §2)`,
    ]);
  });

  test('oauth2: what each grant needs', () => {
    expect(problems({ profiles: { a: { auth: { scheme: 'oauth2', grant: 'static' } } } })).toEqual([`${FILE}: profiles.a.auth.accessToken: is required for grant 'static'`]);
    expect(problems({ profiles: { a: { auth: { scheme: 'oauth2', grant: 'refresh_token', accessToken: { env: 'A' } } } } })).toEqual([
      `${FILE}: profiles.a.auth.refreshToken: is required for grant 'refresh_token'`,
      `${FILE}: profiles.a.auth.tokenEndpoint: is required for grant 'refresh_token' (or set issuer, whose metadata names it)`,
    ]);
    expect(problems({ profiles: { a: { auth: { scheme: 'oauth2', grant: 'client_credentials', issuer: 'https://idp.example' } } } })).toEqual([
      `${FILE}: profiles.a.auth.clientId: is required for grant 'client_credentials'`,
      `${FILE}: profiles.a.auth.clientSecret: is required for grant 'client_credentials' (or set privateKey with clientAuth 'private_key_jwt')`,
    ]);
    expect(
      problems({ profiles: { a: { auth: { scheme: 'oauth2', grant: 'client_credentials', issuer: 'https://idp.example', clientId: 'c', clientAuth: 'none' } } } }),
    ).toEqual([`${FILE}: profiles.a.auth.clientAuth: grant 'client_credentials' needs an authenticated client; 'none' cannot be used`]);
    expect(
      problems({ profiles: { a: { auth: { scheme: 'oauth2', grant: 'client_credentials', tokenEndpoint: 'https://idp.example/token', clientId: 'c', clientAuth: 'private_key_jwt' } } } }),
    ).toEqual([`${FILE}: profiles.a.auth.privateKey: is required for clientAuth 'private_key_jwt'`]);
  });

  test('oauth2: an unknown grant names the choices and the value', () => {
    expect(problems({ profiles: { a: { auth: { scheme: 'oauth2', grant: 'password', accessToken: { env: 'A' } } } } })).toEqual([
      `${FILE}: profiles.a.auth.grant: expected one of "static", "refresh_token", "client_credentials", got "password"`,
    ]);
  });

  test('aws-sigv4: keys come in pairs and exclude a shared-config profile', () => {
    expect(problems({ profiles: { a: { auth: { scheme: 'aws-sigv4', region: 'us-east-1', service: 's3', accessKeyId: { env: 'K' } } } } })).toEqual([
      `${FILE}: profiles.a.auth.secretAccessKey: is required with accessKeyId`,
    ]);
    expect(
      problems({ profiles: { a: { auth: { scheme: 'aws-sigv4', region: 'us-east-1', service: 's3', profile: 'dev', accessKeyId: { env: 'K' }, secretAccessKey: { env: 'S' } } } } }),
    ).toEqual([`${FILE}: profiles.a.auth.profile: set either profile or accessKeyId/secretAccessKey, not both`]);
  });
});

describe("auth blocks for a plugin's scheme", () => {
  test('any other lower-case scheme is accepted, its params as written', () => {
    const auth = { scheme: 'acme-hmac', keyId: 'k-123', secret: { env: 'ACME_SECRET' }, signingKey: { file: '~/.acme/key', trim: true }, version: 2, strict: true };
    const { config, warnings } = validateConfig({ profiles: { acme: { request: { url }, auth } } }, FILE);
    expect(config.profiles?.acme?.auth).toEqual(auth);
    expect(warnings).toEqual([]);
  });

  test('a param that is neither a plain value nor a secret reference is reported, with every other problem', () => {
    expect(
      problems({
        profiles: {
          a: { auth: { scheme: 'acme-hmac', options: { region: 'eu' }, scopes: ['a'], secret: { env: 'S', file: 'f' }, key: { env: 'K', trimm: true }, skew: Number.NaN } },
          b: { auth: { scheme: 'bearer', tokn: { env: 'T' } } },
        },
      }),
    ).toEqual([
      `${FILE}: profiles.a.auth.options: expected a plain value (a string, a number, true or false) or a secret reference { env: 'NAME' } / { file: 'PATH' }, got an object`,
      `${FILE}: profiles.a.auth.scopes: expected a plain value (a string, a number, true or false) or a secret reference { env: 'NAME' } / { file: 'PATH' }, got an array`,
      `${FILE}: profiles.a.auth.secret: a secret reference takes either env or file, not both`,
      `${FILE}: profiles.a.auth.key.trimm: unknown key (did you mean "trim"?)`,
      `${FILE}: profiles.a.auth.skew: expected a plain value (a string, a number, true or false) or a secret reference { env: 'NAME' } / { file: 'PATH' }, got a number that is not finite`,
      `${FILE}: profiles.b.auth.token: expected a secret: a string, { env: 'NAME' } or { file: 'PATH' }, got undefined`,
      `${FILE}: profiles.b.auth.tokn: unknown key (did you mean "token"?)`,
    ]);
  });

  test('a scheme name must be lower case; a built-in one in capitals is named', () => {
    expect(problems({ profiles: { a: { auth: { scheme: 'Bearer', token: { env: 'T' } } } } })).toEqual([
      `${FILE}: profiles.a.auth.scheme: unknown scheme "Bearer": scheme names are lower case (did you mean "bearer"?)`,
    ]);
    expect(problems({ profiles: { a: { auth: { scheme: 'acme hmac' } } } })).toEqual([
      `${FILE}: profiles.a.auth.scheme: expected one of bearer, api-key, basic, oauth2, aws-sigv4, or the scheme of a plugin's auth strategy, got "acme hmac": a plugin's scheme is a lower-case name of letters, digits and single "-", "_" or "." (e.g. "acme-hmac")`,
    ]);
    expect(problems({ profiles: { a: { auth: { scheme: 42 } } } })).toEqual([
      `${FILE}: profiles.a.auth.scheme: expected one of bearer, api-key, basic, oauth2, aws-sigv4, or the scheme of a plugin's auth strategy, got a number`,
    ]);
  });

  test('a token pasted as the scheme is not echoed', () => {
    const token = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';
    const list = problems({ profiles: { a: { auth: { scheme: token } } } });
    expect(list).toHaveLength(1);
    expect(list.some((p) => p.includes(token))).toBe(false);
  });

  test('a param whose name reads as a credential, written inline, is warned about', () => {
    const { warnings } = validateConfig({ profiles: { a: { auth: { scheme: 'acme-hmac', keyId: 'k-1', secret: 'inline-value-here', apiKey: { env: 'K' } } } } }, FILE);
    expect(warnings).toEqual([`${FILE}: profiles.a.auth.secret: a secret is written inline in the config file; use { env: 'NAME' } or { file: 'PATH' } so it stays out of the file`]);
  });
});

describe('secret references', () => {
  test('env and file together are rejected', () => {
    expect(problems({ profiles: { a: { auth: { scheme: 'bearer', token: { env: 'T', file: '/t' } } } } })).toEqual([
      `${FILE}: profiles.a.auth.token: a secret reference takes either env or file, not both`,
    ]);
  });

  test('a reference needs env or file', () => {
    expect(problems({ profiles: { a: { auth: { scheme: 'bearer', token: { trim: true } } } } })).toEqual([
      `${FILE}: profiles.a.auth.token: a secret reference needs env (a variable name) or file (a path)`,
    ]);
  });

  test('unknown keys and wrong types inside a reference', () => {
    expect(problems({ profiles: { a: { auth: { scheme: 'bearer', token: { env: 'T', trm: true } } } } })).toEqual([
      `${FILE}: profiles.a.auth.token.trm: unknown key (did you mean "trim"?)`,
    ]);
    expect(problems({ profiles: { a: { auth: { scheme: 'bearer', token: { file: '/t', trim: 'yes' } } } } })).toEqual([
      `${FILE}: profiles.a.auth.token.trim: expected true or false, got a string`,
    ]);
    expect(problems({ profiles: { a: { auth: { scheme: 'bearer', token: 42 } } } })).toEqual([
      `${FILE}: profiles.a.auth.token: expected a secret: a string, { env: 'NAME' } or { file: 'PATH' }, got a number`,
    ]);
  });

  test('a value in the wrong place is never echoed in a problem', () => {
    const secret = 'ghp_R4nd0mTok3nV4lu3Th4tMustN0tLeak';
    const list = problems({ profiles: { a: { auth: { scheme: 'bearer', token: [secret] }, request: { url: secret } } } });
    expect(list).toHaveLength(2);
    expect(list.some((p) => p.includes(secret))).toBe(false);
  });
});

describe('rules, timeouts, plugins', () => {
  test('rule settings: off or an options object, keyed by full rule id', () => {
    expect(validateConfig({ rules: { 'oauth2/token-expired': 'off', '@acme/authdoctor/tenant': { tenant: 'x' } } }, FILE).config.rules).toEqual({
      'oauth2/token-expired': 'off',
      '@acme/authdoctor/tenant': { tenant: 'x' },
    });
    expect(problems({ rules: { 'token-expired': 'off' } })).toEqual([`${FILE}: rules.token-expired: is not a full rule id: write "<plugin>/<rule>", e.g. "oauth2/token-expired"`]);
    expect(problems({ rules: { 'http/status': ['error'] } })).toEqual([`${FILE}: rules.http/status: expected 'off' or an options object, got an array`]);
    expect(problems({ rules: { 'http/status': true } })).toEqual([`${FILE}: rules.http/status: expected 'off' or an options object, got a boolean`]);
  });

  test('timeouts are positive whole milliseconds', () => {
    expect(problems({ timeouts: { response: 1.5, rule: 0 } })).toEqual([
      `${FILE}: timeouts.response: expected a whole number of milliseconds`,
      `${FILE}: timeouts.rule: must be more than 0`,
    ]);
  });

  test('plugin files do not have to exist to validate', () => {
    expect(validateConfig({ plugins: ['./nowhere/plugin.ts', 'authdoctor-plugin-acme'], rulesDir: './no-such-dir' }, FILE).warnings).toEqual([]);
  });

  test('an empty file or null is an empty config', () => {
    expect(validateConfig(undefined, FILE)).toEqual({ config: {}, warnings: [] });
    expect(validateConfig(null, FILE)).toEqual({ config: {}, warnings: [] });
  });
});

describe('warnings', () => {
  test('a secret written inline is accepted with a warning; references are not', () => {
    const { warnings } = validateConfig(
      {
        profiles: {
          inline: { auth: { scheme: 'basic', username: 'jane', password: 'hunter2-but-longer' } },
          refs: { auth: { scheme: 'basic', username: { env: 'U' }, password: { file: '~/.pw' } } },
        },
      },
      FILE,
    );
    expect(warnings).toEqual([
      `${FILE}: profiles.inline.auth.password: a secret is written inline in the config file; use { env: 'NAME' } or { file: 'PATH' } so it stays out of the file`,
    ]);
    expect(warnings.some((w) => w.includes('hunter2'))).toBe(false);
  });

  test('a credential header written inline, a proxy password, and a header the auth block also sets', () => {
    const { warnings } = validateConfig(
      {
        profiles: {
          a: {
            request: { url, headers: { Authorization: 'Bearer abc.def', 'X-Api-Key': 'k-123456', Accept: 'application/json' } },
            auth: { scheme: 'bearer', token: { env: 'T' } },
            proxy: 'http://me:pw@proxy.corp:3128',
          },
        },
      },
      FILE,
    );
    expect(warnings).toEqual([
      `${FILE}: profiles.a.request.headers.Authorization: a secret is written inline in the config file; use { env: 'NAME' } or { file: 'PATH' } so it stays out of the file`,
      `${FILE}: profiles.a.request.headers.X-Api-Key: a secret is written inline in the config file; use { env: 'NAME' } or { file: 'PATH' } so it stays out of the file`,
      `${FILE}: profiles.a.proxy: the proxy URL holds a password inline; use { env: 'NAME' } or { file: 'PATH' } for the whole URL`,
      `${FILE}: profiles.a.request.headers.Authorization: the auth block sets Authorization too, so the request would carry it twice; remove one`,
    ]);
  });

  test('a plugin file written without ./ is read as a package name, and said so', () => {
    expect(validateConfig({ plugins: ['rules/acme.ts'] }, FILE).warnings).toEqual([
      `${FILE}: plugins[0]: "rules/acme.ts" is read as an npm package name; write "./rules/acme.ts" for a file next to the config`,
    ]);
  });

  test('loadConfig returns the warnings', async () => {
    const box = await sandbox();
    const path = await box.write('repo/.authdoctorrc.yml', 'profiles:\n  a:\n    auth:\n      scheme: bearer\n      token: abcdefghijklmnop\n');
    const loaded = await loadConfig({ cwd: box.repo, homeDir: box.home });
    expect(loaded?.warnings).toEqual([
      `${path}: profiles.a.auth.token: a secret is written inline in the config file; use { env: 'NAME' } or { file: 'PATH' } so it stays out of the file`,
    ]);
  });
});
