import type { KeyState } from '../key-bindings.ts';

/**
 * Every key of the scenario picker, declared once: the input handler and the hint bar are both
 * generated from this list (the TUI's own keys live in ../key-bindings.ts; the picker is a
 * separate screen with its own, smaller set).
 */
export type PickerCommand = 'prev' | 'next' | 'first' | 'last' | 'pick' | 'open' | 'quit';

export interface PickerBinding {
  command: PickerCommand;
  /** Printable characters, matched exactly. */
  inputs?: readonly string[];
  /** Named keys, as ink reports them. */
  keys?: readonly (keyof KeyState)[];
  /** Ctrl + this character. */
  ctrl?: string;
  /** The hint bar's label, with the keys to show. */
  hint?: { keys: string; label: string };
}

export const PICKER_BINDINGS: readonly PickerBinding[] = [
  { command: 'prev', inputs: ['k'], keys: ['upArrow'], hint: { keys: '↑↓', label: 'move' } },
  { command: 'next', inputs: ['j'], keys: ['downArrow'] },
  { command: 'first', inputs: ['g'], keys: ['pageUp'] },
  { command: 'last', inputs: ['G'], keys: ['pageDown'] },
  { command: 'pick', inputs: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'], hint: { keys: '1–9,0', label: 'select' } },
  { command: 'open', keys: ['return', 'rightArrow'], hint: { keys: 'Enter', label: 'open the scenario' } },
  { command: 'quit', inputs: ['q'], keys: ['escape'], ctrl: 'c', hint: { keys: 'q', label: 'quit the demo' } },
];

export interface PickerKeyMatch {
  command: PickerCommand;
  /** For `pick`: the 0-based position the digit names (`0` is the tenth). */
  index?: number;
}

export function matchPickerKey(input: string, key: KeyState): PickerKeyMatch | undefined {
  for (const binding of PICKER_BINDINGS) {
    if (binding.ctrl && key.ctrl && input.toLowerCase() === binding.ctrl) return { command: binding.command };
    if (binding.keys?.some((k) => key[k] === true) && !key.ctrl) return { command: binding.command };
    const named = key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.return || key.escape || key.tab || key.pageUp || key.pageDown;
    if (!named && !key.ctrl && !key.meta && binding.inputs?.includes(input)) {
      if (binding.command === 'pick') return { command: 'pick', index: input === '0' ? 9 : Number(input) - 1 };
      return { command: binding.command };
    }
  }
  return undefined;
}

/** The hint bar: `↑↓ move  1–9,0 select  Enter open the scenario  q quit the demo`. */
export function pickerHints(): { keys: string; label: string }[] {
  return PICKER_BINDINGS.flatMap((b) => (b.hint ? [b.hint] : []));
}
