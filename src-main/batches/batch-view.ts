import type { Batch, BatchChild } from '../../src-shared/batch-schemas';
import type { StatusCounts } from '../../src-shared/events';
import type { Job } from '../../src-shared/job';
import { TERMINAL_STATUSES } from '../../src-shared/statuses';
import type { Delivery } from '../../src-shared/subscription-schemas';
import { toSummary, type StoredBatch } from './batch-store';

function toChild(id: string, job: Job | null): BatchChild {
  // A child neither Redis nor the history holds yet (the recorder is a moment behind): still queued.
  if (!job) return { id, kind: null, status: 'QUEUED', progress: 0, result: null, error: null };
  return { id, kind: job.kind, status: job.status, progress: job.progress, result: job.result, error: job.error };
}

export function countByStatus(children: readonly BatchChild[]): StatusCounts {
  const counts: StatusCounts = {};
  for (const child of children) counts[child.status] = (counts[child.status] ?? 0) + 1;
  return counts;
}

export const allTerminal = (children: readonly BatchChild[]): boolean =>
  children.every((child) => TERMINAL_STATUSES.has(child.status));

/** Aggregates a batch from its children's current jobs. */
export async function viewBatch(
  batch: StoredBatch,
  readJob: (id: string) => Promise<Job | null>,
  callback: Delivery | null,
): Promise<Batch> {
  const jobs = await Promise.all(batch.job_ids.map(async (id) => toChild(id, await readJob(id))));
  const progress = jobs.reduce((sum, c) => sum + (TERMINAL_STATUSES.has(c.status) ? 100 : c.progress), 0) / jobs.length;
  return {
    ...toSummary(batch),
    total: jobs.length,
    counts: countByStatus(jobs),
    progress: Math.round(progress),
    on_complete: batch.callback_url ? { callback_url: batch.callback_url } : null,
    jobs,
    callback,
  };
}
