import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadConfig, type LoadedConfig } from '../../src/config/load.ts';
import { pluginSpecifiers, resolveProfile, ruleSettings, rulesDirPath, timeouts, tokenStorePath } from '../../src/config/resolve.ts';
import { validateConfig } from '../../src/config/schema.ts';
import type { AuthdoctorConfig } from '../../src/config/types.ts';
import { processRedactor, Redactor } from '../../src/core/redact.ts';
import { configError, sandbox } from './helpers.ts';

const URL_ME = 'https://api.example.com/v1/me';

/** A validated config as if loaded from `filepath` (default: inside a fresh sandbox repo). */
function loaded(config: AuthdoctorConfig, filepath: string, homeDir: string): LoadedConfig {
  return { filepath, homeDir, ...validateConfig(config, filepath) };
}

function header(spec: { headers: { name: string; value: string }[] }, name: string): string | undefined {
  return spec.headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
}

describe('secrets', () => {
  test('from the environment: applied, listed in spec.secrets and masked by the redactor', async () => {
    const box = await sandbox();
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.c2lnbmF0dXJl';
    const config = loaded({ profiles: { me: { request: { url: URL_ME }, auth: { scheme: 'bearer', token: { env: 'API_TOKEN' } } } } }, join(box.repo, '.authdoctorrc'), box.home);
    const redactor = new Redactor();
    const { spec } = await resolveProfile(config, 'me', { env: { API_TOKEN: token }, redactor });
    expect(header(spec, 'Authorization')).toBe(`Bearer ${token}`);
    expect(spec.secrets).toEqual([token]);
    expect(redactor.text(`sent ${token}`).includes(token)).toBe(false);
  });

  test('the default redactor is the process-wide one', async () => {
    const box = await sandbox();
    const token = 'opaque-token-0f3e9a7c5b1d';
    const config = loaded({ profiles: { me: { request: { url: URL_ME }, auth: { scheme: 'bearer', token: { env: 'T' } } } } }, join(box.repo, '.authdoctorrc'), box.home);
    await resolveProfile(config, 'me', { env: { T: token } });
    expect(processRedactor.text(token).includes(token)).toBe(false);
  });

  test('from a file: the content is used exactly as read, trailing newline included', async () => {
    const box = await sandbox();
    await box.write('repo/secrets/token', 'tok-1234567890abcdef\n');
    const config = loaded({ profiles: { me: { request: { url: URL_ME }, auth: { scheme: 'bearer', token: { file: './secrets/token' } } } } }, join(box.repo, '.authdoctorrc'), box.home);
    const { spec } = await resolveProfile(config, 'me', { env: {}, redactor: new Redactor() });
    expect(header(spec, 'Authorization')).toBe('Bearer tok-1234567890abcdef\n');
    expect(spec.secrets).toEqual(['tok-1234567890abcdef\n']);
  });

  test('from a file with trim: true, surrounding whitespace is removed', async () => {
    const box = await sandbox();
    await box.write('repo/token', '  tok-1234567890abcdef\r\n');
    const config = loaded({ profiles: { me: { request: { url: URL_ME }, auth: { scheme: 'bearer', token: { file: 'token', trim: true } } } } }, join(box.repo, '.authdoctorrc'), box.home);
    expect(header((await resolveProfile(config, 'me', { env: {}, redactor: new Redactor() })).spec, 'Authorization')).toBe('Bearer tok-1234567890abcdef');
  });

  test('~ in a file path is the home directory', async () => {
    const box = await sandbox();
    await box.write('home/.config/acme/token', 'acme-token-abcdef123456');
    const config = loaded({ profiles: { me: { request: { url: URL_ME }, auth: { scheme: 'bearer', token: { file: '~/.config/acme/token' } } } } }, join(box.repo, '.authdoctorrc'), box.home);
    expect(header((await resolveProfile(config, 'me', { env: {}, redactor: new Redactor() })).spec, 'Authorization')).toBe('Bearer acme-token-abcdef123456');
  });

  test('an unset variable is an error naming the key path and the variable, never a secret', async () => {
    const box = await sandbox();
    const file = join(box.repo, '.authdoctorrc');
    const accessToken = 'access-0a1b2c3d4e5f6a7b8c9d';
    const config = loaded(
      {
        profiles: {
          acme: {
            request: { url: URL_ME },
            auth: { scheme: 'oauth2', grant: 'refresh_token', tokenEndpoint: 'https://idp.example/token', accessToken: { env: 'ACME_AT' }, refreshToken: { env: 'ACME_RT' } },
          },
        },
      },
      file,
      box.home,
    );
    const error = await configError(() => resolveProfile(config, 'acme', { env: { ACME_AT: accessToken }, redactor: new Redactor() }));
    expect(error.problems).toEqual([`${file}: profiles.acme.auth.refreshToken: environment variable ACME_RT is not set`]);
    expect(error.message).toBe(`Cannot use profile "acme": ${file}: profiles.acme.auth.refreshToken: environment variable ACME_RT is not set`);
    expect(error.exitCode).toBe(2);
    expect(JSON.stringify({ message: error.message, problems: error.problems, stack: error.stack }).includes(accessToken)).toBe(false);
  });

  test('a file that cannot be read is an error naming the key path and the file; all problems at once', async () => {
    const box = await sandbox();
    const file = join(box.repo, '.authdoctorrc');
    await mkdir(join(box.home, 'keys'), { recursive: true });
    const password = 'pa55w0rd-that-must-not-leak';
    const config = loaded(
      {
        profiles: {
          corp: {
            request: { url: URL_ME, headers: { 'X-Tenant': { file: '~/keys' } } },
            auth: { scheme: 'basic', username: { env: 'CORP_USER' }, password: { file: './missing-password' } },
          },
        },
      },
      file,
      box.home,
    );
    const error = await configError(() => resolveProfile(config, 'corp', { env: { CORP_PASSWORD: password }, redactor: new Redactor() }));
    expect(error.problems).toEqual([
      `${file}: profiles.corp.request.headers.X-Tenant: cannot read file ~/keys (${join(box.home, 'keys')}): it is a directory`,
      `${file}: profiles.corp.auth.username: environment variable CORP_USER is not set`,
      `${file}: profiles.corp.auth.password: cannot read file ./missing-password (${join(box.repo, 'missing-password')}): no such file`,
    ]);
    expect(error.message.split('\n')[0]).toBe('Cannot use profile "corp" (3 problems):');
    expect(error.message.includes(password)).toBe(false);
  });

  test('secrets are read at every resolve, so a rotated value is picked up', async () => {
    const box = await sandbox();
    await box.write('home/token', 'first-token-aaaaaaaa');
    const config = loaded({ profiles: { me: { request: { url: URL_ME }, auth: { scheme: 'bearer', token: { file: '~/token' } } } } }, join(box.repo, '.authdoctorrc'), box.home);
    expect(header((await resolveProfile(config, 'me', { env: {}, redactor: new Redactor() })).spec, 'Authorization')).toBe('Bearer first-token-aaaaaaaa');
    await box.write('home/token', 'second-token-bbbbbbbb');
    expect(header((await resolveProfile(config, 'me', { env: {}, redactor: new Redactor() })).spec, 'Authorization')).toBe('Bearer second-token-bbbbbbbb');
  });
});

