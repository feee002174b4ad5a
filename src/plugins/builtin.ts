/**
 * The built-in plugins, in declaration order (the verdict's last tie-breaker). Each lives in
 * rules/<name>/ shaped exactly like a user's plugin. They are imported on demand: a plugin's
 * heavy dependencies are imported inside its rules, not at the top of its index.
 */
export interface BuiltinPlugin {
  name: string;
  source: string;
  load: () => Promise<unknown>;
}

export const BUILTIN_PLUGINS: readonly BuiltinPlugin[] = [
  { name: 'http', source: 'rules/http', load: () => import('../../rules/http/index.ts') },
  { name: 'basic', source: 'rules/basic', load: () => import('../../rules/basic/index.ts') },
  { name: 'api-key', source: 'rules/api-key', load: () => import('../../rules/api-key/index.ts') },
  { name: 'oauth2', source: 'rules/oauth2', load: () => import('../../rules/oauth2/index.ts') },
  { name: 'aws-sigv4', source: 'rules/aws-sigv4', load: () => import('../../rules/aws-sigv4/index.ts') },
  { name: 'providers', source: 'rules/providers', load: () => import('../../rules/providers/index.ts') },
];
