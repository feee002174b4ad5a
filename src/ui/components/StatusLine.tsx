import { Text } from 'ink';
import type { SessionState } from '../../core/session.ts';
import { formatSpan, oneLine } from '../text.ts';
import { useTheme } from '../theme.tsx';
import { useNow } from '../use-now.ts';
import { Spinner } from './Spinner.tsx';

export interface StatusLineProps {
  /** The session: activity, phase, notice. */
  state: SessionState;
  /** The clock, epoch ms. @default Date.now */
  now?: () => number;
}

const NOTICE_SYMBOLS = { info: 'ℹ', success: '✔', warning: '⚠', error: '✖' } as const;
const NOTICE_TONES = { info: 'accent', success: 'pass', warning: 'warn', error: 'fail' } as const;

/** What is happening now (spinner, the action's latest progress line, elapsed) or the last result. */
export function StatusLine({ state, now }: StatusLineProps) {
  const theme = useTheme();
  const { activity, notice, phase } = state;
  const busy = activity !== null || phase === 'loading' || phase === 'sending' || phase === 'checking';
  const time = useNow({ isActive: activity !== null, ...(now ? { now } : {}) });
  if (phase === 'failed') return <Text> </Text>;
  if (busy) {
    const building = state.next ?? state.attempt;
    let label: string;
    if (activity) {
      const step = activity.progress.at(-1);
      const elapsed = Math.max(0, time - activity.startedAt);
      label = `${activity.label}${step ? ` — ${step}` : '…'}${elapsed >= 1000 ? ` (${formatSpan(elapsed)}, Esc cancels)` : ' (Esc cancels)'}`;
    } else if (phase === 'loading') {
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
