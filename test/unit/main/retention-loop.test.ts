import { describe, expect, it } from 'vitest';
import { startRetentionLoop } from '../../../src-main/lifecycle/retention-loop';

describe('startRetentionLoop', () => {
  it('prunes every store now and on each round, one failure logged without stopping the others', async () => {
    const runs = { history: 0, mailbox: 0 };
    const lines: string[] = [];
    const stop = startRetentionLoop(
      [
        { what: 'job history', run: async () => runs.history++ },
        { what: 'mailbox messages', run: () => Promise.reject(new Error('relation does not exist')) },
        { what: 'inbox requests', run: async () => runs.mailbox++ },
      ],
      (line) => lines.push(line),
      20,
    );
    expect(runs).toEqual({ history: 1, mailbox: 1 });
    while (runs.history < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    stop();
    const afterStop = { ...runs };
    expect(runs.mailbox).toBe(runs.history);
    expect(lines[0]).toBe('pruning old mailbox messages failed: relation does not exist');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(runs).toEqual(afterStop);
  });
});
