import { z } from 'zod';
import { jobSchema, timeSchema, type AttemptError, type Job, type Transition } from './job';
import type { JobLogLine } from './job-log';
import { TERMINAL_STATUSES, type JobStatus } from './statuses';

/**
 * Where a job's time went, computed from what is kept: its transitions, attempt errors and
 * `next_attempt_at`, its log lines (a handler's effect time, see {@link EFFECT_TAG_PATTERN}) and the
 * deliveries it caused. Pure: the main process reads the inputs, the renderer draws the answer.
 *
 * The job's life is cut into contiguous pieces, so that
 * `total_ms = scheduled_ms + queue_wait_ms + run_ms + retry_wait_ms` (each clamped at 0, so a
 * worker's clock running behind can only make the sum larger). Deliveries are not in the total:
 * they follow the events, often after the job ended.
 */

/**
 * How a handler reports its effect's own time (the database write, the POST, the SMTP send): a log
 * line ending in ` [effect_ms=<n>]`. The effect is taken to have ended when the line was written
 * and to have lasted `n` ms. Several such lines in one attempt add up. Any handler can write one
 * (a module's `ctx.log`, a command's log line); see {@link withEffectTag}.
 */
export const EFFECT_TAG_PATTERN = /\s\[effect_ms=(\d+(?:\.\d+)?)\]$/;

/** `line` with the effect tag the timing reads: `inserted row … in 6 ms [effect_ms=6]`. */
export function withEffectTag(line: string, ms: number): string {
  return `${line} [effect_ms=${Math.max(0, Math.round(ms))}]`;
}

/** A stretch of the job's life. `to` null: still going at `as_of` (`ms` counts up to it). */
export const timingIntervalSchema = z.object({
  /** RFC 3339 UTC start. */
  from: timeSchema,
  /** RFC 3339 UTC end; null while it lasts. */
  to: timeSchema.nullable(),
  /** `to − from` (or `as_of − from` while it lasts), in ms. */
  ms: z.number().min(0),
});
export type TimingInterval = z.infer<typeof timingIntervalSchema>;

/** How an attempt ended. */
export const ATTEMPT_OUTCOMES = ['done', 'failed', 'worker_lost', 'given_back', 'cancelled', 'running'] as const;

export const attemptTimingSchema = z.object({
  /** The attempt's number, from 1 (as in `attempt_errors` and the log). */
  attempt: z.number().int().min(1),
  /** RFC 3339 UTC time it started (its STARTED transition). */
  started_at: timeSchema,
  /**
   * RFC 3339 UTC time it ended (its DONE, RETRYING, FAILED or CANCELLED transition, or its error);
   * for `worker_lost`, when the next attempt took over (the death itself is not recorded); null while running.
   */
  ended_at: timeSchema.nullable(),
  /** `ended_at − started_at` (up to `as_of` while running), in ms. */
  duration_ms: z.number().min(0),
  /** The worker that ran it, `<host>/<pid>`. */
  worker: z.string(),
  /**
   * `done`; `failed` (the handler failed: a retry or the job's FAILED followed); `worker_lost` (its
   * worker stopped mid-attempt and the broker gave the job to another); `given_back` (its kind's own
   * dependency was unreachable: the job went back to QUEUED and the run was not counted, so the next
   * run has the same number); `cancelled` (by an operator); `running`.
   */
  outcome: z.enum(ATTEMPT_OUTCOMES),
  /** Why it failed, as in `attempt_errors` (for `given_back`, its transition's note); else null. */
  error: z.string().nullable(),
  /** The effect's own time the handler reported (sum of its tagged log lines); null when it reported none. */
  effect_ms: z.number().min(0).nullable(),
  /** Each reported effect: ended when its line was written, started `ms` before (within the attempt). */
  effects: z.array(timingIntervalSchema),
});
export type AttemptTiming = z.infer<typeof attemptTimingSchema>;

