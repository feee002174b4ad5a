import { describe, expect, it } from 'vitest';
import { bootFrame, bootHeader, LEAVE_BOOT_FRAME } from '../../src/cli/boot-frame.ts';

describe('the TUI boot frame (drawn before Ink loads)', () => {
  it('is the header row the Ink app draws first: the target on the left, the request count on the right, full width', () => {
    const row = bootHeader({ describe: 'GET https://api.example.com/v1/me', method: 'GET', url: 'https://api.example.com/v1/me', mode: 'unknown' }, 80);
    expect([...row].length).toBe(80);
    expect(row.startsWith('authdoctor GET https://api.example.com/v1/me ')).toBe(true);
    expect(row.endsWith(' 0 requests sent')).toBe(true);
  });

  it('says nothing is sent for a HAR capture', () => {
    expect(bootHeader({ describe: 'capture.har (HAR capture, offline)', mode: 'offline' }, 80).endsWith('offline: nothing sent')).toBe(true);
  });

  it('truncates a long target with an ellipsis and keeps the count visible', () => {
    const row = bootHeader({ describe: 'x', method: 'GET', url: `https://api.example.com/${'a'.repeat(200)}`, mode: 'unknown' }, 60);
    expect([...row].length).toBe(60);
    expect(row).toContain('…');
    expect(row.endsWith('0 requests sent')).toBe(true);
  });

  it('shows control characters from the command line as spaces, so they cannot move the cursor', () => {
    const row = bootHeader({ describe: 'GET https://a.example/\u001b[2J\nx', mode: 'unknown' }, 80);
    expect([...row].some((c) => c.charCodeAt(0) < 0x20)).toBe(false);
  });

  it('enters the alternate screen, hides the cursor and leaves it home for Ink; leaving undoes both', () => {
    const frame = bootFrame({ describe: 'the request', mode: 'unknown' }, 80);
    expect(frame.startsWith('\u001b[?1049h\u001b[?25l\u001b[2J\u001b[H')).toBe(true);
    expect(frame.endsWith('\u001b[H')).toBe(true);
    expect(LEAVE_BOOT_FRAME).toBe('\u001b[?25h\u001b[?1049l');
  });
});
