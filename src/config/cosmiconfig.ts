/*
 * cosmiconfig is CommonJS and load.ts imports it lazily. This ES module in between keeps its named
 * export in the bundled binary: esbuild gives a dynamically imported CommonJS module a chunk with
 * only a default export (scripts/build.mjs refuses such a chunk).
 */
export { cosmiconfig } from 'cosmiconfig';
