import type { Redis } from 'ioredis';

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * One holder at a time across every console of a namespace: a Redis key set NX with a TTL its
 * holder renews while it works. A holder that dies stops renewing, and another takes the key
 * once it expires (within `ttlMs`).
 */
export class RedisLease {
  private held = false;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly owner: string,
    private readonly ttlMs: number,
  ) {}

  /** Renews the lease if held, else tries to take it; whether this owner holds it now. */
  async hold(): Promise<boolean> {
    if (this.held && Number(await this.redis.eval(RENEW, 1, this.key, this.owner, this.ttlMs)) === 1) return true;
    this.held = (await this.redis.set(this.key, this.owner, 'PX', this.ttlMs, 'NX')) === 'OK';
    return this.held;
  }

  /** Gives the lease up at once (a clean stop), so another console need not wait for it to expire. */
  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    await this.redis.eval(RELEASE, 1, this.key, this.owner);
  }
}
