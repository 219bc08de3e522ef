import type { Redis } from 'ioredis';
import type { JobKind, KindNames } from '../../src-shared/kinds';
import type { Names } from '../../src-shared/topology';

/**
 * Every kind the namespace's consoles have run with, kept in Redis: so a kind removed from the
 * kinds file is told apart from a name never seen, and its queue can be shown as left alone.
 */
export class KnownKinds {
  constructor(
    private readonly redis: Redis,
    private readonly names: Names,
    private readonly kinds: KindNames,
  ) {}

  /** Adds this console's kinds; answers the remembered ones it no longer has. */
  async remember(): Promise<JobKind[]> {
    await this.redis.sadd(this.names.kindsIndex, ...this.kinds.names);
    return this.removed();
  }

  /** Forgets a removed kind (its queues are gone: nothing is left to say about it). */
  async forget(kind: JobKind): Promise<void> {
    await this.redis.srem(this.names.kindsIndex, kind);
  }

  /** The remembered kinds this console's registry does not name, by name. */
  async removed(): Promise<JobKind[]> {
    const known = await this.redis.smembers(this.names.kindsIndex);
    return known.filter((kind) => !this.kinds.names.includes(kind)).sort();
  }
}
