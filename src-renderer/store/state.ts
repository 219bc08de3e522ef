/** The console store's shape: one store made of typed slices (jobs, submit, live feed). */
import type { Unsubscribe } from '../../src-shared/bridge';
import type { JobEvent } from '../../src-shared/events';
import type { Job } from '../../src-shared/job';
import type { JobKind } from '../../src-shared/kinds';
import type { Problem } from '../../src-shared/problem';
import type { ConsoleBridge } from '../bridge/console-bridge';
import type { Schedule } from '../bridge/schedule';
import type { ConnectionState } from './connection-state';
import type { JobsData } from './jobs-data';

export type ListStatus = 'idle' | 'loading' | 'loaded' | 'failed';

export interface JobsSlice extends JobsData {
  /** The job whose details are open; kept even when it is among the oldest. */
  selectedJobId: string | null;
  listStatus: ListStatus;
  /** Why the last page load failed, in one sentence. */
  listError: string | null;
  applyEvents(events: readonly JobEvent[]): void;
  /** Folds in snapshots (a list page, a submit answer); a higher version wins. */
  mergeJobs(jobs: readonly Job[]): void;
  /** Loads the newest page of jobs and folds it in; only the latest load sets `listStatus`. */
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
   * Subscribes to the live feed (events batched) and loads the first page. Idempotent: while
   * started, it returns the same stop function and subscribes nothing more. The stop function
   * unsubscribes and drops what is still pending; calling it again does nothing.
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
