import type { ProviderPack } from '../engine.ts';

const STATUS = 'https://developers.notion.com/reference/status-codes';

/** Notion API: `{"object": "error", "status": 401, "code": "unauthorized", "message": "..."}`. */
export const notion: ProviderPack = {
  provider: 'Notion',
  hosts: ['api.notion.com'],
  entries: [
    {
      id: 'notion/unauthorized',
      match: { all: [{ field: 'object', equals: 'error' }, { field: 'code', equals: 'unauthorized' }] },
      cause: 'invalid_credentials',
      title: 'Notion does not accept the token',
      message: 'Notion says the bearer token is not valid: the integration secret was regenerated, the integration deleted, or the OAuth token revoked.',
      fixes: ['Copy the integration secret (ntn_… or secret_…) again from https://www.notion.so/profile/integrations and send it as Authorization: Bearer with a Notion-Version header.'],
      source: STATUS,
    },
    {
      id: 'notion/restricted-resource',
      match: { all: [{ field: 'object', equals: 'error' }, { field: 'code', equals: 'restricted_resource' }] },
      cause: 'insufficient_permissions',
      title: 'Integration lacks a capability',
      message: 'The token is valid, but the integration lacks the capability for {{_method}} {{_path}} (read, update or insert content, comments, or user information).',
      fixes: ['Enable the capability in the integration\'s settings at https://www.notion.so/profile/integrations > Capabilities.'],
      evidence: { resource: '{{_method}} {{_path}}' },
      source: STATUS,
    },
    {
      // Notion answers 404 for pages that exist but were not shared with the integration.
      id: 'notion/not-shared',
      status: 404,
      match: { all: [{ field: 'code', equals: 'object_not_found' }, { field: 'message', matches: /shared with your integration/ }] },
      cause: 'insufficient_permissions',
      confidence: 'likely',
      title: 'Page or database not shared with the integration',
      message: 'Notion answered object_not_found: the page or database may exist, but it has not been shared with this integration.',
      fixes: ['In Notion, open the page or database, choose ••• > Connections > Add connections, and pick your integration (child pages inherit it).'],
      evidence: { resource: '{{_path}}' },
      source: STATUS,
    },
  ],
};
