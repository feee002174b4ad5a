import type { ActionDefinition, AuthStrategy, PluginDefinition, RuleDefinition } from '../core/plugin.ts';

/**
 * Identity helpers, like ESLint's and Vite's `define*`: they exist so that editors know the types
 * of a plugin written in plain JavaScript, and so that a typo in a field is a type error.
 */
export function definePlugin<const P extends PluginDefinition>(plugin: P): P {
  return plugin;
}

export function defineRule<Options = Record<string, unknown>>(rule: RuleDefinition<Options>): RuleDefinition<Options> {
  return rule;
}

export function defineAction(action: ActionDefinition): ActionDefinition {
  return action;
}

export function defineAuth(strategy: AuthStrategy): AuthStrategy {
  return strategy;
}
