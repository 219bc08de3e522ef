import type { JobEvent } from '../../src-shared/events';
import type { Schedule } from '../bridge/schedule';

export interface EventBatcherOptions {
  /** Receives the events gathered since the last flush; never called with none. */
  flush: (events: JobEvent[]) => void;
  /** Longest an event waits, and shortest time between two flushes. */
  intervalMs: number;
  schedule: Schedule;
}

export interface EventBatcher {
  push(event: JobEvent): void;
  /** Drops what is pending and stops; pushes after it are ignored. Idempotent. */
  close(): void;
}

/**
 * Gathers events and hands them on at most once per interval, so a burst of thousands costs
 * one store update, not thousands. Only the highest version of each job is kept meanwhile.
 */
export function createEventBatcher({ flush, intervalMs, schedule }: EventBatcherOptions): EventBatcher {
  let pending = new Map<string, JobEvent>();
  let cancel: (() => void) | undefined;
  let closed = false;

  const flushPending = (): void => {
    cancel = undefined;
    const events = [...pending.values()];
    pending = new Map();
    if (events.length) flush(events);
  };

  return {
    push(event) {
      if (closed) return;
      const held = pending.get(event.job_id);
      if (!held || event.version > held.version) pending.set(event.job_id, event);
      cancel ??= schedule(flushPending, intervalMs);
    },
    close() {
      closed = true;
      cancel?.();
      cancel = undefined;
      pending.clear();
    },
  };
}
