import type { CauseId } from '../core/causes.ts';
import type { ActionView, FindingView, SessionCommand } from '../core/session.ts';

/**
 * Every key of the interactive screen, declared once (gemini-cli's keyBindings.ts is the model).
 * The input handlers, the hint bar and the `?` help overlay are all generated from this list, so
 * the help can never disagree with what a key does.
 */

/** Where the keyboard focus is: which bindings are live. */
export type KeyContext = 'main' | 'details' | 'help' | 'edit' | 'text' | 'fatal';

/** The named keys ink reports in `useInput`'s key object. */
export type NamedKey = 'upArrow' | 'downArrow' | 'leftArrow' | 'rightArrow' | 'return' | 'escape' | 'tab' | 'pageUp' | 'pageDown';

export interface KeySpec {
  /** A printable character, matched exactly (`R` is not `r`). */
  input?: string;
  /** A named key. */
  key?: NamedKey;
  /** With Ctrl held (`ctrl` + `input: 'c'` is Ctrl+C). */
  ctrl?: boolean;
}

export type BindingGroup = 'Move' | 'Fix and retry' | 'Share' | 'Screen';

export interface KeyBinding {
  command: SessionCommand;
  keys: KeySpec[];
  /** What the help overlay says, as a sentence fragment. */
  label: string;
  /** The hint bar's word; bindings without one are only in the help. */
  hint?: string;
  /** Lower comes first in the hint bar; the bar shows as many as fit. */
  hintRank?: number;
  /** The contexts whose hint bar shows it. @default all of `contexts` */
  hintIn?: readonly KeyContext[];
  group: BindingGroup;
  contexts: readonly KeyContext[];
}

const BROWSE: readonly KeyContext[] = ['main', 'details'];
const ANYWHERE: readonly KeyContext[] = ['main', 'details', 'help', 'edit', 'text', 'fatal'];

export const KEY_BINDINGS: readonly KeyBinding[] = [
  { command: 'select-prev', keys: [{ key: 'upArrow' }, { input: 'k' }], label: 'Previous check', hint: 'move', hintRank: 1, group: 'Move', contexts: BROWSE },
  { command: 'select-next', keys: [{ key: 'downArrow' }, { input: 'j' }], label: 'Next check', group: 'Move', contexts: BROWSE },
  { command: 'open-details', keys: [{ key: 'return' }, { key: 'rightArrow' }], label: "Open the selected check's details", hint: 'details', hintRank: 2, group: 'Move', contexts: ['main'] },
  { command: 'next-failing', keys: [{ input: 'n' }], label: 'Next failing check', hint: 'next ✖', hintRank: 3, group: 'Move', contexts: BROWSE },
  { command: 'prev-failing', keys: [{ input: 'N' }], label: 'Previous failing check', group: 'Move', contexts: BROWSE },
  { command: 'scroll-down', keys: [{ key: 'pageDown' }, { input: ' ' }], label: 'Scroll the details down', hint: 'scroll', hintRank: 2, group: 'Move', contexts: ['details'] },
  { command: 'scroll-up', keys: [{ key: 'pageUp' }, { input: 'b' }], label: 'Scroll the details up', group: 'Move', contexts: ['details'] },
  { command: 'back', keys: [{ key: 'escape' }, { key: 'leftArrow' }], label: 'Back, close, or cancel the running action', hint: 'back', hintRank: 4, hintIn: ['details', 'help', 'text', 'edit'], group: 'Move', contexts: ['main', 'details', 'help', 'text', 'edit'] },

  { command: 'refresh', keys: [{ input: 'r' }], label: 'Refresh the credential (OAuth2 refresh, AWS re-resolve, re-read the profile) and retry', hint: 'refresh', hintRank: 5, group: 'Fix and retry', contexts: BROWSE },
  { command: 'edit', keys: [{ input: 'e' }], label: 'Edit a credential or header (masked), or apply the suggested fix', hint: 'edit', hintRank: 6, group: 'Fix and retry', contexts: BROWSE },
  { command: 'retry', keys: [{ input: 'R' }], label: 'Send the request again as it is', hint: 'retry', hintRank: 7, group: 'Fix and retry', contexts: BROWSE },
  { command: 'bypass-proxy', keys: [{ input: 'p' }], label: 'Retry without the proxy, and compare', hint: 'no proxy', hintRank: 9, group: 'Fix and retry', contexts: BROWSE },
  { command: 're-sign', keys: [{ input: 's' }], label: 'Re-sign (SigV4) and retry', hint: 're-sign', hintRank: 9, group: 'Fix and retry', contexts: BROWSE },
  {
    command: 'run-action',
    keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((input) => ({ input })),
    label: 'Run an action listed in the details',
    group: 'Fix and retry',
    contexts: BROWSE,
  },
  { command: 'toggle-watch', keys: [{ input: 'w' }], label: 'Watch: re-check on an interval and refresh before expiry', hint: 'watch', hintRank: 10, group: 'Fix and retry', contexts: BROWSE },

  { command: 'copy-curl', keys: [{ input: 'c' }], label: 'Copy as curl (credentials as $VARIABLES), saved to a file', hint: 'curl', hintRank: 11, group: 'Share', contexts: BROWSE },
  { command: 'export-markdown', keys: [{ input: 'm' }], label: 'Export the report as markdown to a file', hint: 'markdown', hintRank: 12, group: 'Share', contexts: BROWSE },

  { command: 'edit-next-field', keys: [{ key: 'tab' }], label: 'Next header', hint: 'next header', hintRank: 1, group: 'Screen', contexts: ['edit'] },
  { command: 'edit-next-suggestion', keys: [{ key: 'downArrow' }], label: 'Next suggested fix', hint: 'fix', hintRank: 2, group: 'Screen', contexts: ['edit'] },
  { command: 'edit-prev-suggestion', keys: [{ key: 'upArrow' }], label: 'Previous suggested fix', group: 'Screen', contexts: ['edit'] },
  { command: 'edit-submit', keys: [{ key: 'return' }], label: 'Apply what you typed, or the suggested fix, and retry', hint: 'apply', hintRank: 3, group: 'Screen', contexts: ['edit'] },
  { command: 'help', keys: [{ input: '?' }], label: 'This help', hint: 'help', hintRank: 20, group: 'Screen', contexts: ['main', 'details', 'help', 'text'] },
  { command: 'quit', keys: [{ input: 'q' }, { input: 'c', ctrl: true }], label: 'Quit (the terminal is restored)', hint: 'quit', hintRank: 21, group: 'Screen', contexts: ANYWHERE },
];

