import { Box, useApp } from 'ink';
import { useCallback, useMemo, type ReactNode } from 'react';
import { selectedCheck, type SessionCommand, type SessionState } from '../core/session.ts';
import { CheckList } from './components/CheckList.tsx';
import { DetailPane, maxDetailScroll } from './components/DetailPane.tsx';
import { EditOverlay } from './components/EditOverlay.tsx';
import { ExchangePane } from './components/ExchangePane.tsx';
import { FatalPanel } from './components/FatalPanel.tsx';
import { Header } from './components/Header.tsx';
import { HelpOverlay } from './components/HelpOverlay.tsx';
import { HintBar } from './components/HintBar.tsx';
import { HistoryLine } from './components/HistoryLine.tsx';
import { StatusLine, statusRows } from './components/StatusLine.tsx';
import { StyledLine } from './components/StyledLine.tsx';
import { TextOverlay } from './components/TextOverlay.tsx';
import { VerdictLine } from './components/VerdictLine.tsx';
import { detailLines } from './detail-lines.ts';
import { exchangeLines } from './exchange-lines.ts';
import type { KeyContext } from './key-bindings.ts';
import { computeLayout, MIN_COLUMNS } from './layout.ts';
import type { SessionController } from './session-controller.ts';
import type { SessionStore } from './session-store.ts';
import { paragraph, type Line } from './text.ts';
import { ThemeProvider } from './theme.tsx';
import { useKeyBindings } from './use-key-bindings.ts';
import { useSession } from './use-session.ts';
import { useTerminalSize } from './use-terminal-size.ts';

export interface AppProps {
  /** The session state. */
  store: SessionStore;
  /** Runs the commands that need the engine. */
  controller: SessionController;
  /** Colours (false under NO_COLOR). @default true */
  color?: boolean;
  /** The clock, epoch ms (tests inject one). @default Date.now */
  now?: () => number;
  /** Called once the user quits, after the controller stopped all work. */
  onQuit?: () => void;
}

/** Which bindings are live, from what is on screen. */
export function keyContext(state: SessionState): KeyContext {
  if (state.fatal) return 'fatal';
  switch (state.overlay.kind) {
    case 'help':
      return 'help';
    case 'edit':
      return 'edit';
    case 'text':
      return 'text';
    default:
      return state.view === 'details' ? 'details' : 'main';
  }
}

/** The interactive screen: it reads the session state and sends commands, nothing else. */
export function App({ store, controller, color = true, now, onQuit }: AppProps) {
  return (
    <ThemeProvider color={color}>
      <Screen store={store} controller={controller} now={now} onQuit={onQuit} />
    </ThemeProvider>
  );
}

interface ScreenProps {
  /** The session state. */
  store: SessionStore;
  /** Runs commands. */
  controller: SessionController;
  /** The clock. */
  now?: (() => number) | undefined;
  /** After quitting. */
  onQuit?: (() => void) | undefined;
}

