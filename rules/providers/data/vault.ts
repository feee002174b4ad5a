import { optional, type ProviderPack } from '../engine.ts';

const API = 'https://developer.hashicorp.com/vault/api-docs#http-status-codes';

/**
 * HashiCorp Vault HTTP API: `{"errors": ["permission denied"]}` under /v1/. Vault answers 403
 * "permission denied" both for a token without the right policy and for an invalid or expired
 * token, and "missing client token" when no token was sent.
 */
export const vault: ProviderPack = {
  provider: 'HashiCorp Vault',
  fingerprint: { all: [{ url: 'path', matches: /^\/v1\// }, { field: 'errors', exists: true }] },
  entries: [
    {
      id: 'vault/missing-client-token',
      status: [400, 403],
      match: { field: 'errors[]', equals: 'missing client token' },
      cause: 'missing_credentials',
      title: 'Vault received no token',
      message: 'Vault answered "missing client token": the request carried neither an X-Vault-Token header nor Authorization: Bearer.',
      fixes: ['Send -H "X-Vault-Token: $VAULT_TOKEN" (vault login, or vault print token, gives one); check VAULT_TOKEN is exported where the program runs.'],
      source: API,
    },
    {
      id: 'vault/permission-denied',
      status: 403,
      match: {
        all: [
          { field: 'errors[]', matches: /^(?:1 error occurred:\s*\*\s*)?permission denied/ },
          optional({ url: 'path', matches: /^\/v1\/(?<vaultPath>[^?]+)$/ }),
        ],
      },
      cause: 'insufficient_permissions',
      confidence: 'likely',
      title: 'Vault denied the request',
      message:
        'Vault answered "permission denied" for {{vaultPath}}: either the token\'s policies do not grant this capability on that path, or the token itself is invalid, expired or revoked — Vault uses the same answer for both.',
      fixes: [
        'Check the token first: vault token lookup (an error here means the token is dead — log in again).',
        'Then check its capabilities on the path: vault token capabilities {{vaultPath}} — and add the missing one to a policy attached to the token (e.g. path "{{vaultPath}}" { capabilities = ["read"] }; for KV v2, data paths are secret/data/…).',
      ],
      evidence: { action: '{{_method}}', resource: '{{vaultPath}}' },
      source: 'https://developer.hashicorp.com/vault/docs/concepts/policies',
    },
  ],
};
