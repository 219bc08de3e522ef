import type pg from 'pg';
import type { JobQuery } from '../../src-shared/job-query';
import type { JobStatus } from '../../src-shared/statuses';
import type { JobKind } from '../../src-shared/kinds';
import type { Operation, OperationAction, OperationStatus } from '../../src-shared/operation-schemas';
import type { Page } from '../../src-shared/job';
import { inTransaction } from '../database/database';
import { decodePageCursor, encodePageCursor } from '../database/page-cursor';
import { jobQuerySql } from '../search/job-query-sql';

/** The jobs an operation acts on: what a search matches, or named jobs. */
export type OperationTarget = { query: JobQuery; text: string } | { ids: readonly string[] };

/** The count moved past the margin between the dry run and the start: nothing was created. */
export class OperationDriftError extends Error {
  override name = 'OperationDriftError';
  constructor(
    readonly matched: number,
    readonly expected: number,
    readonly margin: number,
  ) {
    super(`${matched} jobs match now, not the ${expected} expected from the dry run (more than ${margin} apart): run the dry run again`);
  }
}

export interface ItemOutcome {
  seq: number;
  state: 'changed' | 'skipped' | 'failed';
  reason: string | null;
}

/** Shown per operation: at most this many failed items (the count says them all). */
const FAILED_ITEMS_SHOWN = 100;

interface OperationRow {
  id: string;
  action: OperationAction;
  status: OperationStatus;
  query: string | null;
  matched: number;
  cancel_requested: boolean;
  paused_reason: string | null;
  started_at: Date;
  finished_at: Date | null;
  changed: number;
  skipped: number;
  pending: number;
  failed: number;
  failed_items: { id: string; reason: string }[];
}

/** The row as the API shows it: the same fields, times as RFC 3339. */
function shown({ started_at, finished_at, ...rest }: OperationRow): Operation {
  return { ...rest, started_at: started_at.toISOString(), finished_at: finished_at?.toISOString() ?? null };
}

/**
 * Bulk operations and their items in PostgreSQL: the jobs are snapshotted as items when the
 * operation starts (numbered newest first), so a console that resumes it takes the same jobs in
 * the same order, from the first item still pending.
 */
export class OperationStore {
  private readonly s: string;

  constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
  ) {
    this.s = `"${schema}"`;
  }

  /** The target's jobs counted by status (jobs the history does not know are left out). */
  async countByStatus(target: OperationTarget): Promise<Map<JobStatus, number>> {
    const params: unknown[] = [];
    const { rows } = await this.pool.query<{ status: JobStatus; n: string }>(
      `SELECT status, count(*) AS n FROM ${this.s}.jobs WHERE ${this.condition(target, params)} GROUP BY status`,
      params,
    );
    return new Map(rows.map((row) => [row.status, Number(row.n)]));
  }

  /** The target's newest jobs. */
  async sample(target: OperationTarget, limit: number): Promise<{ id: string; kind: JobKind; status: JobStatus }[]> {
    const params: unknown[] = [];
    const { rows } = await this.pool.query<{ id: string; kind: JobKind; status: JobStatus }>(
      `SELECT id, kind, status FROM ${this.s}.jobs WHERE ${this.condition(target, params)}
       ORDER BY created_at DESC, id DESC LIMIT $${params.push(limit)}`,
      params,
    );
    return rows;
  }

  /**
   * Records the operation and snapshots its jobs as items, in one transaction; refuses with an
   * {@link OperationDriftError} (creating nothing) when the count is more than `margin` from `expected`.
   */
  async create(id: string, action: OperationAction, target: OperationTarget, check?: { expected: number; margin: number }): Promise<void> {
    const query = 'text' in target ? target.text : null;
    await this.createWith(id, action, query, (client) => this.snapshot(client, id, target), check);
  }

  /**
   * {@link create} over items `snapshot` inserts (answering how many) in the same transaction:
   * an operation over other things than jobs (dead letters) keeps their IDs as its items.
   */
  async createWith(
    id: string,
    action: OperationAction,
    query: string | null,
    snapshot: (client: pg.PoolClient) => Promise<number>,
    check?: { expected: number; margin: number },
  ): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query(`INSERT INTO ${this.s}.operations (id, action, query, status, matched) VALUES ($1, $2, $3, 'running', 0)`, [id, action, query]);
      const matched = await snapshot(client);
      if (check && Math.abs(matched - check.expected) > check.margin) throw new OperationDriftError(matched, check.expected, check.margin);
      await client.query(`UPDATE ${this.s}.operations SET matched = $2 WHERE id = $1`, [id, matched]);
    });
  }

  /**
   * Takes the lease of the oldest running operation no live console holds (or the one this
   * owner holds already) and that is not paused (or is to be cancelled); null when there is none.
   * SKIP LOCKED: two consoles never claim one.
   */
  async claim(owner: string, leaseMs: number): Promise<{ id: string; action: OperationAction } | null> {
    const { rows } = await this.pool.query<{ id: string; action: OperationAction }>(
      `UPDATE ${this.s}.operations SET lease_owner = $1, lease_until = now() + $2 * interval '1 millisecond'
       WHERE id = (SELECT id FROM ${this.s}.operations WHERE status = 'running'
         AND (lease_until IS NULL OR lease_until < now() OR lease_owner = $1)
         AND (resume_at IS NULL OR resume_at <= now() OR cancel_requested)
         ORDER BY started_at LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING id, action`,
      [owner, leaseMs],
    );
    return rows[0] ?? null;
  }

  /** Extends the lease; null when another console took it (this one stalled past it). */
  async renew(id: string, owner: string, leaseMs: number): Promise<{ cancelRequested: boolean } | null> {
    const { rows } = await this.pool.query<{ cancel_requested: boolean }>(
      `UPDATE ${this.s}.operations SET lease_until = now() + $3 * interval '1 millisecond'
       WHERE id = $1 AND lease_owner = $2 AND status = 'running' RETURNING cancel_requested`,
      [id, owner, leaseMs],
    );
    return rows[0] ? { cancelRequested: rows[0].cancel_requested } : null;
  }

  /** Gives the lease up, so another console may resume the operation at once. */
  async release(id: string, owner: string): Promise<void> {
    await this.pool.query(`UPDATE ${this.s}.operations SET lease_until = NULL WHERE id = $1 AND lease_owner = $2`, [id, owner]);
  }

  /** The first `limit` items still pending, in snapshot order. */
  async pendingItems(id: string, limit: number): Promise<{ seq: number; job_id: string }[]> {
    const { rows } = await this.pool.query<{ seq: number; job_id: string }>(
      `SELECT seq, job_id FROM ${this.s}.operation_items WHERE operation_id = $1 AND state = 'pending' ORDER BY seq LIMIT $2`,
      [id, limit],
    );
    return rows;
  }

  async settle(id: string, outcomes: readonly ItemOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await this.pool.query(
      `UPDATE ${this.s}.operation_items AS i SET state = o.state, reason = o.reason
       FROM jsonb_to_recordset($2::jsonb) AS o(seq integer, state text, reason text)
       WHERE i.operation_id = $1 AND i.seq = o.seq`,
      [id, JSON.stringify(outcomes)],
    );
  }

  /**
   * Pauses the operation for `ms` (a full queue, an outage) and gives its lease up: meanwhile the
   * runner takes other operations, and any console may resume this one once the time is up.
   */
  async pause(id: string, owner: string, reason: string, ms: number): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.s}.operations SET paused_reason = $3, resume_at = now() + $4 * interval '1 millisecond', lease_until = NULL
       WHERE id = $1 AND lease_owner = $2`,
      [id, owner, reason, ms],
    );
  }

  /** Clears a pause once a batch went through; true when there was one. */
  async resumed(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE ${this.s}.operations SET paused_reason = NULL, resume_at = NULL WHERE id = $1 AND paused_reason IS NOT NULL`,
      [id],
    );
    return (rowCount ?? 0) > 0;
  }

  /**
   * Ends the operation `cancelled`, or once no item is pending: `failed` when the action failed
   * on every item, else `done`.
   */
  async finish(id: string, owner: string, outcome: 'cancelled' | 'settled'): Promise<void> {
    const settled = `CASE WHEN EXISTS (SELECT 1 FROM ${this.s}.operation_items WHERE operation_id = $1 AND state <> 'failed')
      OR NOT EXISTS (SELECT 1 FROM ${this.s}.operation_items WHERE operation_id = $1) THEN 'done' ELSE 'failed' END`;
    await this.pool.query(
      `UPDATE ${this.s}.operations SET status = ${outcome === 'cancelled' ? "'cancelled'" : settled}, finished_at = now(),
         paused_reason = NULL, resume_at = NULL, lease_until = NULL
       WHERE id = $1 AND lease_owner = $2 AND status = 'running'`,
      [id, owner],
    );
  }

  /** Asks a running operation to stop after its current batch; false when it is not running (or unknown). */
  async requestCancel(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE ${this.s}.operations SET cancel_requested = true WHERE id = $1 AND status = 'running'`,
      [id],
    );
    return (rowCount ?? 0) > 0;
  }

  /** Deletes finished operations (their items with them) older than the retention. */
  async prune(retentionDays: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM ${this.s}.operations WHERE status <> 'running' AND finished_at < now() - $1 * interval '1 day'`,
      [retentionDays],
    );
    return rowCount ?? 0;
  }

  async get(id: string): Promise<Operation | null> {
    const { rows } = await this.pool.query<OperationRow>(`${this.shownSql()} WHERE o.id = $1`, [id]);
    return rows[0] ? shown(rows[0]) : null;
  }

  /** Newest first. */
  async list(limit: number, cursor?: string): Promise<Page<Operation>> {
    const params: unknown[] = [];
    let where = '';
    if (cursor) {
      const [at, id] = decodePageCursor(cursor);
      where = `WHERE (o.started_at, o.id) < ($${params.push(at)}::timestamptz, $${params.push(id)}::uuid)`;
    }
    const { rows } = await this.pool.query<OperationRow>(
      `${this.shownSql()} ${where} ORDER BY o.started_at DESC, o.id DESC LIMIT $${params.push(limit + 1)}`,
      params,
    );
    const items = rows.slice(0, limit).map(shown);
    const last = items[items.length - 1];
    return { items, next_cursor: rows.length > limit && last ? encodePageCursor({ created_at: last.started_at, id: last.id }) : null };
  }

  /** Operations with their items counted by state and their first failed items, in one query. */
  private shownSql(): string {
    return `SELECT o.id, o.action, o.status, o.query, o.matched, o.cancel_requested, o.paused_reason, o.started_at, o.finished_at,
        c.changed, c.skipped, c.pending, c.failed, COALESCE(f.items, '[]') AS failed_items
      FROM ${this.s}.operations o
      CROSS JOIN LATERAL (SELECT count(*) FILTER (WHERE state = 'changed')::int AS changed,
          count(*) FILTER (WHERE state = 'skipped')::int AS skipped,
          count(*) FILTER (WHERE state = 'pending')::int AS pending,
          count(*) FILTER (WHERE state = 'failed')::int AS failed
        FROM ${this.s}.operation_items WHERE operation_id = o.id) c
      CROSS JOIN LATERAL (SELECT jsonb_agg(jsonb_build_object('id', job_id, 'reason', reason) ORDER BY seq) AS items
        FROM (SELECT job_id, reason, seq FROM ${this.s}.operation_items WHERE operation_id = o.id AND state = 'failed'
          ORDER BY seq LIMIT ${FAILED_ITEMS_SHOWN}) first_failed) f`;
  }

  /** Inserts the target's jobs as items, newest first; answers how many. */
  private async snapshot(client: pg.PoolClient, id: string, target: OperationTarget): Promise<number> {
    if ('ids' in target) {
      const { rowCount } = await client.query(
        `INSERT INTO ${this.s}.operation_items (operation_id, seq, job_id)
         SELECT $1, n, job_id FROM unnest($2::uuid[]) WITH ORDINALITY AS t(job_id, n)`,
        [id, [...new Set(target.ids)]],
      );
      return rowCount ?? 0;
    }
    const params: unknown[] = [id];
    const { rowCount } = await client.query(
      `INSERT INTO ${this.s}.operation_items (operation_id, seq, job_id)
       SELECT $1, row_number() OVER (ORDER BY created_at DESC, id DESC), id FROM ${this.s}.jobs
       WHERE ${this.condition(target, params)}`,
      params,
    );
    return rowCount ?? 0;
  }

  private condition(target: OperationTarget, params: unknown[]): string {
    if ('ids' in target) return `id = ANY($${params.push([...new Set(target.ids)])}::uuid[])`;
    return target.query.type === 'all' ? 'TRUE' : jobQuerySql(target.query, { schema: this.schema, params });
  }
}
