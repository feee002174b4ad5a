import { Text } from 'ink';
import { commandBlocker, type SessionState } from '../../core/session.ts';
import { hintsFor, type KeyContext } from '../key-bindings.ts';
import { cellWidth } from '../text.ts';
import { useTheme } from '../theme.tsx';

export interface HintBarProps {
  /** Whose keys to show. */
  context: KeyContext;
  /** For dimming the commands that cannot run now. */
  state: SessionState;
  /** Width available. */
  width: number;
}

/** `↑↓ move  Enter details  n next ✖  r refresh …`: from the key registry; as many as fit, `? help` always. */
export function HintBar({ context, state, width }: HintBarProps) {
  const theme = useTheme();
  // Commands that cannot run for good (offline, no proxy, nothing to sign) leave the bar — the help
  // says why; ones that wait for running work stay, dimmed.
  const items = hintsFor(context).filter((i) => {
    const blocker = commandBlocker(state, i.command);
    return blocker === null || blocker.startsWith('busy') || blocker === 'still loading' || i.command === 'select-prev';
  });
  const tail = items.filter((i) => i.command === 'help' || i.command === 'quit');
  const head = items.filter((i) => !tail.includes(i));
  const size = (i: { keys: string; hint: string }) => cellWidth(i.keys) + 1 + cellWidth(i.hint) + 2;
  let used = tail.reduce((n, i) => n + size(i), 0);
  const shown = [];
  for (const item of head) {
    if (used + size(item) > width) break;
    used += size(item);
    shown.push(item);
  }
  return (
    <Text wrap="truncate-end">
      {[...shown, ...tail].map((item) => {
        const blocked = commandBlocker(state, item.command) !== null;
        return (
          <Text key={item.command + item.keys} dimColor={blocked}>
            <Text bold={!blocked} color={blocked ? undefined : theme.colorOf('accent')}>
              {item.keys}
            </Text>
            <Text> {item.hint}  </Text>
          </Text>
        );
      })}
    </Text>
  );
}
