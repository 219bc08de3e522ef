import type pg from 'pg';
import type { CreateSchedule, MissedPolicy } from '../../src-shared/schedule-schemas';
import { decodePageCursor, encodePageCursor } from '../database/page-cursor';

/** A schedule as its table keeps it. */
export interface ScheduleRow {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  cron: string;
  time_zone: string;
  missed: MissedPolicy;
  paused: boolean;
  created_at: Date;
  updated_at: Date;
  /** Every due time up to this one was handled (fired or skipped): the scheduler looks after it. */
  fired_through: Date;
  last_run_at: Date | null;
  last_job_id: string | null;
}

/** A claimed due time: the job ID is chosen with the claim, so a later console can finish it. */
export interface RunRow {
  schedule_id: string;
  due_at: Date;
  job_id: string;
  claimed_at: Date;
  submitted_at: Date | null;
  triggered: boolean;
  error: string | null;
  /** How often its submit met an outage (each time under a fresh job ID). */
  attempts: number;
  /** When the next submit is due, after one met an outage. */
  retry_at: Date | null;
}

/** Identifies one claim: a trigger's claims have their own key space (a trigger never takes a due time's). */
export interface RunKey {
  scheduleId: string;
  dueAt: Date;
  triggered: boolean;
}

/** Longest wait between two retries of a run whose submit met an outage. */
const RETRY_MAX_S = 30;

/** The fields a PATCH changes, validated; `refire` starts the due times afresh from now (a new cron or zone). */
export type ScheduleChange = Partial<Pick<ScheduleRow, 'kind' | 'payload' | 'cron' | 'time_zone' | 'missed'>>;

/**
 * `<ns>.schedules` and `<ns>.schedule_runs`. A run's row is its claim: its primary key
 * (schedule_id, due_at, triggered) lets exactly one console insert it, whichever fires first.
 */
export class ScheduleStore {
  private readonly s: string;
  /** The NOTIFY channel every console of the namespace listens on for changed schedules. */
  readonly channel: string;

  constructor(
    private readonly pool: pg.Pool,
    schema: string,
  ) {
    this.s = `"${schema}"`;
    this.channel = `jobdeck_schedules:${schema}`;
  }

  async create(id: string, input: CreateSchedule, now: Date): Promise<ScheduleRow> {
    const { rows } = await this.pool.query<ScheduleRow>(
      `INSERT INTO ${this.s}.schedules (id, kind, payload, cron, time_zone, missed, created_at, updated_at, fired_through)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7) RETURNING *`,
      [id, input.kind, JSON.stringify(input.payload), input.cron, input.time_zone, input.missed, now],
    );
    await this.notify(id);
    return rows[0]!;
  }

  async get(id: string): Promise<ScheduleRow | null> {
    const { rows } = await this.pool.query<ScheduleRow>(`SELECT * FROM ${this.s}.schedules WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** A page, newest first, and the cursor of the next one. */
  async list(limit: number, cursor?: string): Promise<{ rows: ScheduleRow[]; next_cursor: string | null }> {
    const after = cursor ? decodePageCursor(cursor) : null;
    const { rows } = await this.pool.query<ScheduleRow>(
      `SELECT * FROM ${this.s}.schedules
       WHERE $1::timestamptz IS NULL OR (created_at, id) < ($1::timestamptz, $2::uuid)
       ORDER BY created_at DESC, id DESC LIMIT $3`,
      [after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const more = rows.length > limit && last;
    return { rows: page, next_cursor: more ? encodePageCursor({ created_at: last.created_at.toISOString(), id: last.id }) : null };
  }

  /** Every schedule that fires (not paused). */
  async active(): Promise<ScheduleRow[]> {
    const { rows } = await this.pool.query<ScheduleRow>(`SELECT * FROM ${this.s}.schedules WHERE NOT paused`);
    return rows;
  }

  /**
   * Changes a schedule; a new cron, zone or resume starts its due times from `now` (the times
   * before it are neither missed nor fired). Null when there is no such schedule.
   */
  async update(id: string, change: ScheduleChange & { paused?: boolean }, refireFrom: Date | null, now: Date): Promise<ScheduleRow | null> {
    const fields = Object.entries(change).filter(([, value]) => value !== undefined);
    const sets = fields.map(([name], index) => `${name} = $${index + 4}`);
    const values = fields.map(([name, value]) => (name === 'payload' ? JSON.stringify(value) : value));
    const { rows } = await this.pool.query<ScheduleRow>(
      `UPDATE ${this.s}.schedules SET updated_at = $2, fired_through = COALESCE($3, fired_through)${sets.map((set) => `, ${set}`).join('')}
       WHERE id = $1 RETURNING *`,
      [id, now, refireFrom, ...values],
    );
    if (rows[0]) await this.notify(id);
    return rows[0] ?? null;
  }

  /** Whether there was such a schedule (its runs go with it; its jobs stay, with their schedule_id). */
  async delete(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(`DELETE FROM ${this.s}.schedules WHERE id = $1`, [id]);
    if ((rowCount ?? 0) > 0) await this.notify(id);
    return (rowCount ?? 0) > 0;
  }

  /** Claims a due time for `jobId`: true only for the one caller that inserted the claim. */
  async claim(scheduleId: string, dueAt: Date, jobId: string, triggered = false): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO ${this.s}.schedule_runs (schedule_id, due_at, job_id, triggered) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [scheduleId, dueAt, jobId, triggered],
    );
    return (rowCount ?? 0) > 0;
  }

  /** Moves the schedule's handled-through time forward (never back); a fired run becomes its last one. */
  async advance(scheduleId: string, through: Date, run?: { dueAt: Date; jobId: string }): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.s}.schedules SET fired_through = GREATEST(fired_through, $2),
         last_job_id = CASE WHEN $3::timestamptz IS NOT NULL AND (last_run_at IS NULL OR last_run_at <= $3) THEN $4::uuid ELSE last_job_id END,
         last_run_at = CASE WHEN $3::timestamptz IS NOT NULL THEN GREATEST(last_run_at, $3) ELSE last_run_at END
       WHERE id = $1`,
      [scheduleId, through, run?.dueAt ?? null, run?.jobId ?? null],
    );
  }

