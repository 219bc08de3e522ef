import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import amqp from 'amqplib';
import { withHeartbeat } from '../src-shared/node/amqp-heartbeat';
import { redactText } from '../src-shared/redact';
import { coalesceFrameWrites } from '../src-shared/node/amqp-write-coalescing';
import type { JobKind } from '../src-shared/kinds';
import type { Job } from '../src-shared/job';
import type { AttemptRun, JobSeed, JobStatusClient, WriteReply } from '../src-shared/node/status-store';
import { shownPayload } from '../src-shared/schemas';
import { toRfc3339 } from '../src-shared/time';
import { declareTopology, type Names } from '../src-shared/topology';
import { parseJobMessage, payloadError, type JobMessage } from '../src-shared/wire';
import type { WorkerToMainMessage } from '../src-shared/worker-protocol';
import { chooseRetryDelay, retryLadder, type RetryPolicy } from '../src-shared/retry-policy';
import type { JobHandler } from './handlers/handler';
import { isPermanentFailure } from './permanent-failure';
import { publishConfirmed, publishJobConfirmed } from './job-publishing';
import { sleep, within } from './waits';

const CONNECT_TIMEOUT_MS = 5_000;

export interface WorkerProcessOptions {
  amqpUrl: string;
  names: Names;
  kinds: readonly JobKind[];
  prefetch: number;
  /** A kind's own prefetch, where it differs (kind A: a wide window its records are grouped from). */
  prefetchByKind?: Partial<Record<JobKind, number>>;
  status: JobStatusClient;
  handlers: Partial<Record<JobKind, JobHandler>>;
  /** Must match the console's: it names the retry queues both declare. */
  retry: RetryPolicy;
  /** Tells the supervising console what happens (a no-op when run by hand). */
  report: (message: WorkerToMainMessage) => void;
  /**
   * Called when the broker connection is lost and the worker does not reconnect by itself
   * (`reconnect` unset): the process should exit and be restarted.
   */
  onConnectionLost: (reason: string, curable: boolean) => void;
  /** Reconnects with backoff after a lost connection instead of calling `onConnectionLost`. */
  reconnect?: boolean;
  log: (line: string) => void;
}

/** One connection to the broker and what runs on it; its jobs stop when it is lost. */
interface Session {
  connection: amqp.ChannelModel;
  channel: amqp.Channel;
  publishChannel: amqp.ConfirmChannel;
  consumerTags: string[];
  /** Aborted when the session is lost or the worker stops: the broker has given its jobs back. */
  abort: AbortController;
}

/** Backoff between two reconnects: doubling from the first to the last. */
export const RECONNECT_FIRST_MS = 500;
export const RECONNECT_MAX_MS = 15_000;

/**
 * One worker process's consume loop: takes jobs of its kinds with manual ack and a bounded
 * prefetch (several in flight), moves each STARTED → IN PROGRESS → DONE, RETRYING or FAILED in
 * Redis and on the event stream, and acks only after the final status is written. A failed
 * attempt's message is first put, confirmed, in a retry queue of the ladder (or, after the last
 * attempt, in the kind's dead-letter queue); then the status; then the ack. A crash in between
 * leaves a copy too many, never one too few: the status store tells a stale copy (see
 * `WriteJob.startAttempt`) and the worker acks it unrun.
 */
export class WorkerProcess {
  private session: Session | null = null;
  private readonly ladder: number[];
  private readonly inFlight = new Set<Promise<void>>();
  /** Aborted when the worker stops at once: every session's jobs and the reconnect waits. */
  private readonly abort = new AbortController();
  private readonly workerId = `${hostname()}/${process.pid}`;
  private stopping = false;

  constructor(private readonly options: WorkerProcessOptions) {
    this.ladder = retryLadder(options.retry);
  }

  /**
   * Connects and consumes. Throws when the first connection fails, unless the worker reconnects
   * by itself: then it retries with backoff (and throws only for what retrying cannot cure).
   */
  async start(): Promise<void> {
    try {
      this.session = await this.connect();
    } catch (error) {
      if (!this.options.reconnect || isIncurableAmqpError(error as Error)) throw error;
      const reason = redactText((error as Error).message);
      this.options.log(`RabbitMQ unreachable (${reason}); retrying with backoff up to ${RECONNECT_MAX_MS / 1000} s`);
      // Returns once connected, or told to stop (then with no session: nothing to consume).
      await this.reconnect(true);
    }
  }

