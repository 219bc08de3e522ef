import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { DeadLetter } from '../../src-shared/dead-letter-schemas';
import type { Page } from '../../src-shared/job';
import type { JobQuery } from '../../src-shared/job-query';
import type { JobKind } from '../../src-shared/kinds';
import type { JobStatus } from '../../src-shared/statuses';
import { decodePageCursor, encodePageCursor } from '../database/page-cursor';
import { deadLetterQuerySql } from './dead-letter-query';

/** A message taken off a dead-letter queue, ready to be kept (see `toDeadLetterRow`). */
export interface DeadLetterRow {
  /** Stable across redeliveries of one message: the unique key that makes a second insert a no-op. */
  dedupKey: string;
  jobId: string | null;
  kind: JobKind;
  /** The body as it came, a kind B signing secret removed. */
  body: Buffer;
  payload: Record<string, unknown> | null;
  headers: Record<string, unknown>;
  properties: Record<string, unknown>;
  error: string | null;
  attempts: number | null;
  createdAt: string | null;
  deadAt: Date;
}

/** Which dead letters an operation or a dry run is over. */
export type DeadLetterTarget = { query: JobQuery } | { ids: readonly string[] };

/** What an action needs of one dead letter. */
export interface DeadLetterRef {
  id: string;
  job_id: string | null;
  kind: JobKind;
  job_status: JobStatus | null;
  /** The attempts its message says were made (null when it says none). */
  attempts: number | null;
}

interface ShownRow {
  id: string;
  job_id: string | null;
  kind: string;
  job_status: JobStatus | null;
  error: string | null;
  attempts: number | null;
  dead_at: Date;
  created_at: Date | null;
  headers: Record<string, unknown>;
  payload: Record<string, unknown> | null;
  body: Buffer;
}

function shown(row: ShownRow): DeadLetter {
  return { ...row, dead_at: row.dead_at.toISOString(), created_at: row.created_at?.toISOString() ?? null, body: row.body.toString('utf8') };
}

/** The dead letters of a namespace in PostgreSQL, each with its job's status in the history. */
export class DeadLetterStore {
  private readonly s: string;

  constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
  ) {
    this.s = `"${schema}"`;
  }

  /** Keeps one message; true when it is new, false when a redelivery of it was kept already. */
  async insert(row: DeadLetterRow): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO ${this.s}.dead_letters (id, dedup_key, job_id, kind, body, payload, headers, properties, error, attempts, created_at, dead_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (dedup_key) DO NOTHING`,
      [randomUUID(), row.dedupKey, row.jobId, row.kind, row.body, row.payload, row.headers, row.properties, row.error, row.attempts, row.createdAt, row.deadAt],
    );
    return (rowCount ?? 0) > 0;
  }

  /** Newest first (by the time it died), of one kind or all, matching `query`. */
  async list(options: { kind?: JobKind; query?: JobQuery; limit: number; cursor?: string }): Promise<Page<DeadLetter>> {
    const params: unknown[] = [];
    const where = [this.condition(options.query ? { query: options.query } : undefined, params)];
    if (options.kind) where.push(`kind = $${params.push(options.kind)}`);
    if (options.cursor) {
      const [at, id] = decodePageCursor(options.cursor);
      where.push(`(dead_at, id) < ($${params.push(at)}::timestamptz, $${params.push(id)}::uuid)`);
    }
    const { rows } = await this.pool.query<ShownRow>(
      `SELECT d.id, d.job_id, d.kind, j.status AS job_status, d.error, d.attempts, d.dead_at, d.created_at, d.headers, d.payload, d.body
       FROM ${this.matching(where.join(' AND '))} ORDER BY d.dead_at DESC, d.id DESC LIMIT $${params.push(options.limit + 1)}`,
      params,
    );
    const items = rows.slice(0, options.limit).map(shown);
    const last = items[items.length - 1];
    return { items, next_cursor: rows.length > options.limit && last ? encodePageCursor({ created_at: last.dead_at, id: last.id }) : null };
  }

  /** The target's dead letters, newest first, at most `limit`. */
  async refs(target: DeadLetterTarget, limit: number): Promise<DeadLetterRef[]> {
    const params: unknown[] = [];
    const { rows } = await this.pool.query<DeadLetterRef>(
      `SELECT d.id, d.job_id, d.kind, j.status AS job_status, d.attempts FROM ${this.matching(this.condition(target, params))} ORDER BY d.dead_at DESC, d.id DESC LIMIT $${params.push(limit)}`,
      params,
    );
    return rows;
  }

  /** The target's dead letters counted by their job's status (`none` without a job, `unknown` without a history row). */
  async countByJob(target: DeadLetterTarget): Promise<Map<string, number>> {
    const params: unknown[] = [];
    const { rows } = await this.pool.query<{ state: string; n: string }>(
      `SELECT CASE WHEN d.job_id IS NULL THEN 'none' ELSE COALESCE(j.status, 'unknown') END AS state, count(*) AS n
       FROM ${this.matching(this.condition(target, params))} GROUP BY 1`,
      params,
    );
    return new Map(rows.map((row) => [row.state, Number(row.n)]));
  }

  /**
   * Inserts the target's dead letters as the items of operation `operationId` (newest first), in
   * the transaction of `client`; answers how many. The item's `job_id` column holds the dead letter's ID.
   */
  async snapshot(client: pg.PoolClient, operationId: string, target: DeadLetterTarget): Promise<number> {
    const params: unknown[] = [operationId];
    const { rowCount } = await client.query(
      `INSERT INTO ${this.s}.operation_items (operation_id, seq, job_id)
       SELECT $1, row_number() OVER (ORDER BY dead_at DESC, id DESC), id FROM ${this.s}.dead_letters
       WHERE ${this.condition(target, params)}`,
      params,
    );
    return rowCount ?? 0;
  }

  async ref(id: string): Promise<DeadLetterRef | null> {
    return (await this.refs({ ids: [id] }, 1))[0] ?? null;
  }

  /** Drops one dead letter; false when it was gone already. */
  async delete(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(`DELETE FROM ${this.s}.dead_letters WHERE id = $1`, [id]);
    return (rowCount ?? 0) > 0;
  }

  /**
   * The dead letters `where` holds for (its columns unqualified: the search's compiler writes
   * them so), as `d`, with their jobs' history rows as `j`.
   */
  private matching(where: string): string {
    return `(SELECT * FROM ${this.s}.dead_letters WHERE ${where}) d LEFT JOIN ${this.s}.jobs j ON j.id = d.job_id`;
  }

  private condition(target: DeadLetterTarget | undefined, params: unknown[]): string {
    if (!target) return 'TRUE';
    if ('ids' in target) return `id = ANY($${params.push([...new Set(target.ids)])}::uuid[])`;
    return deadLetterQuerySql(target.query, this.schema, params);
  }
}
