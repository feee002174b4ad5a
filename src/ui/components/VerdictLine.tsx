import { Box, Text } from 'ink';
import type { AttemptView, SessionPhase } from '../../core/session.ts';
import { causeLabel } from '../../reporters/labels.ts';
import { fitLines, visibleSpans, wrapLine, type Line } from '../text.ts';
import { StyledLine } from './StyledLine.tsx';

export interface VerdictLineProps {
  /** The attempt on screen. */
  attempt: AttemptView | null;
  /** Lines available (1 or 2). */
  height: number;
  /** Columns available. */
  width: number;
  /** The session phase, for "waiting…". */
  phase: SessionPhase;
}

/** The verdict as lines: the cause in words, its id, and the one-sentence summary. */
export function verdictLines(attempt: AttemptView | null, width: number, height: number): Line[] {
  const verdict = attempt?.verdict;
  if (!verdict) return [];
  const tone = verdict.cause === 'none' ? 'pass' : verdict.cause === 'unknown' ? 'warn' : 'fail';
  const symbol = verdict.cause === 'none' ? '✔' : verdict.cause === 'unknown' ? '?' : '✖';
  const line: Line = [
    { text: `${symbol} ${causeLabel(verdict.cause)}`, tone, bold: true },
    { text: ` (${verdict.cause})`, dim: true },
    { text: ' — ' },
    ...visibleSpans(verdict.summary),
  ];
  return fitLines(wrapLine(line, width, 0), height, width);
}

/** The cause in words and the one-sentence summary. */
export function VerdictLine({ attempt, height, width, phase }: VerdictLineProps) {
  const lines = verdictLines(attempt, width, height);
  return (
    <Box height={height} flexShrink={0} flexDirection="column">
      {lines.length === 0 ? <Text dimColor>{phase === 'failed' ? '' : 'Verdict: waiting for the checks…'}</Text> : lines.map((l, i) => <StyledLine key={i} line={l} />)}
    </Box>
  );
}
