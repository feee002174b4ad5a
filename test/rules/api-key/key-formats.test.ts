import { describe, expect, it } from 'vitest';
import { APIS, KEY_FORMATS, type KeyFormat } from '../../../rules/api-key/key-formats.ts';
import { classify, lengthRange } from '../../../rules/api-key/keys.ts';
import { KEYS } from './keys.ts';

/** An example of a format built from its own data: prefix, then its alphabet up to the shortest length. */
function example(f: KeyFormat): string {
  const explicit: Record<string, string> = {
    'anthropic-api-key': KEYS.anthropic,
    'sendgrid-api-key': KEYS.sendgrid,
    'openai-legacy-key': `sk-${'a'.repeat(20)}T3BlbkFJ${'b'.repeat(20)}`,
    'postman-api-key': `PMAK-${'a'.repeat(24)}-${'b'.repeat(34)}`,
    'slack-bot-token': KEYS.slackBot,
  };
  if (explicit[f.id]) return explicit[f.id]!;
  const filler = ['A', 'a', '0', 'f'].find((ch) => f.alphabet.test(ch))!;
  return f.prefix + filler.repeat(lengthRange(f)[0] - f.prefix.length);
}

function hostFor(f: KeyFormat): string {
  const api = APIS.find((a) => a.id === f.api)!;
  return api.hosts[0]!.replace(/^\*\./, 'x.');
}

describe('the key format table', () => {
  it('gives every API a source, at least one placement and a unique id', () => {
    const ids = new Set<string>();
    for (const api of APIS) {
      expect(api.source, api.id).toMatch(/^https:\/\//);
      expect(api.placements.length, api.id).toBeGreaterThan(0);
      expect(ids.has(api.id), api.id).toBe(false);
      ids.add(api.id);
    }
  });

  it('gives every key format a source, a known API and a consistent shape', () => {
    const ids = new Set<string>();
    for (const f of KEY_FORMATS) {
      expect(f.source, f.id).toMatch(/^https:\/\//);
      expect(APIS.some((a) => a.id === f.api), f.id).toBe(true);
      expect(ids.has(f.id), f.id).toBe(false);
      ids.add(f.id);
      const [min, max] = lengthRange(f);
      expect(min, f.id).toBeGreaterThan(f.prefix.length);
      if (max !== undefined) expect(max, f.id).toBeGreaterThanOrEqual(min);
      if (f.prefix === '') expect(f.hostOnly && f.strict, `${f.id}: a key without a prefix must be host-only and strict`).toBe(true);
      if (f.role !== 'secret' && f.role !== 'identifier') expect(f.use, `${f.id}: say what a ${f.role} key is for`).toBeTruthy();
      if (f.structure) expect(f.shape, `${f.id}: describe the structure in words`).toBeTruthy();
    }
  });

  it('recognises an example of every format as that format', () => {
    for (const f of KEY_FORMATS) {
      const c = classify(example(f), hostFor(f));
      expect(c?.format.id, f.id).toBe(f.id);
      expect(c?.problem, f.id).toBeUndefined();
    }
  });

  it('does not recognise host-only formats on other hosts', () => {
    for (const f of KEY_FORMATS.filter((x) => x.hostOnly)) {
      expect(classify(example(f), 'api.example.com')?.format.id, f.id).not.toBe(f.id);
    }
  });

  it('prefers the longest prefix (an Anthropic key is not taken for another sk- key)', () => {
    expect(classify(KEYS.anthropic, '')?.format.id).toBe('anthropic-api-key');
    expect(classify(KEYS.openrouter, '')?.format.id).toBe('openrouter-key');
    expect(classify(KEYS.openaiProject, '')?.format.id).toBe('openai-project-key');
  });
});
