import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.ts';
import { startOidcServer, type OidcTestServer } from '../../helpers/oidc-server.ts';

let as: OidcTestServer;
let dir: string;
beforeAll(async () => {
  as = await startOidcServer();
  dir = await mkdtemp(join(tmpdir(), 'authdoctor-check-refresh-'));
  await chmod(dir, 0o700);
});
afterAll(async () => {
  await as?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('authdoctor check --refresh with an oauth2 profile', () => {
  it('diagnoses the expired token, refreshes it in place, and the retried request succeeds', async () => {
    const user = await as.obtainUserTokens('public');
    const now = Math.floor(Date.now() / 1000);
    const expired = await as.mintAccessToken({ iat: now - 3600, exp: now - 1800 });
    const config = {
      tokenStore: './tokens.json',
      profiles: {
        local: {
          request: { url: as.apiUrl('/me') },
          auth: { scheme: 'oauth2', grant: 'refresh_token', issuer: as.issuer, clientId: 'public-client', clientAuth: 'none', accessToken: expired, refreshToken: user.refresh_token },
        },
      },
    };
    await writeFile(join(dir, 'authdoctor.config.json'), JSON.stringify(config), { mode: 0o600 });

    const result = await runCli(['check', '--config', join(dir, 'authdoctor.config.json'), '--profile', 'local', '--refresh', '--format', 'json'], { cwd: dir });
    // stderr is shown on failure: the CLI masks everything it writes.
    expect(result.stdout, result.stderr).not.toBe('');
    const report = JSON.parse(result.stdout) as {
      verdict: { cause: string };
      attempts?: { n: number; status: number; cause: string }[];
      actions?: { id: string; ok: boolean; message: string }[];
    };
    expect(report.attempts?.map((a) => [a.n, a.status, a.cause])).toEqual([
      [1, 401, 'expired_token'],
      [2, 200, 'none'],
    ]);
    expect(report.actions?.[0]).toMatchObject({ id: 'oauth2/refresh-token', ok: true });
    expect(report.verdict.cause).toBe('none');
    expect(result.code).toBe(0);
    // No token in clear anywhere in the output; the rotated refresh token is in the store.
    const store = await readFile(join(dir, 'tokens.json'), 'utf8');
    const stored = (JSON.parse(store) as { entries: Record<string, { current: { refreshToken: string; accessToken: string } }> }).entries;
    const current = Object.values(stored)[0]!.current;
    expect(current.refreshToken).not.toBe(user.refresh_token);
    for (const secret of [expired, user.refresh_token!, current.accessToken, current.refreshToken]) {
      expect(result.stdout.includes(secret) || result.stderr.includes(secret)).toBe(false);
    }
  });
});
