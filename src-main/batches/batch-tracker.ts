import type { Redis } from 'ioredis';
import { batchEventFields, type BatchEvent, type StatusCounts, type StreamEvent } from '../../src-shared/events';
import type { Job } from '../../src-shared/job';
import { LuaScript } from '../../src-shared/lua-script';
import { TERMINAL_STATUSES } from '../../src-shared/statuses';
import type { Names } from '../../src-shared/topology';
import { webhookBody } from '../webhooks/delivery-dispatcher';
import type { BatchStore, StoredBatch } from './batch-store';
import { allTerminal, viewBatch } from './batch-view';

/**
 * KEYS: the batch's pending set, its fan-in claim. ARGV: the child that is now terminal, the
 * claim's TTL in seconds. Removes the child; only the call that empties the set claims the
 * fan-in (1). 0: nothing to do; -1: neither key exists (Redis lost them), so rebuild the set.
 */
export const RECORD_CHILD_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 and redis.call('EXISTS', KEYS[2]) == 0 then return -1 end
if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then return 0 end
if redis.call('SCARD', KEYS[1]) > 0 then return 0 end
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[2]) then return 1 end
return 0
`;

const CLAIM_TTL_S = 7 * 86_400;

export interface BatchTrackerOptions {
  redis: Redis;
  names: Names;
  store: BatchStore;
  readJob: (id: string) => Promise<Job | null>;
  /** The callback delivery was stored: send it now. */
  onCallback: () => void;
  streamMaxLength: number;
  onLog?: (line: string) => void;
}

const RECORD_CHILD = new LuaScript(RECORD_CHILD_SCRIPT, 2);

/**
 * Fan-in: follows the event stream (its own consumer group) and, when the last child of a batch
 * reaches a terminal status, does the fan-in exactly once — the Redis script lets only the call
 * that empties the batch's set claim it, and PostgreSQL records it once (with the callback
 * delivery) — then emits the batch event.
 */
export class BatchTracker {
  private readonly batchOf = new Map<string, string>();
  private readonly redis: Redis;

  constructor(private readonly options: BatchTrackerOptions) {
    this.redis = options.redis;
  }

  /** Takes up the batches not yet fanned in (after a restart of the console or of Redis). */
  async start(): Promise<void> {
    for (const batch of await this.options.store.unannounced()) await this.announce(batch, batch.completed_at!, batch.counts ?? {});
    for (const batch of await this.options.store.incomplete()) await this.track(batch, true);
  }

  /** Follows a batch's children; those already terminal are recorded at once. */
  async track(batch: StoredBatch, resume = false): Promise<void> {
    for (const id of batch.job_ids) this.batchOf.set(id, batch.id);
    const { names } = this.options;
    const claimed = await this.redis.exists(names.batchKey(batch.id, 'fan-in'));
    if (claimed && resume) {
      // Claimed in Redis but not recorded (a crash between the two): PostgreSQL decides.
      await this.fanIn(batch.id);
      return;
    }
    if (!resume || !(await this.redis.exists(names.batchKey(batch.id, 'pending')))) {
      await this.redis.sadd(names.batchKey(batch.id, 'pending'), ...batch.job_ids);
    }
    for (const id of batch.job_ids) {
      const job = await this.options.readJob(id);
      if (job && TERMINAL_STATUSES.has(job.status)) await this.recordChild(batch.id, id);
    }
  }

  /** Handles a page of the stream: terminal events of tracked children. */
  async handle(events: StreamEvent[]): Promise<void> {
    for (const event of events) {
      if (event.type === 'batch' || !TERMINAL_STATUSES.has(event.status)) continue;
      const batchId = this.batchOf.get(event.job_id);
      if (batchId) await this.recordChild(batchId, event.job_id);
    }
  }

  private async recordChild(batchId: string, jobId: string): Promise<void> {
    const { names } = this.options;
    const outcome = Number(
      await RECORD_CHILD.run(this.redis, names.batchKey(batchId, 'pending'), names.batchKey(batchId, 'fan-in'), jobId, String(CLAIM_TTL_S)),
    );
    if (outcome === 1) await this.fanIn(batchId);
    if (outcome === -1) {
      const batch = await this.options.store.get(batchId);
      if (batch && !batch.completed_at) await this.track(batch);
    }
  }

  private async fanIn(batchId: string): Promise<void> {
    const { store, readJob } = this.options;
    const batch = await store.get(batchId);
    if (!batch || batch.completed_at) return this.forget(batch);
    const view = await viewBatch(batch, readJob, null);
    if (!allTerminal(view.jobs)) {
      this.options.onLog?.(`batch ${batchId}: fan-in claimed before every child was terminal; waiting`);
      return;
    }
    const at = new Date().toISOString();
    const data = { ...view, status: 'COMPLETED' as const, completed_at: at };
    const body = webhookBody('batch.COMPLETED', data, at);
    const done = await store.complete(batch, { counts: view.counts, callback: { eventId: `batch:${batchId}`, body } });
    if (!done) return this.forget(batch);
    await this.announce(batch, at, view.counts);
    this.options.onCallback();
    this.forget(batch);
  }

  /** Appends the batch event, and records that it did (at least once across a crash). */
  private async announce(batch: StoredBatch, at: string, counts: StatusCounts): Promise<void> {
    const event: Omit<BatchEvent, 'id'> = {
      type: 'batch', batch_id: batch.id, kind: 'batch', status: 'COMPLETED', at, counts, job_ids: batch.job_ids,
    };
    const id = await this.redis.xadd(
      this.options.names.eventStream, 'MAXLEN', '~', String(this.options.streamMaxLength), '*', ...batchEventFields(event),
    );
    await this.options.store.markAnnounced(batch.id, id ?? '');
  }

  private forget(batch: StoredBatch | null): void {
    for (const id of batch?.job_ids ?? []) this.batchOf.delete(id);
  }
}
