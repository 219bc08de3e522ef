import type { Redis } from 'ioredis';
import { batchEventFields, type BatchEvent, type StatusCounts, type StreamEvent } from '../../src-shared/events';
import type { Job } from '../../src-shared/job';
import { LuaScript } from '../../src-shared/node/lua-script';
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

/**
 * KEYS: the batch's pending set, its fan-in claim. ARGV: children not terminal after all. Gives
 * the claim back and makes those children pending again, in one step: the last of them claims anew.
 */
export const REOPEN_SCRIPT = `
redis.call('DEL', KEYS[2])
redis.call('SADD', KEYS[1], unpack(ARGV))
return 1
`;

/** A member of a batch's pending set until every child was published: no fan-in before. */
const ACCEPTING = 'accepting';

const CLAIM_TTL_S = 7 * 86_400;
/**
 * When the children of a reopened batch are read again: one may have ended before it was pending
 * again (its event found the set empty), or been read from a history that lagged behind.
 */
const RECHECK_AFTER_MS = [1_000, 5_000, 30_000];

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
const REOPEN = new LuaScript(REOPEN_SCRIPT, 2);

/**
 * Fan-in: follows the event stream (its own consumer group) and, when the last child of a batch
 * reaches a terminal status, does the fan-in exactly once — the Redis script lets only the call
 * that empties the batch's set claim it, and PostgreSQL records it once (with the callback
 * delivery) — then emits the batch event.
 */
export class BatchTracker {
  private readonly batchOf = new Map<string, string>();
  private readonly redis: Redis;
  private readonly rechecks = new Set<NodeJS.Timeout>();

  constructor(private readonly options: BatchTrackerOptions) {
    this.redis = options.redis;
  }

  /** Takes up the batches not yet fanned in (after a restart of the console or of Redis). */
  async start(): Promise<void> {
    for (const batch of await this.options.store.unannounced()) await this.announce(batch, batch.completed_at!, batch.counts ?? {});
    for (const batch of await this.options.store.incomplete()) await this.track(batch, true);
  }

  /**
   * Follows a new batch before any child is published; it cannot fan in before {@link accepted}.
   */
  async open(batch: StoredBatch): Promise<void> {
    for (const id of batch.job_ids) this.batchOf.set(id, batch.id);
    await this.redis.sadd(this.options.names.batchKey(batch.id, 'pending'), ...batch.job_ids, ACCEPTING);
  }

  /** Every child was published: the batch fans in once they are all terminal (now, if they are). */
  accepted(batchId: string): Promise<void> {
    return this.recordChild(batchId, ACCEPTING);
  }

  /** Stops following a batch that was not accepted. */
  async abandon(batch: StoredBatch): Promise<void> {
    this.forget(batch);
    const { names } = this.options;
    await this.redis.del(names.batchKey(batch.id, 'pending'), names.batchKey(batch.id, 'fan-in'));
  }

  /** Stops the rechecks still due. */
  close(): void {
    for (const timer of this.rechecks) clearTimeout(timer);
    this.rechecks.clear();
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
    await this.recheck(batch.id, batch.job_ids);
    // A batch whose creator stopped before it was accepted (a crash): follow what it has.
    if (resume) await this.recordChild(batch.id, ACCEPTING);
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
      // A child retried after it left the set, or read from a lagging history.
      const unfinished = view.jobs.filter((child) => !TERMINAL_STATUSES.has(child.status)).map((child) => child.id);
      this.options.onLog?.(`batch ${batchId}: ${unfinished.length} child(ren) not terminal at fan-in; pending again`);
      return this.reopen(batchId, unfinished);
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

  private async reopen(batchId: string, children: string[]): Promise<void> {
    const { names } = this.options;
    await REOPEN.run(this.redis, names.batchKey(batchId, 'pending'), names.batchKey(batchId, 'fan-in'), ...children);
    this.recheckLater(batchId, await this.recheck(batchId, children), 0);
  }

  /** Records the children that are terminal now; answers those that are not. */
  private async recheck(batchId: string, children: readonly string[]): Promise<string[]> {
    const open: string[] = [];
    for (const id of children) {
      const job = await this.options.readJob(id);
      if (job && TERMINAL_STATUSES.has(job.status)) await this.recordChild(batchId, id);
      else open.push(id);
    }
    return open;
  }

  private recheckLater(batchId: string, children: string[], step: number): void {
    const delay = RECHECK_AFTER_MS[step];
    if (delay === undefined || children.length === 0) return;
    const timer = setTimeout(() => {
      this.rechecks.delete(timer);
      this.recheck(batchId, children).then(
        (open) => this.recheckLater(batchId, open, step + 1),
        (error: Error) => this.options.onLog?.(`batch ${batchId}: recheck failed: ${error.message}`),
      );
    }, delay);
    timer.unref();
    this.rechecks.add(timer);
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
