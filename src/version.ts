import { createRequire } from 'node:module';

/** The package version, read once from package.json (kept in one place: package.json). */
export const VERSION: string = (createRequire(import.meta.url)(findPackageJson()) as { version: string }).version;

function findPackageJson(): string {
  // src/version.ts runs from src/ in tests and from dist/src/ when built.
  return import.meta.url.includes('/dist/') ? '../../package.json' : '../package.json';
}
