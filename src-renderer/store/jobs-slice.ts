import type { JobActionResult } from '../../src-shared/bridge';
import type { StateCreator } from 'zustand/vanilla';
import { describeError, unreachable } from './failures';
import { NO_FILTER } from './job-filter';
import { applyJobEvents, EMPTY_JOBS, mergeJobSnapshots, type JobsBound } from './jobs-data';
import { addCounts, countChanges, countQueueChanges, type QueueCountKey, type QueueRateSeries } from './throughput';
import type { JobKind } from '../../src-shared/kinds';
import type { ConsoleDeps, ConsoleState, JobAction, JobsSlice } from './state';

/** Each kind's series with its counts added; a kind with nothing new keeps its series. */
function addQueueCounts(
  rates: Readonly<Record<JobKind, QueueRateSeries>>,
  nowMs: number,
  counts: Record<JobKind, Record<QueueCountKey, number>>,
): Readonly<Record<JobKind, QueueRateSeries>> {
  let next: Record<JobKind, QueueRateSeries> | undefined;
  for (const kind of Object.keys(counts) as JobKind[]) {
    const { published, delivered, acked } = counts[kind];
    if (!published && !delivered && !acked) continue;
    next ??= { ...rates };
    next[kind] = addCounts(rates[kind], nowMs, counts[kind]);
  }
  return next ?? rates;
}

export function createJobsSlice({ bridge, maxJobs, pageSize, now }: ConsoleDeps): StateCreator<ConsoleState, [], [], JobsSlice> {
  const boundOf = (state: ConsoleState): JobsBound => ({ maxJobs, keepId: state.selectedJobId });

  return (set, get) => {
    /** Token of the newest page load: only it may say how the list stands. */
    let latestLoad = 0;

    const listRequest = () => {
      const { status, kind } = get().filter;
      return { limit: pageSize, ...(status ? { status } : {}), ...(kind ? { kind } : {}) };
    };

    const act = async (id: string, verb: JobAction['verb'], call: (id: string) => Promise<JobActionResult>) => {
      set({ jobAction: { id, verb, pending: true, problem: null } });
      let answer: JobActionResult;
      try {
        answer = await call(id);
      } catch (error) {
        answer = { ok: false, problem: unreachable(error) };
      }
      if (answer.ok) get().mergeJobs([answer.job]);
      set({ jobAction: { id, verb, pending: false, problem: answer.ok ? null : answer.problem } });
      return answer.ok;
    };

    return {
      ...EMPTY_JOBS,
      selectedJobId: null,
      listStatus: 'idle',
      listError: null,
      filter: NO_FILTER,
      olderCursor: null,
      olderStatus: 'idle',
      jobAction: null,

      applyEvents(events) {
        const state = get();
        const next = applyJobEvents(state, events, boundOf(state));
        if (next === state) return;
        // One update for the jobs and the throughput chart, so a batch renders once.
        const counts = countChanges(state.jobsById, events);
        const throughput = counts.accepted || counts.done ? addCounts(state.throughput, now(), counts) : state.throughput;
        set({ ...next, throughput, queueRates: addQueueCounts(state.queueRates, now(), countQueueChanges(state.jobsById, events)) });
      },

      mergeJobs(jobs) {
        const state = get();
        const next = mergeJobSnapshots(state, jobs, boundOf(state));
        if (next !== state) set(next);
      },

      async loadFirstPage() {
        const load = ++latestLoad;
        set({ listStatus: 'loading', listError: null });
        try {
          const page = await bridge.listJobs(listRequest());
          // Even a superseded page is folded in: versions keep it from moving any job back.
          get().mergeJobs(page.items);
          if (load === latestLoad) set({ listStatus: 'loaded', olderCursor: page.next_cursor, olderStatus: 'idle' });
        } catch (error) {
          if (load === latestLoad) set({ listStatus: 'failed', listError: describeError(error) });
        }
      },

      async loadOlder() {
        const { olderCursor, olderStatus } = get();
        if (!olderCursor || olderStatus === 'loading') return;
        const load = latestLoad;
        set({ olderStatus: 'loading' });
        try {
          const page = await bridge.listJobs({ ...listRequest(), cursor: olderCursor });
          get().mergeJobs(page.items);
          // A filter changed meanwhile: its own first page set the cursor.
          if (load === latestLoad) set({ olderCursor: page.next_cursor, olderStatus: 'idle' });
        } catch (error) {
          if (load === latestLoad) set({ olderStatus: 'failed', listError: describeError(error) });
        }
      },

      setFilter(change) {
        const filter = { ...get().filter, ...change };
        const refetch = filter.status !== get().filter.status || filter.kind !== get().filter.kind;
        set({ filter });
        // The history is asked with the new status and kind, so older pages match the filter.
        if (refetch) void get().loadFirstPage();
      },

      selectJob(id) {
        if (id !== get().selectedJobId) set({ selectedJobId: id, jobAction: null });
      },

      cancelJob: (id) => act(id, 'cancel', (jobId) => bridge.cancelJob(jobId)),
      retryJob: (id) => act(id, 'retry', (jobId) => bridge.retryJob(jobId)),
    };
  };
}
