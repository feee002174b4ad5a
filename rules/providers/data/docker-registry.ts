import { optional, type ProviderPack } from '../engine.ts';

const SPEC = 'https://distribution.github.io/distribution/spec/api/#errors';

/**
 * Docker Hub and OCI distribution registries: `{"errors": [{"code": "UNAUTHORIZED", "message":
 * "authentication required", "detail": [{"Type": "repository", "Name": "…", "Action": "pull"}]}]}`.
 * The token dance itself (WWW-Authenticate: Bearer realm=…,service=…,scope=…) is explained by the
 * http plugin.
 */
export const dockerRegistry: ProviderPack = {
  provider: 'Container registry',
  fingerprint: { any: [{ header: 'docker-distribution-api-version', exists: true }, { url: 'path', matches: /^\/v2\// }] },
  entries: [
    {
      id: 'registry/unauthorized-no-token',
      group: 'registry/unauthorized',
      status: 401,
      match: { all: [{ field: 'errors[].code', equals: 'UNAUTHORIZED' }, { requestHeader: 'authorization', exists: false }] },
      cause: 'missing_credentials',
      title: 'Registry request without a token',
      message: 'The registry answered UNAUTHORIZED "authentication required" to a request without credentials. Registries hand out short-lived bearer tokens: the client must fetch one from the realm named in WWW-Authenticate (with the service and scope given there) and retry.',
      fixes: ['Log in first (docker login {{_host}}, or for GHCR: echo $TOKEN | docker login ghcr.io -u USER --password-stdin) and let the client do the token exchange; with curl, GET the realm URL with ?service=…&scope=repository:NAME:pull and send the token it returns as Authorization: Bearer.'],
      source: 'https://distribution.github.io/distribution/spec/auth/token/',
    },
    {
      id: 'registry/unauthorized-scope',
      group: 'registry/unauthorized',
      status: 401,
      match: {
        all: [
          { field: 'errors[].code', equals: 'UNAUTHORIZED' },
          optional({ field: 'errors[].detail[].Name', matches: /\S/, capture: 'repository' }),
          optional({ field: 'errors[].detail[].Action', matches: /\S/, capture: 'action' }),
        ],
      },
      cause: 'insufficient_permissions',
      confidence: 'likely',
      title: 'Registry token does not cover this repository',
      message: 'The registry did not accept the token for {{#repository}}{{action}} on {{repository}}{{/repository}}{{^repository}}this request{{/repository}}: the token\'s scope does not include it, the token expired, or the repository does not exist (registries answer the same for a missing private repository).',
      fixes: [
        'Check the repository name (including the namespace, e.g. library/ for official images on Docker Hub), then log in with an account that can {{action}}{{^action}}pull{{/action}} it (docker login) and request a token with scope repository:{{repository}}{{^repository}}NAME{{/repository}}:{{action}}{{^action}}pull{{/action}}.',
      ],
      evidence: { action: '{{action}}', resource: '{{repository}}' },
      source: SPEC,
    },
    {
      id: 'registry/denied',
      match: { all: [{ field: 'errors[].code', equals: 'DENIED' }, optional({ field: 'errors[].message', matches: /\S/, capture: 'serverMessage' })] },
      cause: 'insufficient_permissions',
      title: 'Registry denied access to the repository',
      message: 'The registry authenticated the client but denied access{{#serverMessage}}: "{{serverMessage}}"{{/serverMessage}}.',
      fixes: ['Grant the account push/pull access to the repository (Docker Hub: repository Settings > Collaborators or team permissions; GHCR: package settings > Manage access), or push to a namespace you own.'],
      evidence: { resource: '{{_path}}' },
      source: SPEC,
    },
    {
      id: 'registry/insufficient-scope',
      match: { field: 'errors[].message', matches: /^insufficient_scope: authorization failed/ },
      cause: 'insufficient_permissions',
      title: 'Registry token lacks the scope',
      message: 'The registry says the token\'s scope is insufficient: it was issued for another repository or action (e.g. pull, but this is a push).',
      fixes: ['Request a token whose scope includes repository:NAME:push,pull (docker login again with an account that has push access to the repository).'],
      source: SPEC,
    },
  ],
};
