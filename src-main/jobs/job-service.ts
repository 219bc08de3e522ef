import { randomUUID } from 'node:crypto';
import type { Job, Page } from '../../src-shared/job';
import { builtinKindRegistry, kindType, shownPayload } from '../../src-shared/builtin-kinds';
import type { KindEntry, KindRegistry, PayloadDefaults, PayloadVerdict } from '../../src-shared/kind-registry';
import type { OutboundPolicy } from '../../src-shared/node/outbound-policy';
import type { JobKind } from '../../src-shared/kinds';
import { ValidationError } from '../../src-shared/problem';
import { type ResolvedPayload } from '../../src-shared/schemas';
import { DEFAULT_RETRY_POLICY } from '../../src-shared/retry-policy';
import {
  CANCELLABLE_STATUSES,
  RETRYABLE_STATUSES,
  RUNNING_STATUSES,
  SCHEDULED_STATUSES,
  WAITING_STATUSES,
  type JobStatus,
} from '../../src-shared/statuses';
import type { JobLogLine } from '../../src-shared/job-log';
import type { JobLogs } from '../history/job-logs';
import type { JobRead } from '../../src-shared/job-timing';
import { TIMING_SOURCE_TIMEOUT_MS, readJobTiming, type TimingSources } from './job-timing-read';
import { cancelRunning, type CancelAnswer } from './running-cancel';
import type { JobStatusClient } from '../../src-shared/node/status-store';
import { toRfc3339 } from '../../src-shared/time';
import { JOB_MESSAGE_VERSION, originOf, type JobMessage, type JobOrigin } from '../../src-shared/wire';
import type { JobPublisher } from '../broker/job-publisher';
import type { JobHistory, JobListQuery } from '../history/job-history';
import type { Admission } from './admission';
import type { DelayedJobs } from './delayed-jobs';
import { within } from '../lifecycle/within';

/** Redis answers in well under a millisecond when up: past this, the history answers instead. */
const STATUS_READ_TIMEOUT_MS = 500;

/** What a job gets when its payload leaves a field out. */
export type JobDefaults = PayloadDefaults;

export interface JobServiceOptions {
  status: JobStatusClient;
  publisher: JobPublisher;
  history: JobHistory;
  /** Jobs' log lines (none are kept when left out). */
  logs?: JobLogs;
  defaults: JobDefaults;
  /** Every kind a job may be of; the built-in ones when left out. */
  kinds?: KindRegistry;
  /** Most attempts a job may ask for (`JOBDECK_MAX_ATTEMPTS`); 5 when left out. */
  maxAttempts?: number;
  /** Backpressure: refuses a job whose kind's queue is full, before anything is written. */
  admission?: Admission;
  /** The deliveries a job caused, for its timing (none are shown when left out). */
  deliveries?: TimingSources['deliveries'];
  /** Where SCHEDULED jobs wait (README "Delayed jobs"); without it a submit with a start time in the future is refused. */
  delayed?: DelayedJobs;
  /** Refuses a payload URL (a kind's `urlFields`) the outbound policy refuses before any lookup; none is checked without it. */
  outbound?: OutboundPolicy;
}

/** Options of one submitted job. */
export interface SubmitOptions {
  /** Fewer attempts than the console's limit; validated against it. */
  maxAttempts?: number;
  /** The job's ID, made beforehand (a batch records its children's IDs before publishing them). */
  id?: string;
  /** Admission already counted this job in (with its batch, see {@link JobService.admit}). */
  admitted?: boolean;
  /** Where the job came from (a replay, a schedule's run, a start time), recorded on the job and its message. */
  origin?: JobOrigin;
}

/** Refuses (throws) an operator's retry of a job for a reason beyond its status. */
export type RetryGuard = (job: Job) => Promise<void>;

/** No job has that ID (neither Redis nor the history knows it). */
export class UnknownJobError extends Error {
  override name = 'UnknownJobError';
  constructor(readonly id: string) {
    super(`no job with id ${id}`);
  }
}

/** A retry of a job whose kind the kinds file no longer names: its queue has no worker to take it. */
export class RemovedKindError extends Error {
  override name = 'RemovedKindError';
  constructor(readonly job: Job) {
    super(`job ${job.id} is of kind ${job.kind}, which is no longer in the kinds file: put the kind back to retry it`);
  }
}

/** A `replay_of` that names no job, or a job of another kind than the replay's: answered 422 naming the field. */
export class ReplayOriginError extends Error {
  override name = 'ReplayOriginError';
  constructor(
    readonly replayOf: string,
    readonly rule: 'exists' | 'kind',
    message: string,
  ) {
    super(message);
  }
}
const ACTION_WORDS = { retry: 'retried', cancel: 'cancelled', 'run-now': 'run now' } as const;

