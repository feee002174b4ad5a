/**
 * Acme Cloud: a complete custom plugin for a made-up provider whose API fails with its own error
 * codes (README.md next to this file is its "API reference"). Four rules — one per thing Acme can
 * tell us — and one action.
 *
 * Load it with `plugins: ['./examples/plugins/acme/index.ts']` in authdoctor.config.ts.
 *
 * Inside this repository the example imports the source (`../../../src/index.ts`) so that its tests
 * run without a build; in your own plugin write `import { definePlugin } from 'authdoctor'`.
 */
import { definePlugin } from '../../../src/index.ts';
import keyRevoked from './rules/key-revoked.ts';
import environmentMismatch from './rules/environment-mismatch.ts';
import clockDrift from './rules/clock-drift.ts';
import missingPermission from './rules/missing-permission.ts';
import keyInfo from './actions/key-info.ts';

export default definePlugin({
  name: 'acme',
  description: "Acme Cloud's error codes: revoked keys, keys of the wrong environment, clock drift and missing scopes.",
  rules: [keyRevoked, environmentMismatch, clockDrift, missingPermission],
  actions: [keyInfo],
});
