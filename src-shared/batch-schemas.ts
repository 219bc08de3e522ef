import { z } from 'zod';
import type { StatusCounts } from './events';
import type { JobKind } from './kinds';
import { submitJobSchema } from './schemas';
import type { JobStatus } from './statuses';
import type { Delivery } from './subscription-schemas';
import { WEBHOOK_SECRET_PATTERN } from './subscription-schemas';

/** Most jobs one batch may hold. */
export const MAX_BATCH_JOBS = 100;

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).max(2048);

/** `POST /api/v1/batches` body: several jobs as one request (fan-out), all or nothing. */
export const createBatchSchema = z.strictObject({
  /** The children, each as `POST /api/v1/jobs` takes a job. */
  jobs: z.array(submitJobSchema).min(1).max(MAX_BATCH_JOBS),
  /** Where the aggregated results are POSTed (signed) once every child is terminal (fan-in). */
  on_complete: z
    .strictObject({
      callback_url: httpUrl,
      /** Signing secret of the callback; generated (and returned once) when absent. */
      secret: z.string().regex(WEBHOOK_SECRET_PATTERN, 'must be whsec_ followed by base64 of 24 to 64 bytes').optional(),
    })
    .optional(),
});
export type CreateBatch = z.output<typeof createBatchSchema>;

/** One child as a batch shows it. */
export interface BatchChild {
  id: string;
  kind: JobKind;
  status: JobStatus;
  progress: number;
  result: Record<string, unknown> | null;
  error: string | null;
}

/**
 * A batch as `GET /api/v1/batches/:id` shows it, aggregated from its children; also the `data`
 * of the fan-in callback (`type` `batch.COMPLETED`).
 */
export interface Batch {
  id: string;
  /** `RUNNING` until every child is terminal, then `COMPLETED` (once, with the fan-in). */
  status: 'RUNNING' | 'COMPLETED';
  created_at: string;
  completed_at: string | null;
  job_ids: string[];
  total: number;
  /** Children by status. */
  counts: StatusCounts;
  /** 0–100: the children's mean progress (a terminal child counts 100). */
  progress: number;
  on_complete: { callback_url: string } | null;
  jobs: BatchChild[];
  /** The fan-in callback's delivery and its attempts, once made. */
  callback: Delivery | null;
}

/** The `202` answer of `POST /api/v1/batches`. */
export interface BatchAccepted {
  id: string;
  status: 'RUNNING';
  created_at: string;
  job_ids: string[];
  on_complete: { callback_url: string } | null;
  /** The callback's signing secret, present only here and only with `on_complete`. */
  secret?: string;
}

/** One line of `GET /api/v1/batches` (newest first). */
export interface BatchSummary {
  id: string;
  status: 'RUNNING' | 'COMPLETED';
  created_at: string;
  completed_at: string | null;
  job_ids: string[];
  /** Final counts, once COMPLETED. */
  counts: StatusCounts | null;
}
