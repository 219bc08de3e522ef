import { describe, expect, it } from 'vitest';
import {
  applyJobEvents,
  boundJobs,
  EMPTY_JOBS,
  mergeJobSnapshots,
  supersedes,
  type JobsData,
} from '../../../src-renderer/store/jobs-data';
import { advance, eventOf, makeJob } from './fixtures';

const BOUND = { maxJobs: 100 };

/** A job through its life: QUEUED v1, STARTED v2, IN PROGRESS v3, DONE v4. */
function life(createdSecond = 1) {
  const queued = makeJob({ createdSecond });
  const started = advance(queued, 'STARTED', 10);
  const inProgress = advance(started, 'IN PROGRESS', 20, 40);
  const done = advance(inProgress, 'DONE', 30, 100);
  return { queued, started, inProgress, done };
}

describe('supersedes', () => {
  it('is decided by version alone: higher wins, equal keeps the held one, times do not count', () => {
    const { queued, started } = life();
    // A worker whose clock runs behind: the later snapshot carries an earlier time.
    const behindClock = { ...started, updated_at: '2000-01-01T00:00:00.000Z' };

    expect(supersedes(queued, undefined)).toBe(true);
    expect(supersedes(behindClock, queued)).toBe(true);
    expect(supersedes(queued, behindClock)).toBe(false);
    expect(supersedes({ ...started, progress: 90 }, started)).toBe(false);
  });
});

describe('applyJobEvents', () => {
  it('keeps the highest version when events arrive out of order within a batch', () => {
    const { queued, started, done } = life();

    const data = applyJobEvents(EMPTY_JOBS, [eventOf(done), eventOf(queued), eventOf(started)], BOUND);

    expect(data.jobsById[queued.id]).toEqual(done);
    expect(data.jobIds).toEqual([queued.id]);
  });

  it('keeps the highest version when events arrive out of order across batches', () => {
    const { queued, started, inProgress, done } = life();

    let data = applyJobEvents(EMPTY_JOBS, [eventOf(started)], BOUND);
    data = applyJobEvents(data, [eventOf(done)], BOUND);
    data = applyJobEvents(data, [eventOf(inProgress)], BOUND);
    data = applyJobEvents(data, [eventOf(queued)], BOUND);

    expect(data.jobsById[queued.id]?.status).toBe('DONE');
    expect(data.jobsById[queued.id]?.version).toBe(4);
  });

  it('returns the same state when nothing is newer, an equal version included', () => {
    const { queued, done } = life();
    const first = applyJobEvents(EMPTY_JOBS, [eventOf(done)], BOUND);

    const second = applyJobEvents(first, [eventOf(queued), eventOf({ ...done, progress: 7 })], BOUND);

    expect(second).toBe(first);
    expect(second.jobsById[queued.id]?.progress).toBe(100);
  });

  it("takes the event's version for its job when the two disagree", () => {
    const { queued, started } = life();
    const event = { ...eventOf(started, 9), job: started };

    const data = applyJobEvents(EMPTY_JOBS, [event], BOUND);

    expect(data.jobsById[queued.id]?.version).toBe(9);
    expect(applyJobEvents(data, [eventOf({ ...started, status: 'DONE' }, 8)], BOUND)).toBe(data);
  });

  it('never lets an older event overwrite a newer snapshot from a list page', () => {
    const { queued, started, inProgress } = life();
    const listed = mergeJobSnapshots(EMPTY_JOBS, [inProgress], BOUND);

    const stale = applyJobEvents(listed, [eventOf(queued), eventOf(started)], BOUND);
    const same = applyJobEvents(listed, [eventOf(inProgress)], BOUND);

    expect(stale).toBe(listed);
    expect(same).toBe(listed);
  });

  it('replaces a list snapshot with a newer event even when its worker clock is behind', () => {
    const { queued, started, inProgress } = life();
    const listed = mergeJobSnapshots(EMPTY_JOBS, [started], BOUND);
    const behindClock = { ...inProgress, updated_at: '2000-01-01T00:00:00.000Z' };

    const data = applyJobEvents(listed, [eventOf(behindClock)], BOUND);

    expect(data.jobsById[queued.id]).toEqual(behindClock);
  });

  it('orders jobs newest first, wherever a new job lands in the batch', () => {
    const older = makeJob({ createdSecond: 10 });
    const newest = makeJob({ createdSecond: 30 });
    const middle = makeJob({ createdSecond: 20 });

    const first = applyJobEvents(EMPTY_JOBS, [eventOf(newest), eventOf(older)], BOUND);
    const second = applyJobEvents(first, [eventOf(middle)], BOUND);

    expect(second.jobIds).toEqual([newest.id, middle.id, older.id]);
  });
});

