import { describe, expect, it } from 'vitest';
import type { QueuesReport } from '../../../src-shared/console-records';
import { problem, setupStore } from './store-fixture';

const report = (ready: number): QueuesReport => ({
  queues: [{ kind: 'email', name: 'jobs.email', ready, consumers: 1, retrying: 0, dead: 0, paused: false, paused_at: null, rate_per_s: null, concurrency: null }],
  removed_kinds: [],
});

describe('queues slice', () => {
  it('keeps the last counts with the error when a later read fails', async () => {
    const { bridge, store } = setupStore([], { now: () => 5_000 });
    bridge.listQueues.mockResolvedValueOnce(report(3)).mockRejectedValueOnce(new Error('No answer from RabbitMQ'));
    await store.getState().loadQueues();
    await store.getState().loadQueues();
    expect(store.getState().queues).toEqual({ status: 'failed', data: report(3), error: 'No answer from RabbitMQ', at: 5_000 });
  });

  it('says a purge is in flight, then what it took off the queue, and reads the counts again', async () => {
    const { bridge, store } = setupStore();
    let answer: (result: { ok: true; result: { kind: 'email'; purged: number; cancelled: number } }) => void = () => undefined;
    bridge.purgeQueue.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    bridge.listQueues.mockResolvedValue(report(0));

    const purged = store.getState().purgeQueue('email');
    expect(store.getState().purge).toEqual({ target: 'email', pending: true, problem: null, answer: null });
    answer({ ok: true, result: { kind: 'email', purged: 4, cancelled: 4 } });

    expect(await purged).toBe(true);
    expect(store.getState().purge?.answer?.result.purged).toBe(4);
    expect(store.getState().queues.data).toEqual(report(0));
  });

  it('keeps a refused purge as its problem', async () => {
    const { bridge, store } = setupStore();
    bridge.purgeQueue.mockResolvedValueOnce({ ok: false, problem: problem(503, 'RabbitMQ is down') });
    bridge.listQueues.mockRejectedValue(new Error('No answer'));
    expect(await store.getState().purgeQueue('email')).toBe(false);
    expect(store.getState().purge).toMatchObject({ target: 'email', pending: false, problem: { status: 503 }, answer: null });
  });
});
