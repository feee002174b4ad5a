import type { Scenario } from '../types.ts';
import { oauthClient, reportsApi, setupOAuth, type OAuthState } from './oauth-api.ts';

export const oauthRevoked: Scenario<OAuthState> = {
  name: 'oauth-revoked',
  title: 'Refresh token revoked',
  summary: 'Token expired and the refresh token was revoked.',
  story: [
    'The same expired access token, but the refresh token was revoked (a password change or "sign out everywhere" does that): the refresh fails with 400 invalid_grant, "The refresh token has been revoked".',
    'The way out is a new sign-in. The device flow (RFC 8628) works without a browser in the terminal: authdoctor shows a code and a URL. The demo authorization server approves the code by itself after a few polls, as if you had typed it in. You can also open the URL (on 127.0.0.1) and approve it yourself.',
  ],
  modelledOn: 'RFC 6749 §5.2 (invalid_grant), RFC 8628 (device authorization grant)',
  intended: { cause: 'expired_token' },
  fix: [
    { keys: 'r', how: 'try the refresh: it fails with invalid_grant, and the screen explains why' },
    { keys: 'Esc 2', how: 'sign in again with the device code (action 2); the demo approves it in about 3 s, then the retry answers 200' },
  ],
  setup: (cloud) => setupOAuth(cloud, 'demo-cli-revoked', { revoked: true }),
  handle: (req, _state, cloud) => reportsApi(req, cloud),
  client: oauthClient,
};
