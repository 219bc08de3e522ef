/**
 * Which jobs the Jobs view shows: by status, kind and a search text (job ID or payload text).
 * Filtering is memoized on the inputs' identities, so a store update that changed neither the
 * jobs nor the filter costs nothing, and the payload text of a job is built once per snapshot.
 */
import type { Job } from '../../src-shared/job';
import type { JobKind } from '../../src-shared/kinds';
import type { JobStatus } from '../../src-shared/statuses';

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

/** A memoized `(ids, jobsById, filter) → visible ids`; returns `ids` itself when nothing filters. */
export function createVisibleIdsSelector() {
  let lastIds: readonly string[] | undefined;
  let lastById: Readonly<Record<string, Job>> | undefined;
  let lastFilter: JobFilter | undefined;
  let lastResult: readonly string[] = [];
  return (ids: readonly string[], jobsById: Readonly<Record<string, Job>>, filter: JobFilter): readonly string[] => {
    if (ids === lastIds && jobsById === lastById && filter === lastFilter) return lastResult;
    const needle = filter.search.trim().toLowerCase();
    const next = isFiltering(filter) ? ids.filter((id) => matchesFilter(jobsById[id]!, filter, needle)) : ids;
    // The same IDs as before keep the old array, so the table does not re-render.
    const same = next.length === lastResult.length && next.every((id, index) => id === lastResult[index]);
    lastIds = ids;
    lastById = jobsById;
    lastFilter = filter;
    if (!same) lastResult = next;
    return lastResult;
  };
}
