import type { Scenario } from '../types.ts';
import { oauthClient, reportsApi, setupOAuth, type OAuthState } from './oauth-api.ts';

export const oauthExpired: Scenario<OAuthState> = {
  name: 'oauth-expired',
  title: 'OAuth2 access token expired',
  summary: 'The JWT access token expired 10 minutes ago.',
  story: [
    'A CLI kept the tokens from its last sign-in. The access token (a real ES256 JWT from the demo authorization server) expired ten minutes ago, so the API answers 401 with WWW-Authenticate: Bearer error="invalid_token", error_description="The access token expired".',
    'The refresh token still works. The server rotates refresh tokens: each refresh returns a new one and voids the old one.',
  ],
  modelledOn: 'RFC 6750 §3.1 (the challenge), RFC 6749 §6 (refresh), RFC 9700 §4.14.2 (refresh-token rotation)',
  intended: { cause: 'expired_token' },
  fix: [{ keys: 'r', how: 'refresh the access token with the refresh token, then retry: 200' }],
  setup: (cloud) => setupOAuth(cloud, 'demo-cli', { revoked: false }),
  handle: (req, _state, cloud) => reportsApi(req, cloud),
  client: oauthClient,
};
