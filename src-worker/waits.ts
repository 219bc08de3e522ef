import { setTimeout as delay } from 'node:timers/promises';

/** Waits `ms`, or less if `signal` aborts first; it resolves either way. */
export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal }).catch(() => undefined);
}

/** Waits for `work`, or `ms` at the most; a failure of the work passes through. */
export async function within(work: Promise<unknown>, ms: number): Promise<void> {
  const deadline = new AbortController();
  try {
    await Promise.race([work, delay(ms, undefined, { signal: deadline.signal })]);
  } finally {
    deadline.abort();
  }
}
