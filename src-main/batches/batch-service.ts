import { randomUUID } from 'node:crypto';
import type { Batch, BatchAccepted, BatchSummary, CreateBatch } from '../../src-shared/batch-schemas';
import type { Job, Page } from '../../src-shared/job';
import { ValidationError, toFieldErrors } from '../../src-shared/problem';
import { PAYLOAD_SCHEMAS } from '../../src-shared/schemas';
import type { JobStatusClient } from '../../src-shared/status-store';
import { toRfc3339 } from '../../src-shared/time';
import type { JobService } from '../jobs/job-service';
import { generateSecret, type WebhookStore } from '../webhooks/webhook-store';
import { toSummary, type BatchStore } from './batch-store';
import type { BatchTracker } from './batch-tracker';
import { viewBatch } from './batch-view';

export interface BatchServiceOptions {
  jobs: JobService;
  status: JobStatusClient;
  store: BatchStore;
  tracker: BatchTracker;
  webhooks: WebhookStore;
}

/** Fan-out: accepts several jobs as one batch, all or nothing; reads batches aggregated. */
export class BatchService {
  constructor(private readonly options: BatchServiceOptions) {}

  /**
   * Every payload is checked before any job is made (a bad one refuses the whole batch, naming
   * `jobs.<i>.payload.<field>`). If the broker refuses any child, the others are cancelled and
   * the error is thrown (answered 503): none is left to run.
   */
  async create(input: CreateBatch): Promise<BatchAccepted> {
    const errors = input.jobs.flatMap((job, i) => {
      const parsed = PAYLOAD_SCHEMAS[job.kind].safeParse(job.payload);
      return parsed.success ? [] : toFieldErrors(parsed.error, job.payload, `jobs.${i}.payload`);
    });
    if (errors.length > 0) throw new ValidationError(errors);

    const settled = await Promise.allSettled(input.jobs.map((job) => this.options.jobs.submit(job.kind, job.payload)));
    const created = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const refused = settled.find((s) => s.status === 'rejected');
    if (refused) {
      await this.cancel(created, refused.reason as Error);
      throw refused.reason;
    }
    const secret = input.on_complete?.secret ?? generateSecret();
    const batch = await this.options.store.create({
      id: randomUUID(),
      job_ids: created.map((job) => job.id),
      callback_url: input.on_complete?.callback_url ?? null,
      secret,
    });
    await this.options.tracker.track(batch);
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

  /** Ends the batch's accepted children CANCELLED (unless one already finished). */
  private async cancel(jobs: Job[], reason: Error): Promise<void> {
    await Promise.all(
      jobs.map((job) =>
        this.options.status
          .write(job.id, {
            status: 'CANCELLED',
            at: toRfc3339(Date.now()),
            worker: 'api',
            guard: 'live',
            emit: true,
            error: `batch not accepted: ${reason.message}`,
          })
          .catch(() => undefined),
      ),
    );
  }
}
