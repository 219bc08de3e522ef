import type { Redis } from 'ioredis';
import type { StreamEvent } from '../../src-shared/events';
import type { Job } from '../../src-shared/job';
import { UUID_PATTERN } from '../../src-shared/wire';
import { StreamGroupReader } from '../relay/stream-group-reader';
import type { JobHistory } from './job-history';

export interface HistoryRecorderOptions {
  /** A connection of its own: the blocking read holds it. */
  redis: Redis;
  stream: string;
  history: JobHistory;
  onLog?: (line: string) => void;
}

/**
 * Projects the event stream into PostgreSQL. It reads as a consumer group (from the stream's
 * first entry) and acknowledges an event only once its job is written, so a batch that failed
 * (PostgreSQL down) is read again until it is recorded, and events that arrived while the
 * console was down are recorded when it starts again. Entries that are not job events (or were
 * trimmed away) are acknowledged and skipped.
 */
export class HistoryRecorder {
  private readonly reader: StreamGroupReader;

  constructor(private readonly options: HistoryRecorderOptions) {
    this.reader = new StreamGroupReader({
      redis: options.redis,
      stream: options.stream,
      group: 'history',
      consumer: 'recorder',
      startFrom: '0',
      batchSize: 2_000,
      handle: (events) => this.record(events),
      onLog: options.onLog,
    });
  }

  start(): Promise<void> {
    return this.reader.start();
  }

  close(): Promise<void> {
    return this.reader.close();
  }

  private async record(events: StreamEvent[]): Promise<void> {
    const jobs: Job[] = [];
    for (const event of events) {
      if (event.type !== 'batch' && UUID_PATTERN.test(event.job_id)) jobs.push({ ...event.job, version: event.version });
    }
    try {
      await this.options.history.record(jobs);
    } catch (error) {
      if (!isBadData(error)) throw error;
      await this.recordOneByOne(jobs);
    }
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
