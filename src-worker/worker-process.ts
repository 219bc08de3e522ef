import { hostname } from 'node:os';
import amqp from 'amqplib';
import type { JobKind } from '../src-shared/kinds';
import type { JobStatusClient, JobWrite } from '../src-shared/status-store';
import { toRfc3339 } from '../src-shared/time';
import { declareTopology, type Names } from '../src-shared/topology';
import { parseJobMessage, type JobMessage } from '../src-shared/wire';
import type { WorkerToMainMessage } from '../src-shared/worker-protocol';
import type { JobHandler } from './handlers/handler';

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
  /** Tells the supervising console what happens (a no-op when run by hand). */
  report: (message: WorkerToMainMessage) => void;
  /** Called when the broker connection is lost: the process should exit and be restarted. */
  onConnectionLost: (reason: string) => void;
  log: (line: string) => void;
}

/**
 * One worker process's consume loop: takes jobs of its kinds with manual ack and a bounded
 * prefetch (several in flight), moves each STARTED → IN PROGRESS → DONE or FAILED in Redis and
 * on the event stream, and acks only after the final status is written.
 */
export class WorkerProcess {
  private connection: amqp.ChannelModel | null = null;
  private channel: amqp.Channel | null = null;
  private readonly consumerTags: string[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private readonly workerId = `${hostname()}/${process.pid}`;
  private stopping = false;

  constructor(private readonly options: WorkerProcessOptions) {}

  async start(): Promise<void> {
    const { names, kinds } = this.options;
    const connection = await amqp.connect(this.options.amqpUrl, {
      timeout: CONNECT_TIMEOUT_MS,
      noDelay: true, // acks go out at once, not held back by Nagle's algorithm
      clientProperties: { connection_name: names.connectionName(`worker:${kinds.join('+')}:${process.pid}`) },
    });
    this.connection = connection;
    // Any loss (connection, channel, or the broker cancelling a consumer) ends this process; the
    // supervisor starts a fresh one, which redeclares the topology. Unacked jobs are redelivered.
    const lost = (what: string) => () => {
      if (!this.stopping) this.options.onConnectionLost(what);
    };
    connection.on('error', () => undefined);
    connection.on('close', lost('RabbitMQ connection closed'));
    const channel = await connection.createChannel();
    this.channel = channel;
    channel.on('error', () => undefined);
    channel.on('close', lost('RabbitMQ channel closed'));
    await declareTopology(channel, names, kinds);
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
      this.options.log(`dropping a message that is not a job: ${parsed.error}`);
      settle(() => channel.nack(message, false, false));
      return;
    }
    let outcome: JobOutcome;
    try {
      outcome = await this.runJob(parsed);
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
    if (outcome !== 'skipped') this.options.report({ type: 'job-finished', jobId: parsed.uuid, ok: outcome === 'done' });
  }

  /**
   * Runs one job through its statuses. Throws (so the job is requeued) when a status cannot be
   * written; a handler's failure is the job's, and ends it FAILED.
   */
  private async runJob(job: JobMessage): Promise<JobOutcome> {
    const write = (change: Omit<JobWrite, 'at' | 'worker' | 'guard' | 'emit' | 'seed'>) =>
      this.options.status.write(job.uuid, {
        ...change,
        at: toRfc3339(Date.now()),
        worker: this.workerId,
        guard: 'live',
        emit: true,
        seed: { id: job.uuid, kind: job.kind, type: job.type, payload: job.extra_data, created_at: job.created_at },
      });
    const started = await write({ status: 'STARTED', addAttempt: true, progress: 0 });
    if (started.outcome === 'terminal') return 'skipped';
    this.options.report({ type: 'job-started', jobId: job.uuid });
    await write({ status: 'IN PROGRESS', progress: 0 });
    const handler = this.options.handlers[job.kind];
    let result: Record<string, unknown>;
    try {
      if (!handler) throw new Error(`this worker has no handler for kind ${job.kind}`);
      result = await handler.run({
        job,
        reportProgress: async (percent) => void (await write({ status: 'IN PROGRESS', progress: percent })),
        signal: this.abort.signal,
      });
    } catch (error) {
      if (this.abort.signal.aborted) throw error;
      await write({ status: 'FAILED', error: (error as Error).message });
      return 'failed';
    }
    await write({ status: 'DONE', progress: 100, result, error: null });
    return 'done';
  }
}

type JobOutcome = 'done' | 'failed' | 'skipped';

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
