/**
 * Node's own `import()`, in a module of its own. load.ts requires this file through
 * `createRequire` instead of importing it, so that no bundler or test runner (Vitest rewrites every
 * `import()` in the modules it loads) gets between a config file and Node: Node strips the types of
 * a `.ts`/`.mts` config itself, and its errors are the ones users will see.
 */
export function nativeImport(specifier: string): Promise<Record<string, unknown>> {
  return import(specifier) as Promise<Record<string, unknown>>;
}
