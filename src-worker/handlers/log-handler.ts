import type pg from 'pg';
import type { ResolvedPayloads } from '../../src-shared/schemas';
import type { JobContext, JobHandler } from './handler';

/**
 * Kind A: writes the job's log record to PostgreSQL. The row is unique by job ID, so a
 * redelivered job finds its record instead of writing a second one.
 */
export class LogHandler implements JobHandler {
  private readonly table: string;

  constructor(
    private readonly pool: pg.Pool,
    schema: string,
  ) {
    this.table = `"${schema}".log_records`;
  }

  async run({ job }: JobContext): Promise<Record<string, unknown>> {
    const { client_time } = job.extra_data as ResolvedPayloads['log'];
    const inserted = await this.pool.query<{ received_at: Date }>(
      `INSERT INTO ${this.table} (job_id, client_time) VALUES ($1, $2)
       ON CONFLICT (job_id) DO NOTHING RETURNING received_at`,
      [job.uuid, client_time],
    );
    const row =
      inserted.rows[0] ??
      (await this.pool.query<{ received_at: Date }>(`SELECT received_at FROM ${this.table} WHERE job_id = $1`, [job.uuid]))
        .rows[0]!;
    return {
      table: this.table.replaceAll('"', ''),
      job_id: job.uuid,
      client_time,
      received_at: row.received_at.toISOString(),
      inserted: inserted.rows.length > 0,
    };
  }
}
