import type pg from 'pg';

/** What the table holds for one job after its INSERT: when it was received, and whether this write made it. */
export interface LogRecordOutcome {
  received_at: Date;
  inserted: boolean;
}

interface Waiting {
  clientTime: string;
  resolve: (outcome: LogRecordOutcome) => void;
  reject: (error: Error) => void;
}

/** Rows written in one statement at the most. */
const MAX_BATCH_ROWS = 500;

/**
 * Group commit of kind A's log records: the rows of jobs that arrive while a write is under way
 * go together into the next multi-row `INSERT ... ON CONFLICT DO NOTHING`, one commit for all.
 * When idle, a record is written at once, so a lone job waits for no one. Each caller resolves
 * only after the statement holding its row has committed, so a job is still DONE only once its
 * record is durable.
 */
export class LogRecordBatcher {
  private readonly pending = new Map<string, Waiting[]>();
  private writing = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly table: string,
  ) {}

  /** Writes the job's record (or finds the one a previous delivery wrote). */
  write(jobId: string, clientTime: string): Promise<LogRecordOutcome> {
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(jobId);
      if (waiting) waiting.push({ clientTime, resolve, reject });
      else this.pending.set(jobId, [{ clientTime, resolve, reject }]);
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.pending.size > 0) {
      const batch = new Map<string, Waiting[]>();
      for (const [id, waiting] of this.pending) {
        if (batch.size === MAX_BATCH_ROWS) break;
        batch.set(id, waiting);
      }
      for (const id of batch.keys()) this.pending.delete(id);
      await this.flush(batch);
    }
    this.writing = false;
  }

  private async flush(batch: Map<string, Waiting[]>): Promise<void> {
    try {
      const outcomes = await this.insert(batch);
      for (const [id, waiting] of batch) {
        const outcome = outcomes.get(id);
        // Two deliveries of one job in one batch: the first wrote the record, the second found it.
        waiting.forEach((w, i) =>
          outcome
            ? w.resolve({ ...outcome, inserted: outcome.inserted && i === 0 })
            : w.reject(new Error(`the log record of job ${id} was neither written nor found`)),
        );
      }
    } catch (error) {
      if (batch.size > 1 && isBadData(error)) {
        // One row PostgreSQL refused for its data must fail its own job only.
        for (const [id, waiting] of batch) await this.flush(new Map([[id, waiting]]));
        return;
      }
      for (const waiting of batch.values()) waiting.forEach((w) => w.reject(error as Error));
    }
  }

  private async insert(batch: Map<string, Waiting[]>): Promise<Map<string, LogRecordOutcome>> {
    const ids = [...batch.keys()];
    const times = ids.map((id) => batch.get(id)![0]!.clientTime);
    const { rows } = await this.pool.query<{ job_id: string; received_at: Date }>(
      `INSERT INTO ${this.table} (job_id, client_time)
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[])
       ON CONFLICT (job_id) DO NOTHING RETURNING job_id, received_at`,
      [ids, times],
    );
    const outcomes = new Map<string, LogRecordOutcome>(rows.map((r) => [r.job_id, { received_at: r.received_at, inserted: true }]));
    const found = ids.filter((id) => !outcomes.has(id));
    if (found.length > 0) {
      // Records an earlier delivery wrote: this write leaves them as they are.
      const existing = await this.pool.query<{ job_id: string; received_at: Date }>(
        `SELECT job_id, received_at FROM ${this.table} WHERE job_id = ANY($1::uuid[])`,
        [found],
      );
      for (const r of existing.rows) outcomes.set(r.job_id, { received_at: r.received_at, inserted: false });
    }
    return outcomes;
  }
}

/** PostgreSQL's classes 22 (data exception) and 23 (integrity): retrying cannot help. */
function isBadData(error: unknown): boolean {
  return /^2[23]/.test(String((error as { code?: unknown }).code ?? ''));
}
