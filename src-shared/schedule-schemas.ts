import { z } from 'zod';
import { cronProblem, isTimeZone } from './cron';
import { jobStatusSchema, timeSchema } from './job';
import type { KindNames } from './kinds';
import { kindSchemaOf } from './schemas';

/** What a schedule does with due times that passed while no console ran it (README "Recurring schedules"). */
export const MISSED_POLICIES = ['skip', 'run_once'] as const;
export type MissedPolicy = (typeof MISSED_POLICIES)[number];

/** How many coming due times `GET /api/v1/schedules/:id` shows. */
export const NEXT_RUNS_SHOWN = 5;
/** How many recent runs `GET /api/v1/schedules/:id` shows. */
export const LAST_RUNS_SHOWN = 10;

const cronSchema = z
  .string({ error: 'must be a string' })
  .max(200)
  .superRefine((cron, context) => {
    const problem = cronProblem(cron);
    if (problem) context.addIssue({ code: 'custom', message: problem, params: { rule: 'cron' } });
  })
  .transform((cron) => cron.trim().replace(/\s+/g, ' '));

const timeZoneSchema = z
  .string({ error: 'must be a string' })
  .max(100)
  .refine(isTimeZone, { message: 'must be an IANA time zone such as UTC or Europe/Berlin', params: { rule: 'iana_time_zone' } });

const missedSchema = z.enum(MISSED_POLICIES, { error: `must be one of ${MISSED_POLICIES.join(', ')}` });

/** `POST /api/v1/schedules` body. */
export function createScheduleSchemaOf(kinds: KindNames) {
  return z.strictObject({
    /** A kind by name or a built-in kind's letter. */
    kind: kindSchemaOf(kinds),
    /** Each run's payload, checked by the kind's payload schema when the schedule is made or changed. */
    payload: z.record(z.string(), z.unknown()).default({}),
    /** Five fields, or six with seconds first (`*∕2 * * * * *`). */
    cron: cronSchema,
    /** The IANA zone the expression's times are read in; UTC when left out. */
    time_zone: timeZoneSchema.default('UTC'),
    /** Due times that passed while no console ran: `skip` fires none, `run_once` one (the latest). */
    missed: missedSchema.default('skip'),
  });
}
export type CreateSchedule = z.output<ReturnType<typeof createScheduleSchemaOf>>;

/** `PATCH /api/v1/schedules/:id` body: any of the create body's fields. */
export function patchScheduleSchemaOf(kinds: KindNames) {
  return z.strictObject({
    kind: kindSchemaOf(kinds).optional(),
    payload: z.record(z.string(), z.unknown()).optional(),
    cron: cronSchema.optional(),
    time_zone: timeZoneSchema.optional(),
    missed: missedSchema.optional(),
  });
}
export type PatchSchedule = z.output<ReturnType<typeof patchScheduleSchemaOf>>;

/** A recurring schedule as the API answers it. */
export const scheduleSchema = z.object({
  id: z.uuid(),
  kind: z.string(),
  /** The book's letter of a built-in kind, or the kind's name. */
  type: z.string(),
  payload: z.record(z.string(), z.unknown()),
  cron: z.string(),
  /** The expression in English. */
  cron_in_words: z.string().nullable(),
  time_zone: z.string(),
  missed: missedSchema,
  paused: z.boolean(),
  created_at: timeSchema,
  updated_at: timeSchema,
  /** The next due time; null while paused. */
  next_run_at: timeSchema.nullable(),
  /** The latest due time a run was fired for (a trigger included). */
  last_run_at: timeSchema.nullable(),
  /** That run's job. */
  last_job_id: z.uuid().nullable(),
});
export type Schedule = z.output<typeof scheduleSchema>;

/** One run of a schedule: its due time (or trigger time), its job and the job's status now. */
export const scheduleRunSchema = z.object({
  due_at: timeSchema,
  job_id: z.uuid(),
  /** When a console claimed the due time. */
  claimed_at: timeSchema,
  /** Run by `POST /api/v1/schedules/:id/trigger` rather than by the cron expression. */
  triggered: z.boolean(),
  /** The job's status; null while it is not submitted yet, or when its job is gone from the history. */
  status: jobStatusSchema.nullable(),
  /** Why the run made no job (its payload no longer valid, its kind removed). */
  error: z.string().nullable(),
});
export type ScheduleRun = z.output<typeof scheduleRunSchema>;

/** `GET /api/v1/schedules/:id`: the schedule, its next five due times and its recent runs, newest first. */
export const scheduleDetailSchema = scheduleSchema.extend({
  next_runs: z.array(timeSchema),
  last_runs: z.array(scheduleRunSchema),
});
export type ScheduleDetail = z.output<typeof scheduleDetailSchema>;
