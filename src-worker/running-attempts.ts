import type { Redis } from 'ioredis';

/** An attempt's handle on what stops it. */
export interface CancelHandle {
  /** The handler's signal: aborted when the worker stops (`stop`) or an operator cancels the job. */
  signal: AbortSignal;
  /** Whether an operator's cancel is what aborted it. */
  readonly cancelled: boolean;
  /** Aborts `signal` (the mark was seen on a status write: the message may have been missed). */
  cancel(): void;
  /** The attempt is over: later cancels of its job, and the worker's stop, no longer reach it. */
  release(): void;
}

/** Why a handler's signal aborts (its `reason`'s message): an operator's cancel, or the worker's stop. */
export const CANCELLED_REASON = 'cancelled by an operator';
export const STOPPING_REASON = 'worker stopping';

/**
 * The attempts this worker runs, by job, so that a cancel told on the namespace's channel reaches
 * the one running its job.
 */
export class RunningAttempts {
  /** Each running attempt's cancel, by job. */
  private readonly byJob = new Map<string, Set<() => void>>();

  /** An attempt of `jobId`, whose signal also follows `stop` (the session's). */
  register(jobId: string, stop: AbortSignal): CancelHandle {
    const controller = new AbortController();
    let cancelled = false;
    const onStop = (): void => controller.abort(new Error(STOPPING_REASON));
    if (stop.aborted) onStop();
    else stop.addEventListener('abort', onStop, { once: true });
    const cancel = (): void => {
      if (controller.signal.aborted) return;
      cancelled = true;
      controller.abort(new Error(CANCELLED_REASON));
    };
    const held = this.byJob.get(jobId) ?? new Set<() => void>();
    held.add(cancel);
    this.byJob.set(jobId, held);
    return {
      signal: controller.signal,
      get cancelled() {
        return cancelled;
      },
      cancel,
      release: () => {
        stop.removeEventListener('abort', onStop);
        held.delete(cancel);
        if (held.size === 0 && this.byJob.get(jobId) === held) this.byJob.delete(jobId);
      },
    };
  }

  /** Aborts every attempt of the job this worker runs. */
  cancel(jobId: string): void {
    for (const cancel of this.byJob.get(jobId) ?? []) cancel();
  }
}

/**
 * Subscribes `subscriber` (a connection of its own: it can do nothing else once subscribed) to
 * the cancel channel and passes each job ID to `attempts`. ioredis subscribes again after a
 * reconnect; a cancel told meanwhile is caught by the mark on the job (see `cancelRequested`).
 */
export async function listenForCancels(subscriber: Redis, channel: string, attempts: RunningAttempts): Promise<void> {
  subscriber.on('message', (from: string, jobId: string) => {
    if (from === channel) attempts.cancel(jobId);
  });
  await subscriber.subscribe(channel);
}
