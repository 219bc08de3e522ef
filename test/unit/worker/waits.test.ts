import { describe, expect, it } from 'vitest';
import { sleep, within } from '../../../src-worker/waits';

async function took(wait: Promise<unknown>): Promise<number> {
  const began = performance.now();
  await wait;
  return performance.now() - began;
}

describe('sleep', () => {
  it('waits the time it is given', async () => {
    expect(await took(sleep(40, new AbortController().signal))).toBeGreaterThanOrEqual(35);
  });

  it('resolves as soon as the signal aborts, or at once when it already has', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 10);
    expect(await took(sleep(5_000, stop.signal))).toBeLessThan(1_000);
    expect(await took(sleep(5_000, stop.signal))).toBeLessThan(50);
  });
});

describe('within', () => {
  it('resolves with the work', async () => {
    expect(await took(within(new Promise((resolve) => setTimeout(resolve, 10)), 5_000))).toBeLessThan(1_000);
  });

  it('resolves at the deadline when the work hangs', async () => {
    const waited = await took(within(new Promise(() => undefined), 40));
    expect(waited).toBeGreaterThanOrEqual(35);
    expect(waited).toBeLessThan(1_000);
  });

  it('passes a failure of the work through', async () => {
    await expect(within(Promise.reject(new Error('channel gone')), 5_000)).rejects.toThrow('channel gone');
  });
});
