import type pg from 'pg';
import { inTransaction } from '../database/database';
import type { JobStatus } from '../../src-shared/statuses';
import type { JobMessage } from '../../src-shared/wire';

/** One scheduled job's wait: its ID, when it is due, and the message to publish then. */
export interface ScheduledRow {
  job_id: string;
  due_at: Date;
  message: JobMessage;
}

/** Most due jobs one claim takes (one transaction, their publishes in parallel). */
const CLAIM_LIMIT = 200;

/**
 * `<ns>.scheduled_jobs`: where a SCHEDULED job waits for its time (README "Delayed jobs"). A row
 * holds the job's whole message but a kind B job's signing secret (see {@link DelayedJobs}), so
 * the promoter can publish it when Redis lost the job. A new row notifies `channel`, so a promoter
 * sleeping until a later due time wakes for an earlier one.
 */
export class ScheduledJobs {
  private readonly table: string;
  private readonly historyTable: string;
  /** The LISTEN/NOTIFY channel of new rows; its payload is the row's due time in epoch milliseconds. */
  readonly channel: string;

  constructor(
    private readonly pool: pg.Pool,
    schema: string,
  ) {
    this.table = `"${schema}".scheduled_jobs`;
    this.historyTable = `"${schema}".jobs`;
    this.channel = `${schema}.scheduled`;
  }

  /**
   * Records a job's wait in a transaction and runs `then` (the job's SCHEDULED write in Redis)
   * before committing: when `then` fails, nothing was recorded; when the commit fails, `then`'s
   * write is there to undo (the caller's), never a row without its job.
   */
  async add<T>(message: JobMessage, dueAt: string, then: () => Promise<T>): Promise<T> {
    return inTransaction(this.pool, async (client) => {
      await client.query(`INSERT INTO ${this.table} (job_id, due_at, message) VALUES ($1, $2, $3) ON CONFLICT (job_id) DO NOTHING`, [
        message.uuid,
        dueAt,
        JSON.stringify(message),
      ]);
      await client.query('SELECT pg_notify($1, $2)', [this.channel, String(Date.parse(dueAt))]);
      return then();
    });
  }

  /** A job's status in the history (`<ns>.jobs`, same database), for a row whose job Redis lost; null when it has none. */
  async historyStatus(jobId: string): Promise<JobStatus | null> {
    const { rows } = await this.pool.query<{ status: JobStatus }>(`SELECT status FROM ${this.historyTable} WHERE id = $1`, [jobId]);
    return rows[0]?.status ?? null;
  }

  /**
   * Claims the rows due now that no other console holds (`FOR UPDATE SKIP LOCKED`), passes them
   * to `promote`, deletes those it answers promoted and commits. A console dying in between
   * leaves its rows to the next claim: a job may then be published twice, never lost.
   */
  async claimDue(promote: (rows: ScheduledRow[]) => Promise<string[]>): Promise<number> {
    return this.claim(`due_at <= now() ORDER BY due_at LIMIT ${CLAIM_LIMIT}`, [], promote);
  }

  /** Claims one job's row, waiting for a promoter that holds it; `promote` is not called when there is none (promoted, cancelled). */
  async claimOne(jobId: string, promote: (rows: ScheduledRow[]) => Promise<string[]>): Promise<number> {
    return this.claim('job_id = $1', [jobId], promote, '');
  }

  /** The earliest due time of the rows, or null when none waits. */
  async nextDue(): Promise<number | null> {
    const { rows } = await this.pool.query<{ due: Date | null }>(`SELECT min(due_at) AS due FROM ${this.table}`);
    return rows[0]?.due ? rows[0].due.getTime() : null;
  }

  /** Rows waiting, for tests and the bench. */
  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.table}`);
    return Number(rows[0]?.n ?? 0);
  }

  private async claim(where: string, params: unknown[], promote: (rows: ScheduledRow[]) => Promise<string[]>, lock = ' SKIP LOCKED'): Promise<number> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<ScheduledRow>(`SELECT job_id, due_at, message FROM ${this.table} WHERE ${where} FOR UPDATE${lock}`, params);
      const done = rows.length > 0 ? await promote(rows) : [];
      if (done.length > 0) await client.query(`DELETE FROM ${this.table} WHERE job_id = ANY($1::uuid[])`, [done]);
      return done.length;
    });
  }
}
