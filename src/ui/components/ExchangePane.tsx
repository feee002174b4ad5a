import { Box } from 'ink';
import type { Line } from '../text.ts';
import { StyledLine } from './StyledLine.tsx';

export interface ExchangePaneProps {
  /** Request and response lines (exchange-lines.ts), already cut to the budget. */
  lines: Line[];
  /** Lines available. */
  height: number;
}

/** The request as sent (masked) and the response: status, challenge, error headers, body. */
export function ExchangePane({ lines, height }: ExchangePaneProps) {
  if (height <= 0) return null;
  return (
    <Box flexDirection="column" height={height} flexShrink={0} overflow="hidden">
      {lines.slice(0, height).map((line, i) => (
        <StyledLine key={i} line={line} />
      ))}
    </Box>
  );
}
