import type { Job } from '../job';
import type { ScriptRunner } from './lua-script';
import { RUNNING_STATUSES, type JobStatus } from '../statuses';
import { StatusScript, type JobSeed, type JobWrite, type StatusLimits, type WriteReply } from './status-script';
import { toRfc3339 } from '../time';
import type { Names } from '../topology';

export {
  JOB_HASH_FIELDS,
  WORKER_LOST_ERROR,
  type JobSeed,
  type StatusLimits,
  type WriteGuard,
  type WriteOutcome,
  type WriteReply,
} from './status-script';

/**
 * A worker's run of one attempt: who writes, the job as its message knows it (for when Redis
 * lost it), and — once its start is written — the start that holds the job.
 */
export interface AttemptRun {
  worker: string;
  seed: JobSeed;
  /** Set once the start is written: every later write of the run names it (see `superseded`). */
  holder?: { token: string; attempt: number };
}

/** How a worker starts an attempt. */
export interface AttemptStart {
  /** The attempt its message carries; a message without one has its attempt counted unchecked. */
  attempt: number | undefined;
  /** The message was redelivered (its previous holder died or gave it back). */
  redelivered: boolean;
  /** Names this start (one per delivery), so a start resent after a lost reply is not `stale`. */
  token: string;
  /** A kind B job's signing secret, kept aside again should Redis have lost the job. */
  callbackSecret?: string;
}

/** The end of an attempt: its result, or why it failed for good. */
export type AttemptEnd = { result: Record<string, unknown> } | { failure: string };

/** The part of an ioredis client the status client uses (structural, so this file stays pure). */
export interface RedisScriptHost extends ScriptRunner {
  xadd(key: string, ...args: string[]): Promise<string | null>;
  del(key: string): Promise<number>;
  hget(key: string, field: string): Promise<string | null>;
}

const now = (): string => toRfc3339(Date.now());

/**
 * Job status in Redis, as the console and the workers read and write it. Each write is a named
 * operation that builds its change privately, so the combinations the script is given are
 * these and no others. Every write appends its event to the stream.
 */
export class JobStatusClient {
  private readonly script: StatusScript;

  constructor(
    private readonly redis: RedisScriptHost,
    private readonly names: Names,
    private readonly limits: StatusLimits,
  ) {
    this.script = new StatusScript(redis, names, limits);
  }

  /**
   * A new job, QUEUED (or SCHEDULED, waiting for its `run_at`) at its `created_at`; `exists` (with the job as it is) when one of its ID is
   * there already.
   */
  create(seed: JobSeed, callbackSecret: string | undefined, status: 'QUEUED' | 'SCHEDULED' = 'QUEUED'): Promise<WriteReply> {
    const change = { status, guard: 'create', seed, callbackSecret } as const;
    return this.script.write(seed.id, { ...change, at: seed.created_at, worker: 'api', emit: true });
  }

  /**
   * An operator's retry (QUEUED, with its budget of attempts renewed and its outcome cleared) or
   * cancel of a job in one of `from`; `conflict` otherwise. Redis is seeded from `job`.
   */
  operatorMove(job: Job, from: readonly JobStatus[], to: 'QUEUED' | 'CANCELLED'): Promise<WriteReply> {
    const { id, kind, type, payload, created_at, max_attempts, attempts, attempt_errors, transitions, error, result, progress } = job;
    const seed = { id, kind, type, payload, created_at, max_attempts, attempts, attempt_errors, transitions, error, result, progress };
    const change = to === 'QUEUED' ? { resetBudget: true, progress: 0, result: null, error: null } : {};
    return this.byApi(id, { status: to, ...change, guard: 'any', onlyFrom: from, seed });
  }

  /**
   * An operator's cancel of a job that is STARTED or IN PROGRESS: the job is marked and its
   * workers told at once (pub/sub); its status stays until the worker has stopped the handler
   * (see {@link cancelledRunning}). `conflict`, with the job, when it is no longer running.
   */
  requestCancel(job: Job): Promise<WriteReply> {
    return this.byApi(job.id, { status: job.status, requestCancel: true, guard: 'live', onlyFrom: RUNNING_STATUSES });
  }

  /** CANCELLED by the worker whose handler stopped on an operator's cancel. */
  cancelledRunning(run: AttemptRun): Promise<WriteReply> {
    const error = `cancelled by an operator while attempt ${run.holder?.attempt ?? '?'} ran; its handler stopped`;
    return this.byWorker(run, { status: 'CANCELLED', error });
  }

  /**
   * A SCHEDULED job come due (or run now by an operator): QUEUED. `conflict`, with the job, when
   * it is no longer SCHEDULED (cancelled, or promoted already); `terminal` once it ended. Seeded
   * from `seed` when Redis lost it (restarted empty): the promoter holds the job's message.
   */
  promote(seed: JobSeed): Promise<WriteReply> {
    return this.byApi(seed.id, { status: 'QUEUED', guard: 'live', onlyFrom: ['SCHEDULED'], seed });
  }

  /** Undoes an operator's retry the broker refused: back to `previous` while the job is still QUEUED. */
  undoRetry(id: string, previous: JobStatus): Promise<WriteReply> {
    return this.byApi(id, { status: previous, guard: 'any', onlyFrom: ['QUEUED'] });
  }

