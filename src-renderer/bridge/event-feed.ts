import type { Unsubscribe } from '../../src-shared/bridge';
import { compareEventIds, EVENT_ID_PATTERN, type BatchEvent, type JobEvent, type ResyncEvent } from '../../src-shared/events';
import type { ConnectionState } from '../store/connection-state';
import { checkedBatchEvent, checkedJobEvent, checkedResyncEvent } from './job-event-guard';
import type { Schedule } from './schedule';

/** The part of the DOM's EventSource the feed uses, so tests can pass their own. */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: SseEventType, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

/** The SSE `event:` names the feed reads; any other is ignored. */
export type FeedEventType = 'job' | 'batch' | 'resync';
/** Every SSE `event:` name the console reads: the feed's, and a bulk operation's stream's. */
export type SseEventType = FeedEventType | 'operation' | 'alert';

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
  onBatchEvent(listener: (event: BatchEvent) => void): Unsubscribe;
  onResync(listener: (event: ResyncEvent) => void): Unsubscribe;
  onConnectionChange(listener: (state: ConnectionState) => void): Unsubscribe;
}

function parseSseJson(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    console.warn('Jobdeck: ignored an SSE message that is not JSON', data.slice(0, 200));
    return undefined;
  }
}

/** Reads one frame's data with `check`; undefined (and one console warning) if it is not what `check` wants. */
function parseFrame<T>(data: string, check: (value: unknown, source: string) => T | undefined): T | undefined {
  const value = parseSseJson(data);
  return value === undefined ? undefined : check(value, 'SSE');
}

/** Reads one `event: job` message; undefined (and a console warning) if it is not a JobEvent. */
export const parseSseJobEvent = (data: string): JobEvent | undefined => parseFrame(data, checkedJobEvent);

/** `url` with `last_event_id` set, so the server first replays what came after it. */
export function resumeUrl(url: string, lastEventId: string | undefined): string {
  if (!lastEventId) return url;
  return `${url}${url.includes('?') ? '&' : '?'}last_event_id=${encodeURIComponent(lastEventId)}`;
}

/** The listeners a connection's frames go to. */
interface FrameTargets {
  job: Set<(event: JobEvent) => void>;
  batch: Set<(event: BatchEvent) => void>;
  resync: Set<(event: ResyncEvent) => void>;
}

/**
 * One Server-Sent Events connection shared by every listener: opened with the first listener
 * (job, batch or resync), closed with the last. The browser reconnects by itself after a network error
 * (sending Last-Event-ID, so the server can resume); when it gives up (the server answered
 * with an error), the feed opens a new connection with a growing delay, asking with
 * `last_event_id` for what it missed. A feed closed by its last listener starts afresh.
 * A `resync` says the server could not replay what was missed: its listeners reload what they
 * show, and the feed resumes from where the server says live events follow.
 */
export function createEventFeed(options: EventFeedOptions): EventFeed {
  const targets: FrameTargets = { job: new Set(), batch: new Set(), resync: new Set() };
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';

  const setState = (next: ConnectionState): void => {
    if (next === state) return;
    state = next;
    for (const listener of [...connectionListeners]) listener(next);
  };
  const connection = sseConnection(options, targets, setState);

  const listenerCount = (): number => targets.job.size + targets.batch.size + targets.resync.size;

  /** Adds `listener` to `set`, opening the connection if it is the first; returns the unsubscribe. */
  const listen = <T>(set: Set<T>, listener: T): Unsubscribe => {
    set.add(listener);
    connection.start();
    return () => {
      if (!set.delete(listener)) return;
      if (listenerCount() > 0) return;
      connection.stop();
      setState('connecting');
    };
  };

  return {
    onJobEvent: (listener) => listen(targets.job, listener),
    onBatchEvent: (listener) => listen(targets.batch, listener),
    onResync: (listener) => listen(targets.resync, listener),
    onConnectionChange(listener) {
      connectionListeners.add(listener);
      listener(state);
      return () => {
        connectionListeners.delete(listener);
      };
    },
  };
}

/** The feed's EventSource: opened, reopened with a growing delay once the browser gives up, and closed. */
function sseConnection({ url, open, schedule }: EventFeedOptions, targets: FrameTargets, setState: (next: ConnectionState) => void) {
  let source: EventSourceLike | undefined;
  let cancelReopen: (() => void) | undefined;
  let failedOpens = 0;
  /** ID of the newest event received; only IDs the server accepts back are kept. */
  let lastEventId: string | undefined;

  const remember = (id: unknown): void => {
    if (typeof id !== 'string' || !EVENT_ID_PATTERN.test(id)) return;
    if (lastEventId === undefined || compareEventIds(id, lastEventId) > 0) lastEventId = id;
  };
  const resumeAfter = (id: string): void => {
    // The old ID is gone from the stream: asking for it again would only resync again.
    lastEventId = EVENT_ID_PATTERN.test(id) ? id : undefined;
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
    const opened = open(resumeUrl(url, lastEventId));
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
    dispatchFrames(opened, targets, remember, resumeAfter);
  };

  return {
    /** Opens the connection unless it is open or about to reopen. */
    start(): void {
      if (!source && !cancelReopen) connect();
    },
    /** Closes it and forgets where it was: the next start begins afresh. */
    stop(): void {
      cancelReopen?.();
      cancelReopen = undefined;
      source?.close();
      source = undefined;
      failedOpens = 0;
      lastEventId = undefined;
    },
  };
}

/** Hands `source`'s job, batch and resync frames to their listeners, noting each event's ID. */
function dispatchFrames(
  source: EventSourceLike,
  targets: FrameTargets,
  remember: (id: unknown) => void,
  resumeAfter: (id: string) => void,
): void {
  const forward = <T extends { id: string }>(
    type: 'job' | 'batch',
    check: (value: unknown, source: string) => T | undefined,
    listeners: Set<(event: T) => void>,
  ): void =>
    source.addEventListener(type, (message) => {
      // The frame's `id:` counts even when its data is refused: that event needs no replay.
      remember(message.lastEventId);
      const event = parseFrame(message.data, check);
      if (!event) return;
      remember(event.id);
      for (const listener of [...listeners]) listener(event);
    });
  forward('job', checkedJobEvent, targets.job);
  forward('batch', checkedBatchEvent, targets.batch);
  source.addEventListener('resync', (message) => {
    const event = parseFrame(message.data, checkedResyncEvent);
    if (!event) return;
    resumeAfter(event.resume_after);
    for (const listener of [...targets.resync]) listener(event);
  });
}
