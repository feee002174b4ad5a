import { describe, expect, it } from 'vitest';
import type { Matcher } from '../../../rules/providers/engine.ts';
import { PACKS } from '../../../rules/providers/packs.ts';
import { CAUSE_IDS } from '../../../src/core/causes.ts';

/** Long inputs made of the pieces the patterns look for: a polynomial pattern takes seconds on them. */
const N = 20_000;
const HOSTILE = [
  "'".repeat(N),
  'a'.repeat(N) + '!',
  ' '.repeat(N) + 'x',
  '[' + 'a]['.repeat(N / 3),
  'Bearer' + ' '.repeat(N) + 'x',
  '\n'.repeat(N) + 'x',
  'User "'.repeat(N / 6),
  ': '.repeat(N / 2),
  ' with roles ['.repeat(N / 14),
  "'x' ".repeat(N / 4),
  '\t \n'.repeat(N / 3) + '!',
];

const BUILTIN_VARS = new Set(['_host', '_path', '_method', '_status']);

/** Every regex and every capture name a matcher can produce. */
function walk(m: Matcher, regexes: RegExp[], names: Set<string>): void {
  if ('all' in m) m.all.forEach((x) => walk(x, regexes, names));
  else if ('any' in m) m.any.forEach((x) => walk(x, regexes, names));
  else if ('not' in m) walk(m.not, regexes, names);
  else if ('body' in m) regexes.push(m.body);
  else if ('field' in m || 'header' in m || 'requestHeader' in m || 'url' in m) {
    if (m.matches) regexes.push(m.matches);
    if (m.capture) names.add(m.capture);
  }
  for (const re of regexes) for (const g of re.source.matchAll(/\(\?<([A-Za-z]\w*)>/g)) names.add(g[1]!);
}

/** Template variable names used in a text: {{x}}, {{#x}}, {{^x}}, {{/x}}. */
function varsOf(text: string): string[] {
  return [...text.matchAll(/\{\{\s*[#^/]?([\w.]+)\s*\}\}/g)].map((m) => m[1]!);
}

/**
 * A group that holds a quantified atom and is itself quantified — `(a+)+`, `(\w*)*` — is the shape
 * of catastrophic backtracking. A small scanner over the source, enough for these patterns.
 */
function hasNestedQuantifier(source: string): boolean {
  const stack: boolean[] = [];
  let quantifiedInside = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '[') {
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      continue;
    }
    if (ch === '(') {
      stack.push(quantifiedInside);
      quantifiedInside = false;
    } else if (ch === ')') {
      const inner = quantifiedInside;
      quantifiedInside = stack.pop() ?? false;
      const next = source[i + 1];
      if (inner && (next === '*' || next === '+' || next === '{')) return true;
      if (inner) quantifiedInside = true;
    } else if (ch === '*' || ch === '+' || ch === '{') {
      quantifiedInside = true;
    }
  }
  return false;
}

describe('the provider catalogue', () => {
  const entries = PACKS.flatMap((p) => p.entries.map((e) => ({ pack: p, entry: e })));

  it('has unique entry ids of the form provider/error', () => {
    const ids = entries.map((x) => x.entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+$/);
  });

  for (const { pack, entry } of entries) {
    it(`${entry.id}: cites a source, has a cause from DESIGN.md §2 and full-sentence fixes`, () => {
      expect(entry.source).toMatch(/^https:\/\/\S+$/);
      expect((CAUSE_IDS as readonly string[]).includes(entry.cause)).toBe(true);
      expect(entry.title.length).toBeGreaterThan(0);
      expect(entry.fixes.length).toBeGreaterThan(0);
      for (const fix of entry.fixes) expect(fix.replace(/\{\{[^}]*\}\}/g, '').trim()).toMatch(/[.)]$/);
      if (entry.confidence) expect(['definitive', 'likely', 'possible']).toContain(entry.confidence);
      expect(pack.provider.length).toBeGreaterThan(0);
    });

    it(`${entry.id}: uses only the values its matcher captures`, () => {
      const regexes: RegExp[] = [];
      const names = new Set<string>(BUILTIN_VARS);
      walk(entry.match, regexes, names);
      const used = [entry.message, ...entry.fixes, ...Object.values(entry.evidence ?? {})].flatMap(varsOf);
      for (const name of used) expect(names.has(name), `${entry.id} uses {{${name}}} but never captures it`).toBe(true);
    });

    it(`${entry.id}: has no regex shaped for catastrophic backtracking`, () => {
      const regexes: RegExp[] = [];
      walk(entry.match, regexes, new Set());
      if (pack.fingerprint) walk(pack.fingerprint, regexes, new Set());
      for (const re of regexes) {
        expect(hasNestedQuantifier(re.source), `${entry.id}: ${re.source}`).toBe(false);
        // and it finishes on long hostile input (a hang would time the test out)
        for (const hostile of HOSTILE) re.exec(hostile);
      }
    });
  }

  it('the nested-quantifier scanner catches the classic shapes', () => {
    expect(hasNestedQuantifier('^(a+)+$')).toBe(true);
    expect(hasNestedQuantifier('(\\w*)*x')).toBe(true);
    expect(hasNestedQuantifier('^(?:[^\']+)$')).toBe(false);
    expect(hasNestedQuantifier("^The client '(?<p>[^']*)' with")).toBe(false);
  });
});
