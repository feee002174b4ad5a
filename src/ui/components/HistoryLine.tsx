import { Box, Text } from 'ink';
import type { HistoryEntry } from '../../core/session.ts';
import { cellWidth, formatDuration, oneLine } from '../text.ts';
import { useTheme } from '../theme.tsx';

export interface HistoryLineProps {
  /** The last attempts (bounded), oldest first. */
  entries: HistoryEntry[];
  /** Attempts older than `entries`, only counted. */
  dropped: number;
  /** Width available. */
  width: number;
  /** Lines available: 2 puts what changed before the latest attempt on its own line. @default 1 */
  height?: number;
}

/** `#1 401 expired_token 312 ms` */
export function attemptLabel(e: HistoryEntry): string {
  const status = e.status === null ? 'no response' : String(e.status);
  const cause = e.cause === 'none' ? 'OK' : (e.cause ?? '…');
  return `#${e.n} ${status} ${cause}${e.durationMs !== undefined ? ` ${formatDuration(e.durationMs)}` : ''}${e.direct ? ' (direct)' : ''}`;
}

const PREFIX = 'History ';

/**
 * `#1 401 expired_token 312 ms → #2 200 OK 95 ms`: the newest attempts that fit in `room` cells,
 * with a count of the older ones in front.
 */
export function historyChain(entries: readonly HistoryEntry[], dropped: number, room: number): string {
  const labels = entries.map(attemptLabel);
  let chain = '';
  let shown = 0;
  for (let i = labels.length - 1; i >= 0; i--) {
    const candidate = shown === 0 ? labels[i]! : `${labels[i]} → ${chain}`;
    const hidden = i + dropped;
    if (shown > 0 && cellWidth(candidate) + (hidden ? `… ${hidden} earlier → `.length : 0) > room) break;
    chain = candidate;
    shown++;
  }
  const hidden = entries.length - shown + dropped;
  return `${hidden ? `… ${hidden} earlier → ` : ''}${chain}`;
}

/** The attempt history, and what changed before the newest attempt. */
export function HistoryLine({ entries, dropped, width, height = 1 }: HistoryLineProps) {
  const theme = useTheme();
  if (entries.length === 0) {
    return (
      <Box height={height} flexShrink={0}>
        <Text dimColor>History: no attempt yet</Text>
      </Box>
    );
  }
  const last = entries.at(-1)!;
  const change = last.change ? `what changed before #${last.n}: ${oneLine(last.change)}` : '';
  const chain = historyChain(entries, dropped, width - PREFIX.length - (height > 1 || !change ? 0 : Math.min(cellWidth(change) + 3, Math.floor(width / 3))));
  const ok = last.cause === 'none';
  return (
    <Box height={height} flexShrink={0} flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>{PREFIX}</Text>
        <Text color={theme.colorOf(ok ? 'pass' : undefined)}>{chain}</Text>
        {height === 1 && change ? <Text dimColor> ({change})</Text> : null}
      </Text>
      {height > 1 ? (
        <Text wrap="truncate-end" dimColor>
          {change ? `  ${change}` : ' '}
        </Text>
      ) : null}
    </Box>
  );
}
