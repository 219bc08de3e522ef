import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { StreamEvent } from '../../src-shared/events';
import { parseEntries } from './parsed-entries';
import { readNew, type Entries } from './trimmed-read';

export interface StreamGroupReaderOptions {
  /** A connection of its own: the blocking read holds it. */
  redis: Redis;
  stream: string;
  /** The consumer group: one per role, so each role sees every event once. */
  group: string;
  /** Handles a batch in order; when it throws, the batch is read again after a pause. */
  handle(events: StreamEvent[]): Promise<void>;
  /**
   * Rebuilds what the group missed when the stream was trimmed past its cursor (the events
   * themselves are gone). Called before any later entry is handled or acknowledged, and again
   * after a pause until it succeeds, across a restart too (the gap is remembered in Redis).
   * Without it a gap is only logged.
   */
  repairGap?(): Promise<void>;
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

type StreamReply = [string, Entries][] | null;

/**
 * Reads the event stream as a Redis consumer group and acknowledges a batch only once it was
 * handled, so nothing is lost across a crash or an outage of what the handler feeds: what was
 * read but not acknowledged is read again first. A new group starts at the stream's end unless
 * `startFrom` says `0`; a group lost with a Redis restart is made again from the start of the
 * (new) stream.
 *
 * The stream is trimmed by length whatever the groups have read, so a group that falls further
 * behind than the stream keeps (its handler's service away for long) loses events: its pending
 * entries come back empty, or entries after its cursor are gone. Each read checks for both and
 * hands the gap to `repairGap`.
 */
export class StreamGroupReader {
  private running = false;
  private loop: Promise<void> | null = null;
  private gapOpen = false;
  /**
   * Set on every (re)connect: a `>` read whose reply the lost connection took may still have
   * moved entries into this consumer's pending list, so the next read starts there again.
   */
  private reconnected = false;

  constructor(private readonly options: StreamGroupReaderOptions) {
    options.redis.on('ready', () => {
      this.reconnected = true;
    });
  }

  private get marker(): string {
    return `${this.options.stream}:gap:${this.options.group}`;
  }

  async start(): Promise<void> {
    await this.ensureGroup(this.options.startFrom ?? '$');
    // A gap seen before a crash or a stop and not yet repaired.
    if (this.options.repairGap) this.gapOpen = (await this.options.redis.exists(this.marker)) === 1;
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
        if (this.reconnected) {
          this.reconnected = false;
          cursor = '0';
        }
        if (this.gapOpen) await this.repair();
        const entries = cursor === '>' ? await this.readNew() : await this.readPending(cursor);
        // Pending entries (after a start or a failure) are read from `cursor` until none are left.
        if (cursor !== '>' && entries.length === 0) cursor = '>';
        if (entries.length === 0) continue;
        await this.options.handle(parseEntries(stream, entries));
        if (cursor !== '>' && entries.some(([, fields]) => !fields)) {
          // Trimmed while pending: repaired before they are acknowledged, so a crash keeps them.
          this.noteGap(`entries it had read but not handled (up to ${entries[entries.length - 1]![0]})`);
          await this.repair();
        }
        await redis.xack(stream, group, ...entries.map(([id]) => id));
        if (cursor !== '>') cursor = entries[entries.length - 1]![0];
      } catch (error) {
        if (!this.running) return;
        cursor = '0';
        if (String(error).includes('NOGROUP')) await this.ensureGroup('0').catch(() => undefined);
        this.options.onLog?.(`${group}: ${(error as Error).message}; retrying`);
        await sleep(RETRY_MS);
      }
    }
  }

  private async readPending(cursor: string): Promise<Entries> {
    const { redis, stream, group } = this.options;
    const reply = (await redis.xreadgroup(
      'GROUP', group, this.consumer, 'COUNT', this.batchSize, 'STREAMS', stream, cursor,
    )) as StreamReply;
    return reply?.[0]?.[1] ?? [];
  }

  /** New entries; when there are none, waits up to a second for the stream to grow. */
  private async readNew(): Promise<Entries> {
    const { redis, stream, group } = this.options;
    const read = await readNew(
      redis,
      { stream, marker: this.marker },
      { group, consumer: this.consumer, count: this.batchSize, mark: this.options.repairGap !== undefined },
    );
    if (read.gap) {
      this.noteGap(`events after ${read.gap.from}, before ${read.gap.to},`);
      await this.repair();
    }
    if (read.entries.length === 0) await redis.xread('COUNT', 1, 'BLOCK', BLOCK_MS, 'STREAMS', stream, read.lastId);
    return read.entries;
  }

  private noteGap(what: string): void {
    const { group, repairGap } = this.options;
    this.options.onLog?.(
      `${group}: the event stream was trimmed past this reader's cursor: ${what} are gone` +
        (repairGap ? '; rebuilding what they carried' : ''),
    );
    this.gapOpen = repairGap !== undefined;
  }

  private async repair(): Promise<void> {
    if (!this.options.repairGap) return;
    await this.options.repairGap();
    await this.options.redis.del(this.marker);
    this.gapOpen = false;
  }

  private get consumer(): string {
    return this.options.consumer ?? 'main';
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 200;
  }
}
