import type { CloudContext, DemoClient, ClientContext, DemoReply, DemoRequest } from '../types.ts';
import { bearerChallenge, bearerOf, json, notFound, pathIs, randomToken } from './shared.ts';

/**
 * The half that the two OAuth scenarios share: a reports API that accepts the demo authorization
 * server's access tokens (audience `demo-reports`), and a client configured for the refresh_token
 * grant with its tokens in files, as a CLI keeps them after signing in.
 */
export interface OAuthState {
  clientId: string;
  clientSecret: string;
  accessToken: string;
  refreshToken: string;
}

const AUDIENCE = 'demo-reports';
const REALM = 'demo-reports';
const SCOPE = 'reports:read offline_access';

export async function setupOAuth(cloud: CloudContext, clientId: string, options: { revoked: boolean }): Promise<OAuthState> {
  const clientSecret = randomToken(32);
  cloud.oauth.registerClient(clientId, clientSecret, { autoApproveAfterPolls: 2, interval: 1 });
  cloud.oauth.resetClient(clientId);
  const grant = { clientId, sub: 'demo-user', scope: SCOPE, audience: AUDIENCE };
  // Issued 70 minutes ago with a one-hour lifetime: it expired ten minutes ago.
  const accessToken = await cloud.oauth.accessToken({ ...grant, issuedAt: new Date(cloud.now().getTime() - 70 * 60_000), lifetimeSeconds: 3600 });
  const refreshToken = cloud.oauth.refreshToken(grant);
  if (options.revoked) cloud.oauth.revoke(refreshToken);
  return { clientId, clientSecret, accessToken, refreshToken };
}

export async function reportsApi(req: DemoRequest, cloud: CloudContext): Promise<DemoReply> {
  if (!pathIs(req, '/v1/reports')) return notFound(req);
  const token = bearerOf(req);
  if (!token) return json(401, { error: 'unauthorized', message: 'This API needs a bearer access token.' }, bearerChallenge(REALM));
  const verified = await cloud.oauth.verify(token, AUDIENCE);
  if (!verified.ok) {
    return json(401, { error: verified.error, error_description: verified.description }, bearerChallenge(REALM, { code: verified.error, description: verified.description }));
  }
  return json(200, { owner: verified.sub, reports: [{ id: 'r-2026-q1', title: 'Quarterly usage', rows: 1284 }] });
}

export async function oauthClient(ctx: ClientContext, state: OAuthState): Promise<DemoClient> {
  const [accessToken, refreshToken, clientSecret] = await Promise.all([
    ctx.writeSecret('access-token', state.accessToken),
    ctx.writeSecret('refresh-token', state.refreshToken),
    ctx.writeSecret('client-secret', state.clientSecret),
  ]);
  return {
    kind: 'profile',
    profile: {
      request: { url: `${ctx.base}/v1/reports` },
      auth: {
        scheme: 'oauth2',
        grant: 'refresh_token',
        accessToken: { file: accessToken },
        refreshToken: { file: refreshToken },
        clientId: state.clientId,
        clientSecret: { file: clientSecret },
        issuer: ctx.oauth.issuer,
      },
    },
  };
}
