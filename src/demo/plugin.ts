import { decodeBasic } from '../core/context.ts';
import type { ActionAvailabilityContext, LoadedPlugin, PluginDefinition } from '../core/plugin.ts';
import type { Finding, HeaderEntry, RequestSpec } from '../core/types.ts';
import { defineAction, definePlugin } from '../plugins/define.ts';
import type { DemoIam } from './aws.ts';

/**
 * The demo's own plugin, loaded only in demo sessions (never by `check` or `tui`). It is shaped
 * like any user's plugin and holds the fixes the built-in plugins do not offer yet:
 *
 * - `grant-permission` — demo only, and labelled so: the demo cloud's stand-in for an
 *   administrator attaching a policy in the IAM console. It grants exactly the principal, action
 *   and resource the access-denied finding named, and only to principals of the demo's own IAM.
 * - `move-key` — sends an API key in the header the API reads (the profile's apiKey.header)
 *   instead of Authorization: the fix for an Anthropic key sent as `Bearer`.
 * - `basic-as-bearer` — sends the password of a Basic credential as a Bearer token, for a token
 *   passed as `-u user:TOKEN` to an API that only accepts Bearer (RFC 6750).
 *
 * The last two are general-purpose and belong in the api-key and basic plugins; they live here
 * until they move there.
 */
export function demoPlugin(iam: DemoIam): PluginDefinition {
  return definePlugin({
    name: 'demo',
    description: 'Fixes for the demo scenarios (loaded by `authdoctor demo` only).',
    actions: [grantPermission(iam), moveKey, basicAsBearer],
  });
}

export function loadedDemoPlugin(iam: DemoIam): LoadedPlugin {
  return { plugin: demoPlugin(iam), source: 'authdoctor demo (built in)', builtin: true };
}

function failing(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.status === 'fail');
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** The access-denied finding that names a principal of the demo's IAM, an action and a resource. */
function deniedFinding(ctx: ActionAvailabilityContext, iam: DemoIam): { principal: string; action: string; resource: string } | undefined {
  for (const f of failing(ctx.findings)) {
    if (f.cause !== 'insufficient_permissions') continue;
    const principal = str(f.evidence.principal);
    const action = str(f.evidence.action);
    const resource = str(f.evidence.resource);
    if (principal && action && resource && iam.knows(principal)) return { principal, action, resource };
  }
  return undefined;
}

function grantPermission(iam: DemoIam) {
  return defineAction({
    id: 'grant-permission',
    title: 'Grant the permission in the demo cloud (stands in for the IAM console)',
    kind: 'other',
    available: (ctx) => deniedFinding(ctx, iam) !== undefined,
    async run(ctx) {
      const denied = deniedFinding(ctx, iam);
      if (!denied) return { ok: false, message: 'No access-denied finding names a principal of the demo cloud.', retry: false };
      ctx.progress(`Demo IAM console: allowing ${denied.action} on ${denied.resource} for ${denied.principal}…`);
      iam.allow(denied.principal, denied.action, denied.resource);
      return {
        ok: true,
        retry: true,
        message: `Demo cloud: attached a policy allowing ${denied.action} on ${denied.resource} to ${denied.principal}. In real life an administrator does this in the IAM console (or with \`aws iam put-user-policy\`).`,
      };
    },
  });
}

const SCHEME_WORD = /^\s*(Bearer|Token|Basic|ApiKey|Api-Key|Key)\s+/i;

function header(headers: readonly HeaderEntry[], name: string): HeaderEntry | undefined {
  return headers.find((h) => h.name.toLowerCase() === name.toLowerCase());
}

/** The key the request carries in Authorization, when the profile says it belongs in another header. */
function misplacedKey(spec: RequestSpec, profile: ActionAvailabilityContext['profile']): { target: string; key: string } | undefined {
  const target = profile.apiKey?.header;
  if (!target || target.toLowerCase() === 'authorization' || header(spec.headers, target)) return undefined;
  const auth = header(spec.headers, 'authorization');
  if (!auth || /^\s*(Basic|AWS4-HMAC-SHA256)\s/i.test(auth.value)) return undefined;
  const key = auth.value.replace(SCHEME_WORD, '').trim();
  return key ? { target, key } : undefined;
}

const moveKey = defineAction({
  id: 'move-key',
  title: 'Send the key in the header the API reads',
  kind: 'other',
  available: (ctx) => misplacedKey(ctx.spec, ctx.profile) !== undefined && failing(ctx.findings).some((f) => f.cause === 'wrong_scheme' || f.cause === 'missing_credentials'),
  async run(ctx) {
    const moved = misplacedKey(ctx.spec, ctx.profile);
    if (!moved) return { ok: false, message: 'There is no key in Authorization to move.', retry: false };
    const prefix = ctx.profile.apiKey?.prefix ?? '';
    const headers = ctx.spec.headers.filter((h) => h.name.toLowerCase() !== 'authorization');
    headers.push({ name: moved.target, value: `${prefix}${moved.key}` });
    return {
      ok: true,
      retry: true,
      message: `Moved the key from Authorization to ${moved.target}${prefix ? ` (as "${prefix.trim()} <key>")` : ''}.`,
      spec: { ...ctx.spec, headers, secrets: [...(ctx.spec.secrets ?? []), moved.key] },
    };
  },
});

/** The Basic password, when the server answered that it wants Bearer. */
function basicPassword(spec: RequestSpec): string | undefined {
  const auth = header(spec.headers, 'authorization');
  const m = auth ? /^\s*Basic\s+(\S+)\s*$/i.exec(auth.value) : null;
  const decoded = m ? decodeBasic(m[1]!) : null;
  return decoded?.hasColon && decoded.password ? decoded.password : undefined;
}

const basicAsBearer = defineAction({
  id: 'basic-as-bearer',
  title: 'Send the Basic password as a Bearer token',
  kind: 'other',
  available: (ctx) =>
    basicPassword(ctx.spec) !== undefined &&
    failing(ctx.findings).some((f) => f.cause === 'wrong_scheme' && Array.isArray(f.evidence.offered) && f.evidence.offered.includes('bearer')),
  async run(ctx) {
    const token = basicPassword(ctx.spec);
    if (!token) return { ok: false, message: 'The request carries no Basic password to send as a token.', retry: false };
    ctx.redactor.addSecret(token);
    const headers = ctx.spec.headers.map((h) => (h.name.toLowerCase() === 'authorization' ? { name: h.name, value: `Bearer ${token}` } : h));
    return {
      ok: true,
      retry: true,
      message: 'Sent the password as Authorization: Bearer <token> (a personal access token passed with -u user:TOKEN belongs there).',
      spec: { ...ctx.spec, headers, secrets: [...(ctx.spec.secrets ?? []), token] },
    };
  },
});
