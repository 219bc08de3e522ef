/**
 * How failed attempts are retried: the broker holds a failed job in one of a small, fixed
 * ladder of delay queues (one per rung, each with its own TTL), so the wait survives worker
 * and console restarts and no message waits behind a longer one (RabbitMQ expires only a
 * queue's head). The rung is chosen by the attempt; the jitter is a per-message TTL within
 * the rung, which a message's own queue TTL bounds.
 */
export interface RetryPolicy {
  /** Most attempts a job may have (`JOBDECK_MAX_ATTEMPTS`); a job may ask for fewer. */
  maxAttempts: number;
  /** Delay before the first retry, in ms (`JOBDECK_RETRY_BASE_MS`); each further rung doubles it. */
  baseDelayMs: number;
  /** Longest delay of the ladder, in ms (`JOBDECK_RETRY_MAX_MS`). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 60_000 };

/**
 * The ladder's delays in ms: base, 2·base, 4·base… while at most `maxDelayMs`, and no more rungs
 * than a job can use (`maxAttempts - 1` retries). Always at least one rung.
 */
export function retryLadder(policy: RetryPolicy): number[] {
  const rungs: number[] = [policy.baseDelayMs];
  while (rungs.length < policy.maxAttempts - 1 && rungs[rungs.length - 1]! * 2 <= policy.maxDelayMs) {
    rungs.push(rungs[rungs.length - 1]! * 2);
  }
  return rungs;
}

/** Where and how long a failed job waits before its next attempt. */
export interface RetryDelay {
  /** The rung's delay: the TTL of the queue the job waits in. */
  rungMs: number;
  /** The job's own wait (its message's expiration): in [rungMs / 2, rungMs]. */
  delayMs: number;
}

/**
 * The wait after `failedAttempts` attempts (1 after the first failure): the rung doubles with each
 * attempt up to the ladder's top, and the wait is jittered over the rung's upper half ("equal
 * jitter"), so jobs that failed together do not all come back together.
 * `random` returns a number in [0, 1).
 */
export function chooseRetryDelay(ladder: readonly number[], failedAttempts: number, random: () => number = Math.random): RetryDelay {
  const rung = Math.min(Math.max(failedAttempts, 1), ladder.length) - 1;
  const rungMs = ladder[rung]!;
  const half = Math.floor(rungMs / 2);
  const delayMs = Math.min(rungMs, rungMs - half + Math.floor(random() * (half + 1)));
  return { rungMs, delayMs };
}
