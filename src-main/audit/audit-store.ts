import type pg from 'pg';
import type { AuditTerm } from '../../src-shared/audit-query';
import { outcomeOf, type AuditEntry, type AuditOutcome, type AuditPage } from '../../src-shared/audit-schemas';
import { decodePageCursor, encodePageCursor } from '../database/page-cursor';

const COLUMNS = ['id', 'at', 'actor', 'role', 'verb', 'target', 'route', 'params', 'status', 'title', 'detail'] as const;

interface AuditRow {
  id: string;
  at: Date;
  actor: string;
  role: string;
  verb: string;
  target: string | null;
  route: string;
  params: unknown;
  status: number;
  title: string | null;
  detail: string | null;
}

/** Each outcome as a condition on the status code. */
const OUTCOME_SQL: Readonly<Record<AuditOutcome, string>> = {
  ok: 'status < 400',
  refused: 'status BETWEEN 400 AND 499',
  error: 'status >= 500',
};

/**
 * SQLSTATE classes of an error that is the row's own, which no retry will cure: data exception
 * (22: NUL in text, a bad escape in jsonb), integrity constraint (23), program limit (54: an index
 * row too large). Any other error (unreachable, a restart, a missing table) is the database's.
 */
const ROW_REFUSAL = /^(22|23|54)[0-9A-Z]{3}$/;

/** True when PostgreSQL refused the rows themselves (see {@link ROW_REFUSAL}), not when it could not be reached. */
export function isRowRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ROW_REFUSAL.test(code);
}

const likeEscaped = (text: string): string => text.replace(/[\\%_]/g, '\\$&');

/** The audit trail in `<schema>.audit`: written in batches, listed newest first, pruned to the history's retention. */
export class AuditStore {
  private readonly table: string;

  constructor(
    private readonly pool: pg.Pool,
    schema: string,
  ) {
    this.table = `"${schema}".audit`;
  }

  /** Writes `entries` in one multi-row INSERT; a row written before (a retry after a lost answer) is skipped. */
  async insert(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const params: unknown[] = [];
    const rows = entries.map((entry) => `(${valuesOf(entry).map((value) => `$${params.push(value)}`).join(', ')})`);
    await this.pool.query(`INSERT INTO ${this.table} (${COLUMNS.join(', ')}) VALUES ${rows.join(', ')} ON CONFLICT (id) DO NOTHING`, params);
  }

  /** A page of the rows every term matches, newest first. */
  async list(terms: readonly AuditTerm[], limit: number, cursor?: string): Promise<AuditPage> {
    const params: unknown[] = [];
    const conditions = terms.map((term) => termSql(term, params));
    if (cursor) {
      const [at, id] = decodePageCursor(cursor);
      conditions.push(`(at, id) < ($${params.push(at)}::timestamptz, $${params.push(id)}::uuid)`);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const { rows } = await this.pool.query<AuditRow>(
      `SELECT ${COLUMNS.join(', ')} FROM ${this.table} ${where} ORDER BY at DESC, id DESC LIMIT $${params.push(limit + 1)}`,
      params,
    );
    const items = rows.slice(0, limit).map(entryOf);
    const last = items[items.length - 1];
    return { items, next_cursor: rows.length > limit && last ? encodePageCursor({ created_at: last.at, id: last.id }) : null };
  }

  async prune(retentionDays: number): Promise<number> {
    const { rowCount } = await this.pool.query(`DELETE FROM ${this.table} WHERE at < now() - $1 * interval '1 day'`, [retentionDays]);
    return rowCount ?? 0;
  }
}

function valuesOf(entry: AuditEntry): unknown[] {
  const { result } = entry;
  return [entry.id, entry.at, entry.actor, entry.role, entry.verb, entry.target, entry.route, JSON.stringify(entry.params), result.status, result.title, result.detail];
}

function entryOf(row: AuditRow): AuditEntry {
  const { status, title, detail, at, ...rest } = row;
  return { ...rest, at: at.toISOString(), result: { status, outcome: outcomeOf(status), title, detail } };
}

function termSql(term: AuditTerm, params: unknown[]): string {
  switch (term.type) {
    case 'actor':
      return `actor = ANY($${params.push(term.values)}::text[])`;
    case 'verb':
      return anyOf(term.values.map((verb) => `(verb = $${params.push(verb)} OR verb LIKE $${params.push(`${likeEscaped(verb)}.%`)})`));
    case 'target':
      return anyOf(term.values.map((target) => `target LIKE $${params.push(`${likeEscaped(target)}%`)}`));
    case 'result':
      return anyOf(term.values.map((outcome) => OUTCOME_SQL[outcome]));
    case 'time':
      return term.bounds.map(({ op, at }) => `at ${op} $${params.push(at)}::timestamptz`).join(' AND ');
    case 'word': {
      const text = `%${likeEscaped(term.text)}%`;
      return `concat_ws(' ', verb, target, route, actor, params::text, title, detail) ILIKE $${params.push(text)}`;
    }
  }
}

const anyOf = (conditions: string[]): string => `(${conditions.join(' OR ')})`;
