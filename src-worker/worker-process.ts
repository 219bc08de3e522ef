import { hostname } from 'node:os';
import amqp from 'amqplib';
import type { JobKind } from '../src-shared/kinds';
import type { JobStatusClient, JobWrite } from '../src-shared/status-store';
import { toRfc3339 } from '../src-shared/time';
import { declareTopology, type Names } from '../src-shared/topology';
import { parseJobMessage, type JobMessage } from '../src-shared/wire';
import type { WorkerToMainMessage } from '../src-shared/worker-protocol';
import type { JobHandler } from './handlers/handler';

export interface WorkerProcessOptions {
  amqpUrl: string;
  names: Names;
  kinds: readonly JobKind[];
  prefetch: number;
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
      clientProperties: { connection_name: names.connectionName(`worker:${kinds.join('+')}:${process.pid}`) },
    });
    this.connection = connection;
    connection.on('error', () => undefined);
    connection.on('close', () => {
      if (!this.stopping) this.options.onConnectionLost('RabbitMQ connection closed');
    });
    const channel = await connection.createChannel();
    this.channel = channel;
    await declareTopology(channel, names, kinds);
    await channel.prefetch(this.options.prefetch);
    for (const kind of kinds) {
      const { consumerTag } = await channel.consume(names.queue(kind), (message) => {
        if (message) this.track(this.handle(channel, message));
      });
      this.consumerTags.push(consumerTag);
    }
  }

  /** Stops taking messages, lets the jobs in hand finish (up to `graceMs`), then disconnects. */
  async close(graceMs: number): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const channel = this.channel;
    for (const tag of this.consumerTags) await channel?.cancel(tag).catch(() => undefined);
    const grace = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([Promise.all(this.inFlight), grace]);
    this.abort.abort();
    await Promise.all(this.inFlight);
    // Closing the channel first makes the broker take its last acks: a connection closed right
    // after an ack can lose it, and the job would be delivered again.
    await channel?.close().catch(() => undefined);
    await this.connection?.close().catch(() => undefined);
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async handle(channel: amqp.Channel, message: amqp.ConsumeMessage): Promise<void> {
    const parsed = parseJobMessage(message.content.toString('utf8'));
    if ('error' in parsed) {
      this.options.log(`dropping a message that is not a job: ${parsed.error}`);
      channel.nack(message, false, false);
      return;
    }
    try {
      const ok = await this.process(parsed);
      channel.ack(message);
      if (ok !== null) this.options.report({ type: 'job-finished', jobId: parsed.uuid, ok });
    } catch (error) {
      // The status could not be written (Redis unreachable): give the job back to the queue.
      this.options.log(`job ${parsed.uuid}: ${(error as Error).message}; returning it to the queue`);
      channel.nack(message, false, true);
    }
  }

  /** Runs one job; null when it was already terminal (a redelivery after the final write). */
  private async process(job: JobMessage): Promise<boolean | null> {
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
    if (started.outcome === 'terminal') return null;
    this.options.report({ type: 'job-started', jobId: job.uuid });
    await write({ status: 'IN PROGRESS', progress: 0 });
    const handler = this.options.handlers[job.kind];
    try {
      if (!handler) throw new Error(`this worker has no handler for kind ${job.kind}`);
      const result = await handler.run({
        job,
        reportProgress: async (percent) => void (await write({ status: 'IN PROGRESS', progress: percent })),
        signal: this.abort.signal,
      });
      await write({ status: 'DONE', progress: 100, result, error: null });
      return true;
    } catch (error) {
      if (this.abort.signal.aborted) throw error;
      await write({ status: 'FAILED', error: (error as Error).message });
      return false;
    }
  }
}
