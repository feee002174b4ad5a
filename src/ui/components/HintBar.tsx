import { Text } from 'ink';
import { commandBlocker, selectedCheck, type SessionState } from '../../core/session.ts';
import { findingCommands, fitHints, hintsFor, type KeyContext } from '../key-bindings.ts';
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

/** `↑↓ move  Enter details  n next ✖  r refresh …`: from the key registry; as many as fit (the selected check's fix keys first), `? help` always. */
export function HintBar({ context, state, width }: HintBarProps) {
  const theme = useTheme();
  // Commands that cannot run for good (offline, no proxy, nothing to sign) leave the bar — the help
  // says why; ones that wait for running work stay, dimmed.
  const items = hintsFor(context).filter((i) => {
    const blocker = commandBlocker(state, i.command);
    return blocker === null || blocker.startsWith('busy') || blocker === 'still loading' || i.command === 'select-prev';
  });
  const size = (i: { keys: string; hint: string }) => cellWidth(i.keys) + 1 + cellWidth(i.hint) + 2;
  // The keys the selected failing check offers (r, s, e, p) win over navigation when room is short.
  const preferred = context === 'main' || context === 'details' ? findingCommands(selectedCheck(state)?.finding, state.actions) : new Set<never>();
  const shown = fitHints(items, width, size, preferred);
  return (
    <Text wrap="truncate-end">
      {shown.map((item) => {
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
