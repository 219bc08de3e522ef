import { randomUUID } from 'node:crypto';
import type { OperationAction } from '../../src-shared/operation-schemas';
import { isOutage } from '../api/problems';
import { BackpressureError } from '../jobs/admission';
import { JobStatusConflictError, UnknownJobError } from '../jobs/job-service';
import type { ItemOutcome, OperationStore } from './operation-store';

/** One job's verb, the very one the single-job route calls (`JobService.retry` / `cancel`). */
export type OperationVerb = (jobId: string) => Promise<unknown>;

export interface OperationRunnerOptions {
  store: OperationStore;
  verbs: Readonly<Record<OperationAction, OperationVerb>>;
  onLog: (line: string) => void;
  /** Items taken per batch. */
  batchSize?: number;
  /** Items of a batch acted on at once. */
  concurrency?: number;
  /** How long a lease lasts unrenewed: a console that died is taken over after it. */
  leaseMs?: number;
  /** How often an idle runner looks for work (a start in this console wakes it at once). */
  idleMs?: number;
  /** How long a full queue (or a broker outage) pauses an operation before it tries again. */
  pauseMs?: number;
}

const BATCH_SIZE = 200;
const CONCURRENCY = 16;
const LEASE_MS = 15_000;
const IDLE_MS = 2_000;
const PAUSE_MS = 2_000;

type ItemResult = ItemOutcome | { seq: number; paused: string };

/**
 * Runs bulk operations in the background, one at a time per console, in batches of pending
 * items. It holds a lease row on the operation (renewed each batch), so a second console on the
 * namespace leaves it alone, and a console that restarts (or another, once the lease ran out)
 * resumes from the first item still pending. A full queue leaves items pending and pauses.
 */
export class OperationRunner {
  private readonly owner = randomUUID();
  private closed = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;

  constructor(private readonly options: OperationRunnerOptions) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Looks for work now (an operation was just started). */
  wake(): void {
    this.wakeUp?.();
  }

  /** Stops after the item in hand and gives the lease up; calling it again does nothing. */
  async close(): Promise<void> {
    this.closed = true;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { store, onLog } = this.options;
    while (!this.closed) {
      try {
        const operation = await store.claim(this.owner, this.leaseMs);
        if (operation) await this.runOperation(operation.id, operation.action);
        else await this.sleep(this.options.idleMs ?? IDLE_MS);
      } catch (error) {
        onLog(`bulk operations: ${(error as Error).message}; trying again shortly`);
        await this.sleep(this.options.pauseMs ?? PAUSE_MS);
      }
    }
  }

  private async runOperation(id: string, action: OperationAction): Promise<void> {
    const { store } = this.options;
    try {
      while (!this.closed) {
        const lease = await store.renew(id, this.owner, this.leaseMs);
        if (!lease) return;
        if (lease.cancelRequested) return await store.finish(id, this.owner, 'cancelled');
        const items = await store.pendingItems(id, this.options.batchSize ?? BATCH_SIZE);
        if (items.length === 0) return await store.finish(id, this.owner, 'settled');
        const results = await this.actOn(items, this.options.verbs[action]);
        await store.settle(id, results.filter((r): r is ItemOutcome => 'state' in r));
        const paused = results.find((r): r is { seq: number; paused: string } => 'paused' in r);
        await store.setPaused(id, paused?.paused ?? null);
        if (paused) await this.sleep(this.options.pauseMs ?? PAUSE_MS);
      }
    } finally {
      if (this.closed) await store.release(id, this.owner).catch(() => undefined);
    }
  }

  /** Acts on a batch, `concurrency` at a time; once one item meets a full queue, the rest wait. */
  private async actOn(items: readonly { seq: number; job_id: string }[], verb: OperationVerb): Promise<ItemResult[]> {
    const results: ItemResult[] = [];
    let next = 0;
    let paused = false;
    const lane = async (): Promise<void> => {
      while (next < items.length && !paused && !this.closed) {
        const item = items[next++]!;
        const result = await actOnOne(item, verb);
        if ('paused' in result) paused = true;
        results.push(result);
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency ?? CONCURRENCY }, lane));
    return results;
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? LEASE_MS;
  }

  private sleep(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}

/** One item: changed, skipped (its status did not allow the verb), failed, or paused (left pending). */
async function actOnOne(item: { seq: number; job_id: string }, verb: OperationVerb): Promise<ItemResult> {
  try {
    await verb(item.job_id);
    return { seq: item.seq, state: 'changed', reason: null };
  } catch (error) {
    // A full queue or a dependency that is down: the item waits, it has not failed.
    if (error instanceof BackpressureError || isOutage(error as Error)) return { seq: item.seq, paused: (error as Error).message };
    if (error instanceof JobStatusConflictError) return { seq: item.seq, state: 'skipped', reason: `status ${error.job.status}` };
    if (error instanceof UnknownJobError) return { seq: item.seq, state: 'failed', reason: 'unknown job' };
    return { seq: item.seq, state: 'failed', reason: (error as Error).message };
  }
}
