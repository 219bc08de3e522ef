/** The console store's shape: one store made of typed slices (jobs, submit, live feed). */
import type { Unsubscribe } from '../../src-shared/bridge';
import type { JobEvent } from '../../src-shared/events';
import type { Job } from '../../src-shared/job';
import type { JobKind } from '../../src-shared/kinds';
import type { Problem } from '../../src-shared/problem';
import type { ConnectionState, ConsoleBridge } from '../bridge/console-bridge';
import type { Schedule } from '../bridge/schedule';
import type { JobsData } from './jobs-data';

export type ListStatus = 'idle' | 'loading' | 'loaded' | 'failed';

export interface JobsSlice extends JobsData {
  /** The job whose details are open; kept even when it is among the oldest. */
  selectedJobId: string | null;
  listStatus: ListStatus;
  /** Why the last page load failed, in one sentence. */
  listError: string | null;
  applyEvents(events: readonly JobEvent[]): void;
  mergeJobs(jobs: readonly Job[]): void;
  /** Loads the newest page of jobs and folds it in. */
  loadFirstPage(): Promise<void>;
  selectJob(id: string | null): void;
}

export interface SubmitState {
  submitting: boolean;
  /** Why the last submission was refused, by the console's own check or by the server. */
  problem: Problem | null;
  /** ID of the last job this form got accepted. */
  lastJobId: string | null;
}

export interface SubmitSlice {
  submit: Readonly<Record<JobKind, SubmitState>>;
  /** Checks the payload with the shared schema, then submits it; true when it was accepted. */
  submitJob(kind: JobKind, payload: Record<string, unknown>): Promise<boolean>;
}

export interface LiveSlice {
  connection: ConnectionState;
  /**
   * Subscribes to the live feed (events batched) and loads the first page. The returned
   * function unsubscribes and drops what is still pending.
   */
  start(): Unsubscribe;
}

export type ConsoleState = JobsSlice & SubmitSlice & LiveSlice;

/** What the slices' actions use; passed in, so tests can give their own bridge and clock. */
export interface ConsoleDeps {
  bridge: ConsoleBridge;
  /** Jobs kept in memory, newest first. */
  maxJobs: number;
  /** Jobs asked for by the first page. */
  pageSize: number;
  /** Longest wait before events reach the store, and shortest time between two updates. */
  eventBatchMs: number;
  schedule: Schedule;
}