/** An operator's action that the job's status does not allow (e.g. cancelling a DONE job). */
export class JobStatusConflictError extends Error {
  override name = 'JobStatusConflictError';
  constructor(
    readonly job: Job,
    readonly action: 'retry' | 'cancel' | 'run-now',
    readonly allowed: readonly JobStatus[],
  ) {
    super(`job ${job.id} is ${job.status}; only a job that is ${allowed.join(' or ')} can be ${ACTION_WORDS[action]}`);
  }
}

/**
 * Accepting, reading and listing jobs: the one place the HTTP API calls.
 */
export class JobService {
  private retryGuard?: RetryGuard;
  readonly kinds: KindRegistry;

  constructor(private readonly options: JobServiceOptions) {
    this.kinds = options.kinds ?? builtinKindRegistry();
  }

  /** Where this console's SCHEDULED jobs wait, for its promoter. */
  get delayed(): DelayedJobs | undefined {
    return this.options.delayed;
  }

  /** Backpressure for several jobs at once: all admitted, or a BackpressureError and none. */
  async admit(kinds: readonly JobKind[]): Promise<void> {
    await this.options.admission?.admitAll(kinds);
  }

  /** Another part's say on retries (the batches refuse a child of a completed batch). */
  guardRetry(guard: RetryGuard): void {
    this.retryGuard = guard;
  }

  /**
   * Validates, records the job as QUEUED (with its event) and publishes it; resolves once the
   * broker confirmed. A job the broker did not confirm is ended CANCELLED, never left QUEUED:
   * should the message still arrive, the worker finds it terminal and drops it. A job whose
   * `origin.run_at` is ahead is recorded SCHEDULED with its wait instead (see {@link DelayedJobs}).
   * `fieldPrefix` names where the payload came from (`payload` in a body, nothing in a query).
   */
  async submit(kind: JobKind, input: unknown, fieldPrefix = 'payload', options: SubmitOptions = {}): Promise<Job> {
    const { entry, payload: checked, maxAttempts } = this.validate(kind, input, fieldPrefix, options.maxAttempts);
    if (!options.admitted) await this.options.admission?.admit(kind);
    const id = options.id ?? randomUUID();
    const now = toRfc3339(Date.now());
    const payload = entry.resolve(checked, id, this.options.defaults);
    const { status, publisher } = this.options;
    const origin = options.origin ?? {};
    const seed = { id, kind, type: kindType(kind), payload: shownPayload(kind, payload), created_at: now, max_attempts: maxAttempts, ...origin };
    const message: JobMessage = {
      v: JOB_MESSAGE_VERSION,
      uuid: id,
      type: kindType(kind),
      extra_data: payload,
      kind,
      created_at: now,
      attempt: 1,
      max_attempts: maxAttempts,
      ...origin,
    };
    if (origin.run_at !== undefined && Date.parse(origin.run_at) > Date.now()) {
      if (!this.options.delayed) throw new Error('this console keeps no scheduled jobs');
      return (await this.options.delayed.schedule({ ...message, run_at: origin.run_at }, seed, secretOf(payload))).job!;
    }
    const created = await status.create(seed, secretOf(payload));
    try {
      await publisher.publish(message);
    } catch (error) {
      // A worker already took the message the broker did not confirm in time: it was accepted.
      const taken = await this.withdraw(id, error as Error);
      if (taken) return taken;
      throw error;
    }
    // `exists` too is this write: the ID is new, so only a resend of it (its reply lost on a cut
    // connection, and the client sent it again) can have found the job there.
    return created.job!;
  }

  /**
   * Checks a job as `submit` would, creating nothing: its kind's entry, the payload (its schema's
   * defaults in) and its limit of attempts; throws a ValidationError naming each bad field.
   */
  validate(kind: JobKind, input: unknown, fieldPrefix = 'payload', maxAttempts?: number): { entry: KindEntry; payload: Record<string, unknown>; maxAttempts: number } {
    const entry = this.kinds.get(kind);
    if (!entry) {
      throw new ValidationError([{ field: 'kind', rule: 'enum', message: `kind ${kind} is an unknown kind: must be one of ${this.kinds.describe()}` }]);
    }
    const verdict = this.checkPayload(entry, input ?? {}, fieldPrefix);
    if ('errors' in verdict) throw new ValidationError(verdict.errors);
    return { entry, payload: verdict.payload, maxAttempts: this.checkMaxAttempts(maxAttempts, entry) };
  }

