import { describe, expect, it } from 'vitest';
import {
  applyJobEvents,
  boundJobs,
  EMPTY_JOBS,
  isLaterSnapshot,
  mergeJobs,
  type JobsData,
} from '../../../src-renderer/store/jobs-data';
import { advance, eventOf, makeJob } from './fixtures';

const BOUND = { maxJobs: 100 };

describe('applyJobEvents', () => {
  it('keeps the highest version when events arrive out of order', () => {
    const queued = makeJob({ createdSecond: 1 });
    const started = advance(queued, 'STARTED', 10);
    const done = advance(started, 'DONE', 20, 100);

    const data = applyJobEvents(
      EMPTY_JOBS,
      [eventOf(done, 3), eventOf(queued, 1), eventOf(started, 2)],
      BOUND,
    );

    expect(data.jobsById[queued.id]?.status).toBe('DONE');
    expect(data.versionById[queued.id]).toBe(3);
    expect(data.jobIds).toEqual([queued.id]);
  });

  it('ignores a late event across batches, and returns the same state when nothing changed', () => {
    const queued = makeJob({ createdSecond: 1 });
    const done = advance(queued, 'DONE', 20, 100);
    const first = applyJobEvents(EMPTY_JOBS, [eventOf(done, 4)], BOUND);

    const second = applyJobEvents(first, [eventOf(queued, 1), eventOf(done, 4)], BOUND);

    expect(second).toBe(first);
    expect(second.jobsById[queued.id]?.status).toBe('DONE');
  });

  it('orders jobs newest first, wherever a new job lands in the batch', () => {
    const older = makeJob({ createdSecond: 10 });
    const newest = makeJob({ createdSecond: 30 });
    const middle = makeJob({ createdSecond: 20 });

    const first = applyJobEvents(EMPTY_JOBS, [eventOf(newest, 1), eventOf(older, 1)], BOUND);
    const second = applyJobEvents(first, [eventOf(middle, 1)], BOUND);

    expect(second.jobIds).toEqual([newest.id, middle.id, older.id]);
  });

  it('applies an event over a list snapshot only when it is not older than the snapshot', () => {
    const queued = makeJob({ createdSecond: 1 });
    const started = advance(queued, 'STARTED', 10);
    const inProgress = advance(started, 'IN PROGRESS', 20, 40);
    const listed = mergeJobs(EMPTY_JOBS, [started], BOUND);

    const stale = applyJobEvents(listed, [eventOf(queued, 1)], BOUND);
    const fresh = applyJobEvents(listed, [eventOf(inProgress, 3)], BOUND);

    expect(stale).toBe(listed);
    expect(fresh.jobsById[queued.id]?.status).toBe('IN PROGRESS');
    expect(fresh.versionById[queued.id]).toBe(3);
  });
});

describe('mergeJobs', () => {
  it('adds unknown jobs and never lets an older snapshot replace what events brought', () => {
    const queued = makeJob({ createdSecond: 1 });
    const done = advance(queued, 'DONE', 20, 100);
    const other = makeJob({ createdSecond: 2 });
    const fromEvents = applyJobEvents(EMPTY_JOBS, [eventOf(done, 5)], BOUND);

    const merged = mergeJobs(fromEvents, [queued, other], BOUND);

    expect(merged.jobsById[queued.id]?.status).toBe('DONE');
    expect(merged.versionById[queued.id]).toBe(5);
    expect(merged.jobIds).toEqual([other.id, queued.id]);
  });

  it('replaces a job with a later snapshot and then judges events by time, not version', () => {
    const queued = makeJob({ createdSecond: 1 });
    const started = advance(queued, 'STARTED', 10);
    const retrying = advance(started, 'RETRYING', 30);
    const fromEvents = applyJobEvents(EMPTY_JOBS, [eventOf(started, 2)], BOUND);

    const caughtUp = mergeJobs(fromEvents, [retrying], BOUND);
    const lateEvent = applyJobEvents(caughtUp, [eventOf(advance(started, 'IN PROGRESS', 20), 3)], BOUND);

    expect(caughtUp.jobsById[queued.id]?.status).toBe('RETRYING');
    expect(caughtUp.versionById[queued.id]).toBeUndefined();
    expect(lateEvent.jobsById[queued.id]?.status).toBe('RETRYING');
  });
});

describe('boundJobs', () => {
  const many = (count: number): JobsData =>
    mergeJobs(
      EMPTY_JOBS,
      Array.from({ length: count }, (_, index) => makeJob({ createdSecond: index })),
      { maxJobs: Number.POSITIVE_INFINITY },
    );

  it('keeps only the newest jobs and forgets the evicted ones entirely', () => {
    const data = applyJobEvents(many(5), [eventOf(makeJob({ createdSecond: 0 }), 9)], { maxJobs: 100 });

    const bounded = boundJobs(data, { maxJobs: 3 });

    expect(bounded.jobIds).toEqual(['job-00004', 'job-00003', 'job-00002']);
    expect(Object.keys(bounded.jobsById).sort()).toEqual(['job-00002', 'job-00003', 'job-00004']);
    expect(bounded.versionById['job-00000']).toBeUndefined();
  });

  it('keeps the job an operator is looking at, even when it is the oldest', () => {
    const bounded = boundJobs(many(5), { maxJobs: 3, keepId: 'job-00000' });

    expect(bounded.jobIds).toEqual(['job-00004', 'job-00003', 'job-00002', 'job-00000']);
    expect(bounded.jobsById['job-00000']).toBeDefined();
    expect(bounded.jobsById['job-00001']).toBeUndefined();
  });

  it('bounds as events add jobs', () => {
    const events = Array.from({ length: 30 }, (_, index) => eventOf(makeJob({ createdSecond: 1000 + index }), 1));

    const data = applyJobEvents(EMPTY_JOBS, events, { maxJobs: 10 });

    expect(data.jobIds).toHaveLength(10);
    expect(data.jobIds[0]).toBe('job-01029');
    expect(data.jobIds[9]).toBe('job-01020');
    expect(Object.keys(data.jobsById)).toHaveLength(10);
  });
});

describe('isLaterSnapshot', () => {
  it('orders by update time, then transitions, then progress', () => {
    const job = makeJob({ createdSecond: 1 });
    const started = advance(job, 'STARTED', 0);
    const further = { ...started, progress: 50 };

    expect(isLaterSnapshot(advance(job, 'STARTED', 5), job)).toBe(true);
    expect(isLaterSnapshot(started, job)).toBe(true);
    expect(isLaterSnapshot(further, started)).toBe(true);
    expect(isLaterSnapshot(started, started)).toBe(false);
  });
});
