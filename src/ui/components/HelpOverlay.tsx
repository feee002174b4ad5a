import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { commandBlocker, type SessionState } from '../../core/session.ts';
import { KEY_BINDINGS, keysLabel, type KeyBinding } from '../key-bindings.ts';
import { useTheme } from '../theme.tsx';

export interface HelpOverlayProps {
  /** For saying why a command cannot run now. */
  state: SessionState;
  /** Lines available. */
  height: number;
}

/** The help screen's rows: every binding of the browsing screens, grouped, from the one registry. */
export function helpRows(): { group: string; rows: { keys: string; label: string; binding: KeyBinding }[] }[] {
  const groups = new Map<string, { keys: string; label: string; binding: KeyBinding }[]>();
  for (const b of KEY_BINDINGS) {
    const browse = b.contexts.includes('main') || b.contexts.includes('details');
    if (!browse) continue;
    const where = b.contexts.includes('main') ? '' : ' (in the details)';
    const list = groups.get(b.group) ?? [];
    list.push({ keys: keysLabel(b), label: `${b.label}${where}`, binding: b });
    groups.set(b.group, list);
  }
  return [...groups].map(([group, rows]) => ({ group, rows }));
}

/** `?`: every key and what it does, with the reason when it cannot run right now. */
export function HelpOverlay({ state, height }: HelpOverlayProps) {
  const theme = useTheme();
  const groups = helpRows();
  const total = groups.reduce((n, g) => n + g.rows.length + 1, 1);
  // A short terminal drops the group headings before it drops keys.
  const headings = total <= height;
  const lines: ReactNode[] = [];
  lines.push(
    <Text key="title" bold>
      Keys <Text dimColor>(Esc or ? closes this)</Text>
    </Text>,
  );
  for (const { group, rows } of groups) {
    if (headings) {
      lines.push(
        <Text key={`g:${group}`} bold color={theme.colorOf('accent')}>
          {group}
        </Text>,
      );
    }
    for (const row of rows) {
      const blocker = commandBlocker(state, row.binding.command);
      lines.push(
        <Text key={`${group}:${row.keys}:${row.binding.command}`} wrap="truncate-end">
          <Text bold>{`  ${row.keys}`.padEnd(14)}</Text>
          <Text dimColor={blocker !== null}>{row.label}</Text>
          {blocker && !['select-prev', 'select-next', 'open-details', 'next-failing', 'prev-failing'].includes(row.binding.command) ? <Text dimColor> — now: {blocker}</Text> : null}
        </Text>,
      );
    }
  }
  const shown = lines.length > height ? [...lines.slice(0, height - 1), <Text key="more" dimColor>  … a taller window shows the rest</Text>] : lines;
  return (
    <Box flexDirection="column" height={height} flexShrink={0} overflow="hidden">
      {shown}
    </Box>
  );
}
