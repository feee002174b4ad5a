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
try {
  require('node:module').enableCompileCache?.();
} catch {
  // the compile cache is an optimisation only
}
import('../dist/src/cli.js').then(
  (cli) => cli.run(),
  (error) => {
    const missing = error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist');
    process.stderr.write(
      missing
        ? 'authdoctor: the build is missing (dist/). Run "npm run build" (npm ci runs it for you).\n'
        : `authdoctor: failed to start: ${String(error && error.message).split('\n')[0]}\n`,
    );
    process.exit(2);
  },
);
