import type { JobMessage } from '../../src-shared/wire';

/** What a handler gets for one job. */
export interface JobContext {
  job: JobMessage;
  /** Which attempt this run is: 1 for the first. */
  attempt: number;
  /** Records progress (0–100) as `IN PROGRESS`. */
  reportProgress(percent: number): Promise<void>;
  /** Keeps one line in the job's log for this attempt (bounded: see job-log.ts); never throws, never waits. */
  log(line: string): void;
  /** Aborted when the worker must stop at once, or an operator cancels the running job (`reason`: an Error saying which). */
  signal: AbortSignal;
}

/** Does one kind's effect for real and says what it produced; throws to fail the attempt. */
export interface JobHandler {
  run(context: JobContext): Promise<Record<string, unknown>>;
  close?(): Promise<void>;
}

/**
 * A failure no retry can cure (the effect's target refused the job's own data for good): the job
 * is FAILED at once instead of being retried.
 */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}
