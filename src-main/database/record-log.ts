import type pg from 'pg';
import type { Page } from '../../src-shared/job';

interface LoggedRow {
  id: string | number;
  received_at: Date;
}

export type Logged<Row> = Omit<Row, 'id' | 'received_at'> & { id: string; received_at: string };

/** How one log's table is read: the columns of a list item, and the bytes an item received. */
export interface RecordLogTable {
  /** `"schema".table` */
  name: string;
  /** The select list of a list item: everything small, no body. */
  summaryColumns: string;
  /** SQL for the bytes an item received, as counted against the log's `maxBytes`. */
  sizeColumn: string;
}

/** Past either bound the oldest items are deleted. */
export interface RecordLogLimits {
  maxItems: number;
  maxBytes: number;
}

/** Trims run at most this often: the log may hold up to a second's worth over its bounds. */
const TRIM_EVERY_MS = 1_000;

/**
 * An append-only table of received things (mail, webhook requests), read newest first, without
 * bodies in its pages and whole one item at a time; kept within a count and a size of items,
 * and pruned by age. Its `id` is a bigserial; the page cursor is the last ID a page showed.
 */
export class RecordLog<Row extends LoggedRow, Summary extends LoggedRow> {
  private trimTimer: NodeJS.Timeout | null = null;
  private trimming: Promise<unknown> = Promise.resolve();
  private lastTrimAt = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly table: RecordLogTable,
    private readonly limits: RecordLogLimits,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  async insert(values: Record<string, unknown>): Promise<Logged<Row>> {
    const columns = Object.keys(values);
    const { rows } = await this.pool.query<Row>(
      `INSERT INTO ${this.table.name} (${columns.join(', ')})
       VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING *`,
      Object.values(values),
    );
    this.scheduleTrim();
    return toRecord(rows[0]!);
  }

  /** A page of items without their bodies, newest first. */
  async list(limit: number, cursor?: string): Promise<Page<Logged<Summary>>> {
    const { rows } = await this.pool.query<Summary>(
      `SELECT ${this.table.summaryColumns} FROM ${this.table.name}
       WHERE ($1::bigint IS NULL OR id < $1::bigint) ORDER BY id DESC LIMIT $2`,
      [cursor ?? null, limit + 1],
    );
    const items = rows.slice(0, limit).map((row) => toRecord(row));
    return { items, next_cursor: rows.length > limit ? items[items.length - 1]!.id : null };
  }

  /** One whole item; null when there is none with this ID. */
  async get(id: string): Promise<Logged<Row> | null> {
    const { rows } = await this.pool.query<Row>(`SELECT * FROM ${this.table.name} WHERE id = $1::bigint`, [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Deletes the oldest items past the newest `maxItems`, or past `maxBytes` received; returns how many went. */
  async trim(): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM ${this.table.name} WHERE id <= (
         SELECT id FROM (
           SELECT id, row_number() OVER newest AS n, sum(${this.table.sizeColumn}) OVER newest AS total
           FROM ${this.table.name} WINDOW newest AS (ORDER BY id DESC)
         ) AS kept WHERE n > $1 OR total > $2 ORDER BY id DESC LIMIT 1)`,
      [this.limits.maxItems, this.limits.maxBytes],
    );
    return rowCount ?? 0;
  }

  /** Deletes what is older than the retention; returns how many went. */
  async prune(retentionDays: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM ${this.table.name} WHERE received_at < now() - $1 * interval '1 day'`,
      [retentionDays],
    );
    return rowCount ?? 0;
  }

  /** Stops trimming; waits for a trim under way. */
  async close(): Promise<void> {
    if (this.trimTimer) clearTimeout(this.trimTimer);
    this.trimTimer = null;
    await this.trimming;
  }

  /** One trim within {@link TRIM_EVERY_MS} of an insert, however many inserts came meanwhile. */
  private scheduleTrim(): void {
    if (this.trimTimer) return;
    const wait = Math.max(0, this.lastTrimAt + TRIM_EVERY_MS - Date.now());
    this.trimTimer = setTimeout(() => {
      this.trimTimer = null;
      this.lastTrimAt = Date.now();
      this.trimming = this.trimming.then(() => this.trim()).catch((error: Error) => this.onError(error));
    }, wait);
    this.trimTimer.unref();
  }
}

function toRecord<Row extends LoggedRow>(row: Row): Logged<Row> {
  return { ...row, id: String(row.id), received_at: row.received_at.toISOString() } as Logged<Row>;
}
