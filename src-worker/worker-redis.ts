import { Redis } from 'ioredis';
import { redactText } from '../src-shared/redact';

const REDIS_RETRY_MAX_MS = 2_000;

/** Redis answers retrying cannot cure: the credentials or the database refused. */
const INCURABLE_REDIS = /WRONGPASS|NOAUTH|invalid password|invalid username-password|ERR AUTH|DB index is out of range/i;

/**
 * A status write waits for Redis to come back rather than fail: failing the write after the
 * effect would requeue the job and do the effect again. The job's message stays unacked
 * meanwhile, so nothing is lost if the worker stops; the console answers for status reads.
 */
export function openRedis(url: string, connectionName: string): Redis {
  return new Redis(url, {
    connectionName,
    maxRetriesPerRequest: null,
    // The status writes of the jobs in hand share round trips (one pipeline per event-loop tick).
    enableAutoPipelining: true,
    retryStrategy: (times) => Math.min(times * 200, REDIS_RETRY_MAX_MS),
  });
}

/**
 * Logs the Redis connection's state changes, one line each (not every retry); calls `fatal` for
 * what retrying cannot cure.
 */
export function watchRedis(redis: Redis, shownUrl: string, log: (line: string) => void, fatal: (reason: string) => void): void {
  let state: 'connecting' | 'up' | 'down' = 'connecting';
  redis.on('ready', () => {
    if (state === 'down') log(`Redis at ${shownUrl} connected again`);
    state = 'up';
  });
  redis.on('error', (error: Error) => {
    const reason = redactText(error.message);
    if (INCURABLE_REDIS.test(reason)) {
      fatal(`Redis at ${shownUrl} refused this worker (${reason}); check REDIS_URL`);
      return;
    }
    if (state === 'down') return;
    state = 'down';
    log(`Redis at ${shownUrl} unreachable (${reason}); retrying every ${REDIS_RETRY_MAX_MS / 1000} s at the most, jobs wait`);
  });
}
