import { Box, Text } from 'ink';
import type { Line } from '../text.ts';
import { StyledLine } from './StyledLine.tsx';

export interface DetailPaneProps {
  /** The selected check's lines (detail-lines.ts), already wrapped to the pane's width. */
  lines: Line[] | null;
  /** Lines available. */
  height: number;
  /** First line shown. */
  scroll: number;
  /** Width, when the pane sits beside the list. */
  width?: number | undefined;
}

/** How far the details can scroll in a pane of this height (one line is kept for "more"). */
export function maxDetailScroll(total: number, height: number): number {
  return total <= height ? 0 : total - (height - 1);
}

/** The selected check: message, evidence, fix steps, actions; scrolls with PgUp/PgDn. */
export function DetailPane({ lines, height, scroll, width }: DetailPaneProps) {
  if (height <= 0) return null;
  if (!lines) {
    return (
      <Box height={height} width={width} flexShrink={0}>
        <Text dimColor>No check selected.</Text>
      </Box>
    );
  }
  const fits = lines.length <= height;
  const start = fits ? 0 : Math.min(scroll, maxDetailScroll(lines.length, height));
  const room = fits ? height : height - 1;
  const shown = lines.slice(start, start + room);
  const below = lines.length - start - shown.length;
  return (
    <Box flexDirection="column" height={height} width={width} flexShrink={0} overflow="hidden">
      {shown.map((line, i) => (
        <StyledLine key={start + i} line={line} />
      ))}
      {fits ? null : (
        <Text dimColor wrap="truncate-end">
          {below > 0 ? `  ↓ ${below} more line${below === 1 ? '' : 's'} (PgDn/Space)` : '  (end — PgUp/b scrolls back)'}
        </Text>
      )}
    </Box>
  );
}
