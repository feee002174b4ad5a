/**
 * The built-in plugins, in declaration order (the verdict's last tie-breaker). Each lives in
 * rules/<name>/ shaped exactly like a user's plugin. They are imported on demand, all from one
 * module (builtin-modules.ts); a plugin's heavy dependencies are imported inside its rules, not at
 * the top of its index.
 */
export interface BuiltinPlugin {
  name: string;
  source: string;
  load: () => Promise<unknown>;
}

export const BUILTIN_PLUGINS: readonly BuiltinPlugin[] = [
  { name: 'http', source: 'rules/http', load: async () => (await modules()).http },
  { name: 'basic', source: 'rules/basic', load: async () => (await modules()).basic },
  { name: 'api-key', source: 'rules/api-key', load: async () => (await modules()).apiKey },
  { name: 'oauth2', source: 'rules/oauth2', load: async () => (await modules()).oauth2 },
  { name: 'aws-sigv4', source: 'rules/aws-sigv4', load: async () => (await modules()).awsSigv4 },
  { name: 'providers', source: 'rules/providers', load: async () => (await modules()).providers },
];

function modules(): Promise<typeof import('./builtin-modules.ts')> {
  return import('./builtin-modules.ts');
}
