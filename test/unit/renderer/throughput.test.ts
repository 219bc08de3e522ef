import { describe, expect, it } from 'vitest';
import { addCounts, countChanges, countQueueChanges, perSecond, THROUGHPUT_SECONDS } from '../../../src-renderer/store/throughput';
import { advance, eventOf, makeJob } from './fixtures';

describe('throughput', () => {
  it('counts a job seen first as accepted, reaching DONE as done, and a repeat as nothing', () => {
    const queued = makeJob({ createdSecond: 1 });
    const done = advance(advance(queued, 'STARTED', 10), 'DONE', 20, 100);
    expect(countChanges({}, [eventOf(queued)])).toEqual({ accepted: 1, done: 0 });
    expect(countChanges({ [queued.id]: queued }, [eventOf(done)])).toEqual({ accepted: 0, done: 1 });
    expect(countChanges({ [queued.id]: done }, [eventOf(done)])).toEqual({ accepted: 0, done: 0 });
  });

  it('counts per queue a new job as published, a new attempt as delivered, a finish after an attempt as acked', () => {
    const queued = makeJob({ createdSecond: 1, kind: 'email', type: 'C' });
    const started = { ...advance(queued, 'STARTED', 10), attempts: 1 };
    const done = advance(started, 'DONE', 20, 100);
    const cancelled = advance(makeJob({ createdSecond: 2 }), 'CANCELLED', 5);
    expect(countQueueChanges({}, [eventOf(queued)]).email).toEqual({ published: 1, delivered: 0, acked: 0 });
    expect(countQueueChanges({ [queued.id]: queued }, [eventOf(done)]).email).toEqual({ published: 0, delivered: 1, acked: 1 });
    expect(countQueueChanges({}, [eventOf(done)]).email).toEqual({ published: 1, delivered: 1, acked: 1 });
    expect(countQueueChanges({ [queued.id]: done }, [eventOf(done)]).email).toEqual({ published: 0, delivered: 0, acked: 0 });
    // Cancelled before any attempt: never delivered, so nothing was acked by a worker.
    expect(countQueueChanges({}, [eventOf(cancelled)]).log).toEqual({ published: 1, delivered: 0, acked: 0 });
  });

  it('adds counts to the current second and forgets buckets older than the window', () => {
    let series = addCounts([], 1_000, { accepted: 2, done: 0 });
    series = addCounts(series, 1_500, { accepted: 1, done: 1 });
    expect(series).toEqual([{ second: 1, accepted: 3, done: 1 }]);
    series = addCounts(series, (THROUGHPUT_SECONDS + 5) * 1000, { accepted: 0, done: 4 });
    expect(series).toEqual([{ second: THROUGHPUT_SECONDS + 5, accepted: 0, done: 4 }]);
    expect(perSecond(series, THROUGHPUT_SECONDS + 3, THROUGHPUT_SECONDS + 5, 'done')).toEqual([0, 0, 4]);
  });
});
