import { Box, useApp } from 'ink';
import { useEffect, useReducer } from 'react';
import { StyledLine } from '../components/StyledLine.tsx';
import { useTerminalSize } from '../use-terminal-size.ts';
import { pickerLayout, type PickerHeader, type PickerItem } from './picker-lines.ts';
import { initialPickerState, pickerReducer } from './picker-state.ts';
import { usePickerKeys } from './use-picker-keys.ts';

export interface ScenarioPickerProps {
  /** The scenarios, in order. */
  items: readonly PickerItem[];
  /** Where the demo cloud listens and keeps its files. */
  header: PickerHeader;
  /** The scenario highlighted at first (its name). @default the first */
  initial?: string | undefined;
  /** Called once: the chosen scenario's name, or null when the user quits. */
  onChoose: (name: string | null) => void;
  /** Exit ink after choosing (false in tests that keep the tree). @default true */
  exitOnChoose?: boolean;
}

/**
 * The demo's first screen: the scenarios as a list (name and one line each), and the highlighted
 * one's story, fix keys and last result below. Enter opens it; q leaves the demo.
 */
export function ScenarioPicker({ items, header, initial, onChoose, exitOnChoose = true }: ScenarioPickerProps) {
  const start = Math.max(0, items.findIndex((i) => i.name === initial));
  const [state, dispatch] = useReducer(pickerReducer, initialPickerState(items.length, start));
  const { exit } = useApp();
  const size = useTerminalSize();
  usePickerKeys({ onCommand: (command, index) => dispatch({ command, index }), isActive: state.outcome === undefined });

  useEffect(() => {
    if (state.outcome === undefined) return;
    onChoose(state.outcome === null ? null : items[state.outcome]!.name);
    if (exitOnChoose) exit();
  }, [state.outcome, items, onChoose, exit, exitOnChoose]);

  const layout = pickerLayout(items, state.selected, header, size.columns, size.rows);
  const detailHeight = Math.max(1, size.rows - layout.top.length - layout.list.length - 2);
  return (
    <Box flexDirection="column" width={size.columns} height={size.rows} overflow="hidden">
      {layout.top.map((line, i) => (
        <StyledLine key={`t${i}`} line={line} />
      ))}
      {layout.list.map((line, i) => (
        <StyledLine key={`l${i}`} line={line} inverse={i === layout.selectedRow} />
      ))}
      <StyledLine line={[{ text: '─'.repeat(Math.max(0, size.columns - 1)), tone: 'muted' }]} />
      <Box flexDirection="column" height={detailHeight} flexShrink={0}>
        {layout.details.map((line, i) => (
          <StyledLine key={`d${i}`} line={line} />
        ))}
      </Box>
      <StyledLine line={layout.hints} />
    </Box>
  );
}
