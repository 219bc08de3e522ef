import { randomUUID } from 'node:crypto';
import type { Batch, BatchAccepted, BatchSummary, CreateBatch } from '../../src-shared/batch-schemas';
import type { Job, Page } from '../../src-shared/job';
import { ValidationError } from '../../src-shared/problem';
import { startOriginOf } from '../jobs/start-origin';
import type { JobStatusClient } from '../../src-shared/node/status-store';
import type { OutboundPolicy } from '../../src-shared/node/outbound-policy';
import type { JobService } from '../jobs/job-service';
import { generateSecret, type WebhookStore } from '../webhooks/webhook-store';
import { toSummary, type BatchStore, type StoredBatch } from './batch-store';
import type { BatchTracker } from './batch-tracker';
import { viewBatch } from './batch-view';

export interface BatchServiceOptions {
  jobs: JobService;
  status: JobStatusClient;
  store: BatchStore;
  tracker: BatchTracker;
  webhooks: WebhookStore;
  /** Refuses an `on_complete.callback_url` the outbound policy refuses before any lookup; none is checked without it. */
  outbound?: OutboundPolicy;
  onLog?: (line: string) => void;
}

/** An operator's retry of a child of a batch that fanned in already: answered 409. */
export class BatchCompletedError extends Error {
  override name = 'BatchCompletedError';
  constructor(
    readonly jobId: string,
    readonly batchId: string,
  ) {
    super(`job ${jobId} is a child of batch ${batchId}, which has completed (fanned in); it cannot be retried`);
  }
}

/** Fan-out: accepts several jobs as one batch, all or nothing; reads batches aggregated. */
export class BatchService {
  constructor(private readonly options: BatchServiceOptions) {
    options.jobs.guardRetry((job) => this.refuseRetryOfCompleted(job));
  }

  /**
   * All or nothing, in this order: every payload is checked (a bad one refuses the whole batch,
   * naming `jobs.<i>.payload.<field>`); the whole batch is admitted (backpressure, 429); the batch
   * is recorded (PostgreSQL row and Redis tracking) with its children's IDs; only then are the
   * children published. If any step fails, the error is thrown and nothing runs — except that when
   * the broker refuses one child, a sibling a worker already started runs to its end (the others
   * end CANCELLED), and the batch itself is dropped.
   */
  async create(input: CreateBatch): Promise<BatchAccepted> {
    const errors = input.jobs.flatMap((job, i) => {
      const verdict = this.options.jobs.checkPayload(this.options.jobs.kinds.entry(job.kind), job.payload, `jobs.${i}.payload`);
      return 'errors' in verdict ? verdict.errors : [];
    });
    errors.push(...(this.options.outbound?.fieldErrors({ 'on_complete.callback_url': input.on_complete?.callback_url }) ?? []));
    if (errors.length > 0) throw new ValidationError(errors);

    const { jobs, store, tracker } = this.options;
    await jobs.admit(input.jobs.map((job) => job.kind));
    const secret = input.on_complete?.secret ?? generateSecret();
    const batch = await store.create({
      id: randomUUID(),
      job_ids: input.jobs.map(() => randomUUID()),
      callback_url: input.on_complete?.callback_url ?? null,
      secret,
    });
    try {
      await tracker.open(batch);
    } catch (error) {
      await store.remove(batch.id).catch(() => undefined);
      throw error;
    }
    const settled = await Promise.allSettled(
      input.jobs.map((job, i) => jobs.submit(job.kind, job.payload, 'payload', { id: batch.job_ids[i], admitted: true, origin: startOriginOf(job) })),
    );
    const refused = settled.find((s) => s.status === 'rejected');
    if (refused) {
      await this.drop(batch, refused.reason as Error);
      throw refused.reason;
    }
    // Were Redis to fail here, the children run anyway: the batch is taken up at the next start.
    await tracker.accepted(batch.id).catch((error: Error) => this.options.onLog?.(`batch ${batch.id}: ${error.message}`));
    return {
      id: batch.id,
      status: 'RUNNING',
      created_at: batch.created_at,
      job_ids: batch.job_ids,
      on_complete: batch.callback_url ? { callback_url: batch.callback_url } : null,
      ...(input.on_complete && !input.on_complete.secret ? { secret } : {}),
    };
  }

  async get(id: string): Promise<Batch | null> {
    const batch = await this.options.store.get(id);
    if (!batch) return null;
    return viewBatch(batch, (job) => this.options.jobs.get(job), await this.options.webhooks.batchDelivery(id));
  }

  async list(limit: number, cursor?: string): Promise<Page<BatchSummary>> {
    const page = await this.options.store.list(limit, cursor);
    return { items: page.items.map(toSummary), next_cursor: page.next_cursor };
  }

  /** Refuses a retry of a child of a completed batch: its fan-in (and callback) happened once. */
  private async refuseRetryOfCompleted(job: Job): Promise<void> {
    const batchId = await this.options.store.completedBatchOf(job.id);
    if (batchId) throw new BatchCompletedError(job.id, batchId);
  }

  /** Forgets a batch the broker refused (first, so it never fans in), then cancels its children. */
  private async drop(batch: StoredBatch, reason: Error): Promise<void> {
    await this.options.store.remove(batch.id).catch(() => undefined);
    await this.options.tracker.abandon(batch).catch(() => undefined);
    await cancelQueuedChildren(this.options.status, batch.job_ids, `batch not accepted: ${reason.message}`);
  }
}

/** Ends CANCELLED those of the children still QUEUED; one a worker started (or finished) is left as it is. */
export async function cancelQueuedChildren(status: JobStatusClient, ids: readonly string[], error: string): Promise<void> {
  await Promise.all(
    ids.map((id) =>
      status.withdraw(id, error).catch(() => undefined),
    ),
  );
}
