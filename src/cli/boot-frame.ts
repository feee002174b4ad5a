import type { TargetView } from '../core/session.ts';

/*
 * The TUI's first visible frame, written before Ink is loaded. Loading Ink and React takes several
 * times as long as starting Node (the reconciler, Yoga's WebAssembly, the styling libraries), so
 * without this the screen stays empty that long. It is one line — the header the Ink app draws on
 * its first row, with the same text in the same columns — on the alternate screen, with the cursor
 * back home: Ink then draws its first frame over it, row 1 covering row 1, and nothing of it is left.
 */

const ENTER_ALTERNATE_SCREEN = '\u001b[?1049h';
const LEAVE_ALTERNATE_SCREEN = '\u001b[?1049l';
const CLEAR_AND_HOME = '\u001b[2J\u001b[H';
const HOME = '\u001b[H';
const HIDE_CURSOR = '\u001b[?25l';
const SHOW_CURSOR = '\u001b[?25h';

/** The header row as the Ink app's Header draws it: `authdoctor <target>` … `0 requests sent`. */
export function bootHeader(target: TargetView, columns: number): string {
  const right = target.mode === 'offline' ? 'offline: nothing sent' : '0 requests sent';
  const title = target.method && target.url ? `${target.method} ${target.url}` : target.describe;
  // Control characters (a newline in a pasted URL) would move the cursor: show them as spaces.
  // eslint-disable-next-line no-control-regex
  const left = `authdoctor ${title}`.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  const room = Math.max(1, columns - right.length - 1);
  const chars = [...left];
  const shown = chars.length > room ? `${chars.slice(0, room - 1).join('')}…` : left;
  return `${shown}${' '.repeat(Math.max(1, columns - [...shown].length - right.length))}${right}`;
}

/** The bytes of the boot frame: alternate screen, cleared, the header row, cursor hidden and home. */
export function bootFrame(target: TargetView, columns: number): string {
  return `${ENTER_ALTERNATE_SCREEN}${HIDE_CURSOR}${CLEAR_AND_HOME}${bootHeader(target, columns)}${HOME}`;
}

/** Undoes the boot frame when Ink never took over (it failed to load): the shell's screen comes back. */
export const LEAVE_BOOT_FRAME = `${SHOW_CURSOR}${LEAVE_ALTERNATE_SCREEN}`;
