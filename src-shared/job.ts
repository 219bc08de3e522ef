import { z } from 'zod';
import { shownPayloadSchema, type ResolvedPayload } from './schemas';
import { JOB_STATUSES } from './statuses';

/** RFC 3339 UTC time with milliseconds, as every answer and event carries times. */
export const timeSchema = z.iso.datetime();
/** A kind's name (the registry's; a kind removed from the kinds file keeps its jobs' name). */
export const jobKindSchema = z.string();
export const jobStatusSchema = z.enum(JOB_STATUSES);

/** One step of a job's life. */
export const transitionSchema = z.object({
  status: jobStatusSchema,
  /** RFC 3339 UTC time of the change. */
  at: timeSchema,
  /** Who made it: `api`, or the worker as `<host>/<pid>`. */
  worker: z.string(),
  /** What else an operator should know of this step: a cancel the handler refused by finishing. */
  note: z.string().optional(),
});
export type Transition = z.infer<typeof transitionSchema>;

/** Why one attempt of a job failed. */
export const attemptErrorSchema = z.object({
  /** The attempt's number, from 1. */
  attempt: z.number().int().min(1),
  /** RFC 3339 UTC time it failed. */
  at: timeSchema,
  error: z.string(),
});
export type AttemptError = z.infer<typeof attemptErrorSchema>;

/** A job as the v1 API, the event stream and the console show it. */
export const jobSchema = z.object({
  /** The ticket: a UUID given when the job was accepted. */
  id: z.string(),
  kind: jobKindSchema,
  /** The book's letter of a built-in kind; a user kind's name. */
  type: z.string(),
  status: jobStatusSchema,
  /** The payload with the console's defaults filled in. */
  payload: shownPayloadSchema,
  /** 0–100; 100 once DONE. */
  progress: z.number().min(0).max(100),
  /** Attempts a worker has started (a redelivery after a worker died counts as a new one). */
  attempts: z.number().int().min(0),
  /**
   * The attempt after which a failure is final (the job is FAILED and its message dead-lettered):
   * the job's own `max_attempts`, else `JOBDECK_MAX_ATTEMPTS`. An operator's retry raises it by
   * the job's budget beyond the attempts already made.
   */
  max_attempts: z.number().int().min(1),
  /** RFC 3339 UTC time the broker hands the job back for its next attempt, while RETRYING; else null. */
  next_attempt_at: timeSchema.nullable(),
  /** The error of every failed attempt, oldest first. */
  attempt_errors: z.array(attemptErrorSchema),
  created_at: timeSchema,
  updated_at: timeSchema,
  transitions: z.array(transitionSchema),
  /** What the effect produced, once DONE. */
  result: z.record(z.string(), z.unknown()).nullable(),
  /** Why the last attempt failed, once RETRYING or FAILED; null once DONE. */
  error: z.string().nullable(),
  /** The job this one was submitted to run again with changes ("Run again with changes"); else null. */
  replay_of: z.string().nullable(),
  /** The recurring schedule whose run this job is; else null. */
  schedule_id: z.string().nullable(),
  /** RFC 3339 UTC time the job was submitted to start at (`run_at` or `delay_ms`); null for a job that ran when submitted. */
  run_at: timeSchema.nullable(),
  /**
   * Counts the job's changes: of two snapshots of one job, from any source (an answer, a list
   * page, an event), the one with the higher version is the later. Not a clock: workers' clocks
   * may differ.
   */
  version: z.number().int().min(0),
});
/** The payload is typed as a worker receives it; answers carry it without kind B's secret. */
export type Job = Omit<z.infer<typeof jobSchema>, 'payload'> & { payload: ResolvedPayload };

/** The answer to a cancel of a running job whose handler has not stopped yet: the events tell the rest. */
export const cancelRequestedSchema = z.object({
  /** The job as it is: still STARTED or IN PROGRESS. */
  job: jobSchema,
  cancel: z.literal('requested'),
});

/** The book's job answer: `{"uuid", "type", "extra_data"}`. */
export const bookJobSchema = z.object({
  uuid: z.string(),
  type: z.string(),
  extra_data: shownPayloadSchema,
});
export type BookJob = Omit<z.infer<typeof bookJobSchema>, 'extra_data'> & { extra_data: ResolvedPayload };

/** The book's status answer: `{"uuid", "status"}`. */
export const bookStatusSchema = z.object({ uuid: z.string(), status: jobStatusSchema });
export type BookStatus = z.infer<typeof bookStatusSchema>;

/** One page of a list, newest first. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    /** Opaque; pass as `cursor` to get the next (older) page. Null on the last page. */
    next_cursor: z.string().nullable(),
  });
}
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export function toBookJob(job: Pick<Job, 'id' | 'type' | 'payload'>): BookJob {
  return { uuid: job.id, type: job.type, extra_data: job.payload };
}

export function toBookStatus(job: Pick<Job, 'id' | 'status'>): BookStatus {
  return { uuid: job.id, status: job.status };
}
