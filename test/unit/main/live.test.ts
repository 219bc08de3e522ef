import { describe, expect, it } from 'vitest';
import { live } from '../../../src-main/core/live';

class Counter {
  private count = 0;
  constructor(readonly name: string) {}
  increment(): number {
    return ++this.count;
  }
  get doubled(): number {
    return this.count * 2;
  }
}

describe('live', () => {
  it('forwards to whichever instance stands behind it now, methods bound to that instance', () => {
    let current = new Counter('first');
    const counter = live(() => current);
    const increment = counter.increment;
    expect(increment()).toBe(1);
    expect(counter.doubled).toBe(2);
    current = new Counter('second');
    expect(counter.name).toBe('second');
    expect(counter.increment()).toBe(1);
    expect('increment' in counter).toBe(true);
  });
});
