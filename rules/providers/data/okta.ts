import { optional, type Matcher, type ProviderPack } from '../engine.ts';

/**
 * Okta management API (resource side): `{"errorCode": "E0000011", "errorSummary": "Invalid token
 * provided", "errorLink", "errorId", "errorCauses": []}`. Okta API tokens are sent as
 * `Authorization: SSWS <token>`; OAuth 2.0 access tokens for the management API as Bearer.
 * Token-endpoint errors (error/error_description) belong to the oauth2 plugin.
 */
const errorCode = (value: string | readonly string[]): Matcher => ({ field: 'errorCode', equals: value, capture: 'errorCode' });
const ERRORS = 'https://developer.okta.com/docs/reference/error-codes/';

export const okta: ProviderPack = {
  provider: 'Okta',
  hosts: ['*.okta.com', '*.oktapreview.com', '*.okta-emea.com', '*.okta-gov.com'],
  entries: [
    {
      // An API token (SSWS) sent as Bearer: not a JWT, so Okta cannot validate it as an access token.
      id: 'okta/api-token-as-bearer',
      group: 'okta/invalid-token',
      match: { all: [errorCode('E0000011'), { requestHeader: 'authorization', matches: /^\s*Bearer\s+[A-Za-z0-9_-]{30,60}\s*$/i }] },
      cause: 'wrong_scheme',
      confidence: 'likely',
      title: 'Okta API token sent as Bearer',
      message: 'Okta answered "Invalid token provided" (E0000011), and the bearer value is not a JWT but has the shape of an Okta API token — those are sent with the SSWS scheme.',
      fixes: ['Send -H "Authorization: SSWS $OKTA_API_TOKEN" (Bearer is for OAuth 2.0 access tokens).'],
      source: 'https://developer.okta.com/docs/guides/create-an-api-token/main/',
    },
    {
      id: 'okta/invalid-token',
      group: 'okta/invalid-token',
      match: errorCode('E0000011'),
      cause: 'invalid_credentials',
      title: 'Okta does not accept the token',
      message: 'Okta answered "Invalid token provided" (E0000011): the API token was revoked or expired (unused API tokens expire after 30 days), belongs to another org, or the access token is invalid.',
      fixes: ['Create a new API token in the Admin Console (Security > API > Tokens) and send it as Authorization: SSWS <token>; for OAuth, request a new access token with the okta.* scopes.'],
      source: ERRORS,
    },
    {
      id: 'okta/invalid-session',
      match: errorCode('E0000005'),
      cause: 'invalid_credentials',
      title: 'Okta session invalid',
      message: 'Okta says the session is invalid (E0000005).',
      fixes: ['Sign in again to get a new session or token.'],
      source: ERRORS,
    },
    {
      id: 'okta/authentication-failed',
      match: errorCode('E0000004'),
      cause: 'invalid_credentials',
      title: 'Okta authentication failed',
      message: 'Okta answered "Authentication failed" (E0000004): the user name or password is wrong, or the user is locked out.',
      fixes: ['Check the credentials, and the user\'s status in the Admin Console (Directory > People).'],
      source: ERRORS,
    },
    {
      id: 'okta/forbidden',
      match: { all: [errorCode(['E0000006', 'E0000015']), optional({ field: 'errorSummary', matches: /\S/, capture: 'serverMessage' })] },
      cause: 'insufficient_permissions',
      title: 'Okta: no permission for this action',
      message: 'Okta authenticated the caller but refused {{_method}} {{_path}} ({{errorCode}}{{#serverMessage}}: "{{serverMessage}}"{{/serverMessage}}): the admin role behind the API token, or the OAuth scopes of the access token, do not allow it.',
      fixes: [
        'API tokens act with the permissions of the admin who created them: create the token as an admin with a role that allows this (Security > Administrators).',
        'For OAuth service apps, grant the okta.* scope the endpoint needs (Applications > your app > Okta API Scopes) and request it in the token call.',
      ],
      evidence: { action: '{{_method}} {{_path}}', resource: '{{_host}}' },
      source: ERRORS,
    },
  ],
};
