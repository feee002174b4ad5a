import type { ProviderPack } from '../engine.ts';

const API = 'https://docs.digitalocean.com/reference/api/digitalocean/';

/** DigitalOcean API v2: `{"id": "unauthorized", "message": "Unable to authenticate you"}`. */
export const digitalocean: ProviderPack = {
  provider: 'DigitalOcean',
  hosts: ['api.digitalocean.com'],
  entries: [
    {
      id: 'digitalocean/unauthorized-no-token',
      group: 'digitalocean/unauthorized',
      status: 401,
      match: { all: [{ field: 'id', equals: ['unauthorized', 'Unauthorized'] }, { requestHeader: 'authorization', exists: false }] },
      cause: 'missing_credentials',
      title: 'DigitalOcean received no token',
      message: 'DigitalOcean answered "Unable to authenticate you" and the request had no Authorization header.',
      fixes: ['Send Authorization: Bearer $DIGITALOCEAN_TOKEN (a personal access token, dop_v1_…, from https://cloud.digitalocean.com/account/api/tokens).'],
      source: API,
    },
    {
      id: 'digitalocean/unauthorized',
      group: 'digitalocean/unauthorized',
      status: 401,
      match: { field: 'id', equals: ['unauthorized', 'Unauthorized'] },
      cause: 'invalid_credentials',
      title: 'DigitalOcean does not accept the token',
      message: 'DigitalOcean answered "Unable to authenticate you": the token is mistyped, expired, or was revoked (DigitalOcean revokes tokens it finds in public repositories).',
      fixes: ['Create a new token at https://cloud.digitalocean.com/account/api/tokens (tokens are dop_v1_ followed by 64 hex characters) and check it with doctl auth init.'],
      source: API,
    },
    {
      id: 'digitalocean/forbidden',
      status: 403,
      match: { field: 'id', equals: ['forbidden', 'Forbidden'] },
      cause: 'insufficient_permissions',
      title: 'DigitalOcean token lacks a scope',
      message: 'DigitalOcean authenticated the token but refused {{_method}} {{_path}}: the token is read-only or its custom scopes do not include this resource.',
      fixes: ['Create a token with write access, or custom scopes that include this resource (e.g. droplet:create), at https://cloud.digitalocean.com/account/api/tokens.'],
      evidence: { resource: '{{_method}} {{_path}}' },
      source: 'https://docs.digitalocean.com/reference/api/scopes/',
    },
  ],
};
