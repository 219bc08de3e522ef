import type { Job } from '../../src-shared/job';
import type { JobLogLine } from '../../src-shared/job-log';
import { computeJobTiming, type CausedDelivery, type JobTiming } from '../../src-shared/job-timing';
import { within } from '../lifecycle/within';

/**
 * A source the timing waits for at most this long (the README's fallback time of reads): past it,
 * or when the source fails, the timing answers without it and its notes say so.
 */
export const TIMING_SOURCE_TIMEOUT_MS = 500;

/** Where a job's timing reads what is not on the job. */
export interface TimingSources {
  /** The job's log lines (Redis, then the history); null when they could not be read. */
  logs?: { read(id: string): Promise<JobLogLine[] | null> };
  /** The deliveries the job caused (PostgreSQL). */
  deliveries?: { of(job: Job): Promise<CausedDelivery[]> };
}

/** Reads a job's log and deliveries side by side, each within its time, and computes the timing. */
export async function readJobTiming(job: Job, sources: TimingSources, now: () => number = Date.now): Promise<JobTiming> {
  const bounded = <T>(read: (() => Promise<T>) | undefined, absent: T): Promise<T | null> =>
    read ? within(read().catch(() => null), TIMING_SOURCE_TIMEOUT_MS, null) : Promise.resolve(absent);
  const [logs, deliveries] = await Promise.all([
    bounded(sources.logs && (() => sources.logs!.read(job.id)), []),
    bounded(sources.deliveries && (() => sources.deliveries!.of(job)), []),
  ]);
  return computeJobTiming({ job, logs, deliveries, now: now() });
}
