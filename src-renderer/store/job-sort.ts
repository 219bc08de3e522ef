/**
 * The order of the Jobs table: by any column, ascending or descending. The store holds jobs
 * newest first, so "Created, descending" is that order as it is and costs nothing; any other
 * order reads each job's key once and sorts the keys (the store may hold 100,000 jobs).
 */
import type { Job } from '../../src-shared/job';
import { JOB_STATUSES } from '../../src-shared/statuses';
import { memoizeIdList } from './id-list-memo';

export type JobSortKey = 'id' | 'kind' | 'status' | 'progress' | 'attempts' | 'created' | 'updated';
export type SortDirection = 'ascending' | 'descending';

export interface JobSort {
  key: JobSortKey;
  direction: SortDirection;
}

/** The store's own order. */
export const NEWEST_FIRST: JobSort = { key: 'created', direction: 'descending' };

/** Statuses sort in the order a job lives through them, not by their spelling. */
const STATUS_RANK = new Map<string, number>(JOB_STATUSES.map((status, index) => [status, index]));

function sortValue(job: Job, key: JobSortKey): string | number {
  switch (key) {
    case 'id':
      return job.id;
    case 'kind':
      return job.kind;
    case 'status':
      return STATUS_RANK.get(job.status) ?? JOB_STATUSES.length;
    case 'progress':
      return job.progress;
    case 'attempts':
      return job.attempts;
    case 'created':
      return Date.parse(job.created_at);
    case 'updated':
      return Date.parse(job.updated_at);
  }
}

/** Clicking a column's header: the same column flips its direction, another starts ascending. */
export function nextSort(current: JobSort, key: JobSortKey): JobSort {
  if (current.key !== key) return { key, direction: 'ascending' };
  return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
}

/**
 * `ids` (newest first) in the order `sort` asks. Ties keep the newest first in both directions,
 * so rows with equal keys do not swap when the direction flips.
 */
export function sortJobIds(ids: readonly string[], jobsById: Readonly<Record<string, Job>>, sort: JobSort): readonly string[] {
  if (sort.key === 'created' && sort.direction === 'descending') return ids;
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const keyed = ids.map((id, index) => ({ id, index, value: sortValue(jobsById[id]!, sort.key) }));
  keyed.sort((a, b) => {
    if (a.value !== b.value) return (a.value < b.value ? -1 : 1) * sign;
    return a.index - b.index;
  });
  return keyed.map((entry) => entry.id);
}

/** A memoized `(ids, jobsById, sort) → sorted ids`. */
export function createSortedIdsSelector() {
  return memoizeIdList(sortJobIds);
}
