import type { PickerCommand } from './picker-keys.ts';

/** The picker as a pure reducer: which scenario is highlighted, and whether the user chose. */
export interface PickerState {
  selected: number;
  count: number;
  /** Set once: the index opened, or null for "quit". Undefined while still picking. */
  outcome?: number | null | undefined;
}

export type PickerEvent = { command: PickerCommand; index?: number | undefined };

export function initialPickerState(count: number, selected = 0): PickerState {
  return { selected: clamp(selected, count), count };
}

function clamp(n: number, count: number): number {
  return count === 0 ? 0 : Math.min(Math.max(0, n), count - 1);
}

export function pickerReducer(state: PickerState, event: PickerEvent): PickerState {
  if (state.outcome !== undefined) return state;
  switch (event.command) {
    case 'prev':
      return { ...state, selected: state.selected === 0 ? state.count - 1 : state.selected - 1 };
    case 'next':
      return { ...state, selected: state.selected === state.count - 1 ? 0 : state.selected + 1 };
    case 'first':
      return { ...state, selected: 0 };
    case 'last':
      return { ...state, selected: clamp(state.count - 1, state.count) };
    case 'pick':
      return event.index !== undefined && event.index < state.count ? { ...state, selected: event.index } : state;
    case 'open':
      return state.count > 0 ? { ...state, outcome: state.selected } : state;
    case 'quit':
      return { ...state, outcome: null };
  }
}
