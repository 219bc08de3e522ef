import type { Redis } from 'ioredis';
import type { StreamEvent } from '../../src-shared/events';
import type { Job } from '../../src-shared/job';
import type { Names } from '../../src-shared/topology';
import { UUID_PATTERN } from '../../src-shared/wire';
import { StreamGroupReader } from '../relay/stream-group-reader';
import type { JobHistory } from './job-history';
import type { JobLogs } from './job-logs';
import { jobsInRedis } from './jobs-in-redis';

export interface HistoryRecorderOptions {
  /** A connection of its own: the blocking read holds it. */
  redis: Redis;
  names: Names;
  history: JobHistory;
  /** A job as Redis holds it (null when it does not). */
  readJob(id: string): Promise<Job | null>;
  /** Keeps the log lines of the jobs that ended with them. */
  logs?: Pick<JobLogs, 'keepEnded'>;
  onLog?: (line: string) => void;
}

/**
 * Projects the event stream into PostgreSQL. It reads as a consumer group (from the stream's
 * first entry) and acknowledges an event only once its job is written, so a batch that failed
 * (PostgreSQL down) is read again until it is recorded, and events that arrived while the
 * console was down are recorded when it starts again. Entries that are not job events are
 * acknowledged and skipped. When the stream was trimmed past what it had recorded (PostgreSQL,
 * or the console, away longer than the stream's retention), it records every job Redis still
 * holds instead: the history merges transitions, so a job seen again loses nothing.
 */
export class HistoryRecorder {
  private readonly reader: StreamGroupReader;

  constructor(private readonly options: HistoryRecorderOptions) {
    this.reader = new StreamGroupReader({
      redis: options.redis,
      stream: options.names.eventStream,
      group: 'history',
      consumer: 'recorder',
      startFrom: '0',
      batchSize: 2_000,
      handle: (events) => this.record(events),
      repairGap: () => this.recordJobsInRedis(),
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
    await this.recordJobs(jobs);
  }

  private async recordJobsInRedis(): Promise<void> {
    let count = 0;
    for await (const jobs of jobsInRedis(this.options.redis, this.options.names, this.options.readJob)) {
      await this.recordJobs(jobs);
      count += jobs.length;
    }
    this.options.onLog?.(`history: recorded the ${count} jobs Redis holds, to make up for the events trimmed away`);
  }

  private async recordJobs(jobs: Job[]): Promise<void> {
    try {
      await this.options.history.record(jobs);
    } catch (error) {
      if (!isBadData(error)) throw error;
      await this.recordOneByOne(jobs);
    }
    await this.keepLogs(jobs);
  }

  /** The log lines of the jobs that ended; lines PostgreSQL refuses for their data are skipped (and said). */
  private async keepLogs(jobs: Job[]): Promise<void> {
    try {
      await this.options.logs?.keepEnded(jobs);
    } catch (error) {
      if (!isBadData(error)) throw error;
      this.options.onLog?.(`history: skipped the log lines of ${jobs.length} jobs: ${(error as Error).message}`);
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
