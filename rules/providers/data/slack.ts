import { optional, type Matcher, type ProviderPack } from '../engine.ts';

/**
 * Slack Web API answers 200 with `{"ok": false, "error": "..."}`. The generic token errors
 * (invalid_auth, not_authed, token_expired) are triaged by the http plugin; these are the
 * method-level ones that carry more.
 */
const slackError = (value: string | readonly string[]): Matcher => ({ all: [{ field: 'ok', equals: false }, { field: 'error', equals: value, capture: 'errorCode' }] });

export const slack: ProviderPack = {
  provider: 'Slack',
  hosts: ['slack.com', '*.slack.com'],
  entries: [
    {
      id: 'slack/missing-scope',
      match: {
        all: [
          slackError('missing_scope'),
          optional({ field: 'needed', matches: /\S/, capture: 'needed' }),
          optional({ field: 'provided', exists: true, capture: 'provided' }),
        ],
      },
      cause: 'insufficient_permissions',
      title: 'Slack token lacks a scope',
      message: 'Slack accepted the token but {{_path}} needs the scope {{needed}}{{^needed}}that the token does not have{{/needed}}{{#provided}} (the token has: {{provided}}){{/provided}}.',
      fixes: [
        'At https://api.slack.com/apps > (your app) > OAuth & Permissions, add {{needed}}{{^needed}}the scope{{/needed}} under Bot Token Scopes (or User Token Scopes for a user token), then reinstall the app to the workspace and use the new token it shows.',
      ],
      evidence: { principal: 'token with scopes: {{provided}}', action: '{{needed}}', resource: '{{_path}}' },
      source: 'https://api.slack.com/authentication/oauth-v2#scopes',
    },
    {
      id: 'slack/not-allowed-token-type',
      match: slackError('not_allowed_token_type'),
      cause: 'invalid_credentials',
      title: 'Wrong kind of Slack token',
      message: 'Slack does not accept this kind of token for {{_path}}: some methods take only bot tokens (xoxb-), user tokens (xoxp-) or app-level tokens (xapp-).',
      fixes: ['Check the method\'s page on https://api.slack.com/methods for its accepted token types and send that token.'],
      source: 'https://api.slack.com/authentication/token-types',
    },
    {
      id: 'slack/token-revoked',
      match: slackError(['token_revoked', 'account_inactive']),
      cause: 'invalid_credentials',
      title: 'Slack token revoked',
      message: 'Slack says the token is no longer valid ({{errorCode}}): it was revoked, the app was uninstalled, or the user or bot was deactivated.',
      fixes: ['Reinstall the app to the workspace (https://api.slack.com/apps > Install App) and use the new token.'],
      source: 'https://api.slack.com/methods/auth.test',
    },
    {
      id: 'slack/no-permission',
      match: slackError(['no_permission', 'team_access_not_granted', 'ekm_access_denied', 'access_denied']),
      cause: 'insufficient_permissions',
      title: 'Slack refused the action',
      message: 'Slack accepted the token but refused {{_path}} ({{errorCode}}): the workspace or user behind the token may not do this, or the app is not installed in that workspace.',
      fixes: ['Check that the app is installed in the target workspace and that the token\'s user or bot has the needed role (workspace admins may restrict some methods).'],
      evidence: { action: '{{_path}}', resource: '{{errorCode}}' },
      source: 'https://api.slack.com/web#errors',
    },
  ],
};
