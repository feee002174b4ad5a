import { describe, expect, it } from 'vitest';
import type { SessionCommand } from '../../src/core/session.ts';
import { hintsFor, KEY_BINDINGS, keysLabel, matchKey, usableIn, type KeyContext } from '../../src/ui/key-bindings.ts';

const CONTEXTS: KeyContext[] = ['main', 'details', 'help', 'edit', 'text', 'fatal'];

describe('the key-binding registry', () => {
  it('gives every command of the issue a key', () => {
    const commands = new Set(KEY_BINDINGS.map((b) => b.command));
    const required: SessionCommand[] = ['select-prev', 'select-next', 'open-details', 'next-failing', 'prev-failing', 'back', 'quit', 'refresh', 'edit', 'retry', 'bypass-proxy', 're-sign', 'copy-curl', 'export-markdown', 'toggle-watch', 'help'];
    for (const c of required) expect(commands.has(c), c).toBe(true);
  });

  it('never binds one key to two commands in the same context', () => {
    for (const context of CONTEXTS) {
      const seen = new Map<string, string>();
      for (const b of KEY_BINDINGS.filter((x) => x.contexts.includes(context))) {
        for (const k of b.keys.filter((spec) => usableIn(context, spec))) {
          const id = JSON.stringify(k);
          expect(seen.get(id) ?? b.command, `${context}: ${id}`).toBe(b.command);
          seen.set(id, b.command);
        }
      }
    }
  });

  it.each<[KeyContext, string, Record<string, boolean>, SessionCommand | undefined]>([
    ['main', 'j', {}, 'select-next'],
    ['main', '', { downArrow: true }, 'select-next'],
    ['main', 'R', {}, 'retry'],
    ['main', 'r', {}, 'refresh'],
    ['main', '', { return: true }, 'open-details'],
    ['details', '', { return: true }, undefined],
    ['main', 'c', { ctrl: true }, 'quit'],
    ['main', 'c', {}, 'copy-curl'],
    ['edit', 'q', {}, undefined],
    ['edit', 'c', { ctrl: true }, 'quit'],
    ['edit', '', { return: true }, 'edit-submit'],
    ['edit', '', { escape: true }, 'back'],
    ['fatal', 'r', {}, undefined],
    ['fatal', 'q', {}, 'quit'],
  ])('%s: %j %j → %s', (context, input, key, command) => {
    expect(matchKey(context, input, key)?.binding.command).toBe(command);
  });

  it('numbers pick the listed action', () => {
    expect(matchKey('details', '3', {})).toMatchObject({ index: 2 });
  });

  it('the hint bar comes from the same registry, in rank order', () => {
    expect(hintsFor('main').map((h) => `${h.keys} ${h.hint}`).slice(0, 4)).toEqual(['↑↓ move', 'Enter details', 'n next ✖', 'r refresh']);
    expect(hintsFor('edit').map((h) => h.keys)).toContain('Ctrl+C');
    expect(hintsFor('edit').map((h) => h.keys)).not.toContain('q');
    expect(keysLabel(KEY_BINDINGS.find((b) => b.command === 'run-action')!)).toBe('1–9');
  });
});
