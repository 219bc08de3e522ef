/**
 * Which jobs the Jobs view shows: by status, kind and a search text (job ID or payload text).
 * Filtering is memoized on the inputs' identities, so a store update that changed neither the
 * jobs nor the filter costs nothing, and the payload text of a job is built once per snapshot.
 */
import type { Job } from '../../src-shared/job';
import type { JobKind } from '../../src-shared/kinds';
import type { JobStatus } from '../../src-shared/statuses';
import { memoizeIdList } from './id-list-memo';

export interface JobFilter {
  status: JobStatus | null;
  kind: JobKind | null;
  /** Matched case-insensitively against the job ID and the payload's JSON text. */
  search: string;
}

export const NO_FILTER: JobFilter = { status: null, kind: null, search: '' };

export function isFiltering(filter: JobFilter): boolean {
  return filter.status !== null || filter.kind !== null || filter.search.trim() !== '';
}

const searchTextOf = new WeakMap<Job, string>();

function searchText(job: Job): string {
  let text = searchTextOf.get(job);
  if (text === undefined) {
    text = `${job.id} ${JSON.stringify(job.payload)}`.toLowerCase();
    searchTextOf.set(job, text);
  }
  return text;
}

export function matchesFilter(job: Job, filter: JobFilter, needle = filter.search.trim().toLowerCase()): boolean {
  if (filter.status !== null && job.status !== filter.status) return false;
  if (filter.kind !== null && job.kind !== filter.kind) return false;
  return needle === '' || searchText(job).includes(needle);
}

/** The IDs `filter` lets through, in their order; `ids` itself when nothing filters. */
export function filterJobIds(ids: readonly string[], jobsById: Readonly<Record<string, Job>>, filter: JobFilter): readonly string[] {
  if (!isFiltering(filter)) return ids;
  const needle = filter.search.trim().toLowerCase();
  return ids.filter((id) => matchesFilter(jobsById[id]!, filter, needle));
}

/** A memoized `(ids, jobsById, filter) → visible ids`. */
export function createVisibleIdsSelector() {
  return memoizeIdList(filterJobIds);
}
