import type { Matcher, ProviderPack } from '../engine.ts';

/**
 * Cloudflare API v4: `{"success": false, "errors": [{"code": 9109, "message": "...",
 * "error_chain": [...]}]}`. Two mechanisms exist: API tokens (Authorization: Bearer, 40
 * characters) and the legacy Global API Key (X-Auth-Key, 37 hex characters, with X-Auth-Email).
 */
const errorCode = (value: number): Matcher => ({ field: 'errors[].code', equals: value });
const chainCode = (value: number): Matcher => ({ field: 'errors[].error_chain[].code', equals: value });
const TOKENS = 'https://developers.cloudflare.com/fundamentals/api/get-started/create-token/';
const KEYS = 'https://developers.cloudflare.com/fundamentals/api/get-started/keys/';
const TROUBLESHOOTING = 'https://developers.cloudflare.com/fundamentals/api/troubleshooting/';

export const cloudflare: ProviderPack = {
  provider: 'Cloudflare',
  hosts: ['api.cloudflare.com'],
  entries: [
    {
      id: 'cloudflare/missing-auth-headers',
      group: 'cloudflare/9106',
      match: { field: 'errors[].message', matches: /^Missing X-Auth-Key, X-Auth-Email or Authorization headers/ },
      cause: 'missing_credentials',
      title: 'Cloudflare received no credentials',
      message: 'Cloudflare found neither an Authorization: Bearer token nor the X-Auth-Email/X-Auth-Key pair.',
      fixes: ['Send an API token: -H "Authorization: Bearer $CLOUDFLARE_API_TOKEN" (create one at https://dash.cloudflare.com/profile/api-tokens).'],
      source: TOKENS,
    },
    {
      id: 'cloudflare/unknown-global-key',
      match: errorCode(9103),
      cause: 'invalid_credentials',
      title: 'Unknown X-Auth-Key or X-Auth-Email',
      message: 'Cloudflare does not recognise the X-Auth-Email/X-Auth-Key pair (9103): the Global API Key was rolled, or the e-mail is not the account\'s login.',
      fixes: ['Copy the Global API Key again from https://dash.cloudflare.com/profile/api-tokens with the e-mail you sign in with — or better, switch to a scoped API token sent as Authorization: Bearer.'],
      source: KEYS,
    },
    {
      // An API token (40 characters, [A-Za-z0-9_-]) in X-Auth-Key: Cloudflare rejects its format.
      id: 'cloudflare/api-token-in-x-auth-key',
      group: 'cloudflare/x-auth-key-format',
      match: { all: [chainCode(6103), { requestHeader: 'x-auth-key', matches: /^\s*[A-Za-z0-9_-]{40}\s*$/ }] },
      cause: 'wrong_scheme',
      title: 'API token sent as a Global API Key',
      message: 'The X-Auth-Key header holds a 40-character value, the shape of an API token: Cloudflare expects the 37-character Global API Key there, so it rejected the format (6103). API tokens travel as Authorization: Bearer.',
      fixes: ['Send the token as -H "Authorization: Bearer $CLOUDFLARE_API_TOKEN" and drop X-Auth-Key and X-Auth-Email.'],
      source: TOKENS,
    },
    {
      id: 'cloudflare/x-auth-key-format',
      group: 'cloudflare/x-auth-key-format',
      match: chainCode(6103),
      cause: 'malformed_credentials',
      title: 'X-Auth-Key has the wrong format',
      message: 'Cloudflare rejected the format of X-Auth-Key (6103): a Global API Key is 37 lowercase hex characters — check for extra characters, spaces or quotes.',
      fixes: ['Copy the Global API Key again (https://dash.cloudflare.com/profile/api-tokens > Global API Key > View), or use an API token with Authorization: Bearer instead.'],
      source: KEYS,
    },
    {
      id: 'cloudflare/x-auth-email-format',
      match: chainCode(6102),
      cause: 'malformed_credentials',
      title: 'X-Auth-Email has the wrong format',
      message: 'Cloudflare rejected the format of X-Auth-Email (6102): it must be the e-mail address of the account.',
      fixes: ['Set X-Auth-Email to your Cloudflare login e-mail, or switch to an API token (Authorization: Bearer) which needs no e-mail.'],
      source: KEYS,
    },
    {
      id: 'cloudflare/authorization-format',
      match: chainCode(6111),
      cause: 'malformed_credentials',
      title: 'Authorization header has the wrong format',
      message: 'Cloudflare rejected the format of the Authorization header (6111): it must be "Bearer <token>".',
      fixes: ['Send -H "Authorization: Bearer $CLOUDFLARE_API_TOKEN" with exactly one space and no quotes.'],
      source: TOKENS,
    },
    {
      id: 'cloudflare/unauthorized-resource',
      group: 'cloudflare/9109',
      match: { all: [errorCode(9109), { field: 'errors[].message', matches: /^Unauthorized to access requested resource/ }] },
      cause: 'insufficient_permissions',
      title: 'Token may not access this resource',
      message: 'The credentials are valid but may not access {{_path}} (9109): the token\'s permissions or its account/zone resources do not include it.',
      fixes: ['Edit the token at https://dash.cloudflare.com/profile/api-tokens: add the permission the endpoint needs and include this account or zone under its resources.'],
      evidence: { resource: '{{_method}} {{_path}}' },
      source: TOKENS,
    },
    {
      id: 'cloudflare/invalid-token',
      group: 'cloudflare/9109',
      match: errorCode(9109),
      cause: 'invalid_credentials',
      title: 'Cloudflare does not accept the token',
      message: 'Cloudflare says the access token is invalid (9109).',
      fixes: ['Check the token: curl -H "Authorization: Bearer $CLOUDFLARE_API_TOKEN" https://api.cloudflare.com/client/v4/user/tokens/verify — and create a new one if it was deleted, expired or IP-restricted.'],
      source: TOKENS,
    },
    {
      id: 'cloudflare/authentication-error',
      match: errorCode(10000),
      cause: 'invalid_credentials',
      confidence: 'likely',
      title: 'Cloudflare authentication error',
      message: 'Cloudflare answered 10000 "Authentication error": the token is invalid, or it is valid but lacks the permission for this account or zone — Cloudflare uses the same code for both.',
      fixes: [
        'Verify the token: curl -H "Authorization: Bearer $CLOUDFLARE_API_TOKEN" https://api.cloudflare.com/client/v4/user/tokens/verify.',
        'If it verifies, edit its permissions and resources at https://dash.cloudflare.com/profile/api-tokens to include this account or zone and the needed permission.',
      ],
      source: TROUBLESHOOTING,
    },
    {
      id: 'cloudflare/authentication-failed',
      group: 'cloudflare/9106',
      match: errorCode(9106),
      cause: 'invalid_credentials',
      confidence: 'likely',
      title: 'Cloudflare authentication failed',
      message: 'Cloudflare could not authenticate the request (9106).',
      fixes: ['Send a valid API token as Authorization: Bearer (verify it at https://api.cloudflare.com/client/v4/user/tokens/verify).'],
      source: TROUBLESHOOTING,
    },
  ],
};