  /** A payload checked by its kind's schema, then its URLs by the outbound policy; errors name `<prefix>.<field>`. */
  checkPayload(entry: KindEntry, input: unknown, prefix: string): PayloadVerdict {
    const verdict = entry.check(input, prefix);
    const { outbound } = this.options;
    if ('errors' in verdict || !outbound || !entry.urlFields) return verdict;
    const urls = Object.fromEntries(entry.urlFields.map((field) => [[prefix, field].filter(Boolean).join('.'), verdict.payload[field]]));
    const errors = outbound.fieldErrors(urls);
    return errors.length > 0 ? { errors } : verdict;
  }

  /**
   * The origin of a job that runs `replayOf` again: the job must exist (in Redis or the history)
   * and be of `kind`, else a ReplayOriginError. No origin when `replayOf` is left out.
   */
  async replayOrigin(kind: JobKind, replayOf: string | undefined): Promise<JobOrigin> {
    if (replayOf === undefined) return {};
    const original = await this.get(replayOf);
    if (!original) throw new ReplayOriginError(replayOf, 'exists', `replay_of names no job: there is no job with id ${replayOf}`);
    if (original.kind !== kind) {
      throw new ReplayOriginError(replayOf, 'kind', `replay_of must name a job of kind ${kind}: job ${replayOf} is of kind ${original.kind}`);
    }
    return { replay_of: original.id };
  }

  /** `POST /api/v1/jobs/validate`: the payload as a job would get it (defaults resolved), or the 400. */
  dryRun(kind: JobKind, input: unknown, maxAttempts?: number): { valid: true; kind: JobKind; payload: ResolvedPayload } {
    const { entry, payload } = this.validate(kind, input, 'payload', maxAttempts);
    return { valid: true, kind, payload: shownPayload(kind, entry.resolve(payload, randomUUID(), this.options.defaults)) };
  }

  /**
   * The freshest state: Redis while it holds the job, the history after — or while Redis is down
   * or slow: a read Redis does not answer within half a second falls back to the history.
   */
  async get(id: string): Promise<Job | null> {
    const cached = await within(this.options.status.read(id).catch(() => null), STATUS_READ_TIMEOUT_MS, null);
    return cached ?? (await this.options.history.get(id));
  }

  /**
   * `GET /api/v1/jobs/<id>`: the job and where its time went. The log and the deliveries are read
   * within half a second each; one that does not answer is left out (the timing's notes say so).
   */
  async read(id: string): Promise<JobRead | null> {
    // The log is read beside the job, both bounded from now: with Redis away the answer still
    // comes from the history within the read's half second, not after a second wait for the log.
    const { logs } = this.options;
    const logLines = logs && within(logs.read(id).catch(() => null), TIMING_SOURCE_TIMEOUT_MS, null);
    const job = await this.get(id);
    if (!job) return null;
    const timing = await readJobTiming(job, { logs: logLines && { read: () => logLines }, deliveries: this.options.deliveries });
    return { ...job, timing };
  }

  list(query: JobListQuery): Promise<Page<Job>> {
    return this.options.history.list(query);
  }

  /**
   * An operator's retry of a FAILED or CANCELLED job: QUEUED again with its budget of attempts
   * renewed, and a fresh message published (confirmed) for its next attempt. The job's old
   * message is not republished (its dead letter, if it had one, is requeued through here); were
   * it shovelled back, the worker would find it stale and ack it unrun. Should the broker refuse, the job is set back to
   * the status it had.
   */
  async retry(id: string): Promise<Job> {
    const job = await this.known(id);
    if (!this.kinds.get(job.kind)) throw new RemovedKindError(job);
    await this.retryGuard?.(job);
    await this.options.admission?.admit(job.kind);
    const reply = await this.transition(job, 'retry', RETRYABLE_STATUSES, 'QUEUED');
    // The secret is not in the job anyone sees; Redis keeps it aside while it holds the job.
    const secret = await this.options.status.callbackSecret(id);
    const message = toMessage(reply);
    if (secret) message.extra_data = { ...message.extra_data, secret } as ResolvedPayload;
    try {
      await this.options.publisher.publish({ ...message, attempt: reply.attempts + 1 });
    } catch (error) {
      await this.options.status.undoRetry(id, job.status).catch(() => undefined);
      throw error;
    }
    return reply;
  }

