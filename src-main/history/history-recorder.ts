import type { Redis } from 'ioredis';
import { UUID_PATTERN } from '../../src-shared/wire';
import type { Job } from '../../src-shared/job';
import type { JobHistory } from './job-history';
import { parseEntries } from '../relay/parsed-entries';

export interface HistoryRecorderOptions {
  /** A connection of its own: the blocking read holds it. */
  redis: Redis;
  stream: string;
  history: JobHistory;
  onLog?: (line: string) => void;
}

const GROUP = 'history';
const CONSUMER = 'recorder';
const BATCH = 2_000;
const BLOCK_MS = 1_000;
const RETRY_MS = 1_000;

type StreamReply = [string, [string, string[] | null][]][] | null;

/**
 * Projects the event stream into PostgreSQL. It reads as a consumer group and acknowledges an
 * event only once its job is written, so a batch that failed (PostgreSQL down) is read again
 * until it is recorded, and events that arrived while the console was down are recorded when
 * it starts again. Entries that are not events (or were trimmed away) are acknowledged and skipped.
 */
export class HistoryRecorder {
  private running = false;
  private loop: Promise<void> | null = null;

  constructor(private readonly options: HistoryRecorderOptions) {}

  async start(): Promise<void> {
    await this.ensureGroup();
    this.running = true;
    this.loop = this.run();
  }

  async close(): Promise<void> {
    this.running = false;
    this.options.redis.disconnect();
    await this.loop;
  }

  private async ensureGroup(): Promise<void> {
    try {
      await this.options.redis.xgroup('CREATE', this.options.stream, GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!String(error).includes('BUSYGROUP')) throw error;
    }
  }

  private async run(): Promise<void> {
    // First what was read but never acknowledged (a crash mid-batch), then new events.
    let cursor = '0';
    while (this.running) {
      try {
        const reply = (await this.options.redis.xreadgroup(
          'GROUP', GROUP, CONSUMER, 'COUNT', BATCH, 'BLOCK', BLOCK_MS, 'STREAMS', this.options.stream, cursor,
        )) as StreamReply;
        const entries = reply?.[0]?.[1] ?? [];
        // Pending entries all read again (from '0' or past the last of them): on to new events.
        if (cursor !== '>' && entries.length === 0) cursor = '>';
        if (entries.length === 0) continue;
        await this.record(entries);
        if (cursor !== '>') cursor = entries[entries.length - 1]![0];
      } catch (error) {
        if (!this.running) return;
        // Read the pending entries again first: the failed batch is among them.
        cursor = '0';
        if (String(error).includes('NOGROUP')) await this.ensureGroup().catch(() => undefined);
        this.options.onLog?.(`history recorder: ${(error as Error).message}; retrying`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  private async record(entries: [string, string[] | null][]): Promise<void> {
    const jobs: Job[] = [];
    for (const event of parseEntries(this.options.stream, entries)) {
      if (event.type !== 'batch' && UUID_PATTERN.test(event.job_id)) jobs.push({ ...event.job, version: event.version });
    }
    try {
      await this.options.history.record(jobs);
    } catch (error) {
      if (!isBadData(error)) throw error;
      await this.recordOneByOne(jobs);
    }
    await this.options.redis.xack(this.options.stream, GROUP, ...entries.map(([id]) => id));
  }

  /** A batch PostgreSQL refused for its data: keep every good job, skip (and say) the bad ones. */
  private async recordOneByOne(jobs: Job[]): Promise<void> {
    for (const job of jobs) {
      try {
        await this.options.history.record([job]);
      } catch (error) {
        if (!isBadData(error)) throw error;
        this.options.onLog?.(`history: skipped an event of job ${String(job.id)}: ${(error as Error).message}`);
      }
    }
  }
}

/** PostgreSQL's classes 22 (data exception) and 23 (integrity): retrying cannot help. */
function isBadData(error: unknown): boolean {
  return /^2[23]/.test(String((error as { code?: unknown }).code ?? ''));
}
