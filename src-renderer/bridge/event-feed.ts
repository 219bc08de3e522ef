import type { Unsubscribe } from '../../src-shared/bridge';
import type { JobEvent } from '../../src-shared/events';
import type { ConnectionState } from './console-bridge';
import type { Schedule } from './schedule';

/** The part of the DOM's EventSource the feed uses, so tests can pass their own. */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: 'job', listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

const EVENT_SOURCE_CLOSED = 2;
const REOPEN_MIN_DELAY_MS = 1_000;
const REOPEN_MAX_DELAY_MS = 30_000;

export interface EventFeedOptions {
  url: string;
  open: (url: string) => EventSourceLike;
  schedule: Schedule;
}

export interface EventFeed {
  onJobEvent(listener: (event: JobEvent) => void): Unsubscribe;
  onConnectionChange(listener: (state: ConnectionState) => void): Unsubscribe;
}

function isJobEvent(value: unknown): value is JobEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Partial<JobEvent>;
  return (
    typeof event.job_id === 'string' &&
    typeof event.version === 'number' &&
    typeof event.job === 'object' &&
    event.job !== null &&
    event.job.id === event.job_id
  );
}

/** Reads one `event: job` message; undefined (and a console warning) if it is not a JobEvent. */
export function parseJobMessage(data: string): JobEvent | undefined {
  try {
    const value: unknown = JSON.parse(data);
    if (isJobEvent(value)) return value;
  } catch {
    // Reported below, like any other message that is not a job event.
  }
  console.warn('Jobdeck: ignored an event that is not a job event', data.slice(0, 200));
  return undefined;
}

/**
 * One Server-Sent Events connection shared by every listener: opened with the first job
 * listener, closed with the last. The browser reconnects by itself after a network error
 * (sending Last-Event-ID, so the server can resume); when it gives up (the server answered
 * with an error), the feed opens a new connection with a growing delay.
 */
export function createEventFeed({ url, open, schedule }: EventFeedOptions): EventFeed {
  const jobListeners = new Set<(event: JobEvent) => void>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';
  let source: EventSourceLike | undefined;
  let cancelReopen: (() => void) | undefined;
  let failedOpens = 0;

  const setState = (next: ConnectionState): void => {
    if (next === state) return;
    state = next;
    for (const listener of [...connectionListeners]) listener(next);
  };

  const reopenLater = (): void => {
    const delayMs = Math.min(REOPEN_MAX_DELAY_MS, REOPEN_MIN_DELAY_MS * 2 ** failedOpens);
    failedOpens += 1;
    cancelReopen = schedule(() => {
      cancelReopen = undefined;
      connect();
    }, delayMs);
  };

  const connect = (): void => {
    const opened = open(url);
    source = opened;
    opened.onopen = () => {
      failedOpens = 0;
      setState('live');
    };
    opened.onerror = () => {
      if (source !== opened) return;
      if (opened.readyState === EVENT_SOURCE_CLOSED) {
        opened.close();
        source = undefined;
        reopenLater();
      }
      setState('reconnecting');
    };
    opened.addEventListener('job', (message) => {
      const event = parseJobMessage(message.data);
      if (!event) return;
      for (const listener of [...jobListeners]) listener(event);
    });
  };

  const disconnect = (): void => {
    cancelReopen?.();
    cancelReopen = undefined;
    source?.close();
    source = undefined;
    failedOpens = 0;
    setState('connecting');
  };

  return {
    onJobEvent(listener) {
      jobListeners.add(listener);
      if (!source && !cancelReopen) connect();
      return () => {
        if (!jobListeners.delete(listener)) return;
        if (jobListeners.size === 0) disconnect();
      };
    },
    onConnectionChange(listener) {
      connectionListeners.add(listener);
      listener(state);
      return () => {
        connectionListeners.delete(listener);
      };
    },
  };
}
