import { Redis } from 'ioredis';
import type { Names } from '../../src-shared/topology';

const CONNECT_TIMEOUT_MS = 5_000;
/**
 * Longest the API waits for one Redis command: a Redis that went silent (no reset to notice)
 * gets a 503 within this, not a hung request. The blocking readers get their own, longer one.
 */
const REDIS_COMMAND_TIMEOUT_MS = 1_500;
const REDIS_BLOCKING_COMMAND_TIMEOUT_MS = 10_000;

/**
 * The console's Redis connections, each named `<namespace>:<role>` in the server's client list
 * and each with an error listener: without one, ioredis prints every reconnect attempt during an
 * outage as an unhandled error event. The callers see the failures on their commands.
 */
export class RedisConnections {
  constructor(
    private readonly url: string,
    private readonly names: Names,
  ) {}

  /** The connection for short commands; throws the connection's own error if Redis is not reachable now. */
  async open(role: string): Promise<Redis> {
    const redis = new Redis(this.url, {
      lazyConnect: true,
      connectionName: this.names.connectionName(role),
      connectTimeout: CONNECT_TIMEOUT_MS,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      // Concurrent requests' status writes share round trips (one pipeline per event-loop tick).
      enableAutoPipelining: true,
      maxRetriesPerRequest: 1,
      retryStrategy: (times) => Math.min(times * 200, 2_000),
    });
    let lastError: Error | null = null;
    redis.on('error', (error: Error) => (lastError = error));
    try {
      await redis.connect();
    } catch (error) {
      redis.disconnect();
      throw lastError ?? error;
    }
    return redis;
  }

  /**
   * A connection of its own for a stream reader (a blocking read holds it). `longCommands` gives
   * it a longer command timeout than the API's, for reads that block up to seconds.
   */
  duplicate(base: Redis, role: string, options: { longCommands?: boolean } = {}): Redis {
    const duplicate = base.duplicate({
      connectionName: this.names.connectionName(role),
      // Never resend a read after a reconnect: a group read sent twice delivers two batches and
      // returns one, leaving the other pending unseen. A failed read is read again from pending.
      maxRetriesPerRequest: 0,
      ...(options.longCommands ? { commandTimeout: REDIS_BLOCKING_COMMAND_TIMEOUT_MS } : {}),
    });
    duplicate.on('error', () => undefined);
    return duplicate;
  }
}