  /** The claimed run's job was submitted, or could not be (`error`): it is done either way. */
  async settle(run: RunKey, error: string | null = null): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.s}.schedule_runs SET submitted_at = now(), error = $4, retry_at = NULL WHERE schedule_id = $1 AND due_at = $2 AND triggered = $3`,
      [run.scheduleId, run.dueAt, run.triggered, error],
    );
  }

  /**
   * The claimed run's job `jobId` was not accepted (an outage): the claim is opened again under a
   * fresh job ID, to be retried from `retry_at` (1 s, doubling to 30 s). Only while the claim
   * still names `jobId` (another console may have re-keyed it already); true when it did.
   */
  async rekey(run: RunKey, jobId: string, freshJobId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE ${this.s}.schedule_runs SET job_id = $5, submitted_at = NULL, error = NULL, claimed_at = now(),
         retry_at = now() + make_interval(secs => LEAST(${RETRY_MAX_S}, power(2, attempts))), attempts = attempts + 1
       WHERE schedule_id = $1 AND due_at = $2 AND triggered = $3 AND job_id = $4`,
      [run.scheduleId, run.dueAt, run.triggered, jobId, freshJobId],
    );
    return (rowCount ?? 0) > 0;
  }

  /** Milliseconds until the earliest retry of a claim comes due (0 when one is due); null when none waits. */
  async nextRetryInMs(): Promise<number | null> {
    const { rows } = await this.pool.query<{ ms: number | null }>(
      `SELECT GREATEST(0, EXTRACT(EPOCH FROM min(retry_at) - now()) * 1000)::float8 AS ms FROM ${this.s}.schedule_runs WHERE submitted_at IS NULL AND retry_at IS NOT NULL`,
    );
    return rows[0]?.ms ?? null;
  }

  /**
   * Claims to submit now: those older than `staleMs` whose job was never submitted (their console
   * died between claim and submit), and those whose retry came due (their submit met an outage).
   * Taken over by this caller alone (their claim time renewed), to submit with the claim's job ID.
   */
  async takeStale(staleMs: number): Promise<(RunRow & Pick<ScheduleRow, 'kind' | 'payload'>)[]> {
    const { rows } = await this.pool.query<RunRow & Pick<ScheduleRow, 'kind' | 'payload'>>(
      `UPDATE ${this.s}.schedule_runs r SET claimed_at = now(), retry_at = NULL
       FROM ${this.s}.schedules s
       WHERE s.id = r.schedule_id AND r.submitted_at IS NULL
         AND (r.claimed_at < now() - make_interval(secs => $1) OR r.retry_at <= now())
       RETURNING r.*, s.kind, s.payload`,
      [staleMs / 1000],
    );
    return rows;
  }

  /** A schedule's latest runs, newest first. */
  async runs(scheduleId: string, limit: number): Promise<RunRow[]> {
    const { rows } = await this.pool.query<RunRow>(`SELECT * FROM ${this.s}.schedule_runs WHERE schedule_id = $1 ORDER BY due_at DESC LIMIT $2`, [
      scheduleId,
      limit,
    ]);
    return rows;
  }

  /** Forgets runs older than `days` (their jobs stay in the history). */
  async pruneRuns(days: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM ${this.s}.schedule_runs WHERE submitted_at IS NOT NULL AND due_at < now() - make_interval(days => $1)`,
      [days],
    );
    return rowCount ?? 0;
  }

  /** Tells every console of the namespace that a schedule changed. */
  private async notify(id: string): Promise<void> {
    await this.pool.query('SELECT pg_notify($1, $2)', [this.channel, id]);
  }
}
