import type pg from 'pg';
import type { Job, Page } from '../../src-shared/job';
import { kindType } from '../../src-shared/builtin-kinds';
import type { JobKind } from '../../src-shared/kinds';
import type { JobStatus } from '../../src-shared/statuses';
import type { JobQuery } from '../../src-shared/job-query';
import { InvalidCursorError, decodePageCursor, encodePageCursor } from '../database/page-cursor';
import { jobQuerySql } from '../search/job-query-sql';

export { InvalidCursorError };

export interface JobListQuery {
  status?: JobStatus;
  kind?: JobKind;
  /** A parsed search (`q`), AND-ed with the rest. */
  search?: JobQuery;
  limit: number;
  cursor?: string;
}

interface JobRow {
  id: string;
  kind: JobKind;
  status: JobStatus;
  payload: Job['payload'];
  progress: number;
  attempts: number;
  created_at: Date;
  updated_at: Date;
  transitions: Job['transitions'];
  result: Job['result'];
  error: string | null;
  /** Null in rows recorded before retries existed. */
  max_attempts: number | null;
  next_attempt_at: Date | null;
  attempt_errors: Job['attempt_errors'] | null;
  replay_of: string | null;
  schedule_id: string | null;
  run_at: Date | null;
  /** bigint: node-postgres hands it over as a string. */
  version: string;
}

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    kind: row.kind,
    type: kindType(row.kind),
    status: row.status,
    payload: row.payload,
    progress: row.progress,
    attempts: row.attempts,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    transitions: row.transitions,
    result: row.result,
    error: row.error,
    max_attempts: row.max_attempts ?? Math.max(1, row.attempts),
    next_attempt_at: row.next_attempt_at?.toISOString() ?? null,
    attempt_errors: row.attempt_errors ?? [],
    replay_of: row.replay_of,
    schedule_id: row.schedule_id,
    run_at: row.run_at?.toISOString() ?? null,
    version: Number(row.version),
  };
}

import { UUID_PATTERN } from '../../src-shared/wire';

/** The columns the newest version of a job decides. */
const LATEST_WINS = [
  'status',
  'progress',
  'attempts',
  'updated_at',
  'result',
  'error',
  'version',
  'max_attempts',
  'next_attempt_at',
] as const;

/**
 * SQL for a JSON list of timeline items (`{"status", "at", "worker"}` or `{"attempt", "at",
 * "error"}`) that keeps every item of `recorded` the `incoming` list lacks and every item of
 * `incoming` (a repeat within it included), ordered by `at` (RFC 3339 UTC text with
 * milliseconds sorts as time), then by where it came from.
 */
function mergedTimeline(recorded: string, incoming: string): string {
  const old = `COALESCE(${recorded}, '[]'::jsonb)`;
  const fresh = `COALESCE(${incoming}, '[]'::jsonb)`;
  return `(SELECT COALESCE(jsonb_agg(item ORDER BY item->>'at' COLLATE "C", n), '[]'::jsonb)
    FROM jsonb_array_elements(${old} || ${fresh}) WITH ORDINALITY AS e(item, n)
    WHERE n > jsonb_array_length(${old}) OR NOT ${fresh} @> jsonb_build_array(item))`;
}

/** Every job and its transitions in PostgreSQL, kept after Redis has expired the status. */
export class JobHistory {
  private readonly table: string;

  constructor(
    private readonly pool: pg.Pool,
    private readonly schema: string,
  ) {
    this.table = `"${schema}".jobs`;
  }

  async get(id: string): Promise<Job | null> {
    if (!UUID_PATTERN.test(id)) return null;
    const { rows } = await this.pool.query<JobRow>(`SELECT * FROM ${this.table} WHERE id = $1`, [id]);
    return rows[0] ? toJob(rows[0]) : null;
  }

  /** Newest first; a page and the cursor of the next (older) one. */
  async list(query: JobListQuery): Promise<Page<Job>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.status) where.push(`status = $${params.push(query.status)}`);
    if (query.kind) where.push(`kind = $${params.push(query.kind)}`);
    if (query.search && query.search.type !== 'all') where.push(jobQuerySql(query.search, { schema: this.schema, params }));
    if (query.cursor) {
      const after = decodePageCursor(query.cursor);
      where.push(`(created_at, id) < ($${params.push(after[0])}::timestamptz, $${params.push(after[1])}::uuid)`);
    }
    const sql =
      `SELECT * FROM ${this.table} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ` +
      `ORDER BY created_at DESC, id DESC LIMIT $${params.push(query.limit + 1)}`;
    const { rows } = await this.pool.query<JobRow>(sql, params);
    const items = rows.slice(0, query.limit).map(toJob);
    const more = rows.length > query.limit;
    return { items, next_cursor: more ? encodePageCursor(items[items.length - 1]!) : null };
  }

  /**
   * Records the newest state of each job: an older version never overwrites a newer one, and a
   * row only ever gains transitions and attempt errors (see {@link mergedTimeline}), so a job
   * Redis lost and a worker rebuilt from its message keeps the timeline from before the loss.
   */
  async record(jobs: Job[]): Promise<void> {
    const newest = new Map<string, Job>();
    for (const job of jobs) {
      const known = newest.get(job.id);
      if (!known || known.version < job.version) newest.set(job.id, job);
    }
    if (newest.size === 0) return;
    const rows = [...newest.values()];
    const newer = 'j.version < EXCLUDED.version';
    const latest = LATEST_WINS.map((column) => `${column} = CASE WHEN ${newer} THEN EXCLUDED.${column} ELSE j.${column} END`);
    await this.pool.query(
      `INSERT INTO ${this.table} AS j (id, kind, status, payload, progress, attempts, created_at, updated_at,
         transitions, result, error, version, max_attempts, next_attempt_at, attempt_errors, replay_of, schedule_id, run_at)
       SELECT id, kind, status, payload, progress, attempts, created_at, updated_at, transitions, result, error, version,
         max_attempts, next_attempt_at, COALESCE(attempt_errors, '[]'), replay_of, schedule_id, run_at
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, kind text, status text, payload jsonb, progress integer,
         attempts integer, created_at timestamptz, updated_at timestamptz, transitions jsonb, result jsonb,
         error text, version bigint, max_attempts integer, next_attempt_at timestamptz, attempt_errors jsonb,
         replay_of uuid, schedule_id uuid, run_at timestamptz)
       ON CONFLICT (id) DO UPDATE SET ${latest.join(', ')},
         replay_of = COALESCE(j.replay_of, EXCLUDED.replay_of),
         schedule_id = COALESCE(j.schedule_id, EXCLUDED.schedule_id),
         run_at = COALESCE(EXCLUDED.run_at, j.run_at),
         transitions = ${mergedTimeline('j.transitions', 'EXCLUDED.transitions')},
         attempt_errors = ${mergedTimeline('j.attempt_errors', 'EXCLUDED.attempt_errors')}
       WHERE ${newer} OR NOT (j.transitions @> EXCLUDED.transitions AND j.attempt_errors @> EXCLUDED.attempt_errors)`,
      [JSON.stringify(rows)],
    );
  }

  /** Deletes terminal jobs older than the retention. */
  async prune(retentionDays: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM ${this.table} WHERE status IN ('DONE', 'FAILED', 'CANCELLED')
       AND updated_at < now() - $1 * interval '1 day'`,
      [retentionDays],
    );
    return rowCount ?? 0;
  }
}
