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

/** Statuses of a job waiting for a worker: not started, or waiting for its next attempt. */
export const WAITING_STATUSES: readonly JobStatus[] = ['QUEUED', 'RETRYING'];

/** Statuses of a job a worker runs now. */
export const RUNNING_STATUSES: readonly JobStatus[] = ['STARTED', 'IN PROGRESS'];

/**
 * Statuses from which an operator may cancel a job: a waiting one ends CANCELLED at once; a
 * running one once its handler has stopped (or DONE, should it finish regardless).
 */
export const CANCELLABLE_STATUSES: readonly JobStatus[] = [...WAITING_STATUSES, ...RUNNING_STATUSES];
