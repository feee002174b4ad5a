import { Box, Text } from 'ink';
import { memo, useRef } from 'react';
import { countChecks, type AttemptView, type CheckRow } from '../../core/session.ts';
import { statusSymbol, statusTone } from '../detail-lines.ts';
import { formatDuration, oneLine } from '../text.ts';
import { useTheme } from '../theme.tsx';
import { Spinner } from './Spinner.tsx';

export interface CheckListProps {
  /** The attempt on screen (null while loading). */
  attempt: AttemptView | null;
  /** Key of the selected check. */
  selectedKey: string | null;
  /** Lines available, heading included. */
  height: number;
  /** A later attempt is being checked: its progress shows in the heading. */
  recheck?: { done: number; planned: number } | null | undefined;
}

export type ListEntry = { kind: 'group'; key: string; plugin: string; skipped: number } | { kind: 'row'; key: string; row: CheckRow } | { kind: 'na'; key: string; text: string };

/**
 * Checks grouped by plugin in declaration order. Checks that did not apply are counted in their
 * plugin's heading; plugins where nothing applied share one closing line.
 */
export function listEntries(attempt: AttemptView | null): ListEntry[] {
  if (!attempt) return [];
  const plugins: string[] = [];
  for (const p of attempt.planned) if (!plugins.includes(p.plugin)) plugins.push(p.plugin);
  for (const c of attempt.checks) if (!plugins.includes(c.plugin)) plugins.push(c.plugin);
  const entries: ListEntry[] = [];
  const idle: string[] = [];
  for (const plugin of plugins) {
    const mine = attempt.checks.filter((c) => c.plugin === plugin);
    const shown = mine.filter((c) => c.status !== 'skip');
    const skipped = mine.length - shown.length;
    if (shown.length === 0) {
      if (skipped > 0) idle.push(`${plugin} (${skipped})`);
      continue;
    }
    entries.push({ kind: 'group', key: `group:${plugin}`, plugin, skipped });
    for (const row of shown) entries.push({ kind: 'row', key: row.key, row });
  }
  if (idle.length) entries.push({ kind: 'na', key: 'na', text: `did not apply: ${idle.join(', ')}` });
  return entries;
}

/** The first entry of a window that shows the selection, moving as little as possible. */
export function windowStart(previous: number, selected: number, height: number, total: number, groupAbove: boolean): number {
  if (total <= height) return 0;
  let start = Math.min(Math.max(0, previous), total - height);
  if (selected < 0) return start;
  const top = groupAbove ? selected - 1 : selected;
  if (top < start) start = Math.max(0, top);
  if (selected >= start + height) start = selected - height + 1;
  return Math.min(start, total - height);
}

/** The checks with a live status each, windowed around the selection. */
export function CheckList({ attempt, selectedKey, height, recheck }: CheckListProps) {
  const theme = useTheme();
  const entries = listEntries(attempt);
  const startRef = useRef(0);
  const rowsHeight = Math.max(0, height - 1);
  const selected = entries.findIndex((e) => e.key === selectedKey);
  const start = windowStart(startRef.current, selected, rowsHeight, entries.length, selected > 0 && entries[selected - 1]?.kind === 'group');
  startRef.current = start;
  const visible = entries.slice(start, start + rowsHeight);
  const counts = countChecks(attempt?.checks ?? []);
  const planned = attempt?.planned.length ?? 0;
  const finished = new Set((attempt?.checks ?? []).filter((c) => c.status !== 'running').map((c) => c.ruleId)).size;
  const above = start;
  const below = entries.length - start - visible.length;
  return (
    <Box flexDirection="column" height={height} flexShrink={0}>
      <Box>
        <Text wrap="truncate-end">
          <Text bold>Checks </Text>
          {counts.fail ? <Text color={theme.colorOf('fail')}>✖ {counts.fail} </Text> : null}
          {counts.warn ? <Text color={theme.colorOf('warn')}>⚠ {counts.warn} </Text> : null}
          {counts.pass ? <Text color={theme.colorOf('pass')}>✔ {counts.pass} </Text> : null}
          {counts.problem ? <Text color={theme.colorOf('problem')}>! {counts.problem} </Text> : null}
          {counts.skip ? <Text dimColor>○ {counts.skip} did not apply </Text> : null}
          {attempt && finished < planned && counts.running + finished > 0 ? <Text dimColor>· checking {finished}/{planned} </Text> : null}
          {recheck ? <Text dimColor>· re-checking {recheck.done}/{recheck.planned} </Text> : null}
          {above > 0 ? <Text dimColor>· ↑{above} </Text> : null}
          {below > 0 ? <Text dimColor>· ↓{below}</Text> : null}
        </Text>
      </Box>
      {attempt === null || entries.length === 0 ? (
        <Text dimColor>{attempt ? '  waiting for the response…' : '  loading…'}</Text>
      ) : (
        visible.map((entry) =>
          entry.kind === 'row' ? (
            <CheckRowLine key={entry.key} row={entry.row} selected={entry.key === selectedKey} />
          ) : entry.kind === 'group' ? (
            <Text key={entry.key} wrap="truncate-end">
              <Text bold color={theme.colorOf('accent')}>
                {entry.plugin}
              </Text>
              {entry.skipped ? <Text dimColor> · {entry.skipped} did not apply</Text> : null}
            </Text>
          ) : (
            <Text key={entry.key} wrap="truncate-end" dimColor>
              ○ {entry.text}
            </Text>
          ),
        )
      )}
    </Box>
  );
}

export interface CheckRowLineProps {
  /** The check. */
  row: CheckRow;
  /** Drawn in reverse video with a ›. */
  selected: boolean;
}

/**
 * One check: status, title, one-line finding, duration. Memoised on the row object, which the
 * reducer keeps as is once the check has finished, so finished rows never re-render.
 */
export const CheckRowLine = memo(function CheckRowLine({ row, selected }: CheckRowLineProps) {
  const theme = useTheme();
  const tone = statusTone(row.status);
  const message = row.finding && row.status !== 'pass' ? ` — ${oneLine(row.finding.message)}` : '';
  return (
    <Box>
      <Box flexGrow={1} flexShrink={1}>
        <Text wrap="truncate-end" inverse={selected}>
          <Text>{selected ? '› ' : '  '}</Text>
          {row.status === 'running' ? <Spinner /> : <Text color={theme.colorOf(tone)}>{statusSymbol(row.status)}</Text>}
          <Text bold={row.status === 'fail'}> {oneLine(row.title)}</Text>
          <Text dimColor={!selected}>{message}</Text>
        </Text>
      </Box>
      <Box flexShrink={0} marginLeft={1}>
        <Text dimColor>{row.status === 'running' ? '' : formatDuration(row.finding?.durationMs)}</Text>
      </Box>
    </Box>
  );
});
