import { afterEach, describe, expect, it, vi } from 'vitest';
import { onStopSignal } from '../../../src-main/lifecycle/stop-signal';

function stopper(close: () => Promise<void>, deadlineMs = 1_000) {
  const exits: number[] = [];
  const lines: string[] = [];
  const stop = onStopSignal(close, { exit: (code) => exits.push(code), say: (line) => lines.push(line), deadlineMs });
  return { stop, exits, lines };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

afterEach(() => {
  vi.useRealTimers();
});

describe('onStopSignal', () => {
  it('closes once, then exits 0', async () => {
    const close = vi.fn(async () => undefined);
    const { stop, exits, lines } = stopper(close);
    stop();
    await flush();
    expect(close).toHaveBeenCalledTimes(1);
    expect(exits).toEqual([0]);
    expect(lines).toEqual([]);
  });

  it('exits 1 saying why when closing fails', async () => {
    const { stop, exits, lines } = stopper(() => Promise.reject(new Error('broker gone')));
    stop();
    await flush();
    expect(exits).toEqual([1]);
    expect(lines).toEqual(['jobdeck: the console closing failed: broker gone; exiting anyway']);
  });

  it('exits 1 when the close outlasts the deadline', async () => {
    const { stop, exits, lines } = stopper(() => new Promise(() => undefined), 30);
    stop();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(exits).toEqual([1]);
    expect(lines).toEqual(['jobdeck: the console did not close within 0.03 s; exiting anyway']);
  });

  it('counts a repeat within a second once, and exits at once on a signal after that', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const close = vi.fn(() => new Promise<void>(() => undefined));
    const { stop, exits, lines } = stopper(close, 60_000);
    stop();
    vi.advanceTimersByTime(500);
    stop();
    expect(exits).toEqual([]);
    vi.advanceTimersByTime(600);
    stop();
    expect(close).toHaveBeenCalledTimes(1);
    expect(exits).toEqual([1]);
    expect(lines).toEqual(['jobdeck: stopping now']);
  });
});
