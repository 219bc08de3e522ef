/**
 * Jobs per second, in (accepted) and done, over the last minutes, counted from the live
 * events as they reach the store, one bucket a second. Pure functions over an immutable series, so the chart re-renders once per flush.
 */
import type { JobEvent } from '../../src-shared/events';
import type { Job } from '../../src-shared/job';
import type { JobStatus } from '../../src-shared/statuses';

export const THROUGHPUT_SECONDS = 300;

export interface ThroughputPoint {
  /** Unix second the bucket counts. */
  second: number;
  accepted: number;
  done: number;
}

/** Newest last; at most {@link THROUGHPUT_SECONDS} buckets, none older than that. */
export type ThroughputSeries = readonly ThroughputPoint[];

/**
 * What a batch of events adds, judged against the jobs held before it: a job seen for the
 * first time while QUEUED, STARTED or IN PROGRESS was accepted; a job that reaches DONE is done.
 * A stale or repeated event adds nothing. (Batching keeps each job's newest event only, so a
 * job accepted and done within one batch counts as done only.)
 */
export function countChanges(before: Readonly<Record<string, Job>>, events: readonly JobEvent[]): { accepted: number; done: number } {
  let accepted = 0;
  let done = 0;
  for (const event of events) {
    const held = before[event.job_id];
    if (held && held.version >= event.version) continue;
    if (!held && ACCEPTED_STATUSES.has(event.job.status)) accepted++;
    if (event.job.status === 'DONE' && held?.status !== 'DONE') done++;
  }
  return { accepted, done };
}

const ACCEPTED_STATUSES = new Set<JobStatus>(['QUEUED', 'STARTED', 'IN PROGRESS']);

/** The series with `counts` added to the bucket of `nowMs`, older buckets trimmed. */
export function addCounts(series: ThroughputSeries, nowMs: number, counts: { accepted: number; done: number }): ThroughputSeries {
  const second = Math.floor(nowMs / 1000);
  const oldest = second - THROUGHPUT_SECONDS + 1;
  const kept = series.filter((point) => point.second >= oldest);
  const last = kept[kept.length - 1];
  if (last && last.second === second) {
    return [...kept.slice(0, -1), { second, accepted: last.accepted + counts.accepted, done: last.done + counts.done }];
  }
  return [...kept, { second, ...counts }];
}

/** One value per second from `fromSecond` to `toSecond`, zero where no bucket is. */
export function perSecond(series: ThroughputSeries, fromSecond: number, toSecond: number, key: 'accepted' | 'done'): number[] {
  const bySecond = new Map(series.map((point) => [point.second, point[key]]));
  const values: number[] = [];
  for (let second = fromSecond; second <= toSecond; second++) values.push(bySecond.get(second) ?? 0);
  return values;
}
