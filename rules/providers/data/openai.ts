import { optional, type ProviderPack } from '../engine.ts';

const ERRORS = 'https://platform.openai.com/docs/guides/error-codes/api-errors';

/** OpenAI API: `{"error": {"message", "type", "param", "code"}}`. */
export const openai: ProviderPack = {
  provider: 'OpenAI',
  hosts: ['api.openai.com'],
  entries: [
    {
      id: 'openai/no-api-key',
      status: 401,
      match: { field: 'error.message', matches: /^You didn't provide an API key\./ },
      cause: 'missing_credentials',
      title: 'OpenAI received no API key',
      message: 'OpenAI says no API key was provided: it reads the key only from Authorization: Bearer <key>.',
      fixes: ['Send Authorization: Bearer $OPENAI_API_KEY, and check that OPENAI_API_KEY is set in the environment the program runs in.'],
      source: ERRORS,
    },
    {
      id: 'openai/invalid-api-key',
      status: 401,
      match: { all: [{ field: 'error.code', equals: 'invalid_api_key' }, optional({ field: 'error.message', matches: /^Incorrect API key provided: (?<maskedKey>[^\s.]+)/ })] },
      cause: 'invalid_credentials',
      title: 'OpenAI does not know this API key',
      message: 'OpenAI rejected the API key{{#maskedKey}} ({{maskedKey}}){{/maskedKey}} as incorrect: it was revoked, belongs to a deleted project, is mistyped, or is not an OpenAI key at all.',
      fixes: [
        'Create a key at https://platform.openai.com/api-keys (in the project you mean to use) and replace the old value.',
        'Keys from other services look similar but do not work here: an OpenRouter key (sk-or-v1-…) goes to https://openrouter.ai/api/v1, an Anthropic key (sk-ant-…) to api.anthropic.com, and an Azure OpenAI key to your *.openai.azure.com resource with the api-key header.',
      ],
      source: ERRORS,
    },
    {
      id: 'openai/missing-scopes',
      status: [401, 403],
      match: { field: 'error.message', matches: /^You have insufficient permissions for this operation\. Missing scopes: (?<scopes>[\w.:, -]{1,200}?)\.(?:\s|$)/ },
      cause: 'insufficient_permissions',
      title: 'Restricted API key lacks a permission',
      message: 'The key is valid but restricted, and lacks {{scopes}} for {{_method}} {{_path}}.',
      fixes: ['Edit the key at https://platform.openai.com/api-keys and allow the endpoint (set Permissions to "All" or grant {{scopes}}), or check that your role in the project allows it.'],
      evidence: { principal: 'restricted API key', action: '{{scopes}}', resource: '{{_method}} {{_path}}' },
      source: 'https://help.openai.com/en/articles/8867743-assign-api-key-permissions',
    },
    {
      id: 'openai/mismatched-organization',
      status: 401,
      match: { field: 'error.code', equals: ['mismatched_organization', 'mismatched_project', 'invalid_organization'], capture: 'errorCode' },
      cause: 'invalid_credentials',
      title: 'OpenAI-Organization/OpenAI-Project header does not fit the key',
      message: 'OpenAI says the OpenAI-Organization or OpenAI-Project header names an organization or project this key does not belong to ({{errorCode}}).',
      fixes: ['Remove the OpenAI-Organization and OpenAI-Project headers (a project key already implies both), or set them to the ids shown at https://platform.openai.com/settings/organization/general.'],
      source: ERRORS,
    },
    {
      id: 'openai/insufficient-quota',
      match: { field: 'error.code', equals: 'insufficient_quota' },
      cause: 'none',
      title: 'Quota exhausted — not an authentication problem',
      message: 'OpenAI accepted the key but the account or project is out of quota (insufficient_quota): this is billing, not authentication.',
      fixes: ['Add credit or raise the limit at https://platform.openai.com/settings/organization/billing; a new key will not help.'],
      source: ERRORS,
    },
  ],
};
