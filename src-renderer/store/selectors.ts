import type { Job } from '../../src-shared/job';
import type { JobKind } from '../../src-shared/kinds';
import type { JobStatus } from '../../src-shared/statuses';
import { JOB_STATUSES } from '../../src-shared/statuses';
import { BUILTIN_KIND_NAMES as JOB_KINDS } from '../../src-shared/builtin-kinds';
import { createVisibleIdsSelector } from './job-filter';
import { createSortedIdsSelector } from './job-sort';
import { createKindNamesSelector } from './kinds-slice';
import type { ConsoleState } from './state';
import { IDLE_SUBMIT, type SubmitState } from './submit-slice';

const visibleIds = createVisibleIdsSelector();
const sortedIds = createSortedIdsSelector();

export type StatusCounts = Readonly<Record<JobStatus, number>>;
export type KindCounts = Readonly<Record<JobKind, number>>;

/** Counts by status and by kind of the jobs held, memoized on the jobs' identity. */
function createCountsSelector() {
  let lastById: ConsoleState['jobsById'] | undefined;
  let last = tally([], {});
  return (state: ConsoleState) => {
    if (state.jobsById === lastById) return last;
    lastById = state.jobsById;
    last = tally(state.jobIds, state.jobsById);
    return last;
  };
}

function tally(ids: readonly string[], jobsById: ConsoleState['jobsById']) {
  const byStatus = zeros(JOB_STATUSES);
  const byKind = zeros(JOB_KINDS);
  const byKindStatus = Object.fromEntries(JOB_KINDS.map((kind) => [kind, zeros(JOB_STATUSES)])) as Record<JobKind, Record<JobStatus, number>>;
  for (const id of ids) {
    const job = jobsById[id]!;
    byStatus[job.status]++;
    byKind[job.kind] = (byKind[job.kind] ?? 0) + 1;
    (byKindStatus[job.kind] ??= zeros(JOB_STATUSES))[job.status]++;
  }
  return { byStatus: byStatus as StatusCounts, byKind: byKind as KindCounts, byKindStatus: byKindStatus as Readonly<Record<JobKind, StatusCounts>> };
}

function zeros<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
}

const counts = createCountsSelector();

/**
 * Reads of the console store, as plain functions. Each returns a value held in the state (never
 * a new object), so a component re-renders only when what it reads changed.
 */
export const selectors = {
  jobIds: (state: ConsoleState): readonly string[] => state.jobIds,
  job: (state: ConsoleState, id: string): Job | undefined => state.jobsById[id],
  jobCount: (state: ConsoleState): number => state.jobIds.length,
  selectedJob: (state: ConsoleState): Job | undefined =>
    state.selectedJobId === null ? undefined : state.jobsById[state.selectedJobId],
  isSelected: (state: ConsoleState, id: string): boolean => state.selectedJobId === id,
  /** Ticked for a bulk action: by itself, or as one of all that match. */
  isChecked: (state: ConsoleState, id: string): boolean => state.checkedQuery !== null || state.checkedJobIds.has(id),
  listStatus: (state: ConsoleState) => state.firstPage.status,
  listError: (state: ConsoleState) => state.firstPage.error,
  /** Every kind's name, the built-in ones first (those alone until the kinds are read). */
  kindNames: createKindNamesSelector(),
  submitState: (state: ConsoleState, kind: JobKind): SubmitState => state.submit[kind] ?? IDLE_SUBMIT,
  connection: (state: ConsoleState) => state.connection,
  /** The console does not answer: the live feed dropped. Every action is disabled meanwhile. */
  offline: (state: ConsoleState): boolean => state.connection === 'reconnecting',
  lostAt: (state: ConsoleState) => state.lostAt,
  /** The jobs the Jobs view shows: the filter applied, in the order of the sorted column (newest first by default). */
  visibleJobIds: (state: ConsoleState): readonly string[] =>
    sortedIds(visibleIds(state.jobIds, state.jobsById, state.filter), state.jobsById, state.jobSort),
  counts,
  /** The batch holding a job, among the batches read; null when none of them does. */
  batchIdOfJob: (state: ConsoleState, jobId: string): string | null => {
    const list = state.batches.data;
    return list?.ids.find((id) => list.byId[id]?.job_ids.includes(jobId)) ?? null;
  },
  actions: {
    submitJob: (state: ConsoleState) => state.submitJob,
    selectJob: (state: ConsoleState) => state.selectJob,
    loadFirstPage: (state: ConsoleState) => state.loadFirstPage,
  },
};
