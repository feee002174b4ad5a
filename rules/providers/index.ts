import { definePlugin } from '../../src/plugins/define.ts';
import providerError from './provider-error.ts';

/**
 * Provider knowledge pack: host patterns and body/header matchers, one data file per provider in
 * ./data, run by one generic engine (./engine.ts).
 */
export default definePlugin({
  name: 'providers',
  description: "Understands real providers' error answers: the cause, the missing permission, and the fix.",
  rules: [providerError],
});
