// An example authdoctor config: copy it to `authdoctor.config.ts` in your project and edit.
//
// In your project the import is `import { defineConfig } from 'authdoctor';` (with authdoctor
// installed as a devDependency). It points into ./src here only so that this file typechecks inside
// the authdoctor repository itself. Node loads this file directly (it strips the types), so use
// plain TypeScript: no enums or namespaces.
//
// Secrets never need to be written here: `{ env: 'NAME' }` reads an environment variable and
// `{ file: 'PATH' }` reads a file (`~` = home; relative = next to this file) when the profile is
// used. A file is used exactly as read — a trailing newline too, which is what a naive client would
// send — unless you add `trim: true`. See docs/config.md for every key.
import { defineConfig } from './src/config/define.ts';

export default defineConfig({
  profiles: {
    // OAuth2: send the current access token, refresh it with the refresh token when it expires.
    // `authdoctor check --profile acme`
    acme: {
      request: {
        method: 'GET',
        url: 'https://api.acme.example/v1/me',
        headers: { Accept: 'application/json' },
      },
      auth: {
        scheme: 'oauth2',
        grant: 'refresh_token',
        issuer: 'https://login.acme.example',
        tokenEndpoint: 'https://login.acme.example/oauth2/token',
        clientId: 'authdoctor-cli',
        clientSecret: { env: 'ACME_CLIENT_SECRET' },
        clientAuth: 'client_secret_basic',
        accessToken: { file: '~/.config/acme/access-token', trim: true },
        refreshToken: { file: '~/.config/acme/refresh-token', trim: true },
        scope: ['read:profile', 'offline_access'],
        audience: 'https://api.acme.example',
        leewaySeconds: 30,
        refreshMarginSeconds: 60,
      },
    },

    // AWS SigV4: credentials from the shared config/credentials files (~/.aws/…), profile "dev".
    s3: {
      request: { method: 'GET', url: 'https://my-bucket.s3.eu-west-1.amazonaws.com/?list-type=2' },
      auth: { scheme: 'aws-sigv4', region: 'eu-west-1', service: 's3', profile: 'dev' },
    },

    // AWS SigV4 with keys from the environment (temporary credentials include the session token).
    'api-gateway': {
      request: { method: 'POST', url: 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/orders', body: '{"dryRun":true}' },
      auth: {
        scheme: 'aws-sigv4',
        region: 'us-east-1',
        service: 'execute-api',
        accessKeyId: { env: 'AWS_ACCESS_KEY_ID' },
        secretAccessKey: { env: 'AWS_SECRET_ACCESS_KEY' },
        sessionToken: { env: 'AWS_SESSION_TOKEN' },
      },
    },

    // An API key in its own header. Stripe-style keys go in Authorization: header + prefix.
    stripe: {
      request: { url: 'https://api.stripe.com/v1/balance' },
      auth: { scheme: 'api-key', key: { env: 'STRIPE_KEY' }, header: 'Authorization', prefix: 'Bearer ' },
    },

    // An API key in a query parameter instead of a header.
    maps: {
      request: { url: 'https://maps.example.com/api/geocode/json?address=Berlin' },
      auth: { scheme: 'api-key', key: { env: 'MAPS_API_KEY' }, query: 'key' },
    },

    // HTTP Basic behind a corporate proxy whose URL (with its credentials) lives in a file.
    jira: {
      request: { url: 'https://jira.example.com/rest/api/2/myself' },
      auth: { scheme: 'basic', username: 'jane@example.com', password: { env: 'JIRA_API_TOKEN' } },
      proxy: { file: '~/.config/corp/proxy-url', trim: true },
    },
  },

  // Extra plugins: files relative to this config, or npm package names. ./rules-local/acme.ts is
  // your own plugin file (it need not exist for the config to validate; it must when you run).
  plugins: ['./rules-local/acme.ts'],

  // Every plugin file in this folder is loaded too.
  rulesDir: './authdoctor-rules',

  // Per full rule id (`authdoctor rules list` shows them): 'off', or the options that rule
  // documents (it reads them as ctx.options).
  rules: {
    'http/status': 'off',
    'oauth2/token-expired': { leewaySeconds: 30 },
  },

  // Milliseconds.
  timeouts: { connect: 5_000, response: 20_000, rule: 3_000 },

  // Refreshed tokens are written back here (atomically, mode 0600).
  tokenStore: '~/.config/authdoctor/tokens.json',
});
