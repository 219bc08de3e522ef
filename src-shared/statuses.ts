/**
 * Every status a job can have, in the order of a job's life. `STARTED`, `IN PROGRESS` and `DONE`
 * are the book's words; the others are Jobdeck's additions. `SCHEDULED`: submitted with `run_at`
 * or `delay_ms`, waiting for its time (README "Delayed jobs"); QUEUED once due.
 */
export const JOB_STATUSES = [
  'SCHEDULED',
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

/**
 * Statuses of a job no worker runs yet and that an operator's cancel ends CANCELLED at once:
 * waiting for its time, for a worker, or for its next attempt.
 */
export const WAITING_STATUSES: readonly JobStatus[] = ['SCHEDULED', 'QUEUED', 'RETRYING'];

/** The status of a job whose start time has not come yet; `POST /api/v1/jobs/<id>/run-now` accepts only it. */
export const SCHEDULED_STATUSES: readonly JobStatus[] = ['SCHEDULED'];

/** Statuses of a job a worker runs now. */
export const RUNNING_STATUSES: readonly JobStatus[] = ['STARTED', 'IN PROGRESS'];

/**
 * Statuses from which an operator may cancel a job: a waiting one ends CANCELLED at once; a
 * running one once its handler has stopped (or DONE, should it finish regardless).
 */
export const CANCELLABLE_STATUSES: readonly JobStatus[] = [...WAITING_STATUSES, ...RUNNING_STATUSES];
