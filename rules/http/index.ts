/**
 * The scheme-independent checks: what the status and its disguises say, whether credentials were
 * sent at all, the WWW-Authenticate challenge, header hygiene, clocks, redirects, proxies, HAR
 * capture notes and transport failures. Shaped exactly like a user's plugin.
 */
import { definePlugin } from '../../src/plugins/define.ts';
import status from './status.ts';
import missingCredentials from './missing-credentials.ts';
import challenge from './challenge.ts';
import headerHygiene from './header-hygiene.ts';
import clock from './clock.ts';
import redirects from './redirects.ts';
import proxy from './proxy.ts';
import capture from './capture.ts';
import transport from './transport.ts';

export default definePlugin({
  name: 'http',
  description: 'Status triage, WWW-Authenticate, header hygiene, clock skew, redirects and proxies — for any scheme.',
  rules: [transport, proxy, status, missingCredentials, challenge, headerHygiene, clock, redirects, capture],
});
