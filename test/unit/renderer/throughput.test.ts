import { describe, expect, it } from 'vitest';
import type { Job } from '../../../src-shared/job';
import {
  acceptedOnSubmit,
  addCounts,
  chartsAfter,
  countEvents,
  JobSightings,
  NO_QUEUE_RATES,
  perSecond,
  THROUGHPUT_SECONDS,
} from '../../../src-renderer/store/throughput';
import { advance, eventOf, makeJob } from './fixtures';

/** A job's life as its events tell it: QUEUED, STARTED (attempt 1), IN PROGRESS, DONE. */
function lifeOf(queued: Job): Job[] {
  const started = { ...advance(queued, 'STARTED', 5), attempts: 1 };
  const working = advance(started, 'IN PROGRESS', 6);
  return [queued, started, working, advance(working, 'DONE', 9, 100)];
}

const total = (charts: { throughput: readonly { accepted: number; done: number }[] }, key: 'accepted' | 'done') =>
  charts.throughput.reduce((sum, point) => sum + point[key], 0);

describe('throughput', () => {
  it('counts a job accepted, started and done within one batch once each', () => {
    const [queued, ...rest] = lifeOf(makeJob({ createdSecond: 1 }));
    const counts = countEvents([queued!, ...rest].map((job) => eventOf(job)), new JobSightings(10));
    expect(counts).toMatchObject({ accepted: 1, done: 1 });
    expect(counts.queues.log).toEqual({ accepted: 1, started: 1, finished: 1 });
  });

  it('counts nothing for a repeated or stale event', () => {
    const life = lifeOf(makeJob({ createdSecond: 1 }));
    const sightings = new JobSightings(10);
    countEvents(life.map((job) => eventOf(job)), sightings);
    const again = countEvents([eventOf(life[3]!), eventOf(life[0]!)], sightings);
    expect(again).toMatchObject({ accepted: 0, done: 0 });
    expect(again.queues.log ?? { accepted: 0, started: 0, finished: 0 }).toEqual({ accepted: 0, started: 0, finished: 0 });
  });

  it('counts a submit answer once, whether it comes before or after the job events', () => {
    const sightings = new JobSightings(10);
    const [queuedFirst, ...restFirst] = lifeOf(makeJob({ createdSecond: 1 }));
    let charts = acceptedOnSubmit({ throughput: [], queueRates: NO_QUEUE_RATES }, [queuedFirst!], 1_000, sightings);
    charts = chartsAfter(charts, [queuedFirst!, ...restFirst].map((job) => eventOf(job)), 1_100, sightings);
    const late = lifeOf(makeJob({ createdSecond: 2 }));
    charts = chartsAfter(charts, late.map((job) => eventOf(job)), 1_200, sightings);
    charts = acceptedOnSubmit(charts, [late[0]!], 1_300, sightings);
    expect(total(charts, 'accepted')).toBe(2);
    expect(total(charts, 'done')).toBe(2);
  });

  it('does not count an operator retry, nor a job first seen mid-life, as accepted; its end still counts', () => {
    const failed = advance({ ...advance(makeJob({ createdSecond: 1 }), 'STARTED', 5), attempts: 1 }, 'FAILED', 9);
    const retried = advance(failed, 'QUEUED', 20);
    const restarted = { ...advance(retried, 'STARTED', 25), attempts: 2 };
    const counts = countEvents([eventOf(retried), eventOf(restarted), eventOf(advance(restarted, 'DONE', 30))], new JobSightings(10));
    expect(counts).toMatchObject({ accepted: 0, done: 1 });
    expect(counts.queues.log).toEqual({ accepted: 0, started: 1, finished: 1 });
  });

  it('counts a redelivered attempt as another start, and a job cancelled while queued as finished', () => {
    const started = { ...advance(makeJob({ createdSecond: 1, kind: 'email', type: 'C' }), 'STARTED', 5), attempts: 1 };
    const redelivered = { ...advance(started, 'STARTED', 50), attempts: 2 };
    const cancelled = advance(makeJob({ createdSecond: 2, kind: 'email', type: 'C' }), 'CANCELLED', 5);
    const sightings = new JobSightings(10);
    countEvents([eventOf(started)], sightings);
    const counts = countEvents([eventOf(redelivered), eventOf(makeJob({ createdSecond: 2, kind: 'email', type: 'C' })), eventOf(cancelled)], sightings);
    expect(counts.queues.email).toEqual({ accepted: 1, started: 1, finished: 1 });
  });

  it('does not count what a replay after a resync brings from before the window', () => {
    const sightings = new JobSightings(10);
    const atStreamMs = (job: Job, ms: number) => ({ ...eventOf(job), id: `${ms}-0` });
    const live = makeJob({ createdSecond: 1 });
    const old = makeJob({ createdSecond: 2 });
    const recent = makeJob({ createdSecond: 3 });
    const nowMs = 1_700_000_000_000;
    expect(countEvents([atStreamMs(live, nowMs)], sightings).accepted).toBe(1);
    const replay = [atStreamMs(old, nowMs - THROUGHPUT_SECONDS * 1000 - 1), atStreamMs(recent, nowMs - 1_000), atStreamMs(live, nowMs)];
    expect(countEvents(replay, sightings).accepted).toBe(1);
  });

  it('forgets the oldest sightings past its limit', () => {
    const sightings = new JobSightings(2);
    const jobs = [1, 2, 3].map((second) => makeJob({ createdSecond: second }));
    for (const job of jobs) expect(sightings.acceptedOnAnswer(job)).toBe(true);
    expect(sightings.acceptedOnAnswer(jobs[2]!)).toBe(false);
    expect(sightings.acceptedOnAnswer(jobs[0]!)).toBe(true);
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
