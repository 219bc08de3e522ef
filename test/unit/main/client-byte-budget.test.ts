import { describe, expect, it } from 'vitest';
import { ClientByteBudget, PER_ITEM_BYTES, recordByteBudget } from '../../../src-main/inbox/client-byte-budget';

function budgetAt(clock: { now: number }) {
  return new ClientByteBudget({ bytesPerSecond: 1000, burstBytes: 4000, perItemBytes: 0, now: () => clock.now });
}

describe('ClientByteBudget', () => {
  it('lets a quiet client send its burst at once, then its rate, and says when it may send again', () => {
    const clock = { now: 0 };
    const budget = budgetAt(clock);
    expect(budget.take('a', 3000)).toEqual({ allowed: true });
    expect(budget.take('a', 1500)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    clock.now = 500;
    expect(budget.take('a', 1500)).toEqual({ allowed: true });
    expect(budget.take('a', 2500)).toEqual({ allowed: false, retryAfterSeconds: 3 });
  });

  it('keeps one budget per client, and a refused item takes nothing', () => {
    const clock = { now: 0 };
    const budget = budgetAt(clock);
    expect(budget.take('a', 4000).allowed).toBe(true);
    expect(budget.take('b', 4000).allowed).toBe(true);
    expect(budget.take('a', 1).allowed).toBe(false);
    clock.now = 1000;
    expect(budget.check('a', 1000).allowed).toBe(true);
    expect(budget.take('a', 1000).allowed).toBe(true);
    expect(budget.take('a', 1).allowed).toBe(false);
  });

  it('counts a fixed cost per item, so that empty items are not free', () => {
    const budget = recordByteBudget(10 * PER_ITEM_BYTES, 0);
    let taken = 0;
    while (budget.take('a', 0).allowed) taken++;
    expect(taken).toBe(40);
  });

  it('always has room for the largest item after a quiet spell', () => {
    const budget = recordByteBudget(1024, 1024 * 1024);
    expect(budget.take('a', 1024 * 1024).allowed).toBe(true);
  });
});
