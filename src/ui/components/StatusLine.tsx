import { Box, Text } from 'ink';
import type { Activity, SessionState } from '../../core/session.ts';
import { fitLines, formatSpan, lineText, oneLine, paragraph } from '../text.ts';
import { useTheme } from '../theme.tsx';
import { useNow } from '../use-now.ts';
import { Spinner } from './Spinner.tsx';

export interface StatusLineProps {
  /** The session: activity, phase, notice. */
  state: SessionState;
  /** Width available. @default 80 */
  width?: number;
  /** Lines available (a running action's progress wraps onto up to 3). @default 1 */
  height?: number;
  /** The clock, epoch ms. @default Date.now */
  now?: () => number;
}

/** How many lines a running action's progress may take: enough for a device code and its URL. */
export const MAX_STATUS_ROWS = 3;

/**
 * A running action's status as wrapped lines (after a 2-cell spinner): label, latest progress line,
 * elapsed. A device-flow step ("open https://… and enter the code ABCD-EFGH") must be readable in
 * full, so it wraps onto up to three lines; when even that is too little the action's label goes
 * first (the progress line says more), then the end of the text is cut.
 */
export function activityLines(activity: Activity, elapsedMs: number, width: number): string[] {
  const step = activity.progress.at(-1);
  const suffix = elapsedMs >= 1000 ? ` (${formatSpan(elapsedMs)}, Esc cancels)` : ' (Esc cancels)';
  const room = Math.max(8, width - 2);
  const wrap = (text: string) => paragraph(oneLine(text), room, {}, 0).map(lineText);
  const full = wrap(`${activity.label}${step ? ` — ${step}` : '…'}${suffix}`);
  if (full.length <= MAX_STATUS_ROWS || !step) return fitLines(full.map((t) => [{ text: t }]), MAX_STATUS_ROWS, room).map(lineText);
  const short = wrap(`${step}${suffix}`);
  return fitLines(short.map((t) => [{ text: t }]), MAX_STATUS_ROWS, room).map(lineText);
}

/** The rows the status needs now (the layout gives them before the frame is drawn). */
export function statusRows(state: SessionState, width: number): number {
  if (!state.activity || state.phase === 'failed') return 1;
  // Measured with the widest elapsed time it shows ("59m 59s"), so the rows do not change as it ticks.
  return Math.min(MAX_STATUS_ROWS, Math.max(1, activityLines(state.activity, 3_599_000, width).length));
}

const NOTICE_SYMBOLS = { info: 'ℹ', success: '✔', warning: '⚠', error: '✖' } as const;
const NOTICE_TONES = { info: 'accent', success: 'pass', warning: 'warn', error: 'fail' } as const;

/** What is happening now (spinner, the action's latest progress line, elapsed) or the last result. */
export function StatusLine({ state, now, width = 80, height = 1 }: StatusLineProps) {
  const theme = useTheme();
  const { activity, notice, phase } = state;
  const busy = activity !== null || phase === 'loading' || phase === 'sending' || phase === 'checking';
  const time = useNow({ isActive: activity !== null, ...(now ? { now } : {}) });
  if (phase === 'failed') return <Text> </Text>;
  if (busy) {
    const building = state.next ?? state.attempt;
    if (activity) {
      const lines = activityLines(activity, Math.max(0, time - activity.startedAt), width).slice(0, Math.max(1, height));
      return (
        <Box flexDirection="column">
          {lines.map((line, i) => (
            <Text key={i} wrap="truncate-end">
              {i === 0 ? <Spinner /> : ' '} <Text>{line}</Text>
            </Text>
          ))}
        </Box>
      );
    }
    let label: string;
    if (phase === 'loading') {
      label = 'loading config and plugins…';
    } else if (phase === 'sending') {
      label = `sending ${state.target.method ?? ''} ${state.target.url ?? ''}…`.replace(/ +/g, ' ');
    } else {
      const done = new Set((building?.checks ?? []).filter((c) => c.status !== 'running').map((c) => c.ruleId)).size;
      label = `checking: ${done}/${building?.planned.length ?? 0} rules done…`;
    }
    return (
      <Text wrap="truncate-end">
        <Spinner /> <Text>{oneLine(label)}</Text>
      </Text>
    );
  }
  if (notice) {
    return (
      <Text wrap="truncate-end">
        <Text color={theme.colorOf(NOTICE_TONES[notice.tone])} bold>
          {NOTICE_SYMBOLS[notice.tone]}{' '}
        </Text>
        <Text>{oneLine(notice.text)}</Text>
        {notice.detail?.length ? <Text dimColor> {oneLine(notice.detail.join(' '))}</Text> : null}
      </Text>
    );
  }
  const ready =
    state.target.mode === 'offline'
      ? 'Offline: nothing is sent. Enter opens a check; c curl, m markdown; ? lists every key.'
      : state.attempt?.verdict?.cause === 'none'
        ? 'Accepted. Enter opens a check; w watches it; ? lists every key.'
        : 'Ready. Enter opens a check; r refresh · e edit · R retry; ? lists every key.';
  return <Text dimColor wrap="truncate-end">{ready}</Text>;
}
