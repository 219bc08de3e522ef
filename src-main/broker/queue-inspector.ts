import amqp from 'amqplib';
import { withHeartbeat } from '../../src-shared/node/amqp-heartbeat';
import type { PurgeResult, QueueInfo, QueuesReport, RemovedKind } from '../../src-shared/console-records';
import type { KindRegistry } from '../../src-shared/kind-registry';
import type { JobKind } from '../../src-shared/kinds';
import { shownPayload } from '../../src-shared/builtin-kinds';
import type { JobStatusClient } from '../../src-shared/node/status-store';
import type { Names } from '../../src-shared/topology';
import { parseJobMessage } from '../../src-shared/wire';
import type { KnownKinds } from './known-kinds';
import type { FlowStore } from '../flow/flow-store';

export interface QueueInspectorOptions {
  url: string;
  names: Names;
  status: JobStatusClient;
  /** Every kind: each has a work queue, its retry queues and its dead-letter queue. */
  kinds: KindRegistry;
  /** The retry queues' delays, as the topology declares them. */
  retryLadderMs: readonly number[];
  /** The kinds the namespace ran before: those the registry no longer names are reported apart. */
  known?: KnownKinds;
  /** Each kind's pause and limits, shown beside its queue (none without it). */
  flow?: FlowStore;
}

/** Most messages one purge takes off, so a purge of a runaway queue still answers. */
const PURGE_MAX_MESSAGES = 100_000;

/**
 * Reads the work queues' counts with a passive declare (RabbitMQ's management plugin is not
 * needed) and purges a queue so that no purged job stays QUEUED: each ready message is taken
 * with basic.get, its job written CANCELLED (guard `live`: a job already finished is left as
 * it is), then acked. A connection is opened per call: these are rare operator actions.
 */
export class QueueInspector {
  constructor(private readonly options: QueueInspectorOptions) {}

  /** Every kind's queues, and the queues of kinds removed from the kinds file (left alone). */
  async report(): Promise<QueuesReport> {
    const removed = await this.inspectRemoved((await this.options.known?.removed()) ?? []);
    // A removed kind whose queues an operator deleted is forgotten: nothing is left of it to show.
    const gone = removed.filter(({ ready, dead }) => ready === null && dead === null);
    for (const { kind } of gone) await this.options.known?.forget(kind);
    return { queues: await this.list(), removed_kinds: removed.filter((kind) => !gone.includes(kind)) };
  }

  async list(): Promise<QueueInfo[]> {
    const flows = await this.options.flow?.all(this.options.kinds.names);
    return this.withChannel(async (channel) => {
      const queues: QueueInfo[] = [];
      for (const kind of this.options.kinds.names) {
        const name = this.options.names.queue(kind);
        const { messageCount, consumerCount } = await channel.checkQueue(name);
        let retrying = 0;
        for (const delayMs of this.options.retryLadderMs) {
          retrying += (await channel.checkQueue(this.options.names.retryQueue(kind, delayMs))).messageCount;
        }
        const dead = (await channel.checkQueue(this.options.names.deadQueue(kind))).messageCount;
        const { paused = false, paused_at = null, rate_per_s = null, concurrency = null } = flows?.get(kind) ?? {};
        queues.push({ kind, name, ready: messageCount, consumers: consumerCount, retrying, dead, paused, paused_at, rate_per_s, concurrency });
      }
      return queues;
    });
  }

  /**
   * The counts of removed kinds' queues, read and never declared: a passive declare of a queue
   * that is gone closes its channel, so each one gets a channel of its own (and null counts).
   */
  private async inspectRemoved(kinds: readonly JobKind[]): Promise<RemovedKind[]> {
    if (kinds.length === 0) return [];
    return this.withConnection(async (connection) => {
      const count = async (queue: string): Promise<number | null> => {
        const channel = await connection.createChannel();
        channel.on('error', () => undefined);
        try {
          const { messageCount } = await channel.checkQueue(queue);
          await channel.close();
          return messageCount;
        } catch {
          return null; // 404: the channel is closed by the broker
        }
      };
      const removed: RemovedKind[] = [];
      for (const kind of kinds) {
        const name = this.options.names.queue(kind);
        removed.push({ kind, name, ready: await count(name), dead: await count(this.options.names.deadQueue(kind)) });
      }
      return removed;
    });
  }

  async purge(kind: JobKind): Promise<PurgeResult> {
    return this.withChannel(async (channel) => {
      const queue = this.options.names.queue(kind);
      let purged = 0;
      let cancelled = 0;
      while (purged < PURGE_MAX_MESSAGES) {
        const message = await channel.get(queue, { noAck: false });
        if (message === false) break;
        if (await this.cancel(message.content.toString('utf8'), message.fields.redelivered)) cancelled++;
        channel.ack(message);
        purged++;
      }
      return { kind, purged, cancelled };
    });
  }

  /**
   * Writes the message's job CANCELLED; false when it is not a job, already ended, or running
   * elsewhere. A job seen running is cancelled only through a redelivered message (its worker
   * died or gave it back); a first delivery of a running job is a leftover copy, and the worker
   * that holds the live one finishes it.
   */
  private async cancel(body: string, redelivered: boolean): Promise<boolean> {
    const message = parseJobMessage(body, this.options.kinds);
    if ('error' in message) return false;
    const seed = { id: message.uuid, kind: message.kind, type: message.type, payload: shownPayload(message.kind, message.extra_data), created_at: message.created_at };
    const reply = await this.options.status.purged(seed, redelivered);
    return reply.outcome === 'ok';
  }

  private async withChannel<T>(use: (channel: amqp.Channel) => Promise<T>): Promise<T> {
    return this.withConnection(async (connection) => {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      return use(channel);
    });
  }

  private async withConnection<T>(use: (connection: amqp.ChannelModel) => Promise<T>): Promise<T> {
    const connection = await amqp.connect(withHeartbeat(this.options.url), {
      clientProperties: { connection_name: this.options.names.connectionName('queues') },
    });
    try {
      connection.on('error', () => undefined);
      return await use(connection);
    } finally {
      await connection.close().catch(() => undefined);
    }
  }
}