  private async connect(): Promise<Session> {
    const { names, kinds } = this.options;
    const connection = await amqp.connect(withHeartbeat(this.options.amqpUrl), {
      timeout: CONNECT_TIMEOUT_MS,
      noDelay: true, // acks go out at once, not held back by Nagle's algorithm
      clientProperties: { connection_name: names.connectionName(`worker:${kinds.join('+')}:${process.pid}`) },
    });
    coalesceFrameWrites(connection);
    const abort = new AbortController();
    // Any loss (connection, channel, or the broker cancelling a consumer) ends the session. The
    // broker has already put its unacked jobs back for another worker: they stop here now, or
    // their effects would happen twice.
    let lostOnce = false;
    const lost = (what: string) => (): void => {
      if (lostOnce) return;
      lostOnce = true;
      abort.abort();
      void connection.close().catch(() => undefined);
      if (!this.stopping) this.onSessionLost(what);
    };
    connection.on('error', () => undefined);
    connection.on('close', lost('RabbitMQ connection closed'));
    try {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      channel.on('close', lost('RabbitMQ channel closed'));
      await declareTopology(channel, names, kinds, this.ladder);
      const publishChannel = await connection.createConfirmChannel();
      publishChannel.on('error', () => undefined);
      publishChannel.on('close', lost('RabbitMQ publishing channel closed'));
      const session: Session = { connection, channel, publishChannel, consumerTags: [], abort };
      for (const kind of kinds) {
        // Per consumer (RabbitMQ's basic.qos without global): it applies to the consume below.
        await channel.prefetch(this.options.prefetchByKind?.[kind] ?? this.options.prefetch);
        const { consumerTag } = await channel.consume(names.queue(kind), (message) => {
          if (message) this.track(this.handle(session, message));
          else lost(`RabbitMQ cancelled the consumer of ${names.queue(kind)}`)();
        });
        session.consumerTags.push(consumerTag);
      }
      return session;
    } catch (error) {
      lostOnce = true;
      await connection.close().catch(() => undefined);
      throw error;
    }
  }

  private onSessionLost(reason: string): void {
    this.session = null;
    if (!this.options.reconnect) {
      this.options.onConnectionLost(reason, true);
      return;
    }
    this.options.log(`${reason}; jobs in hand stopped (the broker gives them back); reconnecting`);
    void this.reconnect(false);
  }

  /** Connects again with backoff until it works or the worker stops; one line per state change. */
  private async reconnect(alreadySaid: boolean): Promise<void> {
    let unreachable = alreadySaid;
    let waitMs = RECONNECT_FIRST_MS;
    while (!this.stopping) {
      await sleep(waitMs, this.abort.signal);
      if (this.stopping) return;
      try {
        const session = await this.connect();
        if (this.stopping) {
          await session.connection.close().catch(() => undefined);
          return;
        }
        this.session = session;
        this.options.log(`RabbitMQ connected again; consuming ${this.options.kinds.map(this.options.names.queue).join(', ')}`);
        return;
      } catch (error) {
        const message = redactText((error as Error).message);
        if (isIncurableAmqpError(error as Error)) {
          this.options.onConnectionLost(`RabbitMQ refused the connection for good: ${message}`, false);
          return;
        }
        // One line per outage, whatever each try answers.
        if (!unreachable) this.options.log(`RabbitMQ unreachable (${message}); retrying with backoff up to ${RECONNECT_MAX_MS / 1000} s`);
        unreachable = true;
        waitMs = Math.min(waitMs * 2, RECONNECT_MAX_MS);
      }
    }
  }