/** The subset of ink's key object that bindings look at. */
export interface KeyState {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  ctrl?: boolean;
  shift?: boolean;
  meta?: boolean;
}

export interface MatchedKey {
  binding: KeyBinding;
  /** For `run-action`: which number was pressed (0-based). */
  index?: number;
}

/** The binding a key press means in a context, or undefined. */
export function matchKey(context: KeyContext, input: string, key: KeyState): MatchedKey | undefined {
  for (const binding of KEY_BINDINGS) {
    if (!binding.contexts.includes(context)) continue;
    const at = binding.keys.findIndex((spec) => usableIn(context, spec) && keyMatches(spec, input, key));
    if (at >= 0) return binding.command === 'run-action' ? { binding, index: at } : { binding };
  }
  return undefined;
}

/** In a text input, printable keys are typing, not commands: only named keys and Ctrl+ keys count. */
export function usableIn(context: KeyContext, spec: KeySpec): boolean {
  return context !== 'edit' || spec.key !== undefined || spec.ctrl === true;
}

function keyMatches(spec: KeySpec, input: string, key: KeyState): boolean {
  if (spec.key) return key[spec.key] === true && !key.ctrl;
  if (spec.input === undefined) return false;
  if (spec.ctrl) return key.ctrl === true && input.toLowerCase() === spec.input;
  // Named keys report an input too (Escape's is "\u001b"); only plain characters match here.
  const named = key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.return || key.escape || key.tab || key.pageUp || key.pageDown;
  return !named && !key.ctrl && !key.meta && input === spec.input;
}

const KEY_NAMES: Record<NamedKey, string> = {
  upArrow: '↑',
  downArrow: '↓',
  leftArrow: '←',
  rightArrow: '→',
  return: 'Enter',
  escape: 'Esc',
  tab: 'Tab',
  pageUp: 'PgUp',
  pageDown: 'PgDn',
};

