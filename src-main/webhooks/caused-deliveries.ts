import type pg from 'pg';
import type { Job } from '../../src-shared/job';
import type { CausedDelivery } from '../../src-shared/job-timing';
import { TERMINAL_STATUSES } from '../../src-shared/statuses';
import { UUID_PATTERN } from '../../src-shared/wire';

interface CausedRow {
  id: string;
  batch_id: string | null;
  event_type: string;
  state: CausedDelivery['state'];
  created_at: Date;
  attempts: { at: string; duration_ms: number }[] | null;
}

/**
 * The deliveries a job caused, for its timing: every subscription delivery of one of its events
 * (the event's `data.job_id`, indexed), and the on_complete callback of a batch it completed — a
 * completed batch of which it is the child that ended last (no sibling's history row is newer).
 */
export class CausedDeliveries {
  private readonly s: string;

  constructor(
    private readonly pool: pg.Pool,
    schema: string,
  ) {
    this.s = `"${schema}"`;
  }

  async of(job: Pick<Job, 'id' | 'status' | 'updated_at'>): Promise<CausedDelivery[]> {
    if (!UUID_PATTERN.test(job.id)) return [];
    const endedAt = TERMINAL_STATUSES.has(job.status) ? job.updated_at : null;
    const { s } = this;
    const { rows } = await this.pool.query<CausedRow>(
      `WITH caused AS (
         SELECT d.* FROM ${s}.webhook_deliveries d WHERE d.batch_id IS NULL AND d.body::jsonb #>> '{data,job_id}' = $1
         UNION ALL
         SELECT d.* FROM ${s}.webhook_deliveries d JOIN ${s}.batches b ON b.id = d.batch_id
         WHERE $2::timestamptz IS NOT NULL AND b.job_ids @> ARRAY[$1::uuid] AND b.completed_at IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM ${s}.jobs j WHERE j.id = ANY (b.job_ids) AND j.id <> $1::uuid AND j.updated_at > $2::timestamptz))
       SELECT c.id, c.batch_id, c.event_type, c.state, c.created_at,
         (SELECT jsonb_agg(jsonb_build_object('at', a.at, 'duration_ms', a.duration_ms) ORDER BY a.id)
          FROM ${s}.webhook_attempts a WHERE a.delivery_id = c.id) AS attempts
       FROM caused c ORDER BY c.created_at, c.id`,
      [job.id, endedAt],
    );
    return rows.map((row) => ({
      type: row.batch_id ? 'batch' : 'webhook',
      id: row.id,
      event_type: row.event_type,
      created_at: row.created_at.toISOString(),
      state: row.state,
      attempts: (row.attempts ?? []).map((a) => ({ at: new Date(a.at).toISOString(), duration_ms: a.duration_ms })),
    }));
  }
}
