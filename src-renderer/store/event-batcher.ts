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
 * Hands a batch on; if applying it throws, hands its events on one by one, so only the event
 * that cannot be applied is lost, and the error is logged rather than thrown into the timer.
 */
function deliver(flush: (events: JobEvent[]) => void, events: JobEvent[]): void {
  try {
    flush(events);
    return;
  } catch (error) {
    if (events.length === 1) {
      console.error('Jobdeck: could not apply a job event; skipped it', events[0]?.id, error);
      return;
    }
    console.error(`Jobdeck: could not apply a batch of ${events.length} job events; applying them one by one`, error);
  }
  for (const event of events) {
    try {
      flush([event]);
    } catch (error) {
      console.error('Jobdeck: could not apply a job event; skipped it', event.id, error);
    }
  }
}

/**
 * Gathers events and hands them on at most once per interval, so a burst of thousands costs
 * one store update, not thousands. Every event is handed on, in the order it came: the store
 * keeps the highest version of a job, but the charts count each transition (a job may be
 * accepted, started and done within one interval).
 */
export function createEventBatcher({ flush, intervalMs, schedule }: EventBatcherOptions): EventBatcher {
  let pending: JobEvent[] = [];
  let cancel: (() => void) | undefined;
  let closed = false;

  const flushPending = (): void => {
    cancel = undefined;
    const events = pending;
    pending = [];
    if (events.length) deliver(flush, events);
  };

  return {
    push(event) {
      if (closed) return;
      pending.push(event);
      cancel ??= schedule(flushPending, intervalMs);
    },
    close() {
      closed = true;
      cancel?.();
      cancel = undefined;
      pending = [];
    },
  };
}
