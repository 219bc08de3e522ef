import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { BatchSummary } from '../../src-shared/batch-schemas';
import type { StatusCounts } from '../../src-shared/events';
import type { Page } from '../../src-shared/job';
import { decodePageCursor, encodePageCursor } from '../database/page-cursor';
import { MAX_DELIVERY_ATTEMPTS } from '../webhooks/webhook-store';

/** A batch as stored: the durable record, read even after Redis lost everything. */
export interface StoredBatch {
  id: string;
  job_ids: string[];
  callback_url: string | null;
  secret: string;
  created_at: string;
  completed_at: string | null;
  counts: StatusCounts | null;
}

interface BatchRow {
  event_id?: string | null;
  id: string;
  job_ids: string[];
  callback_url: string | null;
  secret: string;
  created_at: Date;
  completed_at: Date | null;
  counts: StatusCounts | null;
}

function toBatch({ event_id: _eventId, ...row }: BatchRow): StoredBatch {
  return {
    ...row,
    created_at: row.created_at.toISOString(),
    completed_at: row.completed_at?.toISOString() ?? null,
  };
}

export function toSummary(batch: StoredBatch): BatchSummary {
  return {
    id: batch.id,
    status: batch.completed_at ? 'COMPLETED' : 'RUNNING',
    created_at: batch.created_at,
    completed_at: batch.completed_at,
    job_ids: batch.job_ids,
    counts: batch.counts,
  };
}

/** What a fan-in stores: its counts and, with a callback, the delivery to make. */
export interface FanIn {
  counts: StatusCounts;
  callback: { eventId: string; body: string } | null;
}

/** Batches in PostgreSQL; the fan-in is claimed here once, with its callback delivery. */
export class BatchStore {
  private readonly s: string;

  constructor(
    private readonly pool: pg.Pool,
    schema: string,
  ) {
    this.s = `"${schema}"`;
  }

  async create(batch: { id: string; job_ids: string[]; callback_url: string | null; secret: string }): Promise<StoredBatch> {
    const { rows } = await this.pool.query<BatchRow>(
      `INSERT INTO ${this.s}.batches (id, job_ids, callback_url, secret) VALUES ($1, $2, $3, $4) RETURNING *`,
      [batch.id, batch.job_ids, batch.callback_url, batch.secret],
    );
    return toBatch(rows[0]!);
  }

  /** Drops a batch that was not accepted (its children were refused), unless it fanned in already. */
  async remove(id: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.s}.batches WHERE id = $1 AND completed_at IS NULL`, [id]);
  }

  /** The ID of the completed batch the job is a child of, if any. */
  async completedBatchOf(jobId: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM ${this.s}.batches WHERE completed_at IS NOT NULL AND $1::uuid = ANY (job_ids) LIMIT 1`,
      [jobId],
    );
    return rows[0]?.id ?? null;
  }

  async get(id: string): Promise<StoredBatch | null> {
    const { rows } = await this.pool.query<BatchRow>(`SELECT * FROM ${this.s}.batches WHERE id = $1`, [id]);
    return rows[0] ? toBatch(rows[0]) : null;
  }

  /** Newest first; a page and the cursor of the next (older) one. */
  async list(limit: number, cursor?: string): Promise<Page<StoredBatch>> {
    const params: unknown[] = [];
    let where = '';
    if (cursor) {
      const [at, id] = decodePageCursor(cursor);
      where = `WHERE (created_at, id) < ($${params.push(at)}::timestamptz, $${params.push(id)}::uuid)`;
    }
    const { rows } = await this.pool.query<BatchRow>(
      `SELECT * FROM ${this.s}.batches ${where} ORDER BY created_at DESC, id DESC LIMIT $${params.push(limit + 1)}`,
      params,
    );
    const items = rows.slice(0, limit).map(toBatch);
    return { items, next_cursor: rows.length > limit ? encodePageCursor(items[items.length - 1]!) : null };
  }

  /** Fanned in, but the batch event was never appended (a crash between the two). */
  async unannounced(): Promise<StoredBatch[]> {
    const { rows } = await this.pool.query<BatchRow>(
      `SELECT * FROM ${this.s}.batches WHERE completed_at IS NOT NULL AND event_id IS NULL`,
    );
    return rows.map(toBatch);
  }

  async markAnnounced(id: string, eventId: string): Promise<void> {
    await this.pool.query(`UPDATE ${this.s}.batches SET event_id = $2 WHERE id = $1`, [id, eventId]);
  }

  async incomplete(): Promise<StoredBatch[]> {
    const { rows } = await this.pool.query<BatchRow>(`SELECT * FROM ${this.s}.batches WHERE completed_at IS NULL`);
    return rows.map(toBatch);
  }

  /**
   * Marks the batch completed and stores its callback delivery, in one transaction, only if no
   * fan-in happened before: true for the one call that did it.
   */
  async complete(batch: StoredBatch, fanIn: FanIn): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const done = await client.query(
        `UPDATE ${this.s}.batches SET completed_at = now(), counts = $2 WHERE id = $1 AND completed_at IS NULL`,
        [batch.id, JSON.stringify(fanIn.counts)],
      );
      if (done.rowCount === 1 && fanIn.callback && batch.callback_url) {
        await client.query(
          `INSERT INTO ${this.s}.webhook_deliveries (id, batch_id, event_id, event_type, url, secret, body, attempts_left)
           VALUES ($1, $2, $3, 'batch.COMPLETED', $4, $5, $6, $7)`,
          [randomUUID(), batch.id, fanIn.callback.eventId, batch.callback_url, batch.secret, fanIn.callback.body, MAX_DELIVERY_ATTEMPTS],
        );
      }
      await client.query('COMMIT');
      return done.rowCount === 1;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
