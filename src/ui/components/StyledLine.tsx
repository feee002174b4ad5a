import { Text } from 'ink';
import { memo } from 'react';
import type { Line } from '../text.ts';
import { useTheme } from '../theme.tsx';

export interface StyledLineProps {
  /** The spans of one screen line. */
  line: Line;
  /** Reverse video over the whole line (the selection). @default false */
  inverse?: boolean;
}

/** One line of styled spans, cut at the edge of its box (never wrapped: heights are budgeted). */
export const StyledLine = memo(function StyledLine({ line, inverse = false }: StyledLineProps) {
  const theme = useTheme();
  if (line.length === 0) return <Text> </Text>;
  return (
    <Text wrap="truncate-end" inverse={inverse}>
      {line.map((span, i) => (
        <Text key={i} color={theme.colorOf(span.tone)} bold={span.bold} dimColor={span.dim || theme.dimOf(span.tone)} inverse={inverse ? !span.inverse : span.inverse}>
          {span.text}
        </Text>
      ))}
    </Text>
  );
});
