import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The work's value if it settles within `ms`, else `late`: the one deadline of the main process.
 * A rejection passes through; the timer never keeps the process alive and is dropped once the
 * work settles.
 */
export async function within<T, L>(work: Promise<T>, ms: number, late: L): Promise<T | L> {
  const timer = new AbortController();
  const deadline = sleep(ms, late, { ref: false, signal: timer.signal }).catch(() => late);
  try {
    return await Promise.race([work, deadline]);
  } finally {
    timer.abort();
  }
}