export const retryWaitSchema = timingIntervalSchema.extend({
  /** The attempt whose failure (or end, or give-back) started the wait. */
  after_attempt: z.number().int().min(1),
  /**
   * `backoff`: the retry policy's wait, RETRYING until the broker handed the job back; `operator`:
   * the job had ended (FAILED or CANCELLED) until an operator's retry queued it and a worker took it;
   * `outage`: the run was given back (its kind's own dependency unreachable) until a worker took it again.
   */
  by: z.enum(['backoff', 'operator', 'outage']),
  /** While RETRYING: the job's `next_attempt_at`, when the next attempt is due; else null. */
  due_at: timeSchema.nullable(),
});
export type RetryWait = z.infer<typeof retryWaitSchema>;

export const deliveryTimingSchema = z.object({
  /** `webhook`: a subscription's delivery of one of the job's events; `batch`: the on_complete callback of the batch this job completed. */
  type: z.enum(['webhook', 'batch']),
  /** The delivery's ID (its `webhook-id`): `GET /api/v1/subscriptions/<id>/deliveries` lists it. */
  id: z.string(),
  /** `job.DONE`, `batch.COMPLETED`, … */
  event_type: z.string(),
  /** RFC 3339 UTC time the delivery was recorded (the event caused it). */
  created_at: timeSchema,
  /** RFC 3339 UTC time its first attempt started; null before one. */
  started_at: timeSchema.nullable(),
  /** RFC 3339 UTC time its last attempt ended, once delivered or failed; null while pending. */
  ended_at: timeSchema.nullable(),
  /** `ended_at − started_at` (retries and their waits included); null while pending. */
  ms: z.number().min(0).nullable(),
  /** Attempts made. */
  attempts: z.number().int().min(0),
  /** `delivered` (a 2xx), `pending` (waiting or retrying), `failed` (attempts exhausted). */
  outcome: z.enum(['delivered', 'pending', 'failed']),
});
export type DeliveryTiming = z.infer<typeof deliveryTimingSchema>;

/** `timing` of `GET /api/v1/jobs/<id>`. */
export const jobTimingSchema = z.object({
  /** RFC 3339 UTC time the figures were computed: what still lasts is counted up to it. */
  as_of: timeSchema,
  /** The job's `created_at`: where its time axis starts. */
  created_at: timeSchema,
  /** RFC 3339 UTC time the job ended (its last DONE, FAILED or CANCELLED transition); null while it lives. */
  ended_at: timeSchema.nullable(),
  /** `ended_at − created_at` (`as_of − created_at` while it lives), in ms. */
  total_ms: z.number().min(0),
  /** Time before the job was due (submitted with `run_at`): `scheduled.ms`, else 0. */
  scheduled_ms: z.number().min(0),
  /** Time waiting for a worker's first take: `queue_wait.ms`, else 0. */
  queue_wait_ms: z.number().min(0),
  /** Time in attempts: the sum of `attempts[].duration_ms`. */
  run_ms: z.number().min(0),
  /** Time between attempts: the sum of `retry_waits[].ms`. */
  retry_wait_ms: z.number().min(0),
  /** The effects' own time: the sum of `attempts[].effect_ms`; null when no attempt reported one. */
  effect_ms: z.number().min(0).nullable(),
  /** From `created_at` until the job was due (its `run_at`, or its first QUEUED after another status); null for a job due when submitted. */
  scheduled: timingIntervalSchema.nullable(),
  /** From when the job was due until a worker first took it (or it was cancelled); null when it never was due. */
  queue_wait: timingIntervalSchema.nullable(),
  /** Every attempt, oldest first. */
  attempts: z.array(attemptTimingSchema),
  /** Every wait between two attempts (or after the last one, while RETRYING), oldest first. */
  retry_waits: z.array(retryWaitSchema),
  /** The deliveries the job caused, oldest first; null when they could not be read (PostgreSQL did not answer: `notes` says so). */
  deliveries: z.array(deliveryTimingSchema).nullable(),
  /** What the figures could not know: a source that did not answer, an attempt whose end is inferred. */
  notes: z.array(z.string()),
});
export type JobTiming = z.infer<typeof jobTimingSchema>;

