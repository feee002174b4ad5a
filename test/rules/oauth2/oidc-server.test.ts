import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOidcServer, type OidcTestServer } from '../../helpers/oidc-server.ts';

let as: OidcTestServer;
beforeAll(async () => {
  as = await startOidcServer({ deviceInterval: 1 });
});
afterAll(async () => {
  await as?.close();
});

describe('the local authorization server used by the oauth2 tests', () => {
  it('issues JWT access tokens through authorization code + PKCE that the resource server accepts', async () => {
    const tokens = await as.obtainUserTokens('public');
    expect(tokens.access_token.split('.')).toHaveLength(3);
    expect(typeof tokens.refresh_token).toBe('string');
    const res = await fetch(as.apiUrl('/me'), { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(res.status).toBe(200);
  });

  it('answers 401 with an RFC 6750 invalid_token challenge for an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await as.mintAccessToken({ iat: now - 600, exp: now - 300 });
    const res = await fetch(as.apiUrl('/me'), { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api", error="invalid_token", error_description="The access token expired"');
  });

  it('answers 403 insufficient_scope when the token lacks api:write', async () => {
    const token = await as.mintAccessToken({ scope: 'api:read' });
    const res = await fetch(as.apiUrl('/admin'), { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });

  it('completes a device authorization through its own pages', async () => {
    const res = await fetch(as.deviceAuthorizationEndpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: 'device-client', scope: 'openid api:read' }).toString() });
    const body = (await res.json()) as { device_code: string; user_code: string; interval: number };
    expect(body.interval).toBe(1);
    await as.completeDevice(body.user_code);
    const token = await fetch(as.tokenEndpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: 'device-client', grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: body.device_code }).toString() });
    const json = (await token.json()) as { access_token?: string; refresh_token?: string; error?: string };
    expect(json.error).toBeUndefined();
    expect(typeof json.access_token).toBe('string');
  });
});
