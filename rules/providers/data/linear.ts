import type { ProviderPack } from '../engine.ts';

/** Linear GraphQL API: `{"errors": [{"message": "...", "extensions": {"code": "AUTHENTICATION_ERROR"}}]}`. */
export const linear: ProviderPack = {
  provider: 'Linear',
  hosts: ['api.linear.app'],
  entries: [
    {
      // Personal API keys go in Authorization as they are; "Bearer" is for OAuth access tokens.
      id: 'linear/api-key-as-bearer',
      match: { field: 'errors[].message', matches: /Remove the Bearer prefix from the Authorization header/ },
      cause: 'wrong_scheme',
      title: 'Linear API key sent with "Bearer"',
      message: 'Linear says the personal API key was sent as a Bearer token: personal API keys go in the Authorization header without a scheme word.',
      fixes: ['Send -H "Authorization: $LINEAR_API_KEY" (the bare lin_api_… key); keep "Bearer " only for OAuth access tokens.'],
      source: 'https://linear.app/developers/graphql#authentication',
    },
    {
      id: 'linear/authentication-error',
      match: { field: 'errors[].extensions.code', equals: 'AUTHENTICATION_ERROR' },
      cause: 'invalid_credentials',
      confidence: 'likely',
      title: 'Linear authentication failed',
      message: 'Linear could not authenticate the request: the API key or OAuth token is missing, revoked, or mistyped.',
      fixes: ['Create a personal API key at https://linear.app/settings/account/security and send it as Authorization: <key>.'],
      source: 'https://linear.app/developers/graphql#authentication',
    },
  ],
};
