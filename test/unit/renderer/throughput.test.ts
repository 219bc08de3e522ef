import { describe, expect, it } from 'vitest';
import { AcceptedIds, addCounts, countChanges, countQueueChanges, newlyAccepted, perSecond, THROUGHPUT_SECONDS } from '../../../src-renderer/store/throughput';
import { advance, eventOf, makeJob } from './fixtures';

describe('throughput', () => {
  it('counts a job seen first as accepted, reaching DONE as done, and a repeat as nothing', () => {
    const queued = makeJob({ createdSecond: 1 });
    const done = advance(advance(queued, 'STARTED', 10), 'DONE', 20, 100);
    const counted = new AcceptedIds(10);
    const accepted = newlyAccepted({}, [eventOf(queued)], counted);
    expect(countChanges({}, [eventOf(queued)], accepted)).toEqual({ accepted: 1, done: 0 });
    expect(countChanges({ [queued.id]: queued }, [eventOf(done)], newlyAccepted({ [queued.id]: queued }, [eventOf(done)], counted))).toEqual({ accepted: 0, done: 1 });
    expect(countChanges({ [queued.id]: done }, [eventOf(done)], new Set())).toEqual({ accepted: 0, done: 0 });
  });

  it('counts the QUEUED event of a job the store already holds (a submit answer merged first), once', () => {
    const queued = makeJob({ createdSecond: 1 });
    const held = { [queued.id]: queued };
    const counted = new AcceptedIds(10);
    // Same version as held: the store ignores it, the chart must not.
    expect([...newlyAccepted(held, [eventOf(queued)], counted)]).toEqual([queued.id]);
    expect(newlyAccepted(held, [eventOf(queued)], counted).size).toBe(0);
    // A job the submit answer already counted is not counted again by its event.
    const submitted = makeJob({ createdSecond: 2, id: 'submitted-1' });
    expect(counted.firstSighting(submitted.id)).toBe(true);
    expect(newlyAccepted({}, [eventOf(submitted)], counted).size).toBe(0);
  });

  it('forgets the oldest counted IDs past its limit', () => {
    const counted = new AcceptedIds(2);
    for (const id of ['a', 'b', 'c']) expect(counted.firstSighting(id)).toBe(true);
    expect(counted.firstSighting('c')).toBe(false);
    expect(counted.firstSighting('a')).toBe(true);
  });

  it('counts per queue a new job as published, a new attempt as delivered, a finish after an attempt as acked', () => {
    const queued = makeJob({ createdSecond: 1, kind: 'email', type: 'C' });
    const started = { ...advance(queued, 'STARTED', 10), attempts: 1 };
    const done = advance(started, 'DONE', 20, 100);
    const cancelled = advance(makeJob({ createdSecond: 2 }), 'CANCELLED', 5);
    const fresh = (id: string) => new Set([id]);
    expect(countQueueChanges({}, [eventOf(queued)], fresh(queued.id)).email).toEqual({ published: 1, delivered: 0, acked: 0 });
    expect(countQueueChanges({ [queued.id]: queued }, [eventOf(done)], new Set()).email).toEqual({ published: 0, delivered: 1, acked: 1 });
    expect(countQueueChanges({}, [eventOf(done)], fresh(queued.id)).email).toEqual({ published: 1, delivered: 1, acked: 1 });
    expect(countQueueChanges({ [queued.id]: done }, [eventOf(done)], new Set()).email).toEqual({ published: 0, delivered: 0, acked: 0 });
    // Cancelled before any attempt: never delivered, so nothing was acked by a worker.
    expect(countQueueChanges({}, [eventOf(cancelled)], fresh(cancelled.id)).log).toEqual({ published: 1, delivered: 0, acked: 0 });
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