describe('mergeJobSnapshots', () => {
  it('adds unknown jobs and never lets an older list snapshot replace what events brought', () => {
    const { queued, inProgress, done } = life();
    const other = makeJob({ createdSecond: 2 });
    const fromEvents = applyJobEvents(EMPTY_JOBS, [eventOf(done)], BOUND);

    const merged = mergeJobSnapshots(fromEvents, [queued, inProgress, done, other], BOUND);

    expect(merged.jobsById[queued.id]).toBe(fromEvents.jobsById[queued.id]);
    expect(merged.jobIds).toEqual([other.id, queued.id]);
  });

  it('replaces an entry made by an event with a list snapshot of a higher version', () => {
    const { queued, started, done } = life();
    const fromEvents = applyJobEvents(EMPTY_JOBS, [eventOf(started)], BOUND);

    const caughtUp = mergeJobSnapshots(fromEvents, [done], BOUND);
    const lateEvent = applyJobEvents(caughtUp, [eventOf(advance(started, 'IN PROGRESS', 20, 50))], BOUND);

    expect(caughtUp.jobsById[queued.id]).toBe(done);
    expect(lateEvent).toBe(caughtUp);
  });

  it('never lets an older submit answer replace a newer state, and returns the same state', () => {
    const { queued, started } = life();
    const fromEvents = applyJobEvents(EMPTY_JOBS, [eventOf(started)], BOUND);

    // The submit answer (QUEUED, v1) arrives after the worker's STARTED event (v2).
    expect(mergeJobSnapshots(fromEvents, [queued], BOUND)).toBe(fromEvents);
  });

  it('keeps the newest of several snapshots of one job in one page', () => {
    const { queued, started, inProgress } = life();

    const data = mergeJobSnapshots(EMPTY_JOBS, [started, inProgress, queued], BOUND);

    expect(data.jobsById[queued.id]).toBe(inProgress);
    expect(data.jobIds).toEqual([queued.id]);
  });

  it('counts a snapshot without a version as older than any other', () => {
    const { queued, started } = life();
    const unversioned = { ...started, version: undefined } as unknown as typeof started;

    const data = mergeJobSnapshots(mergeJobSnapshots(EMPTY_JOBS, [queued], BOUND), [unversioned], BOUND);
    const replaced = applyJobEvents(mergeJobSnapshots(EMPTY_JOBS, [unversioned], BOUND), [eventOf(queued)], BOUND);

    expect(data.jobsById[queued.id]).toBe(queued);
    expect(replaced.jobsById[queued.id]?.status).toBe('QUEUED');
  });
});

describe('boundJobs', () => {
  const many = (count: number): JobsData =>
    mergeJobSnapshots(
      EMPTY_JOBS,
      Array.from({ length: count }, (_, index) => makeJob({ createdSecond: index })),
      { maxJobs: Number.POSITIVE_INFINITY },
    );

  it('keeps only the newest jobs and forgets the evicted ones entirely', () => {
    const bounded = boundJobs(many(5), { maxJobs: 3 });

    expect(bounded.jobIds).toEqual(['job-00004', 'job-00003', 'job-00002']);
    expect(Object.keys(bounded.jobsById).sort()).toEqual(['job-00002', 'job-00003', 'job-00004']);
  });

  it('keeps the job an operator is looking at, even when it is the oldest', () => {
    const bounded = boundJobs(many(5), { maxJobs: 3, keepId: 'job-00000' });

    expect(bounded.jobIds).toEqual(['job-00004', 'job-00003', 'job-00002', 'job-00000']);
    expect(bounded.jobsById['job-00000']).toBeDefined();
    expect(bounded.jobsById['job-00001']).toBeUndefined();
  });

  it('bounds as events add jobs', () => {
    const events = Array.from({ length: 30 }, (_, index) => eventOf(makeJob({ createdSecond: 1000 + index })));

    const data = applyJobEvents(EMPTY_JOBS, events, { maxJobs: 10 });

    expect(data.jobIds).toHaveLength(10);
    expect(data.jobIds[0]).toBe('job-01029');
    expect(data.jobIds[9]).toBe('job-01020');
    expect(Object.keys(data.jobsById)).toHaveLength(10);
  });
});
