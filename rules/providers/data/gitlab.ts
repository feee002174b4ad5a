import { optional, type Matcher, type ProviderPack } from '../engine.ts';

const AUTH_DOCS = 'https://docs.gitlab.com/api/rest/authentication/';

/** No GitLab credential anywhere: none of its token headers and none of its query parameters. */
const NO_GITLAB_CREDENTIAL: Matcher = {
  all: [
    { requestHeader: 'private-token', exists: false },
    { requestHeader: 'job-token', exists: false },
    { requestHeader: 'authorization', exists: false },
    { url: 'query', matches: /^(?![\s\S]*(?:^|&)(?:private_token|access_token|job_token)=)/ },
  ],
};

/**
 * GitLab REST API (gitlab.com and self-managed instances, recognised by the /api/v4/ path or the
 * X-Gitlab-Meta header). Errors are `{"message": "401 Unauthorized"}` or, for OAuth-style token
 * problems, `{"error": "...", "error_description": "..."}`.
 */
export const gitlab: ProviderPack = {
  provider: 'GitLab',
  hosts: ['gitlab.com'],
  fingerprint: { any: [{ url: 'path', matches: /^\/api\/v4\// }, { header: 'x-gitlab-meta', exists: true }] },
  entries: [
    {
      id: 'gitlab/token-expired',
      status: 401,
      match: { all: [{ field: 'error', equals: 'invalid_token' }, { field: 'error_description', matches: /^Token is expired/ }] },
      cause: 'expired_token',
      title: 'GitLab token expired',
      message: 'GitLab says the token is expired (personal, project and group access tokens expire at their set date; OAuth access tokens after two hours).',
      fixes: [
        'Create a new token at https://{{_host}}/-/user_settings/personal_access_tokens (or the project/group Settings > Access tokens page) and replace the old value; for OAuth tokens, use the refresh token.',
      ],
      source: AUTH_DOCS,
    },
    {
      id: 'gitlab/token-revoked',
      status: 401,
      match: { all: [{ field: 'error', equals: 'invalid_token' }, { field: 'error_description', matches: /^Token was revoked/ }] },
      cause: 'invalid_credentials',
      title: 'GitLab token revoked',
      message: 'GitLab says the token was revoked (by its owner, an administrator, or GitLab\'s secret detection after a leak).',
      fixes: ['Create a new token at https://{{_host}}/-/user_settings/personal_access_tokens and replace the old value everywhere it is stored.'],
      source: AUTH_DOCS,
    },
    {
      id: 'gitlab/insufficient-scope',
      status: 403,
      match: { all: [{ field: 'error', equals: 'insufficient_scope' }, optional({ field: 'scope', matches: /\S/, capture: 'scope' })] },
      cause: 'insufficient_permissions',
      title: 'GitLab token lacks a scope',
      message: 'The token is valid but its scopes do not cover {{_method}} {{_path}}{{#scope}}: GitLab asks for {{scope}}{{/scope}}.',
      fixes: [
        'Create a token with the{{#scope}} {{scope}}{{/scope}} scope (token scopes cannot be changed after creation): https://{{_host}}/-/user_settings/personal_access_tokens — read_api only reads, api reads and writes.',
      ],
      evidence: { action: '{{scope}}', resource: '{{_method}} {{_path}}' },
      source: 'https://docs.gitlab.com/user/profile/personal_access_tokens/#personal-access-token-scopes',
    },
    {
      id: 'gitlab/unauthorized-no-token',
      status: 401,
      group: 'gitlab/unauthorized',
      match: { all: [{ field: 'message', equals: '401 Unauthorized' }, NO_GITLAB_CREDENTIAL] },
      cause: 'missing_credentials',
      title: 'GitLab received no token',
      message: 'GitLab answered 401 and the request carried none of the ways GitLab reads a token (PRIVATE-TOKEN header, Authorization: Bearer, JOB-TOKEN, or a private_token parameter).',
      fixes: ['Send the token in a header: curl --header "PRIVATE-TOKEN: $GITLAB_TOKEN" https://{{_host}}{{_path}} (or Authorization: Bearer for OAuth tokens; JOB-TOKEN: $CI_JOB_TOKEN inside CI).'],
      source: AUTH_DOCS,
    },
    {
      id: 'gitlab/unauthorized',
      status: 401,
      group: 'gitlab/unauthorized',
      match: { field: 'message', equals: '401 Unauthorized' },
      cause: 'invalid_credentials',
      title: 'GitLab does not accept the token',
      message: 'GitLab answered 401 Unauthorized: the token it read is unknown, expired, revoked, or belongs to another GitLab instance.',
      fixes: [
        'Check the token on its own: curl --header "PRIVATE-TOKEN: $GITLAB_TOKEN" https://{{_host}}/api/v4/user.',
        'Create a new token at https://{{_host}}/-/user_settings/personal_access_tokens if it expired or was revoked; tokens from gitlab.com do not work on a self-managed instance and the reverse.',
      ],
      source: AUTH_DOCS,
    },
    {
      id: 'gitlab/forbidden',
      status: 403,
      match: { field: 'message', equals: '403 Forbidden' },
      cause: 'insufficient_permissions',
      confidence: 'likely',
      title: 'GitLab role too low for this action',
      message: 'GitLab authenticated the token but answered 403 Forbidden: the user (or bot) behind it lacks the role this action needs in the project or group.',
      fixes: ['Raise the member\'s role (Project > Manage > Members) — for example Maintainer for protected branches and settings — or use a token of a user who has it; project and group access tokens carry the role chosen when they were created.'],
      evidence: { resource: '{{_method}} {{_path}}' },
      source: 'https://docs.gitlab.com/user/permissions/',
    },
  ],
};
