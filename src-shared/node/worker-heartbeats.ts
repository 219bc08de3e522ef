import type { Redis } from 'ioredis';
import type { Names } from '../topology';
import { HEARTBEAT_TTL_MS, workerHeartbeatSchema, type WorkerHeartbeat } from '../worker-heartbeat';

/**
 * The heartbeats of a namespace's workers in Redis: each a JSON value that expires unless
 * renewed, its name kept in an index set so a reader finds them without a SCAN.
 */
export class WorkerHeartbeats {
  constructor(
    private readonly redis: Redis,
    private readonly names: Names,
  ) {}

  /** Writes (renews) one worker's heartbeat: one round trip. */
  async write(beat: WorkerHeartbeat): Promise<void> {
    await this.redis
      .multi()
      .set(this.names.workerKey(beat.name), JSON.stringify(beat), 'PX', HEARTBEAT_TTL_MS)
      .sadd(this.names.workersIndex, beat.name)
      .exec();
  }

  /** Removes a worker's heartbeat at once (a clean stop). */
  async remove(name: string): Promise<void> {
    await this.redis.multi().del(this.names.workerKey(name)).srem(this.names.workersIndex, name).exec();
  }

  /** Every heartbeat not yet expired; forgets the names of those that have. */
  async read(): Promise<WorkerHeartbeat[]> {
    const names = await this.redis.smembers(this.names.workersIndex);
    if (names.length === 0) return [];
    const values = await this.redis.mget(names.map(this.names.workerKey));
    const expired = names.filter((_, i) => values[i] === null);
    if (expired.length > 0) await this.redis.srem(this.names.workersIndex, ...expired);
    return values.flatMap((value) => (value === null ? [] : parseBeat(value)));
  }
}

/** A heartbeat as written; one another version cannot be read is left out rather than fail the list. */
function parseBeat(value: string): WorkerHeartbeat[] {
  try {
    const parsed = workerHeartbeatSchema.safeParse(JSON.parse(value));
    return parsed.success ? [parsed.data] : [];
  } catch {
    return [];
  }
}
