import { optional, type ProviderPack } from '../engine.ts';

const ERRORS = 'https://devcenter.heroku.com/articles/platform-api-reference#error-responses';

/** Heroku Platform API: `{"id": "unauthorized", "message": "..."}` (older answers use "error"). */
export const heroku: ProviderPack = {
  provider: 'Heroku',
  hosts: ['api.heroku.com'],
  entries: [
    {
      id: 'heroku/no-credentials',
      group: 'heroku/unauthorized',
      status: 401,
      match: {
        all: [
          { field: 'id', equals: 'unauthorized' },
          { any: [{ requestHeader: 'authorization', exists: false }, { field: 'message', matches: /^There were no credentials in your request/ }] },
        ],
      },
      cause: 'missing_credentials',
      title: 'Heroku received no credentials',
      message: 'Heroku answered unauthorized and found no credentials in the request.',
      fixes: ['Send Authorization: Bearer $HEROKU_API_KEY (heroku auth:token prints one; heroku authorizations:create makes a long-lived one) with Accept: application/vnd.heroku+json; version=3.'],
      source: 'https://devcenter.heroku.com/articles/authentication',
    },
    {
      id: 'heroku/unauthorized',
      group: 'heroku/unauthorized',
      status: 401,
      match: { field: 'id', equals: 'unauthorized' },
      cause: 'invalid_credentials',
      title: 'Heroku does not accept the API key',
      message: 'Heroku answered "Invalid credentials provided": the API key or OAuth token was revoked, regenerated, or expired (heroku auth:token tokens expire; authorizations can be revoked).',
      fixes: ['Get a new token: heroku authorizations:create (long-lived) or heroku auth:token after heroku login, and update HEROKU_API_KEY.'],
      source: ERRORS,
    },
    {
      id: 'heroku/forbidden',
      status: 403,
      match: {
        all: [
          { field: 'id', equals: 'forbidden' },
          optional({ any: [{ field: 'message', matches: /^You do not have access to the app (?<app>[^\s.]+)/ }, { field: 'error', matches: /^You do not have access to the app (?<app>[^\s.]+)/ }] }),
        ],
      },
      cause: 'insufficient_permissions',
      title: 'No access to this Heroku app',
      message: 'Heroku authenticated you but refused access{{#app}} to the app {{app}}{{/app}}: the account is not a collaborator or team member with the needed permission.',
      fixes: ['Ask the app owner to add you: heroku access:add EMAIL --app {{app}}{{^app}}APP{{/app}} (and, in a team, grant the deploy/operate permission).'],
      evidence: { resource: 'app {{app}}' },
      source: ERRORS,
    },
  ],
};
