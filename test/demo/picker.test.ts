import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { pickerItems } from '../../src/cli/demo.ts';
import { SCENARIOS } from '../../src/demo/scenarios/index.ts';
import { matchPickerKey, pickerHints } from '../../src/ui/demo/picker-keys.ts';
import { attemptChain, clipLine, pickerLayout } from '../../src/ui/demo/picker-lines.ts';
import { initialPickerState, pickerReducer, type PickerEvent, type PickerState } from '../../src/ui/demo/picker-state.ts';
import { ScenarioPicker } from '../../src/ui/demo/ScenarioPicker.tsx';
import { cellWidth, lineText, lineWidth } from '../../src/ui/text.ts';
import { ThemeProvider } from '../../src/ui/theme.tsx';
import { KEYS, stripAnsi } from '../ui/render.ts';

const HEADER = { origin: 'http://127.0.0.1:40123', dir: '/tmp/authdoctor-demo-XXXXXX' };
const items = pickerItems(SCENARIOS, new Map());

describe('the picker reducer', () => {
  const cases: [string, PickerState, PickerEvent, Partial<PickerState>][] = [
    ['down moves to the next', initialPickerState(10), { command: 'next' }, { selected: 1 }],
    ['down on the last wraps to the first', initialPickerState(10, 9), { command: 'next' }, { selected: 0 }],
    ['up on the first wraps to the last', initialPickerState(10), { command: 'prev' }, { selected: 9 }],
    ['a digit selects that scenario', initialPickerState(10), { command: 'pick', index: 6 }, { selected: 6 }],
    ['a digit past the end changes nothing', initialPickerState(3, 1), { command: 'pick', index: 9 }, { selected: 1 }],
    ['last and first jump to the ends', initialPickerState(10, 4), { command: 'last' }, { selected: 9 }],
    ['Enter opens the selected one', initialPickerState(10, 4), { command: 'open' }, { outcome: 4 }],
    ['q quits without a choice', initialPickerState(10, 4), { command: 'quit' }, { outcome: null }],
    ['after a choice, keys change nothing', { selected: 2, count: 10, outcome: 2 }, { command: 'next' }, { selected: 2, outcome: 2 }],
  ];
  for (const [name, state, event, expected] of cases) {
    it(name, () => {
      expect(pickerReducer(state, event)).toMatchObject(expected);
    });
  }
  it('starts on a given scenario, clamped to the list', () => {
    expect(initialPickerState(10, 42).selected).toBe(9);
  });
});

describe('the picker keys', () => {
  it('maps arrows, j/k, digits (0 is the tenth), Enter, q, Esc and Ctrl+C', () => {
    expect(matchPickerKey('', { downArrow: true })?.command).toBe('next');
    expect(matchPickerKey('k', {})?.command).toBe('prev');
    expect(matchPickerKey('7', {})).toEqual({ command: 'pick', index: 6 });
    expect(matchPickerKey('0', {})).toEqual({ command: 'pick', index: 9 });
    expect(matchPickerKey('\r', { return: true })?.command).toBe('open');
    expect(matchPickerKey('q', {})?.command).toBe('quit');
    expect(matchPickerKey('\u001b', { escape: true })?.command).toBe('quit');
    expect(matchPickerKey('c', { ctrl: true })?.command).toBe('quit');
    expect(matchPickerKey('x', {})).toBeUndefined();
  });
  it('the hint bar is generated from the same bindings', () => {
    expect(pickerHints().map((h) => h.keys)).toEqual(['↑↓', '1–9,0', 'Enter', 'q']);
  });
});

describe('the picker layout', () => {
  it('fits 80×24: every line within the width, list plus details within the height', () => {
    const layout = pickerLayout(items, 0, HEADER, 80, 24);
    const all = [...layout.top, ...layout.list, ...layout.details, layout.hints];
    for (const line of all) expect(lineWidth(line), lineText(line)).toBeLessThan(80);
    expect(layout.top.length + layout.list.length + 1 + layout.details.length + 1).toBeLessThanOrEqual(24);
  });

  it('lists every scenario by name with its one-line summary, and the selected one has its fix keys first', () => {
    const layout = pickerLayout(items, 1, HEADER, 100, 30);
    expect(layout.list.map(lineText).map((l) => l.trim())).toEqual(items.map((item, i) => expect.stringContaining(`${i === 9 ? 0 : i + 1} ${item.name}`)));
    const details = layout.details.map(lineText);
    expect(details[0]).toContain('Refresh token revoked');
    expect(details[1]).toMatch(/^ {2}fix {2}r {7}try the refresh/);
    expect(details.some((l) => l.includes('then Esc 2'))).toBe(true);
  });

  it('marks the scenarios already tried, and shows how the last run went', () => {
    const results = new Map([['oauth-expired', { ok: true, chain: attemptChain([{ n: 1, status: 401, cause: 'expired_token' }, { n: 2, status: 200, cause: 'none' }]) }]]);
    const layout = pickerLayout(pickerItems(SCENARIOS, results), 0, HEADER, 80, 24);
    expect(lineText(layout.list[0]!)).toMatch(/^❯ ✔ +1 oauth-expired/);
    expect(lineText(layout.list[1]!)).toMatch(/^ {3} +2 oauth-revoked/);
    expect(layout.details.map(lineText).join('\n')).toContain('last run #1 401 expired_token → #2 200 OK');
  });

  it('cuts a line to the width itself (a wrapped line would push the screen down)', () => {
    const cut = clipLine([{ text: 'abc ' }, { text: 'x'.repeat(100) }], 20);
    expect(lineWidth(cut)).toBe(20);
    expect(lineText(cut).endsWith('…')).toBe(true);
    expect(cellWidth(lineText(clipLine([{ text: 'short' }], 20)))).toBe(5);
  });
});

describe('the picker on screen', () => {
  async function mount(initial?: string) {
    const chosen: (string | null)[] = [];
    const instance = render(createElement(ThemeProvider, { color: false }, createElement(ScenarioPicker, { items, header: HEADER, initial, onChoose: (name: string | null) => chosen.push(name), exitOnChoose: false })));
    const settle = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
    await settle();
    const press = async (key: string) => {
      instance.stdin.write(key);
      await settle();
    };
    const frame = () => stripAnsi(instance.lastFrame() ?? '');
    return { instance, chosen, press, frame };
  }

  it('Enter on the second scenario opens oauth-revoked', async () => {
    const ui = await mount();
    expect(ui.frame()).toContain('❯    1 oauth-expired');
    await ui.press(KEYS.down);
    expect(ui.frame()).toContain('❯    2 oauth-revoked');
    expect(ui.frame()).toContain('Refresh token revoked');
    await ui.press(KEYS.enter);
    expect(ui.chosen).toEqual(['oauth-revoked']);
    ui.instance.unmount();
  });

  it('0 selects the tenth scenario, and q leaves without a choice', async () => {
    const ui = await mount('oauth-expired');
    await ui.press('0');
    expect(ui.frame()).toContain('❯    0 proxy-strips-auth');
    await ui.press('q');
    expect(ui.chosen).toEqual([null]);
    ui.instance.unmount();
  });

  it('starts on the scenario it was given (the one just left)', async () => {
    const ui = await mount('clock-skew');
    expect(ui.frame()).toContain('❯    8 clock-skew');
    ui.instance.unmount();
  });
});