  /**
   * Stops taking messages and lets the jobs in hand finish for up to `graceMs`; then aborts the
   * rest (they go back to the queue) and disconnects, within `graceMs` more at the most.
   */
  async close(graceMs: number): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const session = this.session;
    for (const tag of session?.consumerTags ?? []) await session?.channel.cancel(tag).catch(() => undefined);
    await within(Promise.all(this.inFlight), graceMs);
    this.abort.abort();
    session?.abort.abort();
    await within(Promise.all(this.inFlight), graceMs);
    // Closing the channel first makes the broker take its last acks: a connection closed right
    // after an ack can lose it, and the job would be delivered again.
    await session?.channel.close().catch(() => undefined);
    await session?.publishChannel.close().catch(() => undefined);
    await session?.connection.close().catch(() => undefined);
  }

  /** How many jobs this worker holds now. */
  get jobsInHand(): number {
    return this.inFlight.size;
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: Error) => this.options.log(`unexpected: ${redactText(error.message)}`));
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  private async handle(session: Session, message: amqp.ConsumeMessage): Promise<void> {
    const { channel } = session;
    const parsed = parseJobMessage(message.content.toString('utf8'));
    if ('error' in parsed) {
      await this.deadLetterMalformed(session, message, parsed.error, undefined);
      return;
    }
    const missing = payloadError(parsed.kind, parsed.extra_data as Record<string, unknown>);
    if (missing) {
      await this.deadLetterMalformed(session, message, missing, parsed.uuid);
      return;
    }
    let outcome: JobOutcome;
    try {
      outcome = await this.runJob(session, parsed, message.fields.redelivered);
    } catch (error) {
      // The status could not be written (Redis unreachable), the connection was lost or the worker
      // is stopping: the job goes back to the queue, after a pause so an outage does not become a
      // hot loop.
      this.options.log(`job ${parsed.uuid}: ${redactText((error as Error).message)}; returning it to the queue`);
      if (!session.abort.signal.aborted) await sleep(REQUEUE_DELAY_MS, session.abort.signal);
      settle(() => channel.nack(message, false, true));
      this.options.report({ type: 'job-returned', jobId: parsed.uuid });
      return;
    }
    settle(() => channel.ack(message));
    if (outcome === 'stale') this.options.log(`job ${parsed.uuid}: dropped a stale copy of attempt ${parsed.attempt}`);
    if (outcome === 'superseded') {
      this.options.log(`job ${parsed.uuid}: another worker took it over; this run's final status not written`);
      this.options.report({ type: 'job-returned', jobId: parsed.uuid });
    }
    if (outcome === 'done' || outcome === 'failed' || outcome === 'retrying') {
      this.options.report({ type: 'job-finished', jobId: parsed.uuid, ok: outcome === 'done' });
    }
  }

  /**
   * A message that is not a job this version can run goes, as it is, to the dead-letter queue of
   * the kind it was routed as (with the reason in `x-jobdeck-error`), so an operator can inspect
   * it; it is dropped only when that queue cannot take it. A job that exists under the message's
   * ID (its payload is what was wrong) ends FAILED with the reason.
   */
  private async deadLetterMalformed(
    session: Session,
    message: amqp.ConsumeMessage,
    reason: string,
    jobId: string | undefined,
  ): Promise<void> {
    const kind = this.options.kinds.find((k) => k === message.fields.routingKey);
    try {
      if (!kind) throw new Error('no dead-letter queue for it');
      await publishConfirmed(session.publishChannel, this.options.names.deadQueue(kind), message.content, {
        ...message.properties,
        headers: { ...message.properties.headers, 'x-jobdeck-error': `not a job: ${reason}` },
      });
      this.options.log(`dead-lettered a message that is not a job: ${reason}`);
    } catch (error) {
      this.options.log(`dropping a message that is not a job (${reason}): ${(error as Error).message}`);
    }
    if (jobId) await this.failMalformedJob(session, jobId, reason);
    settle(() => session.channel.ack(message));
  }

  /** FAILED with the reason, if Redis holds a live job of that ID; best effort. */
  private async failMalformedJob(session: Session, jobId: string, reason: string): Promise<void> {
    const write = (): Promise<WriteReply> => this.options.status.rejectMalformed(jobId, this.workerId, `not a job: ${reason}`);
    await this.persist(session, write).catch(() => undefined);
  }

  /**
   * Runs one job through its statuses. Throws (so the job is requeued) when its start cannot be
   * written, the connection was lost or the worker is stopping; a handler's failure is the job's,
   * and is retried or ends it FAILED. Progress is best effort; the final status is written until
   * Redis takes it, with the message in hand, so a Redis outage neither leaves the job in a stale
   * live status nor has its effect done again. Every write after the start names the start
   * (`run.holder`): once another worker restarted the job, they are refused (`superseded`).
   */
  private async runJob(session: Session, job: JobMessage, redelivered: boolean): Promise<JobOutcome> {
    const signal = session.abort.signal;
    const { status } = this.options;
    const run: AttemptRun = { worker: this.workerId, seed: seedOf(job) };
    const token = randomUUID();
    // Kept aside again should Redis have lost the job (the seed shows no secret).
    const secret = (job.extra_data as { secret?: unknown }).secret;
    const callbackSecret = typeof secret === 'string' ? secret : undefined;
    const started = await status.startAttempt(run, { attempt: job.attempt, redelivered, token, callbackSecret });
    if (started.outcome === 'terminal') return 'skipped';
    if (started.outcome === 'stale') return 'stale';
    run.holder = { token, attempt: started.job!.attempts };
    this.options.report({ type: 'job-started', jobId: job.uuid });
    if (started.job!.attempts > started.job!.max_attempts) {
      // Rerun after its worker died on the last attempt: a job that kills its workers ends here.
      const spent = new Error(`not run again: its ${started.job!.max_attempts} attempts are spent`);
      return this.failAttempt(session, job, started.job!, spent, run);
    }
    const progress = (percent: number): Promise<void> =>
      status.progress(run, percent).then(
        () => undefined,
        (error: Error) => this.options.log(`job ${job.uuid}: progress not recorded (${error.message})`),
      );
    const handler = this.options.handlers[job.kind];
    let result: Record<string, unknown>;
    try {
      if (!handler) throw new Error(`this worker has no handler for kind ${job.kind}`);
      result = await handler.run({ job, reportProgress: progress, signal });
    } catch (error) {
      if (signal.aborted) throw error;
      return this.failAttempt(session, job, started.job!, error as Error, run);
    }
    // The effect happened: DONE is written even if the connection was lost meanwhile (the job
    // then stays done instead of being run again), unless another worker has restarted it.
    const done = await this.persist(session, () => status.finish(run, { result }));
    return done.outcome === 'superseded' ? 'superseded' : 'done';
  }

  /**
   * After a failed attempt: the message goes, confirmed, to the retry rung its attempt count
   * picks, or to the dead-letter queue after the last attempt or a permanent failure; then the
   * status says RETRYING (with the time of the next attempt) or FAILED. The retry's message may
   * start before that write lands (the status store lets it); the late write is then refused.
   * Nothing is published once the connection was lost: the broker gives the job back, and its
   * next holder runs it again.
   */
  private async failAttempt(
    session: Session,
    message: JobMessage,
    job: Job,
    error: Error,
    run: AttemptRun,
  ): Promise<JobOutcome> {
    if (session.abort.signal.aborted) throw new Error('RabbitMQ connection lost before the failure was recorded');
    const channel = session.publishChannel;
    const { names, status } = this.options;
    const reason = redactText(error.message || String(error));
    const maxAttempts = job.max_attempts || this.options.retry.maxAttempts;
    const permanent = isPermanentFailure(error);
    if (permanent || job.attempts >= maxAttempts) {
      const why = permanent
        ? 'a failure no retry can cure'
        : `attempt ${Math.min(job.attempts, maxAttempts)} of ${maxAttempts}`;
      await publishJobConfirmed(channel, names.deadQueue(message.kind), message, {
        headers: { 'x-jobdeck-error': reason, 'x-jobdeck-attempts': job.attempts },
      });
      const failed = await this.persist(session, () => status.finish(run, { failure: reason }));
      if (failed.outcome === 'superseded') return 'superseded';
      this.options.log(`job ${message.uuid}: failed for good after ${why}: ${reason}`);
      return 'failed';
    }
    const { rungMs, delayMs } = chooseRetryDelay(this.ladder, job.attempts);
    await publishJobConfirmed(channel, names.retryQueue(message.kind, rungMs), { ...message, attempt: job.attempts + 1 }, {
      expirationMs: delayMs,
    });
    const nextAttemptAt = toRfc3339(Date.now() + delayMs);
    const retrying = await this.persist(session, () => status.retryLater(run, reason, nextAttemptAt));
    return retrying.outcome === 'superseded' ? 'superseded' : 'retrying';
  }

  /**
   * Writes a final status until Redis takes it; gives up (throws) only when the connection is
   * lost or the worker stops.
   */
  private async persist(session: Session, write: () => Promise<WriteReply>): Promise<WriteReply> {
    for (;;) {
      try {
        return await write();
      } catch (error) {
        if (session.abort.signal.aborted) throw error;
        this.options.log(`status not written (${(error as Error).message}); trying again in ${REQUEUE_DELAY_MS} ms`);
        await sleep(REQUEUE_DELAY_MS, session.abort.signal);
      }
    }
  }
}

/**
 * The job as its message knows it, for when Redis does not hold it (expired, or restarted
 * empty): with the attempts made before this one and its own limit, so neither is reset.
 */
function seedOf(job: JobMessage): JobSeed {
  return {
    id: job.uuid,
    kind: job.kind,
    type: job.type,
    payload: shownPayload(job.extra_data),
    created_at: job.created_at,
    ...(job.attempt !== undefined ? { attempts: job.attempt - 1 } : {}),
    ...(job.max_attempts !== undefined ? { max_attempts: job.max_attempts } : {}),
  };
}

type JobOutcome = 'done' | 'failed' | 'retrying' | 'skipped' | 'stale' | 'superseded';

const REQUEUE_DELAY_MS = 1_000;

/** Connection failures retrying cannot cure: a URL that is not AMQP, credentials or vhost refused. */
export function isIncurableAmqpError(error: Error): boolean {
  return /Expected amqps?: as the protocol|ACCESS[-_]REFUSED|NOT[-_]ALLOWED/i.test(error.message);
}

/** Acks and nacks on a channel that closed meanwhile throw; the broker requeues those itself. */
function settle(send: () => void): void {
  try {
    send();
  } catch {
    // The channel is gone: its unacked messages return to the queue without our help.
  }
}
