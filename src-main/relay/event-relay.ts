import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import {
  STREAM_START_ID,
  compareEventIds,
  type JobEvent,
  type ResyncEvent,
  type StreamEvent,
} from '../../src-shared/events';
import { parseEntries } from './parsed-entries';

export type JobEventListener = (event: JobEvent) => void;
export type StreamEventListener = (event: StreamEvent) => void;

/** Where the relay reads: a stream and the connections to read it with. */
export interface RelaySource {
  /** A connection of its own: the blocking read holds it. */
  redis: Redis;
  /** A connection for short reads (replays). */
  reader: Redis;
  stream: string;
}

export interface EventRelayOptions extends RelaySource {
  onLog?: (line: string) => void;
}

const BLOCK_MS = 1_000;
const BATCH = 1_000;
const RETRY_MS = 500;

type StreamReply = [string, [string, string[]][]][] | null;


/**
 * Follows the Redis event stream and hands every new event to its listeners: each
 * Server-Sent Events and WebSocket client. Replays what a client missed by event ID.
 */
export class EventRelay {
  private readonly listeners = new Set<StreamEventListener>();
  private running = false;
  private loop: Promise<void> | null = null;
  private lastId = '$';

  constructor(private options: EventRelayOptions) {}

  async start(): Promise<void> {
    const last = (await this.options.reader.xrevrange(this.options.stream, '+', '-', 'COUNT', 1))[0];
    this.lastId = last ? last[0] : '0';
    this.running = true;
    this.loop = this.run();
  }

  /**
   * Stops reading and lets go of the connections, keeping the listeners: a core that restarts
   * detaches its relay and attaches it again to its new connections.
   */
  async detach(): Promise<void> {
    this.running = false;
    this.options.redis.disconnect();
    await this.loop;
  }

  /**
   * Reads on new connections. The same stream continues after the last event handed on, so the
   * listeners miss nothing written meanwhile; another stream starts at its end.
   */
  async attach(source: RelaySource): Promise<void> {
    const sameStream = source.stream === this.options.stream && this.lastId !== '$';
    this.options = { ...this.options, ...source };
    if (sameStream) {
      this.running = true;
      this.loop = this.run();
    } else {
      await this.start();
    }
  }

  /** Job events only (the window's feed). */
  subscribe(listener: JobEventListener): () => void {
    return this.subscribeAll((event) => {
      if (event.type !== 'batch') listener(event);
    });
  }

  /** Every event: job and batch. */
  subscribeAll(listener: StreamEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Listeners attached now: every SSE and WebSocket feed. */
  get listenerCount(): number {
    return this.listeners.size;
  }

  /** The ID of the last event handed to listeners: live events follow it. */
  get latestId(): string {
    return this.lastId === '$' ? STREAM_START_ID : this.lastId;
  }

  /**
   * Whether a client can resume after `afterId` without a gap: yes when the stream still holds
   * that entry (or it is {@link STREAM_START_ID}); otherwise the resync event to send, after
   * which the client gets everything the stream holds.
   */
  async checkResume(afterId: string): Promise<ResyncEvent | null> {
    if (afterId === STREAM_START_ID) return null;
    const { reader, stream } = this.options;
    if ((await reader.xrange(stream, afterId, afterId)).length > 0) return null;
    const oldest = (await reader.xrange(stream, '-', '+', 'COUNT', 1))[0]?.[0] ?? null;
    const trimmed = oldest !== null && compareEventIds(afterId, oldest) < 0;
    return {
      type: 'resync',
      last_event_id: afterId,
      oldest_id: oldest,
      resume_after: STREAM_START_ID,
      reason: trimmed ? 'trimmed' : 'unknown-id',
    };
  }

  /** Every event after `afterId` (exclusive), oldest first, read a page at a time. */
  async *replay(afterId: string): AsyncGenerator<StreamEvent> {
    let cursor = afterId;
    for (;;) {
      const entries = await this.options.reader.xrange(this.options.stream, `(${cursor}`, '+', 'COUNT', BATCH);
      yield* parseEntries(this.options.stream, entries);
      if (entries.length < BATCH) return;
      cursor = entries[entries.length - 1]![0];
    }
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.detach();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const reply = (await this.options.redis.xread(
          'COUNT', BATCH, 'BLOCK', BLOCK_MS, 'STREAMS', this.options.stream, this.lastId,
        )) as StreamReply;
        const entries = reply?.[0]?.[1] ?? [];
        if (entries.length === 0) continue;
        this.lastId = entries[entries.length - 1]![0];
        for (const event of parseEntries(this.options.stream, entries)) this.emit(event);
      } catch (error) {
        if (!this.running) return;
        this.options.onLog?.(`event relay: ${(error as Error).message}; retrying`);
        await sleep(RETRY_MS);
      }
    }
  }

  private emit(event: StreamEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.options.onLog?.(`event listener failed: ${(error as Error).message}`);
      }
    }
  }
}
