/**
 * The order of the Jobs table: by any column, ascending or descending. The store holds jobs
 * newest first, so "Created" is that order or its reverse; any other order reads each job's key
 * once as a number and sorts the numbers (the store may hold 100,000 jobs): by counting when
 * they are small whole numbers (status, kind, progress, attempts), else by comparing.
 */
import type { Job } from '../../src-shared/job';
import { BUILTIN_KIND_NAMES } from '../../src-shared/builtin-kinds';
import { JOB_STATUSES } from '../../src-shared/statuses';
import type { ColumnSort } from './column-sort';
import { memoizeIdList } from './id-list-memo';

export type JobSortKey = 'id' | 'kind' | 'status' | 'progress' | 'attempts' | 'created' | 'updated';
export type JobSort = ColumnSort<JobSortKey>;

/** The store's own order. */
export const NEWEST_FIRST: JobSort = { key: 'created', direction: 'descending' };

/** Statuses sort in the order a job lives through them, not by their spelling. */
const STATUS_RANK = new Map<string, number>(JOB_STATUSES.map((status, index) => [status, index]));
const BUILTIN_RANK = new Map<string, number>(BUILTIN_KIND_NAMES.map((kind, index) => [kind, index]));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-/i;
/** Keys a job never changes: the order by them moves only when jobs come or go. */
const FIXED_KEYS: ReadonlySet<JobSortKey> = new Set(['id', 'kind', 'created']);
/** Whole-number keys up to this sort by counting (status, kind, progress, attempts): linear. */
const COUNTING_RANGE = 4_096;

/**
 * The job's key as a number. An API job ID is a UUID: its first 48 bits order it as its text
 * does (IDs sharing them, which UUIDs practically never do, keep the newest first). NaN when
 * the ID is not a UUID.
 */
function numericKey(job: Job, key: JobSortKey, kindRank: ReadonlyMap<string, number>): number {
  switch (key) {
    case 'id':
      return UUID.test(job.id) ? parseInt(job.id.slice(0, 8) + job.id.slice(9, 13), 16) : Number.NaN;
    case 'kind':
      return kindRank.get(job.kind)!;
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

function isSmallWholeNumbers(values: Float64Array): boolean {
  for (const value of values) if (!Number.isInteger(value) || value < 0 || value > COUNTING_RANGE) return false;
  return true;
}

/** Positions 0…n-1 ordered by `values`, stable: a counting sort when the values allow, else a comparison sort. */
function orderOf(values: Float64Array, sign: 1 | -1): Uint32Array {
  if (isSmallWholeNumbers(values)) return countingOrder(values, sign);
  const order = new Uint32Array(values.length);
  for (let index = 0; index < order.length; index++) order[index] = index;
  return order.sort((a, b) => (values[a]! - values[b]!) * sign || a - b);
}

function countingOrder(values: Float64Array, sign: 1 | -1): Uint32Array {
  const bucketOf = (value: number) => (sign === 1 ? value : COUNTING_RANGE - value);
  const starts = new Uint32Array(COUNTING_RANGE + 2);
  for (const value of values) starts[bucketOf(value) + 1]!++;
  for (let bucket = 1; bucket < starts.length; bucket++) starts[bucket]! += starts[bucket - 1]!;
  const order = new Uint32Array(values.length);
  for (let index = 0; index < values.length; index++) order[starts[bucketOf(values[index]!)]!++] = index;
  return order;
}

/** The kinds among the jobs ranked: the built-in ones in their order (A, B, C), then the others by name. */
function kindRanks(ids: readonly string[], jobsById: Readonly<Record<string, Job>>): ReadonlyMap<string, number> {
  const kinds = new Set<string>();
  for (const id of ids) kinds.add(jobsById[id]!.kind);
  const ranked = [...kinds].sort((a, b) => (BUILTIN_RANK.get(a) ?? BUILTIN_RANK.size) - (BUILTIN_RANK.get(b) ?? BUILTIN_RANK.size) || (a < b ? -1 : a > b ? 1 : 0));
  return new Map(ranked.map((kind, index) => [kind, index]));
}

/** Jobs whose IDs are not UUIDs (made-up ones) sort by the IDs' text. */
function byIdText(ids: readonly string[], sign: 1 | -1): readonly string[] {
  const positions = new Map(ids.map((id, index) => [id, index]));
  return [...ids].sort((a, b) => (a === b ? 0 : (a < b ? -1 : 1) * sign) || positions.get(a)! - positions.get(b)!);
}

/**
 * `ids` (newest first) in the order `sort` asks. Ties keep the newest first in both directions,
 * so rows with equal keys do not swap when the direction flips.
 */
export function sortJobIds(ids: readonly string[], jobsById: Readonly<Record<string, Job>>, sort: JobSort): readonly string[] {
  if (sort.key === 'created') return sort.direction === 'descending' ? ids : [...ids].reverse();
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const kindRank = sort.key === 'kind' ? kindRanks(ids, jobsById) : BUILTIN_RANK;
  const values = new Float64Array(ids.length);
  for (let index = 0; index < ids.length; index++) values[index] = numericKey(jobsById[ids[index]!]!, sort.key, kindRank);
  if (values.some(Number.isNaN)) return byIdText(ids, sign);
  const order = orderOf(values, sign);
  const sorted = new Array<string>(order.length);
  for (let index = 0; index < order.length; index++) sorted[index] = ids[order[index]!]!;
  return sorted;
}

/** A memoized `(ids, jobsById, sort) → sorted ids`. */
export function createSortedIdsSelector() {
  return memoizeIdList(sortJobIds, (sort) => !FIXED_KEYS.has(sort.key));
}
