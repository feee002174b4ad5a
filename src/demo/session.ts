import type { Session } from '../cli/setup.ts';
import { resolveProfile, timeouts } from '../config/index.ts';
import { Engine } from '../core/engine.ts';
import type { ActionDefinition, LoadedPlugin, ProfileHints } from '../core/plugin.ts';
import { processRedactor } from '../core/redact.ts';
import type { TargetView } from '../core/session.ts';
import type { RequestSpec } from '../core/types.ts';
import { loadPlugins } from '../plugins/loader.ts';
import type { DemoCloud } from './cloud.ts';
import { loadedDemoPlugin } from './plugin.ts';
import type { AnyScenario } from './types.ts';

/**
 * A session on one demo scenario: the same Session the `check` and `tui` commands build from a
 * config file or a curl command — the demo's config file and the scenario's profile, or the
 * scenario's curl command — with the built-in plugins plus the demo plugin, and the client clock
 * the scenario asks for.
 */
export interface DemoSession extends Session {
  scenario: AnyScenario;
  /** How far the client clock is off, ms (0 for all but the clock scenario). */
  clockOffsetMs: number;
  /** The credentials the scenario gave the client (to check that no output shows them). */
  secrets: string[];
}

/** Timeouts for loopback: a demo request that takes seconds is a bug, not a slow network. */
const DEMO_TIMEOUTS = { connect: 5_000, response: 15_000 };

export async function openDemoSession(cloud: DemoCloud, name: string): Promise<DemoSession> {
  const { scenario, client, config } = await cloud.open(name);
  let spec: RequestSpec;
  let hints: ProfileHints;
  let profileName: string | undefined;
  if (client.kind === 'profile') {
    // The profile reads nothing from the environment, so the user's own variables never leak in.
    const resolved = await resolveProfile(config, name, { env: {}, redactor: processRedactor });
    spec = resolved.spec;
    hints = { ...resolved.hints, ...client.hints };
    profileName = resolved.name;
  } else {
    const { parseCurlCommand } = await import('../inputs/index.ts');
    spec = parseCurlCommand(client.command, client.env ?? {}, { cwd: cloud.dir });
    for (const value of Object.values(client.env ?? {})) processRedactor.addSecret(value);
    hints = { ...client.hints };
  }
  const plugins = [...(await loadPlugins({})).map((p) => forTheDemo(p, cloud)), loadedDemoPlugin(cloud.iam)];
  const offset = client.clockOffsetMs ?? 0;
  const engine = new Engine({
    plugins,
    redactor: processRedactor,
    timeouts: DEMO_TIMEOUTS,
    ruleTimeoutMs: timeouts(null).rule,
    profile: hints,
    profileName,
    ...(offset !== 0 ? { clock: () => new Date(Date.now() + offset) } : {}),
    // No HTTP(S)_PROXY from the user's environment: the demo talks to 127.0.0.1 only, and a
    // scenario that wants a proxy names the demo's own.
    env: {},
  });
  return {
    engine,
    target: { kind: 'live', spec, describe: `${spec.method} ${processRedactor.url(spec.url)}` },
    config,
    profileName,
    scenario,
    clockOffsetMs: offset,
    secrets: [...new Set([...(spec.secrets ?? []), ...Object.values(client.kind === 'curl' ? (client.env ?? {}) : {})].map((v) => v.trim()).filter((v) => v.length > 0))],
  };
}

/**
 * The built-in plugins, adjusted so that the demo never touches the user's real AWS identity:
 * - aws-sigv4's refresh action re-resolves keys from the AWS credential chain (environment,
 *   ~/.aws, SSO, instance metadata) — on a developer machine, a real identity that has no business
 *   signing demo requests. Without it, `r` re-reads the demo profile's key files, which is the
 *   refresh that fits keys kept in files.
 * - "Who am I?" asks STS; in the demo that is the demo cloud's STS (same origin as the scenario,
 *   so the credentialed call is allowed), never AWS's. The endpoint goes into the action's view
 *   of the request only, so the request itself stays exactly what the profile says.
 */
function forTheDemo(loaded: LoadedPlugin, cloud: DemoCloud): LoadedPlugin {
  if (loaded.plugin.name !== 'aws-sigv4' || !loaded.plugin.actions) return loaded;
  const sts = `${cloud.origin}/sts/`;
  const actions = loaded.plugin.actions
    .filter((a) => a.id !== 'refresh-credentials')
    .map((a): ActionDefinition => {
      if (a.id !== 'whoami') return a;
      return {
        ...a,
        run: (ctx) => a.run({ ...ctx, spec: ctx.spec.auth ? { ...ctx.spec, auth: { ...ctx.spec.auth, params: { ...ctx.spec.auth.params, stsEndpoint: sts } } } : ctx.spec }),
      };
    });
  return { ...loaded, plugin: { ...loaded.plugin, actions } };
}

/** The header line while the scenario loads. */
export function demoTargetView(cloud: DemoCloud, scenario: AnyScenario): TargetView {
  return { describe: `demo: ${scenario.title} (${cloud.origin}/${scenario.name}/)`, mode: 'live', profile: scenario.name };
}
