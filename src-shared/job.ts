import type { JobKind, JobLetter } from './kinds';
import type { ResolvedPayload } from './schemas';
import type { JobStatus } from './statuses';

/** One step of a job's life. */
export interface Transition {
  status: JobStatus;
  /** RFC 3339 UTC time of the change. */
  at: string;
  /** Who made it: `api`, or the worker as `<host>/<pid>`. */
  worker: string;
}

/** Why one attempt of a job failed. */
export interface AttemptError {
  /** The attempt's number, from 1. */
  attempt: number;
  /** RFC 3339 UTC time it failed. */
  at: string;
  error: string;
}

/** A job as the v1 API, the event stream and the console show it. */
export interface Job {
  /** The ticket: a UUID given when the job was accepted. */
  id: string;
  kind: JobKind;
  /** The book's letter for the kind. */
  type: JobLetter;
  status: JobStatus;
  /** The payload with the console's defaults filled in. */
  payload: ResolvedPayload;
  /** 0–100; 100 once DONE. */
  progress: number;
  /** Attempts a worker has started (a redelivery after a worker died counts as a new one). */
  attempts: number;
  /**
   * The attempt after which a failure is final (the job is FAILED and its message dead-lettered):
   * the job's own `max_attempts`, else `JOBDECK_MAX_ATTEMPTS`. An operator's retry raises it by
   * the job's budget beyond the attempts already made.
   */
  max_attempts: number;
  /** RFC 3339 UTC time the broker hands the job back for its next attempt, while RETRYING; else null. */
  next_attempt_at: string | null;
  /** The error of every failed attempt, oldest first. */
  attempt_errors: AttemptError[];
  created_at: string;
  updated_at: string;
  transitions: Transition[];
  /** What the effect produced, once DONE. */
  result: Record<string, unknown> | null;
  /** Why the last attempt failed, once RETRYING or FAILED; null once DONE. */
  error: string | null;
  /**
   * Counts the job's changes: of two snapshots of one job, from any source (an answer, a list
   * page, an event), the one with the higher version is the later. Not a clock: workers' clocks
   * may differ.
   */
  version: number;
}

/** The book's job answer: `{"uuid", "type", "extra_data"}`. */
export interface BookJob {
  uuid: string;
  type: JobLetter;
  extra_data: ResolvedPayload;
}

/** The book's status answer: `{"uuid", "status"}`. */
export interface BookStatus {
  uuid: string;
  status: JobStatus;
}

/** One page of a list, newest first. */
export interface Page<T> {
  items: T[];
  /** Opaque; pass as `cursor` to get the next (older) page. Null on the last page. */
  next_cursor: string | null;
}

export function toBookJob(job: Pick<Job, 'id' | 'type' | 'payload'>): BookJob {
  return { uuid: job.id, type: job.type, extra_data: job.payload };
}

export function toBookStatus(job: Pick<Job, 'id' | 'status'>): BookStatus {
  return { uuid: job.id, status: job.status };
}
