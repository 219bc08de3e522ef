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
  /**
   * Resolves once the kind's own dependency answers again (PostgreSQL's `SELECT 1`, the SMTP
   * server's greeting and EHLO); rejects while it does not. Left out where no check is possible
   * (a user kind): the worker then waits a backoff interval and tries a job again.
   */
  probe?(): Promise<void>;
  close?(): Promise<void>;
}

/**
 * A failure no retry can cure (the effect's target refused the job's own data for good): the job
 * is FAILED at once instead of being retried.
 */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

/**
 * The kind's own dependency could not be reached (PostgreSQL for kind A, the SMTP server for kind
 * C, or what a user handler says is down): the attempt does not count. The job goes back to the
 * queue, and the worker stops taking the kind's jobs until the dependency answers again — up to
 * the longest wait (`JOBDECK_UNAVAILABLE_MAX_WAIT_S`), after which it is a failed attempt.
 */
export class UnavailableError extends Error {
  override name = 'UnavailableError';

  constructor(
    message: string,
    /** What is down, as a log line names it: `PostgreSQL`, `the SMTP server`, `kind resize's dependency`. */
    readonly dependency: string,
  ) {
    super(message);
  }
}
