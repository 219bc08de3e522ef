import type pg from 'pg';
import type { Page } from '../../src-shared/job';

interface LoggedRow {
  id: string | number;
  received_at: Date;
}

export type Logged<Row> = Omit<Row, 'id' | 'received_at'> & { id: string; received_at: string };

/**
 * An append-only table of received things (mail, webhook requests), read newest first and
 * pruned by age. Its `id` is a bigserial; the page cursor is the last ID a page showed.
 */
export class RecordLog<Row extends LoggedRow> {
  constructor(
    private readonly pool: pg.Pool,
    private readonly table: string,
  ) {}

  async insert(values: Record<string, unknown>): Promise<Logged<Row>> {
    const columns = Object.keys(values);
    const { rows } = await this.pool.query<Row>(
      `INSERT INTO ${this.table} (${columns.join(', ')})
       VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING *`,
      Object.values(values),
    );
    return this.toRecord(rows[0]!);
  }

  async list(limit: number, cursor?: string): Promise<Page<Logged<Row>>> {
    const { rows } = await this.pool.query<Row>(
      `SELECT * FROM ${this.table} WHERE ($1::bigint IS NULL OR id < $1::bigint) ORDER BY id DESC LIMIT $2`,
      [cursor ?? null, limit + 1],
    );
    const items = rows.slice(0, limit).map((row) => this.toRecord(row));
    return { items, next_cursor: rows.length > limit ? items[items.length - 1]!.id : null };
  }

  /** Deletes what is older than the retention; returns how many went. */
  async prune(retentionDays: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM ${this.table} WHERE received_at < now() - $1 * interval '1 day'`,
      [retentionDays],
    );
    return rowCount ?? 0;
  }

  private toRecord(row: Row): Logged<Row> {
    return { ...row, id: String(row.id), received_at: row.received_at.toISOString() } as Logged<Row>;
  }
}
