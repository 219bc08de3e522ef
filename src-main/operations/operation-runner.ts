import { randomUUID } from 'node:crypto';
import type { JobAction, Operation, OperationAction } from '../../src-shared/operation-schemas';
import { isOutage } from '../api/problems';
import { BackpressureError } from '../jobs/admission';
import { BatchCompletedError } from '../batches/batch-service';
import { JobStatusConflictError, UnknownJobError } from '../jobs/job-service';
import { CancelRefusedError } from '../jobs/running-cancel';
import type { ItemOutcome, OperationStore } from './operation-store';

/** A verb's refusal of an item that is no failure of it: the item is skipped, with the message as why. */
export class ItemSkippedError extends Error {
  override name = 'ItemSkippedError';
}

/** One job's verb, the very one the single-job route calls (`JobService.retry` / `cancel`). */
export type OperationVerb = (jobId: string) => Promise<unknown>;

export interface OperationRunnerOptions {
  store: OperationStore;
  /** The jobs' verbs, and the dead letters' (`requeue`, `discard`) where the console has them. */
  verbs: Readonly<Record<JobAction, OperationVerb> & Partial<Record<OperationAction, OperationVerb>>>;
  onLog: (line: string) => void;
  /** Tells every console the operation's full state: at start, after batches (throttled), on pause and resume, at its end. */
  publish?: (operation: Operation) => void;
  /** Least time between two progress states of one operation (its start, pauses and end always go out). */
  publishEveryMs?: number;
  /** Items taken per batch. */
  batchSize?: number;
  /** Items of a batch acted on at once. */
  concurrency?: number;
  /** How long a lease lasts unrenewed: a console that died is taken over after it. */
  leaseMs?: number;
  /** How often an idle runner looks for work (a start in this console wakes it at once). */
  idleMs?: number;
  /** How long a full queue (or an outage) pauses an operation before it is tried again. */
  pauseMs?: number;
}

const BATCH_SIZE = 200;
const CONCURRENCY = 16;
const LEASE_MS = 15_000;
const IDLE_MS = 2_000;
const PAUSE_MS = 2_000;
/** At most ~4 progress states a second per operation. */
const PUBLISH_EVERY_MS = 250;

/** What became of one item: settled, or left pending for a pause. */
export type ItemResult = ItemOutcome | { seq: number; paused: string };

/**
 * Runs bulk operations in the background, one at a time per console, in batches of pending
 * items. It holds a lease row on the operation (renewed every third of its length), so a second console on the
 * namespace leaves it alone, and a console that restarts (or another, once the lease ran out)
 * resumes from the first item still pending. A full queue (or an outage) leaves items pending
 * and pauses the operation for a while, its lease given up: other operations run meanwhile.
 */
export class OperationRunner {
  private readonly owner = randomUUID();
  private closed = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private lastPublished = 0;

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
    await this.publishState(id, true);
    try {
      while (!this.closed) {
        const lease = await store.renew(id, this.owner, this.leaseMs);
        if (!lease) return;
        if (lease.cancelRequested) return await this.ending(id, store.finish(id, this.owner, 'cancelled'));
        const items = await store.pendingItems(id, this.options.batchSize ?? BATCH_SIZE);
        if (items.length === 0) return await this.ending(id, store.finish(id, this.owner, 'settled'));
        const verb = this.options.verbs[action];
        if (!verb) throw new Error(`this console cannot run ${action} operations`);
        const results = await this.holdingLease(id, (held) => this.actOn(items, verb, held));
        await store.settle(id, results.filter((r): r is ItemOutcome => 'state' in r));
        const paused = results.find((r): r is { seq: number; paused: string } => 'paused' in r);
        if (paused) return await this.ending(id, store.pause(id, this.owner, paused.paused, this.options.pauseMs ?? PAUSE_MS));
        await this.publishState(id, await store.resumed(id));
      }
    } finally {
      if (this.closed) await store.release(id, this.owner).catch(() => undefined);
    }
  }

  /**
   * Renews the lease every third of its length while `work` runs (a batch of cancels, each
   * waiting for a running handler to stop, may outlast it); `held()` turns false once another
   * console took the operation over, and the work stops taking items.
   */
  private async holdingLease<T>(id: string, work: (held: () => boolean) => Promise<T>): Promise<T> {
    let lost = false;
    const renew = () => this.options.store.renew(id, this.owner, this.leaseMs).then((lease) => void (lost ||= lease === null), () => undefined);
    const timer = setInterval(() => void renew(), this.leaseMs / 3);
    try {
      return await work(() => !lost);
    } finally {
      clearInterval(timer);
    }
  }

  /** Acts on a batch, `concurrency` at a time; once one item meets a full queue, the rest wait. */
  private async actOn(items: readonly { seq: number; job_id: string }[], verb: OperationVerb, held: () => boolean): Promise<ItemResult[]> {
    const results: ItemResult[] = [];
    let next = 0;
    let paused = false;
    const lane = async (): Promise<void> => {
      while (next < items.length && !paused && !this.closed && held()) {
        const item = items[next++]!;
        const result = await actOnOne(item, verb);
        if ('paused' in result) paused = true;
        results.push(result);
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency ?? CONCURRENCY }, lane));
    return results;
  }

  /** Publishes the state once `change` (an end or a pause, never throttled) is stored. */
  private async ending(id: string, change: Promise<void>): Promise<void> {
    await change;
    await this.publishState(id, true);
  }

  /** Publishes the operation's full state: always when `force`, else at most every `publishEveryMs`. */
  private async publishState(id: string, force: boolean): Promise<void> {
    const { publish, store } = this.options;
    const now = Date.now();
    if (!publish || (!force && now - this.lastPublished < (this.options.publishEveryMs ?? PUBLISH_EVERY_MS))) return;
    this.lastPublished = now;
    const operation = await store.get(id).catch(() => null);
    if (operation) publish(operation);
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

/** One item: changed, or what its verb's refusal makes of it (see {@link refusedItem}). */
async function actOnOne(item: { seq: number; job_id: string }, verb: OperationVerb): Promise<ItemResult> {
  try {
    await verb(item.job_id);
    return { seq: item.seq, state: 'changed', reason: null };
  } catch (error) {
    return refusedItem(item.seq, error as Error);
  }
}

/**
 * An item whose verb threw, as the single-job route would have answered: a full queue (429) or
 * a dependency down (503) pauses it, pending; a conflict with the job's state (409) skips it;
 * anything else (an unknown job's 404 included) fails it, with why.
 */
export function refusedItem(seq: number, error: Error): ItemResult {
  if (error instanceof ItemSkippedError) return { seq, state: 'skipped', reason: error.message };
  if (error instanceof BackpressureError || isOutage(error)) return { seq, paused: error.message };
  if (error instanceof JobStatusConflictError || error instanceof CancelRefusedError) return { seq, state: 'skipped', reason: `status ${error.job.status}` };
  if (error instanceof BatchCompletedError) return { seq, state: 'skipped', reason: 'child of a completed batch' };
  if (error instanceof UnknownJobError) return { seq, state: 'failed', reason: 'unknown job' };
  return { seq, state: 'failed', reason: error.message };
}
