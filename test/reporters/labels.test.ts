import { describe, expect, it } from 'vitest';
import { CAUSE_IDS } from '../../src/core/causes.ts';
import { causeLabel, isRuleProblem, STATUS_SYMBOLS, statusSymbol } from '../../src/reporters/labels.ts';

describe('causeLabel', () => {
  it('gives every cause id its own human name', () => {
    const labels = CAUSE_IDS.map((id) => causeLabel(id));
    expect(new Set(labels).size).toBe(CAUSE_IDS.length);
    for (const [i, label] of labels.entries()) expect(label, CAUSE_IDS[i]).not.toMatch(/_/);
    expect(causeLabel('expired_token')).toBe('Expired token');
    expect(causeLabel('none')).toBe('No authentication failure');
  });

  it('reads an id it does not know as words, and never throws', () => {
    expect(causeLabel('mfa_required')).toBe('Mfa required');
    expect(causeLabel(null)).toBe('No cause');
    expect(causeLabel('')).toBe('No cause');
    expect(causeLabel('__')).toBe('__');
  });
});

describe('status symbols', () => {
  it('uses the doctor symbols and marks rule problems apart', () => {
    expect(STATUS_SYMBOLS).toEqual({ pass: '✔', fail: '✖', warn: '⚠', skip: '○', error: '!', timeout: '⏱' });
    expect(statusSymbol('weird')).toBe('?');
    expect(['fail', 'warn', 'pass', 'skip', 'error', 'timeout'].filter(isRuleProblem)).toEqual(['error', 'timeout']);
  });
});
