import type { StateCreator } from 'zustand/vanilla';
import { applyJobEvents, EMPTY_JOBS, mergeJobs, type JobsBound } from './jobs-data';
import type { ConsoleDeps, ConsoleState, JobsSlice } from './state';

export function createJobsSlice({ bridge, maxJobs, pageSize }: ConsoleDeps): StateCreator<ConsoleState, [], [], JobsSlice> {
  const boundOf = (state: ConsoleState): JobsBound => ({ maxJobs, keepId: state.selectedJobId });

  return (set, get) => ({
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
      const next = mergeJobs(state, jobs, boundOf(state));
      if (next !== state) set(next);
    },

    async loadFirstPage() {
      set({ listStatus: 'loading', listError: null });
      try {
        const page = await bridge.listJobs({ limit: pageSize });
        get().mergeJobs(page.items);
        set({ listStatus: 'loaded' });
      } catch (error) {
        set({ listStatus: 'failed', listError: error instanceof Error ? error.message : String(error) });
      }
    },

    selectJob(id) {
      if (id !== get().selectedJobId) set({ selectedJobId: id });
    },
  });
}
