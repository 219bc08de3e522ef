import type { JobKind } from './kinds';

/**
 * Environment a console gives the workers it spawns: its own opaque ID and the slot the process
 * runs in, which the worker writes into its heartbeat.
 */
export const SUPERVISOR_ID_ENV = 'JOBDECK_SUPERVISOR_ID';
export const WORKER_SLOT_ENV = 'JOBDECK_WORKER_SLOT';

/** What a worker process tells the console that spawned it (over the child-process channel). */
export type WorkerToMainMessage =
  /** Connected and consuming. */
  | { type: 'ready'; kind: JobKind; pid: number }
  /** Took a job. */
  | { type: 'job-started'; jobId: string }
  /**
   * Finished an attempt of a job: `done`, `failed` (its last attempt: the job ended FAILED) or
   * `retrying` (the attempt failed, and the job goes to a retry).
   */
  | { type: 'job-finished'; jobId: string; outcome: 'done' | 'failed' | 'retrying' | 'cancelled' }
  /** Gave a job back to the queue unfinished (status store unreachable, or stopping). */
  | { type: 'job-returned'; jobId: string }
  /** Periodic figures: resident memory (`process.memoryUsage().rss`) in bytes. */
  | { type: 'stats'; rssBytes: number }
  /** A fault it cannot work past; it exits after sending this. */
  | { type: 'fatal'; message: string };

/** What the console tells a worker process. */
export type MainToWorkerMessage =
  /** Stop taking messages, finish and ack the ones in hand, then exit. */
  { type: 'shutdown' };

export function isWorkerToMainMessage(value: unknown): value is WorkerToMainMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    ['ready', 'job-started', 'job-finished', 'job-returned', 'stats', 'fatal'].includes((value as { type?: string }).type ?? '')
  );
}

export function isMainToWorkerMessage(value: unknown): value is MainToWorkerMessage {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'shutdown';
}
