/**
 * The pure core of the Batches view: a batch as last read from the API, with each child brought
 * up to date from the job events the console holds, so its tree moves live between reads.
 */
import type { Batch, BatchChild } from '../../src-shared/batch-schemas';
import type { StatusCounts } from '../../src-shared/events';
import type { Job } from '../../src-shared/job';
import { JOB_STATUSES, TERMINAL_STATUSES, type JobStatus } from '../../src-shared/statuses';

/** A child with the newer of its two sources: the batch read, or the job the events brought. */
export function liveChild(child: BatchChild, job: Job | undefined): BatchChild {
  if (!job) return child;
  return { id: child.id, kind: job.kind, status: job.status, progress: job.progress, result: job.result ?? null, error: job.error ?? null };
}

export function countChildren(children: readonly BatchChild[]): StatusCounts {
  const counts: StatusCounts = {};
  for (const child of children) counts[child.status] = (counts[child.status] ?? 0) + 1;
  return counts;
}

/** 0–100, the children's mean progress, a terminal child counting 100 (as the API computes it). */
export function batchProgress(children: readonly BatchChild[]): number {
  if (children.length === 0) return 0;
  const sum = children.reduce((total, child) => total + (TERMINAL_STATUSES.has(child.status) ? 100 : child.progress), 0);
  return Math.round(sum / children.length);
}

/** Counts in the order of the statuses' life, zeros left out. */
export function countEntries(counts: StatusCounts): [JobStatus, number][] {
  return JOB_STATUSES.flatMap((status) => (counts[status] ? [[status, counts[status]] as [JobStatus, number]] : []));
}

/** The batch with its children, counts and progress taken from the live jobs. */
export function liveBatch(batch: Batch, jobsById: Readonly<Record<string, Job>>): Batch {
  const jobs = batch.jobs.map((child) => liveChild(child, jobsById[child.id]));
  if (jobs.every((child, i) => child === batch.jobs[i])) return batch;
  return { ...batch, jobs, counts: countChildren(jobs), progress: batchProgress(jobs) };
}

/** Whether the batch still changes: a child running, or its fan-in callback not yet settled. */
export function isUnsettled(batch: Batch): boolean {
  return batch.status === 'RUNNING' || (batch.on_complete !== null && batch.callback?.state !== 'delivered' && batch.callback?.state !== 'failed');
}
