#!/usr/bin/env node
// Plain JavaScript that any Node can parse: the version check must run before anything that needs
// Node 22.18+/24 (ink 8, got 16, native TypeScript loading of plugins).
'use strict';
const [major, minor] = process.versions.node.split('.').map(Number);
if (!((major === 22 && minor >= 18) || major >= 24 || (major === 23 && minor >= 6))) {
  process.stderr.write(
    `authdoctor: needs Node.js ^22.18 or >=24, but this is ${process.versions.node}. ` +
      'Run it with "npx authdoctor" inside the project (which pins Node 24), or install a newer Node.\n',
  );
  process.exit(2);
}
// A screen session runs for as long as the user works in it: have V8 favour memory over speed there
// (after 1,000 retries its RSS is about half; bench/5-soak.ts measures it). Set before
// the compile cache is enabled, whose entries are kept apart by V8 flags. One-shot commands keep
// the defaults: for them the flag costs time and saves nothing.
if (process.argv[2] === 'tui' || process.argv[2] === 'demo') {
  try {
    require('node:v8').setFlagsFromString('--optimize-for-size');
  } catch {
    // an optimisation only
  }
}
// V8's compiled code for the bundle is kept between runs (Node's module compile cache: files named by a
// hash of the source, in <tmpdir>/node-compile-cache unless NODE_COMPILE_CACHE says otherwise;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off). A stale or unwritable cache is ignored, never an error.
try {
  require('node:module').enableCompileCache?.();
} catch {
  // the compile cache is an optimisation only
}
// Stack traces (printed only with AUTHDOCTOR_DEBUG=1) point into src/ rather than into the bundle.
if (process.env.AUTHDOCTOR_DEBUG) process.setSourceMapsEnabled?.(true);
// dist/bundle is the binary built by scripts/build.mjs (esbuild, code-split); dist/src is the library.
import('../dist/bundle/cli.js').then(
  (cli) => cli.run(),
  (error) => {
    const missing = error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist');
    process.stderr.write(
      missing
        ? 'authdoctor: the build is missing (dist/bundle). Run "npm run build" (npm ci runs it for you).\n'
        : `authdoctor: failed to start: ${String(error && error.message).split('\n')[0]}\n`,
    );
    process.exit(2);
  },
);
