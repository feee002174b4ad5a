import { Box, Text } from 'ink';
import type { FatalView } from '../../core/session.ts';
import { paragraph, type Line } from '../text.ts';
import { StyledLine } from './StyledLine.tsx';

export interface FatalPanelProps {
  /** The error, masked, as the CLI prints it. */
  fatal: FatalView;
  /** Lines available. */
  height: number;
  /** Columns available. */
  width: number;
}

/** The lines the CLI would print for the error: `authdoctor: message`, any problem it does not list, the hint. */
export function fatalLines(fatal: FatalView, width: number): Line[] {
  const lines: Line[] = [[]];
  lines.push(...paragraph(`✖ authdoctor: ${fatal.message}`, width, { tone: 'fail', bold: true }, 2));
  for (const problem of fatal.problems.filter((p) => !fatal.message.includes(p))) lines.push(...paragraph(problem, width, {}, 4));
  if (fatal.hint) lines.push(...paragraph(fatal.hint, width, { tone: 'accent' }, 4));
  lines.push([], [{ text: `Nothing was sent. Press q to quit (exit code ${fatal.exitCode}).`, dim: true }]);
  return lines;
}

/** A config, plugin or input error, shown in place with the CLI's own message. */
export function FatalPanel({ fatal, height, width }: FatalPanelProps) {
  const lines = fatalLines(fatal, width - 1);
  return (
    <Box flexDirection="column" height={height} flexShrink={0} overflow="hidden">
      {lines.slice(0, height).map((line, i) => (
        <StyledLine key={i} line={line} />
      ))}
      {lines.length > height ? <Text dimColor>… (the whole message is printed when you quit)</Text> : null}
    </Box>
  );
}
