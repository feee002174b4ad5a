import { Box, Text } from 'ink';
import { paragraph } from '../text.ts';
import { StyledLine } from './StyledLine.tsx';

export interface TextOverlayProps {
  /** Bold first line. */
  title: string;
  /** Masked text lines (a curl command, an action's details). */
  lines: string[];
  /** Lines available. */
  height: number;
  /** Width available. */
  width: number;
}

/** A panel of text over the main area; Esc closes it. */
export function TextOverlay({ title, lines, height, width }: TextOverlayProps) {
  const wrapped = lines.flatMap((l) => paragraph(l, width - 2, {}, 0));
  const room = height - 2;
  const shown = wrapped.slice(0, room);
  return (
    <Box flexDirection="column" height={height} flexShrink={0} overflow="hidden">
      <Text bold wrap="truncate-end">
        {title} <Text dimColor>(Esc closes)</Text>
      </Text>
      {shown.map((line, i) => (
        <StyledLine key={i} line={line} />
      ))}
      {wrapped.length > room ? <Text dimColor>… {wrapped.length - room} more lines (in the file, and printed when you quit)</Text> : null}
    </Box>
  );
}
