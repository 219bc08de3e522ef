import { describe, expect, it } from 'vitest';
import { selectors } from '../../../src-renderer/store/selectors';
import { advance, eventOf, makeJob } from './fixtures';
import { settle, setupStore } from './store-fixture';

describe('live slice: start', () => {
  it('subscribes once however often it is started, and can start again once stopped', async () => {
    const { bridge, store, listenerCount } = setupStore([makeJob({ createdSecond: 1 })]);

    const stop = store.getState().start();
    expect(store.getState().start()).toBe(stop);
    await settle();

    expect(listenerCount()).toBe(4);
    expect(bridge.onJobEvent).toHaveBeenCalledTimes(1);
    expect(bridge.listJobs).toHaveBeenCalledTimes(1);
    stop();
    expect(listenerCount()).toBe(0);
    const again = store.getState().start();
    expect(again).not.toBe(stop);
    expect(listenerCount()).toBe(4);
    stop();
    expect(listenerCount()).toBe(4);
    again();
    expect(listenerCount()).toBe(0);
  });

  it('loads the first 50 jobs and subscribes to the feed; stopping unsubscribes', async () => {
    const { bridge, store, listenerCount } = setupStore([makeJob({ createdSecond: 1 })]);

    const stop = store.getState().start();
    await settle();

    expect(bridge.listJobs).toHaveBeenCalledExactlyOnceWith({ limit: 50 });
    expect(selectors.jobIds(store.getState())).toEqual(['job-00001']);
    expect(selectors.listStatus(store.getState())).toBe('loaded');
    expect(listenerCount()).toBe(4);
    stop();
    stop();
    expect(listenerCount()).toBe(0);
  });
});

describe('live slice: events', () => {
  it('applies a burst of events in one store update per interval', async () => {
    const { emit, schedule, store } = setupStore();
    store.getState().start();
    await settle();
    let updates = 0;
    store.subscribe(() => (updates += 1));

    for (let index = 0; index < 300; index += 1) emit(eventOf(makeJob({ createdSecond: 100 + index }), 1));
    expect(updates).toBe(0);
    expect(selectors.jobCount(store.getState())).toBe(0);
    schedule.advance(100);

    expect(updates).toBe(1);
    expect(selectors.jobCount(store.getState())).toBe(300);
    expect(selectors.jobIds(store.getState())[0]).toBe('job-00399');
  });

  it('counts on the charts every job of a burst that ran QUEUED to DONE within one interval, with 100,000 jobs held', async () => {
    const { emit, schedule, store } = setupStore([], { maxJobs: 100_000 });
    store.getState().mergeJobs(Array.from({ length: 100_000 }, (_, index) => makeJob({ createdSecond: index, id: `held-${index}`, status: 'DONE' })));
    store.getState().start();
    await settle();
    for (let index = 0; index < 1_000; index += 1) {
      const queued = makeJob({ createdSecond: 200_000 + index, id: `burst-${index}` });
      const started = { ...advance(queued, 'STARTED', 5), attempts: 1 };
      for (const job of [queued, started, advance(started, 'DONE', 9, 100)]) emit(eventOf(job));
    }
    schedule.advance(100);

    const { throughput, queueRates, jobsById } = store.getState();
    const sum = (key: 'accepted' | 'done') => throughput.reduce((total, point) => total + point[key], 0);
    expect({ accepted: sum('accepted'), done: sum('done') }).toEqual({ accepted: 1_000, done: 1_000 });
    expect(queueRates.log!.reduce((total, point) => total + point.started, 0)).toBe(1_000);
    expect(jobsById['burst-0']?.status).toBe('DONE');
    // Its size is the point, not its speed (the bench measures that): a busy machine takes seconds.
  }, 60_000);

  it('drops events that arrive after it was stopped', () => {
    const { emit, schedule, store } = setupStore();
    const stop = store.getState().start();
    emit(eventOf(makeJob({ createdSecond: 1 }), 1));
    stop();
    schedule.advance(100);

    expect(selectors.jobCount(store.getState())).toBe(0);
  });

  it('follows the feed and catches up from the list each time it opens', async () => {
    const queued = makeJob({ createdSecond: 1 });
    const done = advance(advance(queued, 'STARTED', 10), 'DONE', 20, 100);
    const { bridge, setConnection, store } = setupStore([queued]);
    store.getState().start();
    await settle();
    expect(selectors.connection(store.getState())).toBe('connecting');
    expect(bridge.listJobs).toHaveBeenCalledTimes(1);

    setConnection('live');
    expect(bridge.listJobs).toHaveBeenCalledTimes(2);
    await settle();
    setConnection('reconnecting');
    expect(selectors.connection(store.getState())).toBe('reconnecting');
    // While the feed was down the job finished; only the list can tell.
    bridge.listJobs.mockResolvedValueOnce({ items: [done], next_cursor: null });
    setConnection('live');
    await settle();

    expect(selectors.connection(store.getState())).toBe('live');
    expect(bridge.listJobs).toHaveBeenCalledTimes(3);
    expect(selectors.jobIds(store.getState())).toEqual([queued.id]);
    expect(selectors.job(store.getState(), queued.id)).toEqual(done);
  });

  it('loads once when the feed is live from the start (IPC)', async () => {
    const { bridge, setConnection, store } = setupStore([makeJob({ createdSecond: 1 })]);
    setConnection('live');

    store.getState().start();
    await settle();

    expect(bridge.listJobs).toHaveBeenCalledTimes(1);
  });

  it('reloads the jobs page and the batches on a resync, then carries on live', async () => {
    const { bridge, emitResync, emit, schedule, store } = setupStore([], { eventBatchMs: 10 });
    store.getState().start();
    await store.getState().loadBatches();
    await settle();
    const jobsBefore = bridge.listJobs.mock.calls.length;
    const batchesBefore = bridge.listBatches.mock.calls.length;

    emitResync({ type: 'resync', last_event_id: '1-0', oldest_id: '5-0', resume_after: '0-0', reason: 'trimmed' });
    await settle();
    expect(bridge.listJobs.mock.calls.length).toBe(jobsBefore + 1);
    expect(bridge.listBatches.mock.calls.length).toBe(batchesBefore + 1);

    const job = makeJob({ createdSecond: 7 });
    emit(eventOf(job));
    schedule.advance(10);
    expect(store.getState().jobsById[job.id]).toBeDefined();
  });
});
