import { describe, expect, it } from 'vitest';
import { Closers } from '../../../src-main/lifecycle/closers';

describe('Closers', () => {
  it('closes in reverse order of adding', async () => {
    const order: string[] = [];
    const closers = new Closers(() => undefined);
    for (const name of ['stores', 'broker', 'api']) closers.add(name, () => order.push(name));
    await closers.close();
    expect(order).toEqual(['api', 'broker', 'stores']);
  });

  it('runs the steps once when close() is called twice at the same time', async () => {
    let runs = 0;
    let release!: () => void;
    const closers = new Closers(() => undefined);
    closers.add('slow part', async () => {
      runs++;
      await new Promise<void>((resolve) => (release = resolve));
    });
    const first = closers.close();
    const second = closers.close();
    expect(second).toBe(first);
    release();
    await Promise.all([first, second]);
    await closers.close();
    expect(runs).toBe(1);
  });

  it('logs each failure with the part it names and closes the other parts anyway', async () => {
    const lines: string[] = [];
    const closed: string[] = [];
    const closers = new Closers((line) => lines.push(line));
    closers.add('pool', () => closed.push('pool'));
    closers.add('broker', () => Promise.reject(new Error('channel already closed')));
    closers.add('sink', () => {
      throw new Error('not listening');
    });
    await closers.close();
    expect(closed).toEqual(['pool']);
    expect(lines).toEqual(['closing the sink failed: not listening', 'closing the broker failed: channel already closed']);
  });

  it('closes at once a part added after closing began', async () => {
    const closers = new Closers(() => undefined);
    await closers.close();
    let closed = false;
    closers.add('late part', () => (closed = true));
    expect(closed).toBe(true);
    expect(closers.closed).toBe(true);
  });
});
