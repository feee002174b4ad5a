import { useInput } from 'ink';
import { matchPickerKey, type PickerCommand } from './picker-keys.ts';

export interface UsePickerKeysOptions {
  /** Called with the command a key means; `index` for the digit keys. */
  onCommand: (command: PickerCommand, index?: number) => void;
  /** Only the focused handler is active (ink's `isActive`). @default true */
  isActive?: boolean;
}

/** Binds the picker's keys through its one registry (picker-keys.ts); it decides nothing itself. */
export function usePickerKeys({ onCommand, isActive = true }: UsePickerKeysOptions): void {
  useInput(
    (input, key) => {
      const match = matchPickerKey(input, key);
      if (match) onCommand(match.command, match.index);
    },
    { isActive },
  );
}
