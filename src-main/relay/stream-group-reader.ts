import type { Redis } from 'ioredis';
import type { StreamEvent } from '../../src-shared/events';
import { parseEntries } from './parsed-entries';

export interface StreamGroupReaderOptions {
  /** A connection of its own: the blocking read holds it. */
  redis: Redis;
  stream: string;
  /** The consumer group: one per role, so each role sees every event once. */
  group: string;
  /** Handles a batch in order; when it throws, the batch is read again after a pause. */
  handle(events: StreamEvent[]): Promise<void>;
  /** Entries per read. */
  batchSize?: number;
  /** Where a new group starts: the stream's end (`$`, the default) or its first entry (`0`). */
  startFrom?: '$' | '0';
  /** The consumer's name in the group; its unacknowledged entries are read again on start. */
  consumer?: string;
  onLog?: (line: string) => void;
}

const BLOCK_MS = 1_000;
const RETRY_MS = 1_000;

type StreamReply = [string, [string, string[] | null][]][] | null;

/**
 * Reads the event stream as a Redis consumer group and acknowledges a batch only once it was
 * handled, so nothing is lost across a crash or an outage of what the handler feeds: what was
 * read but not acknowledged is read again first. A new group starts at the stream's end unless
 * `startFrom` says `0`; a group lost with a Redis restart is made again from the start of the
 * (new) stream.
 */
export class StreamGroupReader {
  private running = false;
  private loop: Promise<void> | null = null;

  constructor(private readonly options: StreamGroupReaderOptions) {}

  async start(): Promise<void> {
    await this.ensureGroup(this.options.startFrom ?? '$');
    this.running = true;
    this.loop = this.run();
  }

  async close(): Promise<void> {
    this.running = false;
    this.options.redis.disconnect();
    await this.loop;
  }

  private async ensureGroup(from: '$' | '0'): Promise<void> {
    try {
      await this.options.redis.xgroup('CREATE', this.options.stream, this.options.group, from, 'MKSTREAM');
    } catch (error) {
      if (!String(error).includes('BUSYGROUP')) throw error;
    }
  }

  private async run(): Promise<void> {
    const { redis, stream, group } = this.options;
    let cursor = '0';
    while (this.running) {
      try {
        const reply = (await redis.xreadgroup(
          'GROUP', group, this.options.consumer ?? 'main', 'COUNT', this.options.batchSize ?? 200, 'BLOCK', BLOCK_MS, 'STREAMS', stream, cursor,
        )) as StreamReply;
        const entries = reply?.[0]?.[1] ?? [];
        // Pending entries (after a start or a failure) are read from `cursor` until none are left.
        if (cursor !== '>' && entries.length === 0) cursor = '>';
        if (entries.length === 0) continue;
        await this.options.handle(parseEntries(stream, entries));
        await redis.xack(stream, group, ...entries.map(([id]) => id));
        if (cursor !== '>') cursor = entries[entries.length - 1]![0];
      } catch (error) {
        if (!this.running) return;
        cursor = '0';
        if (String(error).includes('NOGROUP')) await this.ensureGroup('0').catch(() => undefined);
        this.options.onLog?.(`${group}: ${(error as Error).message}; retrying`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }
}
