import { optional, type Matcher, type ProviderPack } from '../engine.ts';

const ERRORS = 'https://docs.anthropic.com/en/api/errors';
const authError: Matcher = { field: 'error.type', equals: 'authentication_error' };

/** Anthropic API: `{"type": "error", "error": {"type": "authentication_error", "message": "..."}}`. */
export const anthropic: ProviderPack = {
  provider: 'Anthropic',
  hosts: ['api.anthropic.com'],
  entries: [
    {
      id: 'anthropic/api-key-missing',
      group: 'anthropic/authentication',
      match: {
        all: [
          authError,
          { field: 'error.message', matches: /^x-api-key header is required/ },
          optional({ requestHeader: 'authorization', matches: /^\s*(?<sentScheme>Bearer)\s/i }),
        ],
      },
      cause: 'missing_credentials',
      title: 'Anthropic received no x-api-key',
      message: 'Anthropic says the x-api-key header is required.{{#sentScheme}} The key was sent as Authorization: Bearer, which the Messages API does not read for API keys.{{/sentScheme}}',
      fixes: ['Send the key as x-api-key: $ANTHROPIC_API_KEY together with anthropic-version: 2023-06-01.'],
      source: 'https://docs.anthropic.com/en/api/overview#authentication',
    },
    {
      id: 'anthropic/oauth-not-supported',
      group: 'anthropic/authentication',
      match: { all: [authError, { field: 'error.message', matches: /^OAuth authentication is currently not supported/ }] },
      cause: 'wrong_scheme',
      title: 'Bearer token where an API key belongs',
      message: 'Anthropic does not accept this bearer token here: API requests authenticate with an API key in the x-api-key header.',
      fixes: ['Create an API key at https://console.anthropic.com/settings/keys and send it as x-api-key instead of Authorization: Bearer.'],
      source: 'https://docs.anthropic.com/en/api/overview#authentication',
    },
    {
      id: 'anthropic/invalid-api-key',
      group: 'anthropic/authentication',
      match: { all: [authError, { field: 'error.message', matches: /^invalid x-api-key/i }] },
      cause: 'invalid_credentials',
      title: 'Anthropic does not accept the API key',
      message: 'Anthropic rejected the x-api-key: the key is mistyped, disabled or deleted, or is not an Anthropic API key (they start with sk-ant-api03-).',
      fixes: ['Check or create the key at https://console.anthropic.com/settings/keys (it belongs to a workspace; a disabled workspace disables its keys).'],
      source: ERRORS,
    },
    {
      id: 'anthropic/authentication-error',
      group: 'anthropic/authentication',
      match: { all: [authError, optional({ field: 'error.message', matches: /\S/, capture: 'serverMessage' })] },
      cause: 'invalid_credentials',
      confidence: 'likely',
      title: 'Anthropic authentication error',
      message: 'Anthropic answered authentication_error{{#serverMessage}}: "{{serverMessage}}"{{/serverMessage}}.',
      fixes: ['Send a valid API key as x-api-key (https://console.anthropic.com/settings/keys).'],
      source: ERRORS,
    },
    {
      id: 'anthropic/permission-error',
      match: { all: [{ field: 'error.type', equals: 'permission_error' }, optional({ field: 'error.message', matches: /\S/, capture: 'serverMessage' })] },
      cause: 'insufficient_permissions',
      title: 'Anthropic API key lacks permission',
      message: 'The API key is valid but may not use this resource{{#serverMessage}}: "{{serverMessage}}"{{/serverMessage}}.',
      fixes: ['Check the key\'s workspace and the organization\'s access at https://console.anthropic.com/settings/keys; Admin API endpoints (/v1/organizations/…) need an admin key (sk-ant-admin01-…), and model endpoints a regular key.'],
      evidence: { resource: '{{_method}} {{_path}}' },
      source: ERRORS,
    },
  ],
};
