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
