import type { Redis } from 'ioredis';
import { flowFromHash, type FlowKeys, type KindFlow, type KindLimits } from '../../src-shared/flow';
import type { JobKind } from '../../src-shared/kinds';

/**
 * The per-kind flow (pause, rate and concurrency limits) in Redis, where every worker of the
 * namespace reads it: each change is written to the kind's hash, then told on the changes
 * channel (message: the kind). A worker that misses the message reads the hash again within
 * seconds (see the worker's FlowControl).
 */
export class FlowStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: FlowKeys,
  ) {}

  async get(kind: JobKind): Promise<KindFlow> {
    return flowFromHash(kind, await this.redis.hgetall(this.keys.state(kind)));
  }

  async all(kinds: readonly JobKind[]): Promise<Map<JobKind, KindFlow>> {
    const hashes = await Promise.all(kinds.map((kind) => this.redis.hgetall(this.keys.state(kind))));
    return new Map(kinds.map((kind, index) => [kind, flowFromHash(kind, hashes[index]!)]));
  }

  /** Pauses `kind` (kept as it was when it is paused already, with its first time). */
  async pause(kind: JobKind, at = new Date()): Promise<KindFlow> {
    await this.redis.multi().hsetnx(this.keys.state(kind), 'paused_at', at.toISOString()).publish(this.keys.changes, kind).exec();
    return this.get(kind);
  }

  async resume(kind: JobKind): Promise<KindFlow> {
    await this.redis.multi().hdel(this.keys.state(kind), 'paused_at').publish(this.keys.changes, kind).exec();
    return this.get(kind);
  }

  /** Replaces both limits (null: none). */
  async setLimits(kind: JobKind, limits: KindLimits): Promise<KindFlow> {
    const key = this.keys.state(kind);
    const batch = this.redis.multi();
    for (const field of ['rate_per_s', 'concurrency'] as const) {
      const value = limits[field];
      if (value === null) batch.hdel(key, field);
      else batch.hset(key, field, String(value));
    }
    await batch.publish(this.keys.changes, kind).exec();
    return this.get(kind);
  }
}
