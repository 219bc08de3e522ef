import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import amqp from 'amqplib';
import { withHeartbeat } from '../src-shared/amqp-heartbeat';
import { coalesceFrameWrites } from '../src-shared/amqp-write-coalescing';
import type { JobKind } from '../src-shared/kinds';
import type { Job } from '../src-shared/job';
import type { JobStatusClient, JobWrite, WriteReply } from '../src-shared/status-store';
import { shownPayload } from '../src-shared/schemas';
import { toRfc3339 } from '../src-shared/time';
import { declareTopology, type Names } from '../src-shared/topology';
import { parseJobMessage, type JobMessage } from '../src-shared/wire';
import type { WorkerToMainMessage } from '../src-shared/worker-protocol';
import { chooseRetryDelay, retryLadder, type RetryPolicy } from '../src-shared/retry-policy';
import type { JobHandler } from './handlers/handler';
import { isPermanentFailure } from './permanent-failure';
import { publishConfirmed, publishJobConfirmed } from './job-publishing';

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
  /** Called when the broker connection is lost: the process should exit and be restarted. */
  onConnectionLost: (reason: string) => void;
  log: (line: string) => void;
}

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
  private connection: amqp.ChannelModel | null = null;
  private channel: amqp.Channel | null = null;
  private publishChannel: amqp.ConfirmChannel | null = null;
  private readonly ladder: number[];
  private readonly consumerTags: string[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private readonly workerId = `${hostname()}/${process.pid}`;
  private stopping = false;

  constructor(private readonly options: WorkerProcessOptions) {
    this.ladder = retryLadder(options.retry);
  }

  async start(): Promise<void> {
    const { names, kinds } = this.options;
    const connection = await amqp.connect(withHeartbeat(this.options.amqpUrl), {
      timeout: CONNECT_TIMEOUT_MS,
      noDelay: true, // acks go out at once, not held back by Nagle's algorithm
      clientProperties: { connection_name: names.connectionName(`worker:${kinds.join('+')}:${process.pid}`) },
    });
    coalesceFrameWrites(connection);
    this.connection = connection;
    // Any loss (connection, channel, or the broker cancelling a consumer) ends this process; the
    // supervisor starts a fresh one, which redeclares the topology. Unacked jobs are redelivered.
    const lost = (what: string) => () => {
      // The broker has already put the unacked jobs back for another worker: stop them here now,
      // or their effects would happen twice.
      this.abort.abort();
      if (!this.stopping) this.options.onConnectionLost(what);
    };
    connection.on('error', () => undefined);
    connection.on('close', lost('RabbitMQ connection closed'));
    const channel = await connection.createChannel();
    this.channel = channel;
    channel.on('error', () => undefined);
    channel.on('close', lost('RabbitMQ channel closed'));
    await declareTopology(channel, names, kinds, this.ladder);
    const publishChannel = await connection.createConfirmChannel();
    this.publishChannel = publishChannel;
    publishChannel.on('error', () => undefined);
    publishChannel.on('close', lost('RabbitMQ publishing channel closed'));
    for (const kind of kinds) {
      // Per consumer (RabbitMQ's basic.qos without global): it applies to the consume below.
      await channel.prefetch(this.options.prefetchByKind?.[kind] ?? this.options.prefetch);
      const { consumerTag } = await channel.consume(names.queue(kind), (message) => {
        if (message) this.track(this.handle(channel, message));
        else lost(`RabbitMQ cancelled the consumer of ${names.queue(kind)}`)();
      });
      this.consumerTags.push(consumerTag);
    }
  }

  /**
   * Stops taking messages and lets the jobs in hand finish for up to `graceMs`; then aborts the
   * rest (they go back to the queue) and disconnects, within `graceMs` more at the most.
   */
  async close(graceMs: number): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const channel = this.channel;
    for (const tag of this.consumerTags) await channel?.cancel(tag).catch(() => undefined);
    await within(Promise.all(this.inFlight), graceMs);
    this.abort.abort();
    await within(Promise.all(this.inFlight), graceMs);
    // Closing the channel first makes the broker take its last acks: a connection closed right
    // after an ack can lose it, and the job would be delivered again.
    await channel?.close().catch(() => undefined);
    await this.publishChannel?.close().catch(() => undefined);
    await this.connection?.close().catch(() => undefined);
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: Error) => this.options.log(`unexpected: ${error.message}`));
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  private async handle(channel: amqp.Channel, message: amqp.ConsumeMessage): Promise<void> {
    const parsed = parseJobMessage(message.content.toString('utf8'));
    if ('error' in parsed) {
      await this.deadLetterMalformed(channel, message, parsed.error);
      return;
    }
    let outcome: JobOutcome;
    try {
      outcome = await this.runJob(parsed, message.fields.redelivered);
    } catch (error) {
      // The status could not be written (Redis unreachable) or the worker is stopping: the job
      // goes back to the queue, after a pause so an outage does not become a hot loop.
      this.options.log(`job ${parsed.uuid}: ${(error as Error).message}; returning it to the queue`);
      if (!this.abort.signal.aborted) await sleep(REQUEUE_DELAY_MS);
      settle(() => channel.nack(message, false, true));
      this.options.report({ type: 'job-returned', jobId: parsed.uuid });
      return;
    }
    settle(() => channel.ack(message));
    if (outcome === 'stale') this.options.log(`job ${parsed.uuid}: dropped a stale copy of attempt ${parsed.attempt}`);
    if (outcome !== 'skipped' && outcome !== 'stale') {
      this.options.report({ type: 'job-finished', jobId: parsed.uuid, ok: outcome === 'done' });
    }
  }

  /**
   * A message that is not a job this version understands goes, as it is, to the dead-letter
   * queue of the kind it was routed as (with the reason in `x-jobdeck-error`), so an operator can
   * inspect it; it is dropped only when that queue cannot take it.
   */
  private async deadLetterMalformed(channel: amqp.Channel, message: amqp.ConsumeMessage, reason: string): Promise<void> {
    const kind = this.options.kinds.find((k) => k === message.fields.routingKey);
    const publishChannel = this.publishChannel;
    try {
      if (!kind || !publishChannel) throw new Error('no dead-letter queue for it');
      await publishConfirmed(publishChannel, this.options.names.deadQueue(kind), message.content, {
        ...message.properties,
        headers: { ...message.properties.headers, 'x-jobdeck-error': `not a job: ${reason}` },
      });
      this.options.log(`dead-lettered a message that is not a job: ${reason}`);
    } catch (error) {
      this.options.log(`dropping a message that is not a job (${reason}): ${(error as Error).message}`);
    }
    settle(() => channel.ack(message));
  }

  /**
   * Runs one job through its statuses. Throws (so the job is requeued) when its start cannot be
   * written or the worker is stopping; a handler's failure is the job's, and is retried or ends it
   * FAILED. Progress is best effort; the final status is written until Redis takes it, with the
   * message in hand, so a Redis outage neither leaves the job in a stale live status nor has its
   * effect done again.
   */
  private async runJob(job: JobMessage, redelivered: boolean): Promise<JobOutcome> {
    const write = (change: StatusChange) =>
      this.options.status.write(job.uuid, {
        ...change,
        at: toRfc3339(Date.now()),
        worker: this.workerId,
        guard: 'live',
        emit: true,
        seed: seedOf(job),
      });
    // STARTED, then IN PROGRESS at 0 %: two transitions and two events, written in one call.
    const start: StatusChange =
      job.attempt === undefined
        ? { status: 'STARTED', addAttempt: true, progress: 0, thenInProgress: true }
        : { status: 'STARTED', startAttempt: job.attempt, redelivered, startToken: randomUUID(), progress: 0, thenInProgress: true };
    // Kept aside again should Redis have lost the job (the seed shows no secret).
    const secret = (job.extra_data as { secret?: unknown }).secret;
    if (typeof secret === 'string') start.callbackSecret = secret;
    const started = await write(start);
    if (started.outcome === 'terminal') return 'skipped';
    if (started.outcome === 'stale') return 'stale';
    this.options.report({ type: 'job-started', jobId: job.uuid });
    const persist = (change: StatusChange) => this.persist(() => write(change));
    if (started.job!.attempts > started.job!.max_attempts) {
      // Rerun after its worker died on the last attempt: a job that kills its workers ends here.
      const spent = new Error(`not run again: its ${started.job!.max_attempts} attempts are spent`);
      return this.failAttempt(job, started.job!, spent, persist);
    }
    const progress = (percent: number): Promise<void> =>
      write({ status: 'IN PROGRESS', progress: percent }).then(
        () => undefined,
        (error: Error) => this.options.log(`job ${job.uuid}: progress not recorded (${error.message})`),
      );
    const handler = this.options.handlers[job.kind];
    let result: Record<string, unknown>;
    try {
      if (!handler) throw new Error(`this worker has no handler for kind ${job.kind}`);
      result = await handler.run({ job, reportProgress: progress, signal: this.abort.signal });
    } catch (error) {
      if (this.abort.signal.aborted) throw error;
      return this.failAttempt(job, started.job!, error as Error, persist);
    }
    await persist({ status: 'DONE', progress: 100, result, error: null });
    return 'done';
  }

  /**
   * After a failed attempt: the message goes, confirmed, to the retry rung its attempt count
   * picks, or to the dead-letter queue after the last attempt or a permanent failure; then the
   * status says RETRYING (with the time of the next attempt) or FAILED.
   */
  private async failAttempt(
    message: JobMessage,
    job: Job,
    error: Error,
    persist: (change: StatusChange) => Promise<WriteReply>,
  ): Promise<JobOutcome> {
    const channel = this.publishChannel;
    if (!channel) throw new Error('RabbitMQ publishing channel is closed');
    const { names } = this.options;
    const reason = error.message || String(error);
    const maxAttempts = job.max_attempts || this.options.retry.maxAttempts;
    const permanent = isPermanentFailure(error);
    if (permanent || job.attempts >= maxAttempts) {
      const why = permanent
        ? 'a failure no retry can cure'
        : `attempt ${Math.min(job.attempts, maxAttempts)} of ${maxAttempts}`;
      await publishJobConfirmed(channel, names.deadQueue(message.kind), message, {
        headers: { 'x-jobdeck-error': reason, 'x-jobdeck-attempts': job.attempts },
      });
      await persist({ status: 'FAILED', error: reason, attemptError: reason });
      this.options.log(`job ${message.uuid}: failed for good after ${why}: ${reason}`);
      return 'failed';
    }
    const { rungMs, delayMs } = chooseRetryDelay(this.ladder, job.attempts);
    await publishJobConfirmed(channel, names.retryQueue(message.kind, rungMs), { ...message, attempt: job.attempts + 1 }, {
      expirationMs: delayMs,
    });
    await persist({
      status: 'RETRYING',
      error: reason,
      attemptError: reason,
      nextAttemptAt: toRfc3339(Date.now() + delayMs),
    });
    return 'retrying';
  }

  /** Writes a final status until Redis takes it; gives up (throws) only when the worker stops. */
  private async persist(write: () => Promise<WriteReply>): Promise<WriteReply> {
    for (;;) {
      try {
        return await write();
      } catch (error) {
        if (this.abort.signal.aborted) throw error;
        this.options.log(`status not written (${(error as Error).message}); trying again in ${REQUEUE_DELAY_MS} ms`);
        await sleep(REQUEUE_DELAY_MS);
      }
    }
  }
}

type StatusChange = Omit<JobWrite, 'at' | 'worker' | 'guard' | 'emit' | 'seed'>;

/**
 * The job as its message knows it, for when Redis does not hold it (expired, or restarted
 * empty): with the attempts made before this one and its own limit, so neither is reset.
 */
function seedOf(job: JobMessage): NonNullable<JobWrite['seed']> {
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

type JobOutcome = 'done' | 'failed' | 'retrying' | 'skipped' | 'stale';

const REQUEUE_DELAY_MS = 1_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for `work`, or `ms` at the most. */
function within(work: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Acks and nacks on a channel that closed meanwhile throw; the broker requeues those itself. */
function settle(send: () => void): void {
  try {
    send();
  } catch {
    // The channel is gone: its unacked messages return to the queue without our help.
  }
}
