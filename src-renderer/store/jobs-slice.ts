import type { StateCreator } from 'zustand/vanilla';
import { applyJobEvents, EMPTY_JOBS, mergeJobSnapshots, type JobsBound } from './jobs-data';
import type { ConsoleDeps, ConsoleState, JobsSlice } from './state';

export function createJobsSlice({ bridge, maxJobs, pageSize }: ConsoleDeps): StateCreator<ConsoleState, [], [], JobsSlice> {
  const boundOf = (state: ConsoleState): JobsBound => ({ maxJobs, keepId: state.selectedJobId });

  return (set, get) => {
    /** Token of the newest page load: only it may say how the list stands. */
    let latestLoad = 0;

    return {
      ...EMPTY_JOBS,
      selectedJobId: null,
      listStatus: 'idle',
      listError: null,

      applyEvents(events) {
        const state = get();
        const next = applyJobEvents(state, events, boundOf(state));
        if (next !== state) set(next);
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
          const page = await bridge.listJobs({ limit: pageSize });
          // Even a superseded page is folded in: versions keep it from moving any job back.
          get().mergeJobs(page.items);
          if (load === latestLoad) set({ listStatus: 'loaded' });
        } catch (error) {
          if (load === latestLoad) {
            set({ listStatus: 'failed', listError: error instanceof Error ? error.message : String(error) });
          }
        }
      },

      selectJob(id) {
        if (id !== get().selectedJobId) set({ selectedJobId: id });
      },
    };
  };
}
