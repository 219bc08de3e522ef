import { z } from 'zod';
import { jobKindSchema, jobSchema, jobStatusSchema, timeSchema } from './job';
import type { KindNames } from './kinds';
import { batchChildJobSchemaOf } from './schemas';
import { WEBHOOK_SECRET_PATTERN, deliverySchema } from './subscription-schemas';

/** Most jobs one batch may hold. */
export const MAX_BATCH_JOBS = 100;

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).max(2048);

/** `POST /api/v1/batches` body: several jobs as one request (fan-out), all or nothing. */
export function createBatchSchemaOf(kinds: KindNames) {
  return z.strictObject({
    /** The children, each as `POST /api/v1/jobs` takes a job (without `replay_of`); any kinds, mixed. */
    jobs: z.array(batchChildJobSchemaOf(kinds)).min(1).max(MAX_BATCH_JOBS),
    /** Where the aggregated results are POSTed (signed) once every child is terminal (fan-in). */
    on_complete: z
      .strictObject({
        callback_url: httpUrl,
        /** Signing secret of the callback; generated (and returned once) when absent. */
        secret: z.string().regex(WEBHOOK_SECRET_PATTERN, 'must be whsec_ followed by base64 of 24 to 64 bytes').optional(),
      })
      .optional(),
  });
}
export type CreateBatch = z.output<ReturnType<typeof createBatchSchemaOf>>;

/** How a batch's children ended, counted by status. */
export const statusCountsSchema = z.partialRecord(jobStatusSchema, z.number().int().min(0));
export type StatusCounts = z.infer<typeof statusCountsSchema>;

/** One child as a batch shows it; `kind` is null while neither Redis nor the history holds the job yet. */
export const batchChildSchema = jobSchema
  .pick({ id: true, status: true, progress: true, result: true, error: true })
  .extend({ kind: jobKindSchema.nullable() });
export type BatchChild = z.infer<typeof batchChildSchema>;

const batchStatusSchema = z.enum(['RUNNING', 'COMPLETED']);
const onCompleteShownSchema = z.object({ callback_url: z.string() }).nullable();

/** One line of `GET /api/v1/batches` (newest first). */
export const batchSummarySchema = z.object({
  id: z.string(),
  /** `RUNNING` until every child is terminal, then `COMPLETED` (once, with the fan-in). */
  status: batchStatusSchema,
  created_at: timeSchema,
  completed_at: timeSchema.nullable(),
  job_ids: z.array(z.string()),
  /** Final counts, once COMPLETED. */
  counts: statusCountsSchema.nullable(),
});
export type BatchSummary = z.infer<typeof batchSummarySchema>;

/**
 * A batch as `GET /api/v1/batches/:id` shows it, aggregated from its children; also the `data`
 * of the fan-in callback (`type` `batch.COMPLETED`).
 */
export const batchSchema = batchSummarySchema.extend({
  total: z.number().int().min(0),
  /** Children by status. */
  counts: statusCountsSchema,
  /** 0–100: the children's mean progress (a terminal child counts 100). */
  progress: z.number().min(0).max(100),
  on_complete: onCompleteShownSchema,
  jobs: z.array(batchChildSchema),
  /** The fan-in callback's delivery and its attempts, once made. */
  callback: deliverySchema.nullable(),
});
export type Batch = z.infer<typeof batchSchema>;

/** The `202` answer of `POST /api/v1/batches`. */
export const batchAcceptedSchema = batchSummarySchema.pick({ id: true, created_at: true, job_ids: true }).extend({
  status: z.literal('RUNNING'),
  on_complete: onCompleteShownSchema,
  /** The callback's signing secret, present only here and only with `on_complete`. */
  secret: z.string().optional(),
});
export type BatchAccepted = z.infer<typeof batchAcceptedSchema>;
