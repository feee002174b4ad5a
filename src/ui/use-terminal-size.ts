import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

export interface TerminalSize {
  columns: number;
  rows: number;
}

export interface UseTerminalSizeOptions {
  /** Follow resizes. @default true */
  isActive?: boolean;
}

/**
 * The terminal size, following resizes. Unlike ink's `useWindowSize` it never shells out to guess
 * a size for a stream that has none (a test stream): it falls back to 80×24.
 */
export function useTerminalSize({ isActive = true }: UseTerminalSizeOptions = {}): TerminalSize {
  const { stdout } = useStdout();
  const stream = stdout as NodeJS.WriteStream;
  const read = (): TerminalSize => ({ columns: stream.columns || 80, rows: stream.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (!isActive) return;
    const onResize = () => setSize((prev) => {
      const next = read();
      return prev.columns === next.columns && prev.rows === next.rows ? prev : next;
    });
    stdout.on('resize', onResize);
    onResize();
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, isActive]);
  return size;
}
