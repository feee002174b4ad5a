import { render } from 'ink';
import { ThemeProvider } from '../theme.tsx';
import type { PickerHeader, PickerItem } from './picker-lines.ts';
import { ScenarioPicker } from './ScenarioPicker.tsx';

export interface PickScenarioOptions {
  items: readonly PickerItem[];
  header: PickerHeader;
  /** The scenario to highlight (the last one opened). */
  initial?: string | undefined;
  color: boolean;
}

/**
 * Shows the picker on the alternate screen (like the TUI, so that going from one to the other and
 * back leaves the shell's scrollback alone) and resolves with the chosen scenario, or null on quit.
 */
export async function pickScenario(options: PickScenarioOptions): Promise<string | null> {
  let choice: string | null = null;
  const instance = render(
    <ThemeProvider color={options.color}>
      <ScenarioPicker items={options.items} header={options.header} initial={options.initial} onChoose={(name) => (choice = name)} />
    </ThemeProvider>,
    { alternateScreen: true, incrementalRendering: true, exitOnCtrlC: false, interactive: true },
  );
  await instance.waitUntilExit();
  return choice;
}
