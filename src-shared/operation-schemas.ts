import { z } from 'zod';
import { jobKindSchema, jobStatusSchema, timeSchema } from './job';
import { confirmSchema } from './mode-report';

/** Most job IDs one operation may name; a larger set is a `query`. */
export const MAX_OPERATION_IDS = 10_000;

/** How many jobs a sample of a dry run shows at most. */
export const OPERATION_SAMPLE_SIZE = 20;

/** The actions an operation over jobs runs, each the single-job verb of the same name. */
export const JOB_ACTIONS = ['retry', 'cancel'] as const;
export type JobAction = (typeof JOB_ACTIONS)[number];

/** Every action an operation runs: over jobs, or over dead letters (`requeue`, `discard`: POST /api/v1/dead-letters/<action>). */
export const OPERATION_ACTIONS = [...JOB_ACTIONS, 'requeue', 'discard'] as const;
export type OperationAction = (typeof OPERATION_ACTIONS)[number];

/**
 * How far the count may move between the dry run and the start: more than this many jobs
 * (1 % of `expected`, at least 10) is a 409 with the new count.
 */
export function driftMargin(expected: number): number {
  return Math.max(10, Math.ceil(expected * 0.01));
}

const jobIdSchema = z.uuid({ error: 'must be a job ID (a UUID)' });

/**
 * `POST /api/v1/operations` body: an action over the jobs a query matches (over the whole
 * history) or over named jobs. `dry_run` answers the counts and changes nothing; otherwise
 * `expected` (the dry run's `matched`) is required for a query and optional for `ids`.
 */
export const createOperationSchema = z
  .strictObject({
    action: z.enum(JOB_ACTIONS),
    /** A search as `GET /api/v1/jobs?q=` takes it. */
    query: z.string().max(2000).optional(),
    /** Job IDs, at most {@link MAX_OPERATION_IDS}. */
    ids: z.array(jobIdSchema).min(1).max(MAX_OPERATION_IDS, { error: `must hold at most ${MAX_OPERATION_IDS} IDs (use a query for more)` }).optional(),
    dry_run: z.boolean().optional(),
    /** The dry run's `matched`: the start is refused (409) when the count drifted past {@link driftMargin}. */
    expected: z.number().int().min(0).optional(),
    /** A cancel on a writable production profile: the profile's name (README "Production guardrails"). */
    confirm: confirmSchema,
  })
  .superRefine(checkOperationScope);
export type CreateOperation = z.output<typeof createOperationSchema>;

/** What a bulk action's body must say of its scope: `ids` or `query`, and a query's `expected` unless it is a dry run. */
export function checkOperationScope(body: { ids?: unknown; query?: string; dry_run?: boolean; expected?: number }, ctx: z.RefinementCtx): void {
  if ((body.query === undefined) === (body.ids === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['query'], params: { rule: 'one-of' }, message: 'or ids: give exactly one of them' });
  }
  if (!body.dry_run && body.query !== undefined && body.expected === undefined) {
    ctx.addIssue({ code: 'custom', path: ['expected'], params: { rule: 'required' }, message: 'is required without dry_run: run the dry run first and pass its matched' });
  }
}

/** One job of a dry run's sample and what the action would do to it. */
export const operationSampleSchema = z.object({
  id: z.string(),
  kind: jobKindSchema,
  status: jobStatusSchema,
  /** Null when the action would change the job; else why it would be skipped. */
  skip: z.string().nullable(),
});
export type OperationSample = z.infer<typeof operationSampleSchema>;

/** A dry run's answer: nothing changed. */
export const operationPreviewSchema = z.object({
  action: z.enum(JOB_ACTIONS),
  matched: z.number().int().min(0),
  would_change: z.number().int().min(0),
  /** Jobs the action would skip, counted by reason (e.g. `status DONE`). */
  would_skip: z.record(z.string(), z.number().int().min(0)),
  /** Up to {@link OPERATION_SAMPLE_SIZE} matched jobs, newest first. */
  sample: z.array(operationSampleSchema),
  /** The most the count may move before the start is refused (see {@link driftMargin}). */
  margin: z.number().int().min(0),
});
export type OperationPreview = z.infer<typeof operationPreviewSchema>;

export const OPERATION_STATUSES = ['running', 'done', 'cancelled', 'failed'] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

/** A bulk operation as `GET /api/v1/operations/:id` shows it. */
export const operationSchema = z.object({
  id: z.string(),
  action: z.enum(OPERATION_ACTIONS),
  status: z.enum(OPERATION_STATUSES),
  /** The query it was started with (null for `ids`). */
  query: z.string().nullable(),
  matched: z.number().int().min(0),
  changed: z.number().int().min(0),
  /** Jobs whose status did not allow the action when their turn came. */
  skipped: z.number().int().min(0),
  /** Items not done yet. */
  pending: z.number().int().min(0),
  /** Jobs the action failed on, with why (at most 100 shown; `failed` counts them all). */
  failed_items: z.array(z.object({ id: z.string(), reason: z.string() })),
  failed: z.number().int().min(0),
  /** Set while a full queue holds it back: it tries again later, never failing the items. */
  paused_reason: z.string().nullable(),
  cancel_requested: z.boolean(),
  started_at: timeSchema,
  finished_at: timeSchema.nullable(),
});
export type Operation = z.infer<typeof operationSchema>;
