import { Box, Text } from 'ink';
import type { SessionState } from '../../core/session.ts';
import { formatSpan, oneLine, type Line, type Span } from '../text.ts';
import { useTheme } from '../theme.tsx';
import { useNow } from '../use-now.ts';
import { StyledLine } from './StyledLine.tsx';

export interface HeaderProps {
  /** The session (target, request count, token expiry, watch). */
  state: SessionState;
  /** Lines available: 2, or 1 on a very short terminal. */
  height: number;
  /** The clock, epoch ms. @default Date.now */
  now?: () => number;
}

/** Target, profile, scheme, proxy, the token's time to expiry counting down, requests sent. */
export function Header({ state, height, now }: HeaderProps) {
  const theme = useTheme();
  const { target } = state;
  const count = state.requestCount;
  const sent = target.mode === 'offline' ? 'offline: nothing sent' : `${count} request${count === 1 ? '' : 's'} sent`;
  const title = target.method && target.url ? `${target.method} ${target.url}` : target.describe;
  return (
    <Box flexDirection="column" height={height} flexShrink={0}>
      <Box>
        <Box flexGrow={1} flexShrink={1}>
          <Text wrap="truncate-end">
            <Text bold color={theme.colorOf('accent')}>
              authdoctor
            </Text>
            <Text> {oneLine(title)}</Text>
          </Text>
        </Box>
        <Box flexShrink={0} marginLeft={1}>
          <Text dimColor={count === 0} bold={count > 0}>
            {sent}
          </Text>
        </Box>
      </Box>
      {height > 1 ? <MetaLine state={state} now={now} /> : null}
    </Box>
  );
}

interface MetaLineProps {
  /** The session. */
  state: SessionState;
  /** The clock. */
  now?: (() => number) | undefined;
}

/** The only part of the header that ticks, so only it re-renders each second. */
function MetaLine({ state, now }: MetaLineProps) {
  const { target, tokenExpiresAt, watch } = state;
  const ticking = tokenExpiresAt !== null || (watch.on && watch.nextAt !== null);
  const time = useNow({ isActive: ticking, ...(now ? { now } : {}) });
  const parts: Span[][] = [];
  if (target.profile) parts.push([{ text: `profile ${target.profile}` }]);
  if (target.scheme) parts.push([{ text: target.scheme }]);
  if (target.mode === 'live') parts.push(target.proxy ? [{ text: `via proxy ${target.proxy.url} (${target.proxy.source})`, tone: 'warn' }] : [{ text: 'no proxy', dim: true }]);
  if (target.mode === 'offline') parts.push([{ text: 'HAR capture, analysed offline', tone: 'accent' }]);
  if (tokenExpiresAt !== null) {
    const left = tokenExpiresAt - time;
    parts.push(
      left > 0
        ? [{ text: `token expires in ${formatSpan(left)}`, tone: left < 60_000 ? 'warn' : 'pass' }]
        : [{ text: `token expired ${formatSpan(left)} ago`, tone: 'fail', bold: true }],
    );
  }
  if (watch.on) {
    const left = watch.nextAt !== null ? Math.max(0, watch.nextAt - time) : null;
    parts.push([{ text: left === null ? 'watching' : `watch: ${watch.next === 'refresh' ? 'refresh' : 're-check'} in ${formatSpan(left)}`, tone: 'accent' }]);
  }
  const line: Line = [];
  parts.forEach((p, i) => {
    if (i > 0) line.push({ text: ' · ', dim: true });
    line.push(...p);
  });
  return <StyledLine line={line} />;
}