function Screen({ store, controller, now, onQuit }: ScreenProps) {
  const state = useSession({ store });
  const size = useTerminalSize();
  const { exit } = useApp();
  const layout = computeLayout(size, state.view, statusRows(state, Math.max(size.columns, MIN_COLUMNS)));
  const context = keyContext(state);
  const selected = selectedCheck(state);
  const detailWidth = (layout.detailsBeside ? layout.columns - layout.listWidth - 2 : layout.columns) - 1;
  const details: Line[] | null = useMemo(() => (selected ? detailLines(selected, state.actions, detailWidth) : null), [selected, state.actions, detailWidth]);
  const detailHeight = layout.details;

  const onCommand = useCallback(
    (command: SessionCommand, index?: number, typed?: string) => {
      if (command === 'quit') {
        controller.dispose();
        onQuit?.();
        exit();
        return;
      }
      const maxScroll = details ? maxDetailScroll(details.length, detailHeight) : 0;
      controller.run(command, { index, maxScroll, typed });
    },
    [controller, details, detailHeight, exit, onQuit],
  );
  useKeyBindings({ context, onCommand, isActive: context !== 'edit' });

  const width = layout.columns;
  const middle = layout.rows - layout.header - layout.hints;
  let body: ReactNode;
  if (state.fatal) {
    body = <FatalPanel fatal={state.fatal} height={middle} width={width} />;
  } else if (state.overlay.kind === 'help') {
    body = <HelpOverlay state={state} height={middle} />;
  } else if (state.overlay.kind === 'edit') {
    body = <EditOverlay overlay={state.overlay} height={middle} onCommand={(c, typed) => onCommand(c, undefined, typed)} />;
  } else if (state.overlay.kind === 'text') {
    body = <TextOverlay title={state.overlay.title} lines={state.overlay.lines} height={middle} width={width} />;
  } else {
    body = <Main state={state} layout={layout} details={details} width={width} now={now} />;
  }

  return (
    <Box flexDirection="column" width={width} height={layout.rows} overflow="hidden">
      <Header state={state} height={layout.header} now={now} />
      {body}
      <Box height={layout.hints} flexShrink={0}>
        <HintBar context={context} state={state} width={width} />
      </Box>
    </Box>
  );
}

interface MainProps {
  /** The session. */
  state: SessionState;
  /** Row budgets. */
  layout: ReturnType<typeof computeLayout>;
  /** The selected check's lines. */
  details: Line[] | null;
  /** Columns. */
  width: number;
  /** The clock. */
  now?: (() => number) | undefined;
}

/** Exchange, checks, details or preview, verdict, history and status: the main screen. */
function Main({ state, layout, details, width, now }: MainProps) {
  const phaseText = state.phase === 'loading' ? 'Loading config and plugins…' : state.phase === 'sending' ? 'Sending the request…' : '';
  const exchange = exchangeLines(state.attempt, width, layout.exchange, phaseText);
  const building = state.next;
  const recheck = building ? { done: new Set(building.checks.filter((c) => c.status !== 'running').map((c) => c.ruleId)).size, planned: building.planned.length } : null;
  const selected = selectedCheck(state);
  const preview: Line[] = layout.preview && selected?.finding ? paragraph(`↳ ${selected.finding.message}`, width - 1, { dim: false }, 2).slice(0, layout.preview) : [];
  const list = <CheckList attempt={state.attempt} selectedKey={state.selectedKey} height={layout.list} recheck={recheck} />;
  return (
    <Box flexDirection="column" flexShrink={0}>
      <ExchangePane lines={exchange} height={layout.exchange} />
      {state.view === 'details' && !layout.detailsBeside ? (
        <DetailPane lines={details} height={layout.details} scroll={state.detailScroll} />
      ) : layout.detailsBeside ? (
        <Box height={layout.list} flexShrink={0}>
          <Box width={layout.listWidth} flexShrink={0} flexDirection="column">
            {list}
          </Box>
          <Box width={2} flexShrink={0} />
          <DetailPane lines={details} height={layout.details} scroll={state.detailScroll} width={layout.columns - layout.listWidth - 2} />
        </Box>
      ) : (
        <>
          {list}
          {layout.preview ? (
            <Box flexDirection="column" height={layout.preview} flexShrink={0}>
              {preview.map((line, i) => (
                <StyledLine key={i} line={line} />
              ))}
            </Box>
          ) : null}
          {layout.details ? <DetailPane lines={details} height={layout.details} scroll={state.detailScroll} /> : null}
        </>
      )}
      <VerdictLine attempt={state.attempt} height={layout.verdict} width={width} phase={state.phase} />
      <HistoryLine entries={state.history.entries} dropped={state.history.dropped} width={width} height={layout.history} />
      <Box height={layout.status} flexShrink={0}>
        <StatusLine state={state} now={now} width={width} height={layout.status} />
      </Box>
    </Box>
  );
}
