import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOidcServer, type OidcTestServer } from '../../helpers/oidc-server.ts';
import { apiSpec, harness } from './harness.ts';

let as: OidcTestServer;
beforeAll(async () => {
  as = await startOidcServer({ deviceInterval: 1 });
});
afterAll(async () => {
  await as?.close();
});

/** Completes the device sign-in in the provider's own pages once the action shows the code. */
function signInWhenShown(server: OidcTestServer) {
  let done: Promise<void> | undefined;
  return {
    onProgress(line: string) {
      const code = /enter the code (\S+)/.exec(line)?.[1];
      if (code && !done) done = server.completeDevice(code);
    },
    get completed() {
      return done;
    },
  };
}

describe('re-authentication against a real authorization server', () => {
  it('turns a revoked refresh token into refresh_failed, then the device flow ends in a working token', async () => {
    const h = harness(as);
    const user = await as.obtainUserTokens('public');
    await as.revoke(user.refresh_token!, 'public');
    const profile = { name: 'device', oauth2: { issuer: as.issuer, clientId: 'device-client' } };
    const now = Math.floor(Date.now() / 1000);
    const spec = apiSpec(as, { grant: 'refresh_token', clientId: 'public-client', clientAuth: 'none', refreshToken: user.refresh_token, accessToken: await as.mintAccessToken({ iat: now - 900, exp: now - 300 }) });

    const refresh = await h.run('refresh-token', spec, { profile });
    expect(refresh.result.ok).toBe(false);
    const failed = refresh.result.findings!.find((f) => f.status === 'fail')!;
    expect(failed.cause).toBe('refresh_failed');
    expect(failed.actions).toContain('oauth2/reauth-device');

    // The device client is a public client of the same authorization server.
    const deviceSpec = { ...spec, auth: { scheme: 'oauth2', params: { ...spec.auth!.params, clientId: 'device-client', scope: 'openid offline_access api:read' } } };
    const browser = signInWhenShown(as);
    const { result, progress } = await h.run('reauth-device', deviceSpec, { profile, onProgress: browser.onProgress });
    await browser.completed;
    expect(progress[0]).toMatch(new RegExp(`open ${as.issuer}/device and enter the code \\S+`));
    expect(result.ok).toBe(true);
    expect(result.message).toMatch(/through the device flow/);
    const params = result.spec!.auth!.params as Record<string, string>;
    expect(params.refreshToken).toBeTruthy();
    expect(params.refreshToken).not.toBe(user.refresh_token);
    const retried = await h.send(result.spec!);
    expect(retried.response?.status).toBe(200);
    expect((await h.diagnose(retried, profile)).verdict.cause).toBe('none');
    // The new grant's refresh token works for the next refresh.
    const again = await h.run('refresh-token', { ...result.spec!, auth: { scheme: 'oauth2', params: { ...params, grant: 'refresh_token' } } }, { profile });
    expect(again.result.ok).toBe(true);
  });

  it('honours slow_down by polling 5 s less often', async () => {
    const slow = await startOidcServer({ deviceInterval: 1, slowDownPolls: 1 });
    try {
      const h = harness(slow);
      const spec = apiSpec(slow, { clientId: 'device-client', scope: 'openid api:read' });
      let userCode: string | undefined;
      let signIn: Promise<void> | undefined;
      const { result, progress } = await h.run('reauth-device', spec, {
        onProgress(line) {
          userCode ??= /enter the code (\S+)/.exec(line)?.[1];
          // Sign in only once the server has told the client to slow down.
          if (/slow down/.test(line) && userCode) signIn ??= slow.completeDevice(userCode);
        },
      });
      await signIn;
      expect(progress).toContain('The server asked to slow down: polling every 6 s.');
      expect(result.ok).toBe(true);
      const polls = slow.requests.filter((r) => r.grantType === 'urn:ietf:params:oauth:grant-type:device_code').map((r) => r.at);
      expect(polls.length).toBeGreaterThanOrEqual(2);
      // RFC 8628 §3.5: after slow_down every further poll waits 1 + 5 s. A lower bound only: a slow
      // machine makes the gaps longer, never shorter.
      for (let i = 1; i < polls.length; i++) expect(polls[i]! - polls[i - 1]!).toBeGreaterThanOrEqual(6000);
    } finally {
      await slow.close();
    }
  }, 30_000);

  it('stops polling when the user cancels', async () => {
    const h = harness(as);
    const controller = new AbortController();
    const spec = apiSpec(as, { clientId: 'device-client', scope: 'openid api:read' });
    const { result } = await h.run('reauth-device', spec, {
      signal: controller.signal,
      onProgress: (line) => {
        if (/enter the code/.test(line)) controller.abort();
      },
    });
    expect(result.ok).toBe(false);
    expect(result.message).toBe('Sign-in cancelled.');
  });

  it('signs in again with authorization code + PKCE on a loopback redirect', async () => {
    const h = harness(as);
    const spec = apiSpec(as, { grant: 'refresh_token', clientId: 'public-client', clientAuth: 'none', scope: 'openid offline_access api:read api:write' });
    let visit: Promise<string> | undefined;
    const { result, progress } = await h.run('reauth-pkce', spec, {
      onProgress: (line) => {
        const url = /(http:\/\/\S+\/auth\?\S+)/.exec(line)?.[1];
        if (url) visit = as.browse(url, { followExternal: true });
      },
    });
    const landed = new URL((await visit)!);
    expect(landed.hostname).toBe('127.0.0.1');
    expect(landed.pathname).toBe('/callback');
    expect(landed.searchParams.get('code')).toBeTruthy();
    expect(progress[0]).toMatch(/Open this URL in your browser/);
    expect(result.ok).toBe(true);
    expect((await h.send(result.spec!)).response?.status).toBe(200);
    expect((await h.send({ ...result.spec!, url: as.apiUrl('/admin') })).response?.status).toBe(200);
  });

  it('introspects an opaque token: active, then after revocation active false, explained', async () => {
    const h = harness(as);
    const user = await as.obtainUserTokens('basic', { resource: as.opaqueResource });
    expect(user.access_token.split('.').length).toBe(1);
    const profile = { oauth2: { issuer: as.issuer, introspectionEndpoint: as.introspectionEndpoint } };
    const spec = apiSpec(as, { clientId: as.clients.basic.clientId, clientSecret: as.clients.basic.clientSecret, accessToken: user.access_token });
    expect((await h.send(spec)).response?.status).toBe(200);
    const active = await h.run('introspect', spec, { profile });
    expect(active.result.details).toMatchObject({ active: true, client_id: 'basic-client', aud: as.opaqueResource });

    await as.revoke(user.access_token, 'basic');
    const refused = await h.send(spec);
    expect(refused.response?.status).toBe(401);
    const { findings } = await h.diagnose(refused, profile);
    const opaque = findings.find((f) => f.messageId === 'opaque-token')!;
    expect(opaque.actions).toContain('oauth2/introspect');

    const { result } = await h.run('introspect', spec, { profile });
    expect(result.ok).toBe(true);
    expect(result.details).toEqual({ active: false });
    const f = result.findings![0]!;
    expect([f.status, f.cause, f.messageId]).toEqual(['fail', 'invalid_credentials', 'introspection-inactive']);
    expect(f.message).toMatch(/revoked/);
  });

  it('explains that a JWT access token is not introspected by this server', async () => {
    const h = harness(as);
    const user = await as.obtainUserTokens('basic');
    const spec = apiSpec(as, { clientId: as.clients.basic.clientId, clientSecret: as.clients.basic.clientSecret, accessToken: user.access_token });
    const { result } = await h.run('introspect', spec);
    expect(result.ok).toBe(false);
    expect(result.findings![0]!.messageId).toBe('introspection-unsupported-token');
  });
});
