import { Text, useAnimation } from 'ink';
import { useTheme } from '../theme.tsx';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface SpinnerProps {
  /** Animate; a stopped spinner shows its first frame. @default true */
  isActive?: boolean;
}

/** A one-cell spinner. All spinners share ink's one animation timer, so many rows cost one tick. */
export function Spinner({ isActive = true }: SpinnerProps) {
  const { frame } = useAnimation({ interval: 80, isActive });
  const theme = useTheme();
  return <Text color={theme.colorOf('accent')}>{FRAMES[frame % FRAMES.length]}</Text>;
}
