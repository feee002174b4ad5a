import { optional, type ProviderPack } from '../engine.ts';

const MGMT = 'https://auth0.com/docs/api/management/v2';

/** Auth0 Management API v2: `{"statusCode": 401, "error": "Unauthorized", "message": "...", "errorCode": "..."}`. */
export const auth0: ProviderPack = {
  provider: 'Auth0',
  hosts: ['*.auth0.com'],
  fingerprint: { all: [{ url: 'path', matches: /^\/api\/v2\// }, { field: 'statusCode', exists: true }, { field: 'error', exists: true }] },
  entries: [
    {
      id: 'auth0/token-expired',
      status: 401,
      match: { field: 'message', matches: /^Expired token received for JSON Web Token validation/ },
      cause: 'expired_token',
      title: 'Auth0 Management API token expired',
      message: 'Auth0 says the Management API token has expired (they last 24 hours by default).',
      fixes: ['Request a new token with the client credentials grant (POST https://{{_host}}/oauth/token, audience https://{{_host}}/api/v2/) and cache it only until its expires_in.'],
      source: 'https://auth0.com/docs/secure/tokens/access-tokens/management-api-access-tokens',
    },
    {
      id: 'auth0/bad-audience',
      status: 401,
      match: { field: 'message', matches: /^Bad audience: (?<audience>.+)$/ },
      cause: 'insufficient_permissions',
      title: 'Token issued for another API',
      message: 'The token\'s audience is {{audience}}, not the Management API of this tenant.',
      fixes: ['Request the token with audience https://{{_host}}/api/v2/ (the tenant\'s own domain, not a custom domain).'],
      source: 'https://auth0.com/docs/secure/tokens/access-tokens/management-api-access-tokens',
    },
    {
      id: 'auth0/missing-authentication',
      status: 401,
      match: { field: 'message', matches: /^Missing authentication/ },
      cause: 'missing_credentials',
      title: 'Auth0 received no token',
      message: 'Auth0 says the request carries no authentication.',
      fixes: ['Send Authorization: Bearer <Management API token>.'],
      source: MGMT,
    },
    {
      id: 'auth0/invalid-token',
      status: 401,
      match: { field: 'message', matches: /^Invalid token/ },
      cause: 'invalid_credentials',
      title: 'Auth0 does not accept the token',
      message: 'Auth0 rejected the Management API token as invalid (bad signature, another tenant, or not a JWT).',
      fixes: ['Request a new token for this tenant with the client credentials grant and send it unchanged.'],
      source: MGMT,
    },
    {
      id: 'auth0/insufficient-scope',
      status: 403,
      match: {
        all: [
          { any: [{ field: 'errorCode', equals: 'insufficient_scope' }, { field: 'message', matches: /^Insufficient scope/ }] },
          optional({ field: 'message', matches: /^Insufficient scope, expected any of: (?<scopes>.+)$/ }),
        ],
      },
      cause: 'insufficient_permissions',
      title: 'Management API token lacks a scope',
      message: 'The token is valid but lacks the scope {{_method}} {{_path}} needs{{#scopes}}: any of {{scopes}}{{/scopes}}.',
      fixes: ['Authorise the scope for your machine-to-machine application (Dashboard > Applications > APIs > Auth0 Management API > Machine to Machine Applications), then request a new token.'],
      evidence: { action: '{{scopes}}', resource: '{{_method}} {{_path}}' },
      source: MGMT,
    },
  ],
};
