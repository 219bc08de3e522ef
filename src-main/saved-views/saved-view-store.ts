import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { CreateSavedView, SavedView } from '../../src-shared/saved-view-schemas';

const UNIQUE_VIOLATION = '23505';

interface SavedViewRow {
  id: string;
  name: string;
  query: string;
  created_at: Date;
}

const toSavedView = (row: SavedViewRow): SavedView => ({ id: row.id, name: row.name, query: row.query, created_at: row.created_at.toISOString() });

/** Named queries of the Jobs view, kept in the namespace's schema for every window. */
export class SavedViewStore {
  private readonly s: string;

  constructor(
    private readonly pool: pg.Pool,
    schema: string,
  ) {
    this.s = `"${schema}"`;
  }

  /** Every saved view, by name. */
  async list(): Promise<SavedView[]> {
    const { rows } = await this.pool.query<SavedViewRow>(`SELECT * FROM ${this.s}.saved_views ORDER BY name, id`);
    return rows.map(toSavedView);
  }

  /** The new view; null when one of that name exists already. */
  async create(input: CreateSavedView): Promise<SavedView | null> {
    try {
      const { rows } = await this.pool.query<SavedViewRow>(
        `INSERT INTO ${this.s}.saved_views (id, name, query) VALUES ($1, $2, $3) RETURNING *`,
        [randomUUID(), input.name, input.query],
      );
      return toSavedView(rows[0]!);
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) return null;
      throw error;
    }
  }

  /** Whether there was such a view. */
  async delete(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(`DELETE FROM ${this.s}.saved_views WHERE id = $1`, [id]);
    return (rowCount ?? 0) > 0;
  }
}
