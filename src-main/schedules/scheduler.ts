import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { ValidationError } from '../../src-shared/problem';
import type { Job } from '../../src-shared/job';
import type { JobKind } from '../../src-shared/kinds';
import { RemovedKindError } from '../jobs/job-service';
import { nextDue, planFiring } from './firing-plan';
import type { RunKey, ScheduleRow, ScheduleStore } from './schedule-store';

/** Longest sleep between two passes: a NOTIFY lost (its connection down) is made up within it. */
const REREAD_EVERY_MS = 30_000;
/** A claim without its job this long: its console died between claim and submit, another finishes it. */
export const STALE_CLAIM_MS = 30_000;
/** Wait before listening again after the LISTEN connection failed. */
const RELISTEN_AFTER_MS = 5_000;

/** Submits one run of a schedule as an ordinary job, with the ID its claim chose. */
export type SubmitRun = (kind: JobKind, payload: Record<string, unknown>, options: { id: string; scheduleId: string }) => Promise<Job>;

export interface SchedulerOptions {
  store: ScheduleStore;
  submit: SubmitRun;
  /**
   * What became of a claim's job ID (a claim taken over: its job may have been submitted before
   * the console died): none yet, submitted, or withdrawn by its submit as not accepted (an outage).
   */
  jobOutcome: (id: string) => Promise<'missing' | 'submitted' | 'not_accepted'>;
  /** A new connection for LISTEN (the namespace's database); without it, changes made by other consoles are seen within 30 s. */
  listener?: () => pg.Client;
  log: (line: string) => void;
  now?: () => Date;
  /** How long before the start a due time still counts as on time (30 s unless given). */
  startGraceMs?: number;
}

/** Whether a run can never be submitted as it is (retrying would not help): recorded on its claim. */
function hopeless(error: unknown): boolean {
  return error instanceof ValidationError || error instanceof RemovedKindError;
}

