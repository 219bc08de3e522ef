import { randomUUID } from 'node:crypto';
import { kindType } from '../../src-shared/builtin-kinds';
import { cronInWords, dueTimesAfter } from '../../src-shared/cron';
import type { Job } from '../../src-shared/job';
import { toRfc3339 } from '../../src-shared/time';
import {
  LAST_RUNS_SHOWN,
  NEXT_RUNS_SHOWN,
  type CreateSchedule,
  type PatchSchedule,
  type Schedule,
  type ScheduleDetail,
  type ScheduleRun,
} from '../../src-shared/schedule-schemas';
import type { JobService } from '../jobs/job-service';
import { nextDue } from './firing-plan';
import type { RunRow, ScheduleRow, ScheduleStore } from './schedule-store';

/** No schedule has that ID. */
export class UnknownScheduleError extends Error {
  override name = 'UnknownScheduleError';
  constructor(readonly id: string) {
    super(`no schedule with id ${id}`);
  }
}

/** Recurring schedules as the API reads and changes them; the scheduler fires them. */
export class ScheduleService {
  constructor(
    private readonly store: ScheduleStore,
    private readonly jobs: JobService,
    /** Tells this console's scheduler at once (the others hear the NOTIFY). */
    private readonly changed: () => void = () => undefined,
  ) {}

  /** Checks the payload against the kind's schema first: a bad one creates nothing. */
  async create(input: CreateSchedule): Promise<Schedule> {
    this.jobs.validate(input.kind, input.payload);
    const row = await this.store.create(randomUUID(), input, new Date());
    this.changed();
    return toSchedule(row);
  }

  async get(id: string): Promise<ScheduleDetail> {
    const row = await this.row(id);
    const runs = await this.store.runs(id, LAST_RUNS_SHOWN);
    const from = new Date(Math.max(Date.now(), row.fired_through.getTime()));
    const next = row.paused ? [] : dueTimesAfter(row.cron, row.time_zone, from, NEXT_RUNS_SHOWN);
    return { ...toSchedule(row), next_runs: next.map((at) => toRfc3339(at.getTime())), last_runs: await Promise.all(runs.map((run) => this.runOf(run))) };
  }

  async list(limit: number, cursor?: string): Promise<{ items: Schedule[]; next_cursor: string | null }> {
    const page = await this.store.list(limit, cursor);
    return { items: page.rows.map(toSchedule), next_cursor: page.next_cursor };
  }

  /** Changes what is given; the payload is checked against the (new) kind. A new cron or zone counts from now. */
  async patch(id: string, change: PatchSchedule): Promise<Schedule> {
    const current = await this.row(id);
    const kind = change.kind ?? current.kind;
    if (change.kind !== undefined || change.payload !== undefined) this.jobs.validate(kind, change.payload ?? current.payload);
    const retimed = (change.cron !== undefined && change.cron !== current.cron) || (change.time_zone !== undefined && change.time_zone !== current.time_zone);
    const now = new Date();
    return this.changedRow(id, await this.store.update(id, change, retimed ? now : null, now));
  }

  async delete(id: string): Promise<void> {
    if (!(await this.store.delete(id))) throw new UnknownScheduleError(id);
    this.changed();
  }

  /** Pausing stops its runs; resuming counts its due times from now (those of the pause are neither missed nor run). */
  async setPaused(id: string, paused: boolean): Promise<Schedule> {
    const current = await this.row(id);
    if (current.paused === paused) return toSchedule(current);
    const now = new Date();
    return this.changedRow(id, await this.store.update(id, { paused }, paused ? null : now, now));
  }

  /**
   * Submits a run now (paused or not), claimed at the trigger time in the triggers' own key space:
   * a trigger on a due instant never takes that due time's claim from the scheduler.
   */
  async trigger(id: string): Promise<Job> {
    const schedule = await this.row(id);
    const jobId = randomUUID();
    let at = new Date();
    while (!(await this.store.claim(id, at, jobId, true))) at = new Date(at.getTime() + 1);
    const run = { scheduleId: id, dueAt: at, triggered: true };
    try {
      const job = await this.jobs.submit(schedule.kind, schedule.payload, 'payload', { id: jobId, origin: { schedule_id: id } });
      await this.store.settle(run);
      await this.store.advance(id, schedule.fired_through, { dueAt: at, jobId });
      return job;
    } catch (error) {
      // Not submitted: the trigger answers the error, and its claim goes (no stale claim left to finish).
      await this.store.settle(run, (error as Error).message);
      throw error;
    }
  }

  /** Forgets runs older than `days` (their jobs stay). */
  pruneRuns(days: number): Promise<number> {
    return this.store.pruneRuns(days);
  }

  private async row(id: string): Promise<ScheduleRow> {
    const row = await this.store.get(id);
    if (!row) throw new UnknownScheduleError(id);
    return row;
  }

  private changedRow(id: string, row: ScheduleRow | null): Schedule {
    if (!row) throw new UnknownScheduleError(id);
    this.changed();
    return toSchedule(row);
  }

  private async runOf(run: RunRow): Promise<ScheduleRun> {
    const job = run.submitted_at && !run.error ? await this.jobs.get(run.job_id).catch(() => null) : null;
    return {
      due_at: toRfc3339(run.due_at.getTime()),
      job_id: run.job_id,
      claimed_at: toRfc3339(run.claimed_at.getTime()),
      triggered: run.triggered,
      status: job?.status ?? null,
      error: run.error,
    };
  }
}

function toSchedule(row: ScheduleRow): Schedule {
  const next = row.paused ? null : nextDue(row, new Date());
  const time = (at: Date | null) => (at ? toRfc3339(at.getTime()) : null);
  return {
    id: row.id,
    kind: row.kind,
    type: kindType(row.kind),
    payload: row.payload,
    cron: row.cron,
    cron_in_words: cronInWords(row.cron),
    time_zone: row.time_zone,
    missed: row.missed,
    paused: row.paused,
    created_at: time(row.created_at)!,
    updated_at: time(row.updated_at)!,
    next_run_at: time(next),
    last_run_at: time(row.last_run_at),
    last_job_id: row.last_job_id,
  };
}