describe('resolveProfile per scheme', () => {
  test('the request: method, url, headers and body; proxy with its source', async () => {
    const box = await sandbox();
    const config = loaded(
      { profiles: { p: { request: { method: 'POST', url: URL_ME, headers: { Accept: 'application/json' }, body: '{"a":1}' }, proxy: 'http://proxy.corp:3128' } } },
      join(box.repo, '.authdoctorrc'),
      box.home,
    );
    const resolved = await resolveProfile(config, 'p', { env: {}, redactor: new Redactor() });
    expect(resolved).toEqual({
      name: 'p',
      spec: { method: 'POST', url: URL_ME, headers: [{ name: 'Accept', value: 'application/json' }], body: '{"a":1}', proxy: 'http://proxy.corp:3128', proxySource: 'profile' },
      hints: { name: 'p' },
    });
  });

  test('a proxy URL from a file registers its password as a secret', async () => {
    const box = await sandbox();
    await box.write('home/proxy', 'http://jane:pr0xy-pa55word@proxy.corp:3128\n');
    const config = loaded({ profiles: { p: { request: { url: URL_ME }, proxy: { file: '~/proxy', trim: true } } } }, join(box.repo, '.authdoctorrc'), box.home);
    const redactor = new Redactor();
    const { spec } = await resolveProfile(config, 'p', { env: {}, redactor });
    expect(spec.proxy).toBe('http://jane:pr0xy-pa55word@proxy.corp:3128');
    expect(spec.secrets).toEqual(['http://jane:pr0xy-pa55word@proxy.corp:3128', 'pr0xy-pa55word']);
    expect(redactor.text('pr0xy-pa55word').includes('pr0xy-pa55word')).toBe(false);
  });

  test('the URL from the command line wins; with none at all it is an error', async () => {
    const box = await sandbox();
    const file = join(box.repo, '.authdoctorrc');
    const config = loaded({ profiles: { p: { auth: { scheme: 'bearer', token: { env: 'T' } } } } }, file, box.home);
    expect((await resolveProfile(config, 'p', { env: { T: 'abcdefgh' }, url: 'https://cli.example/x', redactor: new Redactor() })).spec.url).toBe('https://cli.example/x');
    const error = await configError(() => resolveProfile(config, 'p', { env: { T: 'abcdefgh' }, redactor: new Redactor() }));
    expect(error.problems).toEqual([`${file}: profiles.p.request.url: is not set and no URL was given on the command line`]);
  });

  test('bearer', async () => {
    const box = await sandbox();
    const config = loaded({ profiles: { gh: { request: { url: URL_ME }, auth: { scheme: 'bearer', token: { env: 'GH' } } } } }, join(box.repo, '.authdoctorrc'), box.home);
    const { spec, hints } = await resolveProfile(config, 'gh', { env: { GH: 'ghs_token_value_1234' }, redactor: new Redactor() });
    expect(spec.headers).toEqual([{ name: 'Authorization', value: 'Bearer ghs_token_value_1234' }]);
    expect(spec.auth).toBeUndefined();
    expect(hints).toEqual({ name: 'gh', scheme: 'bearer' });
  });

  test('api-key in the default header', async () => {
    const box = await sandbox();
    const config = loaded({ profiles: { k: { request: { url: URL_ME }, auth: { scheme: 'api-key', key: { env: 'K' } } } } }, join(box.repo, '.authdoctorrc'), box.home);
    const { spec, hints } = await resolveProfile(config, 'k', { env: { K: 'key-0123456789' }, redactor: new Redactor() });
    expect(spec.headers).toEqual([{ name: 'X-API-Key', value: 'key-0123456789' }]);
    expect(hints).toEqual({ name: 'k', scheme: 'api-key', apiKey: { header: 'X-API-Key' } });
  });

  test('api-key in Authorization with a prefix', async () => {
    const box = await sandbox();
    const config = loaded(
      { profiles: { stripe: { request: { url: 'https://api.stripe.com/v1/balance' }, auth: { scheme: 'api-key', key: { env: 'STRIPE_KEY' }, header: 'Authorization', prefix: 'Bearer ' } } } },
      join(box.repo, '.authdoctorrc'),
      box.home,
    );
    const { spec, hints } = await resolveProfile(config, 'stripe', { env: { STRIPE_KEY: 'sk_test_abcdefghijklmnop' }, redactor: new Redactor() });
    expect(spec.headers).toEqual([{ name: 'Authorization', value: 'Bearer sk_test_abcdefghijklmnop' }]);
    expect(hints.apiKey).toEqual({ header: 'Authorization', prefix: 'Bearer ' });
  });

  test('api-key in a query parameter, the rest of the URL left as written', async () => {
    const box = await sandbox();
    const config = loaded(
      { profiles: { maps: { request: { url: 'https://maps.example/geocode?address=Unter%20den%20Linden#top' }, auth: { scheme: 'api-key', key: { env: 'K' }, query: 'key' } } } },
      join(box.repo, '.authdoctorrc'),
      box.home,
    );
    const { spec, hints } = await resolveProfile(config, 'maps', { env: { K: 'AIza key/+=' }, redactor: new Redactor() });
    expect(spec.url).toBe('https://maps.example/geocode?address=Unter%20den%20Linden&key=AIza%20key%2F%2B%3D#top');
    expect(spec.headers).toEqual([]);
    expect(hints.apiKey).toEqual({ query: 'key' });
  });

  test('basic: base64 of user:password as UTF-8', async () => {
    const box = await sandbox();
    const config = loaded(
      { profiles: { jira: { request: { url: URL_ME }, auth: { scheme: 'basic', username: 'jürgen@example.com', password: { env: 'JIRA_TOKEN' } } } } },
      join(box.repo, '.authdoctorrc'),
      box.home,
    );
    const { spec, hints } = await resolveProfile(config, 'jira', { env: { JIRA_TOKEN: 'ATATT3x-secret' }, redactor: new Redactor() });
    const expected = Buffer.from('jürgen@example.com:ATATT3x-secret', 'utf8').toString('base64');
    expect(spec.headers).toEqual([{ name: 'Authorization', value: `Basic ${expected}` }]);
    expect(spec.secrets).toEqual(['ATATT3x-secret', expected]);
    expect(hints).toEqual({ name: 'jira', scheme: 'basic' });
  });

  test('basic: a user name from the environment with a colon is an error', async () => {
    const box = await sandbox();
    const file = join(box.repo, '.authdoctorrc');
    const config = loaded({ profiles: { b: { request: { url: URL_ME }, auth: { scheme: 'basic', username: { env: 'U' }, password: { env: 'P' } } } } }, file, box.home);
    const error = await configError(() => resolveProfile(config, 'b', { env: { U: 'a:b', P: 'pw-123456' }, redactor: new Redactor() }));
    expect(error.problems).toEqual([`${file}: profiles.b.auth.username: a Basic user name cannot contain ':' (RFC 7617 §2)`]);
  });

  test('oauth2 refresh_token: auth spec for the plugin, plus the current token as a Bearer header', async () => {
    const box = await sandbox();
    await box.write('home/.config/acme/refresh', 'rt-0123456789abcdef\n');
    const config = loaded(
      {
        profiles: {
          acme: {
            request: { url: URL_ME },
            auth: {
              scheme: 'oauth2',
              grant: 'refresh_token',
              issuer: 'https://login.acme.example',
              tokenEndpoint: 'https://login.acme.example/token',
              introspectionEndpoint: 'https://login.acme.example/introspect',
              clientId: 'cli',
              clientSecret: { env: 'ACME_SECRET' },
              accessToken: { env: 'ACME_AT' },
              refreshToken: { file: '~/.config/acme/refresh', trim: true },
              scope: ['read', 'offline_access'],
              audience: 'https://api.acme.example',
              leewaySeconds: 30,
              refreshMarginSeconds: 60,
            },
          },
        },
      },
      join(box.repo, '.authdoctorrc'),
      box.home,
    );
    const { spec, hints } = await resolveProfile(config, 'acme', { env: { ACME_SECRET: 'client-secret-xyz', ACME_AT: 'at-abcdef0123456789' }, redactor: new Redactor() });
    expect(spec.headers).toEqual([{ name: 'Authorization', value: 'Bearer at-abcdef0123456789' }]);
    expect(spec.auth).toEqual({
      scheme: 'oauth2',
      source: 'profile acme',
      params: {
        grant: 'refresh_token',
        accessToken: 'at-abcdef0123456789',
        refreshToken: 'rt-0123456789abcdef',
        clientSecret: 'client-secret-xyz',
        clientId: 'cli',
        clientAuth: 'client_secret_basic',
        issuer: 'https://login.acme.example',
        tokenEndpoint: 'https://login.acme.example/token',
        introspectionEndpoint: 'https://login.acme.example/introspect',
        audience: 'https://api.acme.example',
        leewaySeconds: 30,
        refreshMarginSeconds: 60,
        scope: 'read offline_access',
      },
    });
    expect([...(spec.secrets ?? [])].sort()).toEqual(['at-abcdef0123456789', 'client-secret-xyz', 'rt-0123456789abcdef']);
    expect(hints).toEqual({
      name: 'acme',
      scheme: 'oauth2',
      oauth2: {
        issuer: 'https://login.acme.example',
        audience: 'https://api.acme.example',
        clientId: 'cli',
        tokenEndpoint: 'https://login.acme.example/token',
        introspectionEndpoint: 'https://login.acme.example/introspect',
        leewaySeconds: 30,
      },
    });
  });

  test('oauth2 client_credentials: no header until the plugin gets a token', async () => {
    const box = await sandbox();
    await box.write('repo/keys/client.pem', '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIK\n-----END PRIVATE KEY-----\n');
    const config = loaded(
      {
        profiles: {
          svc: {
            request: { url: URL_ME },
            auth: { scheme: 'oauth2', grant: 'client_credentials', tokenEndpoint: 'https://idp.example/token', clientId: { env: 'CID' }, privateKey: { file: './keys/client.pem' }, scope: 'a b' },
          },
        },
      },
      join(box.repo, '.authdoctorrc'),
      box.home,
    );
    const { spec, hints } = await resolveProfile(config, 'svc', { env: { CID: 'svc-client' }, redactor: new Redactor() });
    expect(spec.headers).toEqual([]);
    expect(spec.auth?.params).toEqual({
      grant: 'client_credentials',
      privateKey: '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIK\n-----END PRIVATE KEY-----\n',
      clientId: 'svc-client',
      clientAuth: 'private_key_jwt',
      tokenEndpoint: 'https://idp.example/token',
      scope: 'a b',
    });
    // A client id identifies; it is not masked as a secret.
    expect(spec.secrets).toEqual(['-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIK\n-----END PRIVATE KEY-----\n']);
    expect(hints.oauth2).toEqual({ clientId: 'svc-client', tokenEndpoint: 'https://idp.example/token' });
  });

  test('aws-sigv4: auth spec with resolved keys, region and service as hints', async () => {
    const box = await sandbox();
    const config = loaded(
      {
        profiles: {
          s3: {
            request: { url: 'https://bucket.s3.eu-west-1.amazonaws.com/' },
            auth: { scheme: 'aws-sigv4', region: 'eu-west-1', service: 's3', accessKeyId: { env: 'AK' }, secretAccessKey: { env: 'SK' }, sessionToken: { env: 'ST' } },
          },
          dev: { request: { url: 'https://sts.amazonaws.com/' }, auth: { scheme: 'aws-sigv4', region: 'us-east-1', service: 'sts', profile: 'dev' } },
        },
      },
      join(box.repo, '.authdoctorrc'),
      box.home,
    );
    const env = { AK: 'AKIAIOSFODNN7EXAMPLE', SK: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', ST: 'IQoJb3JpZ2luX2VjEXAMPLE' };
    const s3 = await resolveProfile(config, 's3', { env, redactor: new Redactor() });
    expect(s3.spec.headers).toEqual([]);
    expect(s3.spec.auth).toEqual({ scheme: 'aws-sigv4', source: 'profile s3', params: { region: 'eu-west-1', service: 's3', accessKeyId: env.AK, secretAccessKey: env.SK, sessionToken: env.ST } });
    expect(s3.spec.secrets).toEqual([env.AK, env.SK, env.ST]);
    expect(s3.hints).toEqual({ name: 's3', scheme: 'aws-sigv4', aws: { region: 'eu-west-1', service: 's3' } });

    const dev = await resolveProfile(config, 'dev', { env: {}, redactor: new Redactor() });
    expect(dev.spec.auth?.params).toEqual({ region: 'us-east-1', service: 'sts', profile: 'dev' });
    expect(dev.spec.secrets).toBeUndefined();
  });

  test("a plugin's scheme: params become spec.auth for its strategy, references read and masked", async () => {
    const box = await sandbox();
    await mkdir(join(box.repo, 'secrets'));
    await box.write('repo/secrets/signing-key', 'signing-key-from-a-file\n');
    const config = loaded(
      {
        profiles: {
          acme: {
            request: { url: URL_ME },
            auth: { scheme: 'acme-hmac', keyId: 'k-123', secret: { env: 'ACME_SECRET' }, signingKey: { file: './secrets/signing-key', trim: true }, version: 2, strict: true },
          },
        },
      },
      join(box.repo, '.authdoctorrc'),
      box.home,
    );
    const secret = 'acme-s3cr3t-6b1f0e9d2c';
    const redactor = new Redactor();
    const { spec, hints } = await resolveProfile(config, 'acme', { env: { ACME_SECRET: secret }, redactor });
    expect(spec.auth).toEqual({
      scheme: 'acme-hmac',
      source: 'profile acme',
      params: { keyId: 'k-123', secret, signingKey: 'signing-key-from-a-file', version: 2, strict: true },
    });
    expect(spec.headers).toEqual([]);
    expect(spec.secrets).toEqual([secret, 'signing-key-from-a-file']);
    expect(redactor.text(`x ${secret} y`).includes(secret)).toBe(false);
    expect(hints).toEqual({ name: 'acme', scheme: 'acme-hmac' });
  });

  test("a plugin's scheme: every unreadable reference is reported with its key path, never a value", async () => {
    const box = await sandbox();
    const file = join(box.repo, '.authdoctorrc');
    const config = loaded({ profiles: { acme: { request: { url: URL_ME }, auth: { scheme: 'acme-hmac', secret: { env: 'ACME_SECRET' }, signingKey: { file: './nope' } } } } }, file, box.home);
    const error = await configError(() => resolveProfile(config, 'acme', { env: {}, redactor: new Redactor() }));
    expect(error.problems).toHaveLength(2);
    expect(error.problems[0]!.startsWith(`${file}: profiles.acme.auth.secret: `)).toBe(true);
    expect(error.problems[0]).toMatch(/ACME_SECRET/);
    expect(error.problems[1]).toMatch(/profiles\.acme\.auth\.signingKey: .*nope/);
  });

  test('an unknown profile lists the available names', async () => {
    const box = await sandbox();
    const file = join(box.repo, '.authdoctorrc');
    const config = loaded({ profiles: { github: { request: { url: URL_ME } }, stripe: { request: { url: URL_ME } } } }, file, box.home);
    const error = await configError(() => resolveProfile(config, 'gitlab'));
    expect(error.message).toBe(`${file}: no profile named "gitlab"; available: github, stripe`);
    const empty = loaded({}, file, box.home);
    expect((await configError(() => resolveProfile(empty, 'x'))).message).toBe(`${file}: no profile named "x": the config defines no profiles`);
    expect((await configError(() => resolveProfile(config, 'constructor'))).message).toContain('no profile named "constructor"');
  });
});

describe('the rest of the config', () => {
  test('timeouts with defaults: connect 10 s, response 30 s, rule 2 s', () => {
    expect(timeouts(null)).toEqual({ connect: 10_000, response: 30_000, rule: 2_000 });
    expect(timeouts({ timeouts: { rule: 500 } })).toEqual({ connect: 10_000, response: 30_000, rule: 500 });
  });

  test('rule settings in the runner’s shape', () => {
    expect(ruleSettings(undefined)).toEqual({});
    expect(ruleSettings({ rules: { 'http/status': 'off', 'oauth2/token-expired': { leewaySeconds: 5 } } })).toEqual({ 'http/status': 'off', 'oauth2/token-expired': { leewaySeconds: 5 } });
  });

  test('plugins, rulesDir and tokenStore are resolved against the config file; packages are left as names', async () => {
    const box = await sandbox();
    const path = await box.write(
      'repo/config/.authdoctorrc.yml',
      'plugins:\n  - ./rules-local/acme.ts\n  - ../shared/plugin.mjs\n  - ~/plugins/mine.ts\n  - authdoctor-plugin-okta\n  - "@acme/authdoctor-plugin"\nrulesDir: ./rules\ntokenStore: ~/.config/authdoctor/tokens.json\n',
    );
    const loadedConfig = await loadConfig({ cwd: join(box.repo, 'config'), homeDir: box.home });
    expect(loadedConfig?.filepath).toBe(path);
    expect(pluginSpecifiers(loadedConfig)).toEqual([
      join(box.repo, 'config', 'rules-local', 'acme.ts'),
      join(box.repo, 'shared', 'plugin.mjs'),
      join(box.home, 'plugins', 'mine.ts'),
      'authdoctor-plugin-okta',
      '@acme/authdoctor-plugin',
    ]);
    expect(rulesDirPath(loadedConfig)).toBe(join(box.repo, 'config', 'rules'));
    expect(tokenStorePath(loadedConfig)).toBe(join(box.home, '.config', 'authdoctor', 'tokens.json'));
  });

  test('without a config or those keys, the helpers return nothing', () => {
    expect(pluginSpecifiers(null)).toEqual([]);
    expect(rulesDirPath(null)).toBeUndefined();
    expect(tokenStorePath({ filepath: '/p/.authdoctorrc', config: {}, warnings: [] })).toBeUndefined();
  });
});
