import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { Tone } from './text.ts';

/**
 * Colours by meaning. Under NO_COLOR (or --no-color) there are none at all; what colour carried is
 * carried by symbols (✔ ✖ ⚠ ○), bold, dim and reverse video instead.
 */
export interface Theme {
  color: boolean;
  /** The terminal colour of a tone, or undefined (no colour). */
  colorOf(tone: Tone | undefined): string | undefined;
  /** Tones that mean "less important" are dimmed when there is no colour to grey them. */
  dimOf(tone: Tone | undefined): boolean;
}

const COLORS: Record<Tone, string> = {
  fail: 'red',
  warn: 'yellow',
  pass: 'green',
  skip: 'gray',
  problem: 'magenta',
  accent: 'cyan',
  muted: 'gray',
  special: 'yellow',
  sent: 'red',
  received: 'green',
};

export function makeTheme(color: boolean): Theme {
  return {
    color,
    colorOf: (tone) => (color && tone ? COLORS[tone] : undefined),
    dimOf: (tone) => !color && (tone === 'skip' || tone === 'muted'),
  };
}

const ThemeContext = createContext<Theme>(makeTheme(true));

export interface ThemeProviderProps {
  /** Use colours (false under NO_COLOR). */
  color: boolean;
  children?: ReactNode;
}

export function ThemeProvider({ color, children }: ThemeProviderProps) {
  const theme = useMemo(() => makeTheme(color), [color]);
  return <ThemeContext.Provider value={theme}>{children}</ThemeContext.Provider>;
}

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