/** `GET /api/v1/jobs/<id>`: the job as everywhere else, and its `timing` (only this read carries it). */
export const jobReadSchema = jobSchema.extend({ timing: jobTimingSchema });
export type JobRead = Job & { timing: JobTiming };

/** One delivery as its store keeps it. */
export interface CausedDelivery {
  type: DeliveryTiming['type'];
  id: string;
  event_type: string;
  created_at: string;
  state: DeliveryTiming['outcome'];
  attempts: readonly { at: string; duration_ms: number }[];
}

/** What the timing is computed from; a source left null was not read (the notes say so). */
export interface TimingInputs {
  job: Pick<Job, 'created_at' | 'status' | 'transitions' | 'attempt_errors' | 'next_attempt_at' | 'run_at' | 'attempts'>;
  logs: readonly JobLogLine[] | null;
  deliveries: readonly CausedDelivery[] | null;
  /** The time to count what still lasts up to, in ms since the epoch. */
  now: number;
}

const RUNNING: ReadonlySet<JobStatus> = new Set(['STARTED', 'IN PROGRESS']);

const ms = (iso: string): number => Date.parse(iso);
const iso = (at: number): string => new Date(at).toISOString();
const span = (from: number, to: number): number => Math.max(0, to - from);

function interval(from: number, to: number | null, now: number): TimingInterval {
  return { from: iso(from), to: to === null ? null : iso(to), ms: span(from, to ?? now) };
}

/** The whole timing of a job. */
export function computeJobTiming({ job, logs, deliveries, now }: TimingInputs): JobTiming {
  const created = ms(job.created_at);
  const transitions = [...job.transitions].sort((a, b) => ms(a.at) - ms(b.at));
  const last = transitions.at(-1);
  const ended = last && TERMINAL_STATUSES.has(job.status) && TERMINAL_STATUSES.has(last.status) ? ms(last.at) : null;
  const firstRun = transitions.findIndex((_, index) => startsAttempt(transitions, index));
  const notes: string[] = [];
  const before = beforeFirstAttempt(job, transitions, firstRun, now);
  const life = attemptsOf(job, transitions, now, notes);
  addEffects(life.attempts, logs, notes);
  if (deliveries === null) notes.push('deliveries unknown: PostgreSQL did not answer in time');
  const attempts = life.attempts;
  const effects = attempts.filter((a) => a.effect_ms !== null);
  return {
    as_of: iso(now),
    created_at: iso(created),
    ended_at: ended === null ? null : iso(ended),
    total_ms: span(created, ended ?? now),
    scheduled_ms: before.scheduled?.ms ?? 0,
    queue_wait_ms: before.queue_wait?.ms ?? 0,
    run_ms: attempts.reduce((sum, a) => sum + a.duration_ms, 0),
    retry_wait_ms: life.waits.reduce((sum, w) => sum + w.ms, 0),
    effect_ms: effects.length ? effects.reduce((sum, a) => sum + a.effect_ms!, 0) : null,
    ...before,
    attempts,
    retry_waits: life.waits,
    deliveries: deliveries === null ? null : deliveries.map((d) => deliveryTiming(d)).sort((a, b) => ms(a.created_at) - ms(b.created_at)),
    notes,
  };
}

/**
 * The wait before the first attempt: scheduled (until due), then queued. It ends at the first
 * attempt, or at the job's end (cancelled before any start), or lasts. The job is due at its first
 * QUEUED that follows another status (a scheduled status), else at its `run_at`, else when created.
 */
