import { definePlugin } from '../../src/plugins/define.ts';
import keyInQuery from './key-in-query.ts';
import keyKind from './key-kind.ts';
import keyPlacement from './key-placement.ts';
import keyShape from './key-shape.ts';

/**
 * API keys: where the key travelled against where the provider reads it, whether it has the shape
 * of its kind, whether it is the right kind of key for this API, and whether it leaks in the URL.
 * The knowledge lives in key-formats.ts (data); the rules only compare.
 */
export default definePlugin({
  name: 'api-key',
  description: "Checks API keys against real providers' formats and placements.",
  rules: [keyPlacement, keyShape, keyKind, keyInQuery],
});
