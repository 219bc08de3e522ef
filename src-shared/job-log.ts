import { z } from 'zod';
import { timeSchema } from './job';

/**
 * A job's log: the lines its handler wrote (`ctx.log`), per attempt, kept apart from the job's
 * events. Bounds, per job (all its attempts together): at most {@link JOB_LOG_MAX_LINES} lines and
 * {@link JOB_LOG_MAX_BYTES} bytes of text; a line longer than {@link JOB_LOG_LINE_MAX_BYTES} is cut
 * (ending in `…`). Once a bound is reached, the later lines are refused and one last line,
 * {@link JOB_LOG_FULL_LINE}, says so: the first lines are the ones kept.
 */

/** One line of a job's log, as `GET /api/v1/jobs/<id>/logs` answers it (one JSON object a line). */
export const jobLogLineSchema = z.object({
  /** RFC 3339 UTC time the handler wrote it, with milliseconds. */
  at: timeSchema,
  /** The attempt that wrote it, from 1. */
  attempt: z.number().int().min(1),
  line: z.string(),
});
export type JobLogLine = z.infer<typeof jobLogLineSchema>;

export const JOB_LOG_MAX_LINES = 1_000;
export const JOB_LOG_MAX_BYTES = 256 * 1024;
export const JOB_LOG_LINE_MAX_BYTES = 4 * 1024;

/** The line that ends a job's log once a bound is reached. */
export const JOB_LOG_FULL_LINE = `[log full: at most ${JOB_LOG_MAX_LINES} lines and ${JOB_LOG_MAX_BYTES / 1024} KB per job; later lines dropped]`;

/** The media type of the logs route: one JSON object a line. */
export const JOB_LOG_CONTENT_TYPE = 'application/x-ndjson';