function beforeFirstAttempt(
  job: TimingInputs['job'],
  transitions: readonly Transition[],
  firstRun: number,
  now: number,
): Pick<JobTiming, 'scheduled' | 'queue_wait'> {
  const created = ms(job.created_at);
  const waiting = firstRun < 0 ? transitions : transitions.slice(0, firstRun);
  const endOfWait = firstRun >= 0 ? ms(transitions[firstRun]!.at) : waitingEnd(job, waiting);
  const laterQueued = waiting.find((t, index) => index > 0 && t.status === 'QUEUED' && waiting[index - 1]!.status !== 'QUEUED');
  const firstQueued = waiting[0]?.status === 'QUEUED' || waiting.length === 0;
  let due: number | null = created;
  if (laterQueued) due = ms(laterQueued.at);
  else if (job.run_at !== null) due = ms(job.run_at);
  else if (!firstQueued) due = null;
  // Due after the wait ended (cancelled while scheduled), or not yet: no queue wait.
  const limit = endOfWait ?? now;
  if (due !== null && due > limit) due = null;
  const dueAt = due === null ? null : Math.max(created, due);
  const scheduled = dueAt === null ? interval(created, endOfWait, now) : dueAt > created ? interval(created, dueAt, now) : null;
  return { scheduled, queue_wait: dueAt === null ? null : interval(dueAt, endOfWait, now) };
}

/** When a job that never started stopped waiting: its end (cancelled), or null while it waits. */
function waitingEnd(job: TimingInputs['job'], waiting: readonly Transition[]): number | null {
  const end = waiting.find((t) => TERMINAL_STATUSES.has(t.status));
  return end && TERMINAL_STATUSES.has(job.status) ? ms(end.at) : null;
}

interface Life {
  attempts: AttemptTiming[];
  waits: RetryWait[];
}

/** Whether a transition starts an attempt: a STARTED, or an IN PROGRESS that follows no running status (a start lost in a merge). */
function startsAttempt(transitions: readonly Transition[], index: number): boolean {
  const t = transitions[index]!;
  const previous = transitions[index - 1];
  return t.status === 'STARTED' || (t.status === 'IN PROGRESS' && (!previous || !RUNNING.has(previous.status)));
}

/**
 * Walks the transitions from the first attempt: each start opens an attempt, ended by the next
 * RETRYING, DONE, FAILED or CANCELLED, by a QUEUED (given back: not counted, the next start keeps
 * its number), or by the next start (its worker was lost, unless its error
 * was recorded before: a retry that came back before its RETRYING write landed). A wait runs from
 * an attempt's failure (or end) to the next attempt.
 */
class LifeWalk {
  readonly life: Life = { attempts: [], waits: [] };
  private readonly errors: Map<number, AttemptError>;
  private open: { attempt: number; start: Transition } | null = null;
  private wait: { after: number; from: number; by: RetryWait['by'] } | null = null;
  /** The last attempt's number (the attempts the walk counted, plus `offset`). */
  number: number;
  /** The first attempt of the runs that took over one another (lost workers): a give-back undoes them all. */
  private takenOverFrom = 0;

  constructor(
    private readonly job: TimingInputs['job'],
    private readonly now: number,
    private readonly notes: string[],
    offset: number,
  ) {
    this.errors = new Map(job.attempt_errors.map((e) => [e.attempt, e]));
    this.number = offset;
  }

  step(t: Transition, starts: boolean): void {
    const at = ms(t.at);
    if (starts) return this.start(t, at);
    if (!this.open) {
      if (t.status === 'CANCELLED') this.endWait(at);
      return;
    }
    if (t.status === 'IN PROGRESS') return;
    const after = this.open.attempt;
    if (t.status === 'QUEUED') {
      // Given back: not counted, nor the lost runs it took over (the status store puts `attempts`
      // back to what its message's start found), so the next run has their first number.
      this.close(at, 'given_back', t.note);
      this.number = this.takenOverFrom - 1;
      this.wait = { after, from: at, by: 'outage' };
      return;
    }
    this.close(at, t.status === 'DONE' ? 'done' : t.status === 'CANCELLED' ? 'cancelled' : 'failed');
    if (t.status !== 'DONE') this.wait = { after, from: at, by: t.status === 'RETRYING' ? 'backoff' : 'operator' };
  }

  /** The attempts still running and the wait still on (RETRYING, due at next_attempt_at; or queued again by an operator). */
  finish(): Life {
    if (this.open) this.close(null, 'running');
    if (this.wait && !TERMINAL_STATUSES.has(this.job.status)) {
      const dueAt = this.job.status === 'RETRYING' ? this.job.next_attempt_at : null;
      this.life.waits.push({ ...interval(this.wait.from, null, this.now), after_attempt: this.wait.after, by: this.wait.by, due_at: dueAt });
    }
    return this.life;
  }

