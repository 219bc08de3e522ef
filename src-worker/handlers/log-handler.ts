import type pg from 'pg';
import type { ResolvedPayloads } from '../../src-shared/schemas';
import type { JobContext, JobHandler } from './handler';
import { LogRecordBatcher } from './log-record-batcher';

/**
 * Kind A: writes the job's log record to PostgreSQL. The row is unique by job ID, so a
 * redelivered job finds its record instead of writing a second one. Records of jobs that run
 * together are committed together (see {@link LogRecordBatcher}).
 */
export class LogHandler implements JobHandler {
  private readonly table: string;
  private readonly records: LogRecordBatcher;

  constructor(pool: pg.Pool, schema: string) {
    this.table = `"${schema}".log_records`;
    this.records = new LogRecordBatcher(pool, this.table);
  }

  async run({ job }: JobContext): Promise<Record<string, unknown>> {
    const { client_time } = job.extra_data as ResolvedPayloads['log'];
    const record = await this.records.write(job.uuid, client_time);
    return {
      table: this.table.replaceAll('"', ''),
      job_id: job.uuid,
      client_time,
      received_at: record.received_at.toISOString(),
      inserted: record.inserted,
    };
  }
}
