import {
  STREAM_START_ID,
  compareEventIds,
  matchesFilter,
  type EventFilter,
  type ResyncEvent,
  type StreamEvent,
} from '../../src-shared/events';
import type { EventRelay } from './event-relay';

/** Where a feed writes: one SSE response or one WebSocket. */
export interface FeedSink {
  event(event: StreamEvent): void;
  resync(event: ResyncEvent): void;
  /** Bytes written but not yet taken by the client. */
  buffered(): number;
  /** Resolves once the client has taken what was written (used to pace a replay). */
  drained(): Promise<void>;
  /** Ends the connection: the client fell too far behind and should resume by ID. */
  overflow(): void;
}

export interface FeedLimits {
  /** Bytes a client may leave unread before it is disconnected. */
  maxBufferedBytes: number;
  /** Live events held while a replay runs, before the client is disconnected. */
  maxPendingEvents: number;
}

export const DEFAULT_FEED_LIMITS: FeedLimits = { maxBufferedBytes: 4 * 1024 * 1024, maxPendingEvents: 5_000 };

/**
 * One client's view of the event stream: replays what it missed after `afterId` (or says
 * resync when that ID is gone), then follows live events, each exactly once and in order,
 * filtered. Memory per client is capped: a client that does not keep up is disconnected
 * (it resumes by ID), so it never holds up the relay.
 */
export class EventFeed {
  private sentUpTo: string;
  private pending: StreamEvent[] | null = [];
  private unsubscribe: (() => void) | null = null;
  private closed = false;

  constructor(
    private readonly relay: EventRelay,
    private readonly sink: FeedSink,
    private filter: EventFilter,
    private readonly limits: FeedLimits = DEFAULT_FEED_LIMITS,
  ) {
    this.sentUpTo = STREAM_START_ID;
  }

  /**
   * Starts following. With `afterId`, replays from it first (after a resync event, everything
   * the stream holds, when that ID is gone); without, only live events.
   * Resolves once the replay is written (or failed, which ends the feed).
   */
  async start(afterId: string | undefined): Promise<void> {
    // Live events wait in a queue while the replay runs, so none is lost between the two.
    this.unsubscribe = this.relay.subscribeAll((event) => this.onLive(event));
    this.sentUpTo = afterId ?? this.relay.latestId;
    if (afterId !== undefined) {
      const resync = await this.relay.checkResume(afterId);
      if (resync) this.sink.resync(resync);
      const from = resync ? resync.resume_after : afterId;
      this.sentUpTo = from;
      for await (const event of this.relay.replay(from)) {
        if (this.closed) return;
        if (this.sink.buffered() > this.limits.maxBufferedBytes / 2) await this.sink.drained();
        this.deliver(event);
      }
    }
    const queued = this.pending ?? [];
    this.pending = null;
    for (const event of queued) this.deliver(event);
  }

  /** Replaces the filter (a WebSocket subscribe message); the position in the stream stays. */
  setFilter(filter: EventFilter): void {
    this.filter = filter;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    this.pending = null;
  }

  private onLive(event: StreamEvent): void {
    if (this.closed) return;
    if (this.pending) {
      // Only what the client will see counts against its cap.
      if (!matchesFilter(this.filter, event)) return;
      this.pending.push(event);
      if (this.pending.length > this.limits.maxPendingEvents) this.fallBehind();
      return;
    }
    this.deliver(event);
  }

  private deliver(event: StreamEvent): void {
    if (this.closed || compareEventIds(event.id, this.sentUpTo) <= 0) return;
    this.sentUpTo = event.id;
    if (!matchesFilter(this.filter, event)) return;
    if (this.sink.buffered() > this.limits.maxBufferedBytes) {
      this.fallBehind();
      return;
    }
    this.sink.event(event);
  }

  private fallBehind(): void {
    this.close();
    this.sink.overflow();
  }
}
