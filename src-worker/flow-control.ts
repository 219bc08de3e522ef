import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { flowFromHash, isLimited, type FlowKeys, type KindFlow } from '../src-shared/flow';
import type { JobKind } from '../src-shared/kinds';
import { LuaScript } from '../src-shared/node/lua-script';
import { redactText } from '../src-shared/redact';
import ADMIT_LUA from './flow-admit.lua?raw';
import type { KindGate } from './kind-gate';
import { sleep } from './waits';

/** The gate reason of an operator's pause. */
export const PAUSED_REASON = 'paused';
/** How often the flow is read again whatever the channel said (a message missed during a reconnect). */
export const FLOW_REREAD_MS = 5_000;
/** A concurrency lease's life; renewed while its job runs, so a dead worker's slot comes back within it. */
export const LEASE_TTL_MS = 30_000;
const LEASE_RENEW_MS = 10_000;
/** Longest wait for a slot between two asks when no release is told (a lease that expired instead). */
const SLOT_RECHECK_MAX_MS = 5_000;

const admitScript = new LuaScript(ADMIT_LUA, 3);

/** A start let through its kind's limits; `release` gives its concurrency slot back (once). */
export interface Admission {
  release(): Promise<void>;
}

const UNLIMITED: Admission = { release: async () => undefined };

export interface FlowControlOptions {
  redis: Redis;
  /** A connection in subscriber mode (the worker's cancel subscriber): told of changes and freed slots. */
  subscriber: Redis;
  keys: FlowKeys;
  kinds: readonly JobKind[];
  gate: KindGate;
  /** Names this worker's leases. */
  workerName: string;
  log: (line: string) => void;
}

/**
 * A worker's side of the per-kind flow kept in Redis (see `FlowKeys`): an operator's pause holds
 * the kind on the worker's gate, read at start, on each change told on the channel, after the
 * subscriber reconnects and every {@link FLOW_REREAD_MS}; and `admit` lets a start through the
 * kind's rate and concurrency limits, waiting without polling: the rate script answers the exact
 * wait, a full semaphore is asked again when a slot is told freed (or its first lease expires).
 */
export class FlowControl {
  private readonly flows = new Map<JobKind, KindFlow>();
  private readonly wakers = new Map<JobKind, Set<() => void>>();
  private readonly leases = new Map<string, JobKind>();
  private readonly timers: NodeJS.Timeout[] = [];
  private failing = false;

  constructor(private readonly options: FlowControlOptions) {}

  /** Subscribes to the changes and reads the flow once; the subscriber's other channels are left alone. */
  async start(): Promise<void> {
    const { subscriber, keys } = this.options;
    subscriber.on('message', (channel: string, kind: string) => {
      if (channel === keys.changes) void this.refresh();
      if (channel === keys.freed) this.wake(kind);
    });
    // ioredis subscribes again after a reconnect; what was told meanwhile is read again here.
    subscriber.on('ready', () => void this.refresh());
    await subscriber.subscribe(keys.changes, keys.freed);
    await this.refresh();
    this.timers.push(setInterval(() => void this.refresh(), FLOW_REREAD_MS).unref());
    this.timers.push(setInterval(() => void this.renewLeases(), LEASE_RENEW_MS).unref());
  }

  close(): void {
    for (const timer of this.timers) clearInterval(timer);
  }

  /** Kinds of this worker paused now (for its heartbeat). */
  pausedKinds(): JobKind[] {
    return this.options.kinds.filter((kind) => this.flows.get(kind)?.paused);
  }

  /** Reads every kind's flow and holds or releases each on the gate; a failed read keeps what was known. */
  async refresh(): Promise<void> {
    const { redis, keys, kinds, gate, log } = this.options;
    try {
      const hashes = await Promise.all(kinds.map((kind) => redis.hgetall(keys.state(kind))));
      if (this.failing) log('flow state read again');
      this.failing = false;
      kinds.forEach((kind, index) => {
        const flow = flowFromHash(kind, hashes[index]!);
        this.flows.set(kind, flow);
        if (flow.paused) gate.hold(kind, PAUSED_REASON);
        else gate.release(kind, PAUSED_REASON);
        this.wake(kind);
      });
    } catch (error) {
      if (!this.failing) log(`flow state not read (${redactText((error as Error).message)}); keeping the last known`);
      this.failing = true;
    }
  }

  /**
   * Waits until a job of `kind` may start: 'paused' when an operator paused the kind (the caller
   * gives the message back), otherwise an admission once the limits allow. Throws when `signal`
   * aborts or Redis fails (the caller gives the message back).
   */
  async admit(kind: JobKind, jobId: string, signal: AbortSignal): Promise<Admission | 'paused'> {
    for (;;) {
      if (signal.aborted) throw new Error('worker stopping');
      const flow = this.flows.get(kind);
      if (flow?.paused) return 'paused';
      if (!flow || !isLimited(flow)) return UNLIMITED;
      const member = `${this.options.workerName}:${jobId}:${randomUUID()}`;
      const { keys, redis } = this.options;
      const [admitted, ms] = (await admitScript.run(redis, keys.state(kind), keys.leases(kind), keys.rate(kind), member, String(LEASE_TTL_MS))) as [number, number];
      if (admitted === 1) {
        const admission = this.leaseOf(kind, member);
        if (ms > 0) await sleep(ms, signal);
        if (signal.aborted) {
          await admission.release().catch(() => undefined);
          throw new Error('worker stopping');
        }
        return admission;
      }
      await this.waitForSlot(kind, Math.min(ms, SLOT_RECHECK_MAX_MS), signal);
    }
  }

  private leaseOf(kind: JobKind, member: string): Admission {
    this.leases.set(member, kind);
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        this.leases.delete(member);
        const { redis, keys } = this.options;
        await redis.multi().zrem(keys.leases(kind), member).publish(keys.freed, kind).exec();
      },
    };
  }

  /** Resolves on a freed slot of `kind`, a flow change, `ms`, or `signal`: whichever comes first. */
  private waitForSlot(kind: JobKind, ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const wakers = this.wakers.get(kind) ?? new Set<() => void>();
      this.wakers.set(kind, wakers);
      const done = (): void => {
        clearTimeout(timer);
        wakers.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakers.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private wake(kind: string): void {
    for (const waker of [...(this.wakers.get(kind) ?? [])]) waker();
  }

  /** Extends the leases of the jobs running here, so only a dead worker's run out. */
  private async renewLeases(): Promise<void> {
    if (this.leases.size === 0) return;
    const { redis, keys } = this.options;
    const expiry = Date.now() + LEASE_TTL_MS;
    const batch = redis.multi();
    for (const [member, kind] of this.leases) batch.zadd(keys.leases(kind), 'XX', expiry, member).pexpire(keys.leases(kind), LEASE_TTL_MS);
    await batch.exec().catch(() => undefined);
  }
}