export function keyName(spec: KeySpec): string {
  if (spec.key) return KEY_NAMES[spec.key];
  if (spec.ctrl) return `Ctrl+${(spec.input ?? '').toUpperCase()}`;
  if (spec.input === ' ') return 'Space';
  return spec.input ?? '';
}

/** `↑/k`, `1–9`: how the help and the hint bar name a binding's keys. */
export function keysLabel(binding: KeyBinding, context?: KeyContext): string {
  if (binding.command === 'run-action') return `${keyName(binding.keys[0]!)}–${keyName(binding.keys.at(-1)!)}`;
  return binding.keys.filter((k) => !context || usableIn(context, k)).map(keyName).join('/');
}

/** The bindings of a context, as the help lists them: one row per binding, grouped. */
export function bindingsFor(context: KeyContext): KeyBinding[] {
  return KEY_BINDINGS.filter((b) => b.contexts.includes(context));
}

export interface HintItem {
  keys: string;
  hint: string;
  command: SessionCommand;
}

/** The hint bar's items for a context, in rank order, each with its first usable key. */
export function hintsFor(context: KeyContext): HintItem[] {
  const items: { rank: number; item: HintItem }[] = [];
  for (const b of bindingsFor(context)) {
    if (!b.hint || (b.hintIn && !b.hintIn.includes(context))) continue;
    // The bar names a binding's first key only (`Enter details`); the help lists them all.
    let keys = b.command === 'run-action' ? keysLabel(b) : keyName(b.keys.filter((k) => usableIn(context, k))[0]!);
    if (b.command === 'select-prev') {
      // Up and down share one hint, as in every pager: "↑↓ move".
      const down = KEY_BINDINGS.find((x) => x.command === 'select-next');
      keys = `${keyName(b.keys[0]!)}${down ? keyName(down.keys[0]!) : ''}`;
    }
    items.push({ rank: b.hintRank ?? 99, item: { keys, hint: b.hint, command: b.command } });
  }
  return items.sort((a, b) => a.rank - b.rank).map((x) => x.item);
}

/** The command key that runs an action kind directly (the details list these keys beside the actions). */
export const ACTION_KIND_COMMANDS: Partial<Record<ActionView['kind'], SessionCommand>> = { refresh: 'refresh', 're-sign': 're-sign', probe: 'bypass-proxy' };

/** Causes that editing a header repairs (a damaged, missing or wrongly labelled credential): `e` applies the fix. */
const EDIT_CAUSES: ReadonlySet<CauseId> = new Set<CauseId>(['malformed_credentials', 'wrong_scheme', 'missing_credentials', 'invalid_credentials']);

/**
 * The keys the selected finding asks for: the commands of the actions it offers, and `e` when its
 * cause is fixed by editing the request. When the hint bar is short of room these come before the
 * navigation keys, so a failing check never hides the key that fixes it.
 */
export function findingCommands(finding: FindingView | undefined, actions: readonly ActionView[]): Set<SessionCommand> {
  const out = new Set<SessionCommand>();
  if (!finding || finding.status === 'pass') return out;
  for (const id of finding.actions) {
    const kind = actions.find((a) => a.id === id)?.kind;
    const command = kind ? ACTION_KIND_COMMANDS[kind] : undefined;
    if (command) out.add(command);
  }
  if (finding.cause && EDIT_CAUSES.has(finding.cause)) out.add('edit');
  if (finding.cause === 'proxy_auth') out.add('bypass-proxy');
  return out;
}

/**
 * Which hints fit in `width` cells: `help` and `quit` always, then the `preferred` commands (the
 * selected finding's), then the rest in rank order. The chosen ones keep their rank order on screen.
 */
export function fitHints<T extends { command: SessionCommand }>(items: readonly T[], width: number, size: (item: T) => number, preferred: ReadonlySet<SessionCommand> = new Set()): T[] {
  const tail = items.filter((i) => i.command === 'help' || i.command === 'quit');
  const head = items.filter((i) => !tail.includes(i));
  const order = [...head.filter((i) => preferred.has(i.command)), ...head.filter((i) => !preferred.has(i.command))];
  let used = tail.reduce((n, i) => n + size(i), 0);
  const chosen = new Set<T>();
  for (const item of order) {
    if (used + size(item) > width) {
      if (preferred.has(item.command)) continue;
      break;
    }
    used += size(item);
    chosen.add(item);
  }
  return [...head.filter((i) => chosen.has(i)), ...tail];
}
