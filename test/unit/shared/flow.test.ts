import { describe, expect, it } from 'vitest';
import { flowFromHash, flowKeysOf, isLimited, kindLimitsSchema } from '../../../src-shared/flow';

describe('kind limits', () => {
  it('takes positive rates (fractions too), whole concurrencies, and null or a left-out field as no limit', () => {
    expect(kindLimitsSchema.parse({ rate_per_s: 0.5, concurrency: 3 })).toEqual({ rate_per_s: 0.5, concurrency: 3 });
    expect(kindLimitsSchema.parse({ rate_per_s: null })).toEqual({ rate_per_s: null, concurrency: null });
    expect(kindLimitsSchema.parse({})).toEqual({ rate_per_s: null, concurrency: null });
  });

  it.each([{ rate_per_s: 0 }, { rate_per_s: 10_001 }, { concurrency: 2.5 }, { concurrency: 0 }, { concurrency: 10_001 }, { other: 1 }])('refuses %j', (body) => {
    expect(kindLimitsSchema.safeParse(body).success).toBe(false);
  });
});

describe('a kind flow from its hash', () => {
  it('is open and unlimited when nothing was set', () => {
    const flow = flowFromHash('email', {});
    expect(flow).toEqual({ kind: 'email', paused: false, paused_at: null, rate_per_s: null, concurrency: null });
    expect(isLimited(flow)).toBe(false);
  });

  it('reads the pause and the limits, and ignores what is not a positive number', () => {
    const at = '2026-12-07T10:00:00.000Z';
    expect(flowFromHash('log', { paused_at: at, rate_per_s: '2.5', concurrency: '4' })).toEqual({ kind: 'log', paused: true, paused_at: at, rate_per_s: 2.5, concurrency: 4 });
    expect(flowFromHash('log', { rate_per_s: 'x', concurrency: '-1' })).toMatchObject({ rate_per_s: null, concurrency: null });
    expect(isLimited({ rate_per_s: null, concurrency: 1 })).toBe(true);
  });

  it('keeps its keys in the namespace', () => {
    const keys = flowKeysOf('jd');
    expect([keys.state('log'), keys.changes, keys.freed, keys.leases('log'), keys.rate('log')]).toEqual(['jd:flow:log', 'jd:flow', 'jd:flow:freed', 'jd:flow:log:leases', 'jd:flow:log:rate']);
  });
});