  private start(t: Transition, at: number): void {
    let tookOver = false;
    if (this.open) {
      const after = this.open.attempt;
      const error = this.errors.get(after);
      const failedFirst = error !== undefined && ms(error.at) < at;
      if (!failedFirst) this.notes.push(`attempt ${after} ends when attempt ${after + 1} started: its worker was lost`);
      this.close(failedFirst ? ms(error.at) : at, failedFirst ? 'failed' : 'worker_lost');
      if (failedFirst) this.wait = { after, from: ms(error.at), by: 'backoff' };
      tookOver = !failedFirst;
    }
    this.endWait(at);
    this.open = { attempt: ++this.number, start: t };
    if (!tookOver) this.takenOverFrom = this.number;
  }

  private endWait(at: number): void {
    if (this.wait) this.life.waits.push({ ...interval(this.wait.from, at, this.now), after_attempt: this.wait.after, by: this.wait.by, due_at: null });
    this.wait = null;
  }

  private close(end: number | null, outcome: AttemptTiming['outcome'], note?: string): void {
    const { attempt, start } = this.open!;
    const from = ms(start.at);
    const failed = outcome !== 'done' && outcome !== 'running' && outcome !== 'given_back';
    this.life.attempts.push({
      attempt,
      started_at: iso(from),
      ended_at: end === null ? null : iso(end),
      duration_ms: span(from, end ?? this.now),
      worker: start.worker,
      outcome,
      error: failed ? (this.errors.get(attempt)?.error ?? null) : (note ?? null),
      effect_ms: null,
      effects: [],
    });
    this.open = null;
  }
}

function attemptsOf(job: TimingInputs['job'], transitions: readonly Transition[], now: number, notes: string[]): Life {
  const starts = transitions.map((_, index) => startsAttempt(transitions, index));
  const first = starts.indexOf(true);
  const walkFrom = (offset: number, into: string[]): LifeWalk => {
    const walk = new LifeWalk(job, now, into, offset);
    if (first >= 0) for (let index = first; index < transitions.length; index++) walk.step(transitions[index]!, starts[index]!);
    return walk;
  };
  // Attempts made before the kept transitions begin (a job rebuilt from its message) keep their numbers.
  const offset = Math.max(0, job.attempts - walkFrom(0, []).number);
  return walkFrom(offset, notes).finish();
}

/** Puts each tagged log line's effect into its attempt. */
function addEffects(attempts: AttemptTiming[], logs: readonly JobLogLine[] | null, notes: string[]): void {
  if (logs === null) {
    notes.push('effect times unknown: the log was not read in time');
    return;
  }
  const byNumber = new Map(attempts.map((a) => [a.attempt, a]));
  for (const entry of logs) {
    const tag = EFFECT_TAG_PATTERN.exec(entry.line);
    const attempt = byNumber.get(entry.attempt);
    if (!tag || !attempt) continue;
    const reported = Number(tag[1]);
    const end = ms(entry.at);
    const start = Math.max(ms(attempt.started_at), end - reported);
    attempt.effects.push({ from: iso(start), to: iso(end), ms: reported });
    attempt.effect_ms = (attempt.effect_ms ?? 0) + reported;
  }
}

function deliveryTiming(delivery: CausedDelivery): DeliveryTiming {
  const first = delivery.attempts[0];
  const last = delivery.attempts.at(-1);
  const over = delivery.state !== 'pending' && last !== undefined;
  const start = first ? ms(first.at) : null;
  const end = over ? ms(last.at) + last.duration_ms : null;
  return {
    type: delivery.type,
    id: delivery.id,
    event_type: delivery.event_type,
    created_at: iso(ms(delivery.created_at)),
    started_at: start === null ? null : iso(start),
    ended_at: end === null ? null : iso(end),
    ms: start !== null && end !== null ? span(start, end) : null,
    attempts: delivery.attempts.length,
    outcome: delivery.state,
  };
}