  /**
   * An operator's cancel. A QUEUED or RETRYING job is CANCELLED at once: its message stays where
   * it is (the kind's queue or a retry queue); the worker that gets it finds the job terminal and
   * acks it without running it. A STARTED or IN PROGRESS job's worker is asked to stop its
   * handler (see {@link cancelRunning}): the answer says whether it ended CANCELLED within a
   * short wait or is still stopping; a CancelRefusedError when it finished regardless.
   */
  async cancel(id: string): Promise<CancelAnswer> {
    let job = await this.known(id);
    if (RUNNING_STATUSES.includes(job.status)) {
      const asked = await cancelRunning(this.options.status, job);
      if (!('stopped' in asked)) return asked;
      job = asked.stopped;
    }
    if (!CANCELLABLE_STATUSES.includes(job.status)) throw new JobStatusConflictError(job, 'cancel', CANCELLABLE_STATUSES);
    const move = () => this.transition(job, 'cancel', WAITING_STATUSES, 'CANCELLED');
    // A SCHEDULED job's wait goes with its cancel, or neither (PostgreSQL down: 503, still SCHEDULED).
    const { delayed } = this.options;
    const cancelled = job.status === 'SCHEDULED' && delayed ? await delayed.cancel(id, move) : await move();
    return { outcome: 'cancelled', job: cancelled };
  }

  /**
   * An operator's run-now of a SCHEDULED job: QUEUED and published at once (its wait dropped);
   * a JobStatusConflictError in any other status.
   */
  async runNow(id: string): Promise<Job> {
    const job = await this.known(id);
    if (job.status !== 'SCHEDULED' || !this.options.delayed) throw new JobStatusConflictError(job, 'run-now', SCHEDULED_STATUSES);
    const moved = await this.options.delayed.runNow(id);
    if (moved) return moved;
    // Promoted (or cancelled) meanwhile: its wait was gone when the claim got it.
    const now = await this.known(id);
    throw new JobStatusConflictError(now, 'run-now', SCHEDULED_STATUSES);
  }

  /** A job's log lines, oldest first; null when there is no such job. */
  async logs(id: string): Promise<JobLogLine[] | null> {
    if (!(await this.get(id))) return null;
    return this.options.logs?.read(id) ?? [];
  }

  private async known(id: string): Promise<Job> {
    const job = await this.get(id);
    if (!job) throw new UnknownJobError(id);
    return job;
  }

  /** Moves a job on if it is in one of `allowed`, checked atomically in Redis (seeded from `job`). */
  private async transition(
    job: Job,
    action: 'retry' | 'cancel',
    allowed: readonly JobStatus[],
    to: 'QUEUED' | 'CANCELLED',
  ): Promise<Job> {
    if (!allowed.includes(job.status)) throw new JobStatusConflictError(job, action, allowed);
    const reply = await this.options.status.operatorMove(job, allowed, to);
    if (reply.outcome === 'conflict') throw new JobStatusConflictError(reply.job ?? job, action, allowed);
    return reply.job!;
  }

  /** The kind's `max_attempts` in the kinds file, else `JOBDECK_MAX_ATTEMPTS`; a job may ask for fewer. */
  private checkMaxAttempts(requested: number | undefined, entry: KindEntry): number {
    const ownLimit = entry.definition.max_attempts;
    const limit = ownLimit ?? this.options.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts;
    if (requested === undefined) return limit;
    if (requested > limit) {
      const source = ownLimit === undefined ? 'JOBDECK_MAX_ATTEMPTS' : `the kind's max_attempts`;
      throw new ValidationError([{ field: 'max_attempts', rule: 'max', message: `max_attempts must be at most ${limit} (${source})` }]);
    }
    return requested;
  }

  /**
   * Ends an unconfirmed job CANCELLED while it is still QUEUED; returns the job instead when a
   * worker has already taken its message (the broker had it, the confirm was what got lost).
   */
  private async withdraw(id: string, reason: Error): Promise<Job | null> {
    const reply = await this.options.status.withdraw(id, `${NOT_ACCEPTED}${reason.message}`).catch(() => null);
    return reply?.outcome === 'conflict' && reply.job && reply.job.status !== 'CANCELLED' ? reply.job : null;
  }
}

/** How the error of a job withdrawn unconfirmed (its submit failed) begins. */
export const NOT_ACCEPTED = 'not accepted: ';

/** Whether a job is one its submit withdrew (the broker never confirmed it): it never ran, nor will. */
export function wasNotAccepted(job: Pick<Job, 'status' | 'error'>): boolean {
  return job.status === 'CANCELLED' && (job.error ?? '').startsWith(NOT_ACCEPTED);
}

/** A kind B payload's signing secret, if it gives one. */
function secretOf(payload: ResolvedPayload): string | undefined {
  return 'secret' in payload && typeof payload.secret === 'string' ? payload.secret : undefined;
}

function toMessage(job: Job): JobMessage {
  return {
    v: JOB_MESSAGE_VERSION,
    uuid: job.id,
    type: job.type,
    extra_data: job.payload,
    kind: job.kind,
    created_at: job.created_at,
    max_attempts: job.max_attempts,
    ...originOf(job),
  };
}
