import { useInput } from 'ink';
import type { SessionCommand } from '../core/session.ts';
import { matchKey, type KeyContext } from './key-bindings.ts';

export interface UseKeyBindingsOptions {
  /** Which bindings are live (key-bindings.ts `contexts`). */
  context: KeyContext;
  /** Called with the command a key means; `index` for the numbered actions. */
  onCommand: (command: SessionCommand, index?: number) => void;
  /** Only the focused handler is active, so that several can coexist (ink's `isActive`). */
  isActive?: boolean;
}

/** Binds keys to commands through the one registry; it never decides what a command does. */
export function useKeyBindings({ context, onCommand, isActive = true }: UseKeyBindingsOptions): void {
  useInput(
    (input, key) => {
      const match = matchKey(context, input, key);
      if (match) onCommand(match.binding.command, match.index);
    },
    { isActive },
  );
}
