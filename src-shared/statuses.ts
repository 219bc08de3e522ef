/**
 * Every status a job can have. `STARTED`, `IN PROGRESS` and `DONE` are the book's words;
 * the others are Jobdeck's additions.
 */
export const JOB_STATUSES = [
  'QUEUED',
  'STARTED',
  'IN PROGRESS',
  'DONE',
  'RETRYING',
  'FAILED',
  'CANCELLED',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Statuses after which nothing more happens to a job unless an operator retries it. */
export const TERMINAL_STATUSES: ReadonlySet<JobStatus> = new Set(['DONE', 'FAILED', 'CANCELLED']);

/** Statuses from which an operator may retry a job (API, window and console agree). */
export const RETRYABLE_STATUSES: readonly JobStatus[] = ['FAILED', 'CANCELLED'];

/** Statuses from which an operator may cancel a job: it has not started, or waits for its next attempt. */
export const CANCELLABLE_STATUSES: readonly JobStatus[] = ['QUEUED', 'RETRYING'];