  /**
   * CANCELLED with `error` while still QUEUED (its message was not accepted) or SCHEDULED (its
   * wait was not recorded); `conflict`, with the job, once a worker took it — a message taken
   * without a confirm may already run.
   */
  withdraw(id: string, error: string): Promise<WriteReply> {
    return this.byApi(id, { status: 'CANCELLED', guard: 'any', onlyFrom: ['QUEUED', 'SCHEDULED'], error });
  }

  /**
   * CANCELLED because an operator purged its message: from QUEUED or RETRYING, or from any live
   * status when the message was redelivered (its worker died or gave it back).
   */
  purged(seed: JobSeed, redelivered: boolean): Promise<WriteReply> {
    const onlyFrom: JobStatus[] | undefined = redelivered ? undefined : ['QUEUED', 'RETRYING'];
    const error = 'purged from the queue by an operator';
    return this.byApi(seed.id, { status: 'CANCELLED', guard: 'live', onlyFrom, error, seed });
  }

  /**
   * A worker's start of an attempt, then IN PROGRESS at 0 % in the same call (two transitions
   * and two events) unless its attempts are spent; `stale` when the job waits for no such start.
   */
  startAttempt(run: AttemptRun, start: AttemptStart): Promise<WriteReply> {
    const counted =
      start.attempt === undefined ? { addAttempt: true } : { startAttempt: start.attempt, redelivered: start.redelivered };
    const secret = start.callbackSecret === undefined ? {} : { callbackSecret: start.callbackSecret };
    return this.byWorker(run, { status: 'STARTED', ...counted, startToken: start.token, progress: 0, thenInProgress: true, ...secret });
  }

  progress(run: AttemptRun, percent: number): Promise<WriteReply> {
    return this.byWorker(run, { status: 'IN PROGRESS', progress: percent });
  }

  /** DONE with its result, or FAILED for good with the attempt's error. */
  finish(run: AttemptRun, end: AttemptEnd): Promise<WriteReply> {
    if ('result' in end) return this.byWorker(run, { status: 'DONE', progress: 100, result: end.result, error: null });
    return this.byWorker(run, { status: 'FAILED', error: end.failure, attemptError: end.failure });
  }

  /**
   * QUEUED again, the run's attempt not counted, because its kind's own dependency was
   * unreachable (`why`); CANCELLED instead when an operator asked meanwhile. `expired` (nothing
   * written) once the job's first such outage is more than `maxWaitS` ago: the attempt then fails
   * as any other.
   */
  giveBack(run: AttemptRun, why: string, maxWaitS: number): Promise<WriteReply> {
    const note = `attempt ${run.holder?.attempt ?? '?'} given back, not counted: ${why}`;
    return this.byWorker(run, { status: 'QUEUED', progress: 0, giveBack: { maxWaitS, note } });
  }

  /** RETRYING after a failed attempt, its next one due at `nextAttemptAt`. */
  retryLater(run: AttemptRun, failure: string, nextAttemptAt: string): Promise<WriteReply> {
    return this.byWorker(run, { status: 'RETRYING', error: failure, attemptError: failure, nextAttemptAt });
  }

  /** FAILED because its message is not a job this version can run, if the job is QUEUED or RETRYING. */
  rejectMalformed(id: string, worker: string, error: string): Promise<WriteReply> {
    const change = { status: 'FAILED', guard: 'live', onlyFrom: ['QUEUED', 'RETRYING'], error, attemptError: error } as const;
    return this.script.write(id, { ...change, at: now(), worker, emit: true });
  }

  /** The kind B job's signing secret while Redis holds the job; null when it has none. */
  async callbackSecret(id: string): Promise<string | null> {
    return this.redis.hget(this.names.jobKey(id), 'callback_secret');
  }

  read(id: string): Promise<Job | null> {
    return this.script.read(id);
  }

  async remove(id: string): Promise<void> {
    await this.redis.del(this.names.jobKey(id));
  }

  /** Appends a job's state at `version` to the event stream; returns the event ID. */
  async announce(job: Job, version: number): Promise<string> {
    const { eventStream } = this.names;
    const maxLength = String(this.limits.streamMaxLength);
    const id = await this.redis.xadd(eventStream, 'MAXLEN', '~', maxLength, '*', 'version', String(version), 'job', JSON.stringify(job));
    return id ?? '';
  }

  private byApi(id: string, change: Omit<JobWrite, 'at' | 'worker' | 'emit'>): Promise<WriteReply> {
    return this.script.write(id, { ...change, at: now(), worker: 'api', emit: true });
  }

  /** A write of a worker's run: live jobs only, seeded from its message, naming its start once made. */
  private byWorker(run: AttemptRun, change: Pick<JobWrite, 'status'> & WorkerChange): Promise<WriteReply> {
    const holder = run.holder ? { holderToken: run.holder.token, holderAttempt: run.holder.attempt } : {};
    return this.script.write(run.seed.id, { ...holder, ...change, at: now(), worker: run.worker, guard: 'live', emit: true, seed: run.seed });
  }
}

type WorkerChange = Omit<JobWrite, 'at' | 'worker' | 'guard' | 'emit' | 'seed' | 'holderToken' | 'holderAttempt' | 'onlyFrom'>;
