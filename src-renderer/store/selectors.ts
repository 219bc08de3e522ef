import type { Job } from '../../src-shared/job';
import type { JobKind } from '../../src-shared/kinds';
import type { ConsoleState, SubmitState } from './state';

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
  listStatus: (state: ConsoleState) => state.listStatus,
  listError: (state: ConsoleState) => state.listError,
  submitState: (state: ConsoleState, kind: JobKind): SubmitState => state.submit[kind],
  connection: (state: ConsoleState) => state.connection,
  actions: {
    submitJob: (state: ConsoleState) => state.submitJob,
    selectJob: (state: ConsoleState) => state.selectJob,
    loadFirstPage: (state: ConsoleState) => state.loadFirstPage,
  },
};
