import { describe, expect, it } from 'vitest';
import { definePlugin, defineRule } from '../../src/plugins/define.ts';
import { findingsOf, makeExchange } from '../helpers/exchange.ts';

const exchange = makeExchange({ status: 401 });

describe('runRules', () => {
  it('turns an empty list into a pass and returns findings in declaration order, not finish order', async () => {
    const plugin = definePlugin({
      name: 't',
      rules: [
        defineRule({ meta: { id: 'slow', title: 'Slow', causes: ['invalid_credentials'] }, check: async () => { await new Promise((r) => setTimeout(r, 30)); return [{ cause: 'invalid_credentials', message: 'slow one' }]; } }),
        defineRule({ meta: { id: 'fast', title: 'Fast', causes: [] }, check: () => [] }),
      ],
    });
    const all = await findingsOf(plugin, exchange, { all: true });
    expect(all.map((f) => [f.ruleId, f.status])).toEqual([['t/slow', 'fail'], ['t/fast', 'pass']]);
  });

  it('isolates a rule that throws as an error finding; the others go on', async () => {
    const plugin = definePlugin({
      name: 't',
      rules: [
        defineRule({ meta: { id: 'boom', title: 'Boom', causes: [] }, check: () => { throw new TypeError('kaput'); } }),
        defineRule({ meta: { id: 'ok', title: 'Ok', causes: ['expired_token'] }, check: () => [{ cause: 'expired_token', message: 'expired' }] }),
      ],
    });
    const all = await findingsOf(plugin, exchange, { all: true });
    expect(all[0]).toMatchObject({ ruleId: 't/boom', status: 'error' });
    expect(all[0]!.message).toContain('kaput');
    expect(all[1]).toMatchObject({ ruleId: 't/ok', status: 'fail', cause: 'expired_token' });
  });

  it('stops a rule that hangs past its timeout with a timeout finding', async () => {
    const plugin = definePlugin({
      name: 't',
      rules: [defineRule({ meta: { id: 'hang', title: 'Hang', causes: [], timeoutMs: 50 }, check: () => new Promise(() => {}) })],
    });
    const [f] = await findingsOf(plugin, exchange);
    expect(f).toMatchObject({ ruleId: 't/hang', status: 'timeout', evidence: { timeoutMs: 50 } });
  });

  it.each([
    ['not an array', () => 'nope'],
    ['a finding without a message', () => [{ cause: 'unknown' }]],
    ['a cause the rule did not declare', () => [{ cause: 'clock_skew', message: 'x' }]],
    ['an unknown cause', () => [{ cause: 'bad_luck', message: 'x' }]],
    ['a failing finding without a cause', () => [{ message: 'x' }]],
  ])('turns a malformed return (%s) into an error finding', async (_name, check) => {
    const plugin = definePlugin({ name: 't', rules: [{ meta: { id: 'bad', title: 'Bad', causes: ['unknown'] }, check: check as never }] });
    const [f] = await findingsOf(plugin, exchange);
    expect(f!.status).toBe('error');
    expect(f!.message).toMatch(/invalid result/);
  });

  it('skips a rule whose appliesTo says no, and hands a frozen context to the rule', async () => {
    let frozen = false;
    const plugin = definePlugin({
      name: 't',
      rules: [
        defineRule({ meta: { id: 'never', title: 'Never', causes: [] }, appliesTo: () => false, check: () => [] }),
        defineRule({ meta: { id: 'peek', title: 'Peek', causes: [] }, check: (ctx) => { frozen = Object.isFrozen(ctx); return []; } }),
      ],
    });
    const all = await findingsOf(plugin, exchange, { all: true });
    expect(all[0]!.status).toBe('skip');
    expect(frozen).toBe(true);
  });

  it('gives a rule the evaluation time, not the wall clock', async () => {
    const sentAt = new Date('2019-01-01T00:00:00Z');
    let seen: Date | undefined;
    const plugin = definePlugin({ name: 't', rules: [defineRule({ meta: { id: 'clock', title: 'Clock', causes: [] }, check: (ctx) => { seen = ctx.now(); return []; } })] });
    await findingsOf(plugin, makeExchange({ sentAt }));
    expect(seen?.toISOString()).toBe(sentAt.toISOString());
  });
});
