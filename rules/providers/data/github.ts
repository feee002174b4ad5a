import { optional, type ProviderPack } from '../engine.ts';

const TROUBLESHOOTING = 'https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api';

/**
 * GitHub REST API (github.com, GitHub Enterprise Cloud with data residency on *.ghe.com, and
 * GitHub Enterprise Server on any host, recognised by its response headers).
 * Error bodies are `{"message": "...", "documentation_url": "..."}`.
 */
export const github: ProviderPack = {
  provider: 'GitHub',
  hosts: ['api.github.com', '*.ghe.com'],
  fingerprint: { any: [{ header: 'x-github-request-id', exists: true }, { header: 'x-github-media-type', exists: true }] },
  entries: [
    {
      // "Requires authentication" is GitHub's answer when no credential reached it.
      id: 'github/requires-authentication',
      status: 401,
      match: { all: [{ field: 'message', equals: 'Requires authentication' }, optional({ header: 'x-ratelimit-limit', capture: 'rateLimit' })] },
      cause: 'missing_credentials',
      title: 'GitHub received no credentials',
      message:
        'GitHub answered "Requires authentication": {{_method}} {{_path}} reached it without a credential it could use.{{#rateLimit}} The rate limit header says {{rateLimit}} requests per hour, which is the anonymous quota (authenticated requests get 5000), so GitHub treated the request as unauthenticated.{{/rateLimit}}',
      fixes: [
        'Send a token: curl -H "Authorization: Bearer $GITHUB_TOKEN" https://{{_host}}{{_path}} — a fine-grained or classic personal access token from https://github.com/settings/tokens, or the GITHUB_TOKEN secret inside GitHub Actions.',
        'Endpoints under /user act on the authenticated user and always need a token; to read another user\'s public data use /users/{username}/… instead.',
        'If your code sets a token, check that the variable is loaded before the client is created (an unset variable produces no Authorization header at all).',
      ],
      source: `${TROUBLESHOOTING}#requires-authentication`,
    },
    {
      id: 'github/bad-credentials',
      status: 401,
      match: { field: 'message', equals: 'Bad credentials' },
      cause: 'invalid_credentials',
      title: 'GitHub does not accept this token',
      message:
        'GitHub answered "Bad credentials": the token was read but GitHub does not know it — it is mistyped, expired, or revoked (GitHub revokes tokens that were pushed to a public repository, OAuth tokens unused for a year, and fine-grained tokens at their expiry date).',
      fixes: [
        'Check the token on its own: curl -H "Authorization: Bearer $GITHUB_TOKEN" https://{{_host}}/user — a 401 here means the token itself is dead.',
        'Create a new token at https://github.com/settings/tokens (check its expiry date and the resource owner) and replace the old value wherever it is stored.',
        'For a GitHub App installation token, request a fresh one: they expire after one hour.',
      ],
      source: `${TROUBLESHOOTING}#bad-credentials`,
    },
    {
      // JWTs that authenticate as a GitHub App: GitHub checks iat/exp against its own clock and
      // recommends backdating iat by 60 s to absorb clock drift.
      id: 'github/app-jwt-iat',
      status: 401,
      group: 'github/app-jwt',
      match: { field: 'message', matches: /^'Issued at' claim \('iat'\) must be an Integer representing the time that the assertion was issued/ },
      cause: 'clock_skew',
      confidence: 'likely',
      title: 'GitHub App JWT issued "in the future"',
      message: 'GitHub rejected the App JWT\'s iat claim: by GitHub\'s clock it lies in the future, which means the signing machine\'s clock is ahead (or iat is not a whole number of seconds).',
      fixes: [
        'Set iat to 60 seconds in the past when you sign the JWT (GitHub\'s own recommendation for clock drift) and keep exp at most 10 minutes after iat.',
        'Synchronise the clock of the machine that signs the JWT (timedatectl set-ntp true, or w32tm /resync on Windows).',
      ],
      source: 'https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app',
    },
    {
      id: 'github/app-jwt-exp-too-far',
      status: 401,
      group: 'github/app-jwt',
      match: { field: 'message', matches: /^'Expiration time' claim \('exp'\) is too far in the future/ },
      cause: 'clock_skew',
      confidence: 'likely',
      title: 'GitHub App JWT lives too long',
      message: 'GitHub rejected the App JWT\'s exp claim as more than 10 minutes in the future: either the JWT asks for more than 10 minutes, or the signing machine\'s clock is ahead of GitHub\'s.',
      fixes: [
        'Sign the JWT with exp no more than 10 minutes after iat, and iat 60 seconds in the past.',
        'Synchronise the clock of the machine that signs the JWT (timedatectl set-ntp true).',
      ],
      source: 'https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app',
    },
    {
      id: 'github/app-jwt-expired',
      status: 401,
      group: 'github/app-jwt',
      match: { field: 'message', matches: /^'Expiration time' claim \('exp'\) must be a numeric value representing the future time at which the assertion expires/ },
      cause: 'expired_token',
      confidence: 'likely',
      title: 'GitHub App JWT expired',
      message: 'GitHub says the App JWT\'s exp lies in the past: the JWT is older than its 10-minute lifetime, or the signing machine\'s clock is behind.',
      fixes: ['Sign a new JWT for every batch of calls (they live at most 10 minutes) and exchange it for an installation token right away.', 'If the JWT is fresh, synchronise the signing machine\'s clock.'],
      source: 'https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app',
    },
    {
      id: 'github/sso-required',
      status: 403,
      match: {
        any: [
          { header: 'x-github-sso', matches: /^required;\s*url=(?<ssoUrl>\S+)/ },
          { field: 'message', matches: /^Resource protected by organization SAML enforcement/ },
        ],
      },
      cause: 'insufficient_permissions',
      title: 'Token not authorised for the organisation\'s SAML SSO',
      message:
        'The token is valid, but the organisation enforces SAML single sign-on and this token has not been authorised for it.{{#ssoUrl}} GitHub sent the authorisation link in X-GitHub-SSO.{{/ssoUrl}}',
      fixes: [
        '{{#ssoUrl}}Open {{ssoUrl}} while signed in to GitHub to authorise the token for the organisation, then retry.{{/ssoUrl}}',
        'Or, at https://github.com/settings/tokens, choose "Configure SSO" next to the token and authorise the organisation (OAuth and GitHub App user tokens are authorised by signing in through SSO again).',
      ],
      evidence: { resource: '{{_method}} {{_path}}', action: 'SAML SSO authorisation for the organisation' },
      source: 'https://docs.github.com/en/authentication/authenticating-with-saml-single-sign-on/authorizing-a-personal-access-token-for-use-with-saml-single-sign-on',
    },
    {
      // Installation tokens (ghs_) have no user, so user-to-server endpoints like /user can never
      // succeed with them, whatever permissions the App has.
      id: 'github/installation-token-user-endpoint',
      status: 403,
      group: 'github/not-accessible',
      match: {
        all: [
          { field: 'message', equals: 'Resource not accessible by integration' },
          { url: 'path', matches: /^\/(?:api\/v3\/)?user(?:\/|$)/ },
          { requestHeader: 'authorization', matches: /^\s*(?:bearer|token)\s+ghs_/i },
        ],
      },
      cause: 'insufficient_permissions',
      title: 'Installation token used on a user endpoint',
      message:
        'GitHub answered "Resource not accessible by integration" for {{_path}}: the request carries a GitHub App installation token (ghs_…), which acts as the App installation and has no authenticated user, so endpoints under /user can never succeed with it.',
      fixes: [
        'Call an endpoint that works for installations instead (for example GET /installation/repositories, or /users/{username} for a user\'s public profile).',
        'If you really need the user, use a user access token: a GitHub App user-to-server token (ghu_…) from the App\'s user authorisation flow, or a personal access token.',
      ],
      evidence: { principal: 'GitHub App installation (token ghs_…)', action: '{{_method}} {{_path}}', resource: '{{_path}} (user-to-server endpoint)' },
      source: 'https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/authenticating-as-a-github-app-installation',
    },
    {
      id: 'github/resource-not-accessible',
      status: 403,
      group: 'github/not-accessible',
      match: {
        all: [
          { field: 'message', matches: /^Resource not accessible by (?<actor>integration|personal access token)$/ },
          optional({ header: 'x-accepted-github-permissions', matches: /\S/, capture: 'acceptedPermissions' }),
        ],
      },
      cause: 'insufficient_permissions',
      title: 'Token lacks a permission for this endpoint',
      message:
        'The token authenticated, but GitHub answered "Resource not accessible by {{actor}}": it lacks a permission that {{_method}} {{_path}} needs{{#acceptedPermissions}} — GitHub accepts {{acceptedPermissions}} (X-Accepted-GitHub-Permissions; sets separated by ";" are alternatives){{/acceptedPermissions}}.',
      fixes: [
        '{{#acceptedPermissions}}Grant {{acceptedPermissions}}. {{/acceptedPermissions}}For GITHUB_TOKEN in Actions, add the permission to the workflow\'s permissions: block (for example "permissions: { contents: write, pull-requests: write }") — forks and Dependabot runs get a read-only token whatever you ask.',
        'For a GitHub App, add the permission under Settings > Developer settings > GitHub Apps > (your app) > Permissions & events, then have the owner accept the new permissions on the installation.',
        'For a fine-grained personal access token, edit it at https://github.com/settings/tokens?type=beta: add the repository to its repository access and raise the permission.',
      ],
      evidence: { principal: '{{actor}} token', action: '{{acceptedPermissions}}', resource: '{{_method}} {{_path}}' },
      source: 'https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api#resource-not-accessible',
    },
    {
      id: 'github/oauth-app-restrictions',
      status: 403,
      match: { field: 'message', matches: /has enabled OAuth App access restrictions/ },
      cause: 'insufficient_permissions',
      title: 'Organisation blocks this OAuth App',
      message: 'The credentials are valid, but the organisation restricts third-party OAuth App access and has not approved the app that issued this token.',
      fixes: ['Ask an organisation owner to approve the OAuth App at https://github.com/organizations/ORG/settings/oauth_application_policy, or use a token that the organisation allows (a fine-grained PAT or a GitHub App).'],
      source: 'https://docs.github.com/en/organizations/managing-oauth-access-to-your-organizations-data/about-oauth-app-access-restrictions',
    },
    {
      // Classic tokens and OAuth apps: X-OAuth-Scopes lists what the token has, X-Accepted-OAuth-Scopes
      // what the endpoint accepts. GitHub answers 404 rather than 403 for private resources.
      id: 'github/oauth-scopes-missing',
      status: [403, 404],
      match: {
        all: [
          { header: 'x-oauth-scopes', exists: true, capture: 'tokenScopes' },
          { header: 'x-accepted-oauth-scopes', matches: /\S/, capture: 'acceptedScopes' },
          { disjoint: ['tokenScopes', 'acceptedScopes'] },
        ],
      },
      cause: 'insufficient_permissions',
      confidence: 'likely',
      title: 'Token has none of the scopes this endpoint accepts',
      message:
        'The token\'s scopes ({{tokenScopes}}{{^tokenScopes}}none{{/tokenScopes}}) include none of the scopes GitHub accepts for {{_method}} {{_path}} ({{acceptedScopes}}). GitHub answers {{_status}} for private resources a token may not see.',
      fixes: [
        'Give the token one of these scopes: {{acceptedScopes}} — edit a classic token at https://github.com/settings/tokens, or re-authorise an OAuth app with the scope added (gh auth refresh -s SCOPE for the GitHub CLI).',
      ],
      evidence: { principal: 'token with scopes: {{tokenScopes}}', action: 'one of: {{acceptedScopes}}', resource: '{{_method}} {{_path}}' },
      source: 'https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps#checking-granted-scopes',
    },
    {
      id: 'github/anonymous-rate-limit',
      status: [403, 429],
      match: { field: 'message', matches: /^API rate limit exceeded for (?<clientIp>[0-9A-Fa-f.:]+)\./ },
      cause: 'none',
      title: 'Anonymous rate limit exhausted',
      message:
        'This is a rate limit, not an authentication failure — but it is the anonymous limit (per IP {{clientIp}}), which means the request carried no credential GitHub recognised.',
      fixes: ['Send a token (Authorization: Bearer …): authenticated requests get 5000 requests per hour instead of 60.'],
      source: 'https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api',
    },
  ],
};
