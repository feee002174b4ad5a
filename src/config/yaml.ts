/*
 * yaml resolves to its CommonJS build under Node and load.ts imports it lazily. This ES module in
 * between keeps its named exports in the bundled binary: esbuild gives a dynamically imported
 * CommonJS module a chunk with only a default export (scripts/build.mjs refuses such a chunk).
 */
export { LineCounter, parseDocument } from 'yaml';