/**
 * The console's scheduler: sleeps until the earliest due time of the namespace's schedules,
 * fires what is due through a claim per (schedule, due time) in PostgreSQL, and wakes early when a
 * schedule changes (a NOTIFY from any console). Holds no state that decides an outcome: several
 * consoles on one namespace each run one, and each due time fires once.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private listener: pg.Client | null = null;
  private relisten: NodeJS.Timeout | null = null;
  private readonly now: () => Date;
  /** Due times before this passed while this console did not run: the `missed` policy decides them. */
  private startedAt = new Date(0);

  constructor(private readonly options: SchedulerOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async start(): Promise<void> {
    this.startedAt = this.now();
    await this.listen();
    this.wake();
  }

  /** Runs a pass now (a schedule changed); a pass already running runs once more after. */
  wake(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.pass()
      .catch((error: Error) => {
        this.options.log(`schedules: a pass failed (${error.message}); trying again in ${REREAD_EVERY_MS / 1000} s`);
        return REREAD_EVERY_MS;
      })
      .then((sleepMs) => {
        this.running = null;
        if (this.closed) return;
        if (this.again) {
          this.again = false;
          this.wake();
        } else {
          this.timer = setTimeout(() => this.wake(), sleepMs);
          this.timer.unref();
        }
      });
  }

  /** Stops the timer and the listener, after the pass in hand; calling it again does nothing. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.relisten) clearTimeout(this.relisten);
    await this.running;
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
  }

  /** Fires what is due; answers how long to sleep until the next due time. */
  private async pass(): Promise<number> {
    await this.finishStaleClaims();
    const schedules = await this.options.store.active();
    let earliest = this.now().getTime() + REREAD_EVERY_MS;
    for (const schedule of schedules) {
      if (this.closed) break;
      const through = await this.fireDue(schedule);
      const next = nextDue({ ...schedule, fired_through: through }, this.now());
      if (next) earliest = Math.min(earliest, next.getTime());
    }
    const retryIn = await this.options.store.nextRetryInMs();
    const sleepMs = Math.max(0, earliest - this.now().getTime());
    return retryIn === null ? sleepMs : Math.min(sleepMs, retryIn);
  }

  /** Fires one schedule's due times; answers how far it is handled. */
  private async fireDue(schedule: ScheduleRow): Promise<Date> {
    const { store } = this.options;
    const plan = planFiring(schedule, this.startedAt, this.now(), this.options.startGraceMs);
    if (plan.missed) {
      const { first, last } = plan.missed;
      const policy = schedule.missed === 'run_once' ? `one run for them, due ${last.toISOString()}` : 'skipped';
      this.options.log(`schedules: schedule ${schedule.id} missed its due times from ${first.toISOString()} to ${last.toISOString()} while no console ran it: ${policy}`);
    }
    for (const dueAt of plan.fire) {
      const jobId = randomUUID();
      const mine = await store.claim(schedule.id, dueAt, jobId);
      await store.advance(schedule.id, dueAt, mine ? { dueAt, jobId } : undefined);
      if (mine) await this.submit(schedule, { scheduleId: schedule.id, dueAt, triggered: false }, jobId);
    }
    if (plan.through > schedule.fired_through) await store.advance(schedule.id, plan.through);
    return plan.through;
  }

  /**
   * Submits a claimed run. A run that can never be submitted (payload no longer valid, kind
   * removed) is settled with its error. One that met an outage (its job withdrawn as not
   * accepted) is re-keyed under a fresh job ID and retried with backoff by whichever console's
   * pass finds it due, so the retry submits a new job rather than finding the withdrawn one.
   */
  private async submit(schedule: Pick<ScheduleRow, 'id' | 'kind' | 'payload'>, run: RunKey, jobId: string, takenOver = false): Promise<void> {
    const { store, log } = this.options;
    try {
      await this.options.submit(schedule.kind, schedule.payload, { id: jobId, scheduleId: schedule.id });
      await store.settle(run);
      // A retry's job ID is not the one its claim noted as the schedule's last job.
      if (takenOver) await store.advance(schedule.id, run.dueAt, { dueAt: run.dueAt, jobId });
    } catch (error) {
      const message = (error as Error).message;
      log(`schedules: the run of schedule ${schedule.id} due ${run.dueAt.toISOString()} (job ${jobId}) was not submitted: ${message}`);
      if (hopeless(error)) await store.settle(run, message);
      else if (await store.rekey(run, jobId, randomUUID())) log(`schedules: the run of schedule ${schedule.id} due ${run.dueAt.toISOString()} is retried under a new job ID`);
    }
  }

  /**
   * Claims whose console died before their job was submitted, and runs whose retry is due:
   * submitted now with the claim's job ID. A job of that ID that exists and was accepted only
   * settles the claim; one withdrawn as not accepted has the claim re-keyed for a retry.
   */
  private async finishStaleClaims(): Promise<void> {
    for (const row of await this.options.store.takeStale(STALE_CLAIM_MS)) {
      const run = { scheduleId: row.schedule_id, dueAt: row.due_at, triggered: row.triggered };
      const outcome = await this.options.jobOutcome(row.job_id);
      if (outcome === 'submitted') {
        await this.options.store.settle(run);
        continue;
      }
      if (outcome === 'not_accepted') {
        // Its submit met an outage and its console did not re-key it (it died, or it is re-keying now): a new job ID, retried soon.
        await this.options.store.rekey(run, row.job_id, randomUUID());
        continue;
      }
      this.options.log(`schedules: submitting the run of schedule ${row.schedule_id} due ${row.due_at.toISOString()} (job ${row.job_id}) left unsubmitted`);
      await this.submit({ id: row.schedule_id, kind: row.kind, payload: row.payload }, run, row.job_id, true);
    }
  }

  /** LISTEN for changes from every console of the namespace; on a lost connection, again a little later. */
  private async listen(): Promise<void> {
    const { listener, store, log } = this.options;
    if (!listener || this.closed) return;
    const client = listener();
    const retry = (error: Error): void => {
      if (this.closed || this.listener !== client) return;
      log(`schedules: listening for changes failed (${error.message}); again in ${RELISTEN_AFTER_MS / 1000} s`);
      this.listener = null;
      client.end().catch(() => undefined);
      this.relisten = setTimeout(() => void this.listen(), RELISTEN_AFTER_MS);
    };
    this.listener = client;
    client.on('error', retry);
    client.on('notification', () => this.wake());
    try {
      await client.connect();
      await client.query(`LISTEN "${store.channel.replace(/"/g, '""')}"`);
      this.wake();
    } catch (error) {
      retry(error as Error);
    }
  }
}
