/**
 * Which jobs the Jobs view shows: by status, kind and a search — plain text (job ID or payload
 * text), or a query of the server's language (`status:FAILED error:ECONNREFUSED`), which is also
 * sent to the server so older matches beyond what the view holds come in.
 * Filtering is memoized on the inputs' identities, so a store update that changed neither the
 * jobs nor the filter costs nothing, and the payload text of a job is built once per snapshot.
 */
import type { Job } from '../../src-shared/job';
import { parseJobQuery, QuerySyntaxError, type JobQuery } from '../../src-shared/job-query';
import { matchesJobQuery } from '../../src-shared/job-query-match';
import type { JobKind } from '../../src-shared/kinds';
import type { JobStatus } from '../../src-shared/statuses';
import { memoizeIdList } from './id-list-memo';

export interface JobFilter {
  status: JobStatus | null;
  kind: JobKind | null;
  /** A query (see {@link searchQueryOf}), else matched case-insensitively against the job ID and the payload's JSON text. */
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

/** Whether a node asks more than plain words do. */
function isStructured(query: JobQuery): boolean {
  if (query.type === 'and') return query.terms.some(isStructured);
  return query.type !== 'word' && query.type !== 'all';
}

let lastSearch: { text: string; query: JobQuery | null; error: QuerySyntaxError | null } = { text: '', query: null, error: null };

function readSearch(text: string): typeof lastSearch {
  if (text === lastSearch.text) return lastSearch;
  try {
    const query = parseJobQuery(text);
    lastSearch = { text, query: isStructured(query) ? query : null, error: null };
  } catch (error) {
    if (!(error instanceof QuerySyntaxError)) throw error;
    lastSearch = { text, query: null, error };
  }
  return lastSearch;
}

/**
 * The search as a query when it uses the language (a field, `OR` or `-`); null for plain words,
 * which keep matching the ID and payload text as they always did.
 */
export function searchQueryOf(search: string): JobQuery | null {
  return readSearch(search.trim()).query;
}

/** Why a search that looks like a query (a `:` in it) is not one, as the server would say it; null otherwise. */
export function searchSyntaxError(search: string): string | null {
  const { error } = readSearch(search.trim());
  return error && search.includes(':') ? error.message : null;
}

/**
 * The filter as one query of the server's language, for an export: the search when it parses
 * (a query, or plain words, which the server reads as free words) AND the status and kind.
 */
export function exportQueryOf(filter: JobFilter): string {
  const search = readSearch(filter.search.trim());
  return [
    search.error ? '' : search.text,
    filter.status ? `status:"${filter.status}"` : '',
    filter.kind ? `kind:${filter.kind}` : '',
  ].filter(Boolean).join(' ');
}

export function matchesFilter(job: Job, filter: JobFilter, needle = filter.search.trim().toLowerCase()): boolean {
  if (filter.status !== null && job.status !== filter.status) return false;
  if (filter.kind !== null && job.kind !== filter.kind) return false;
  const query = searchQueryOf(filter.search);
  if (query) return matchesJobQuery(job, query);
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
