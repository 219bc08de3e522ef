import amqp from 'amqplib';
import { withHeartbeat } from '../../src-shared/node/amqp-heartbeat';
import type { JobKind } from '../../src-shared/kinds';
import type { Names } from '../../src-shared/topology';
import { toDeadLetterRow } from './dead-letter-message';
import type { DeadLetterStore } from './dead-letter-store';

export interface DeadLetterDrainOptions {
  url: string;
  names: Names;
  /** The kinds whose dead-letter queues are drained: the registry's, and removed kinds' still on the broker. */
  kinds: () => Promise<readonly JobKind[]>;
  store: Pick<DeadLetterStore, 'insert'>;
  onLog: (line: string) => void;
  /** How long an outage (PostgreSQL, RabbitMQ) pauses the drain before it tries again. */
  pauseMs?: number;
  /** Messages in hand per queue. */
  prefetch?: number;
}

const PAUSE_MS = 2_000;
const PREFETCH = 20;

/**
 * Moves every kind's dead-letter queue into PostgreSQL as messages arrive: each message is
 * inserted (committed), then acked, so a crash between the two redelivers it and the unique key
 * keeps it once. While PostgreSQL refuses, the message goes back to its queue, the consumers stop
 * for `pauseMs` and then start again: the queue keeps what it holds, and nothing spins.
 */
export class DeadLetterDrain {
  private connection: amqp.ChannelModel | null = null;
  private closed = false;
  private pausing = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Channels this drain closed itself (a pause): their close is no loss. */
  private readonly retired = new WeakSet<amqp.Channel>();
  /** Settles once the messages in hand are stored (or given back). */
  private inHand: Promise<void> = Promise.resolve();

  constructor(private readonly options: DeadLetterDrainOptions) {}

  /** Connects and consumes; a failure to connect is thrown (the core's start says so). */
  async start(): Promise<void> {
    await this.connect();
  }

  /** Stops consuming, lets the message in hand finish, then disconnects; calling it again does nothing. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.inHand;
    const connection = this.connection;
    this.connection = null;
    await connection?.close().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const { url, names, onLog } = this.options;
    const connection = await amqp.connect(withHeartbeat(url), { clientProperties: { connection_name: names.connectionName('dead-letters') } });
    this.connection = connection;
    connection.on('error', () => undefined);
    connection.on('close', () => {
      if (this.closed || this.connection !== connection) return;
      onLog('dead letters: RabbitMQ connection lost; draining again shortly');
      this.connection = null;
      this.later(() => this.connect());
    });
    await this.openChannel(connection);
  }

  /** A channel consuming every kind's dead-letter queue; one the broker closes is opened again after a pause. */
  private async openChannel(connection: amqp.ChannelModel): Promise<void> {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    channel.on('close', () => {
      if (this.closed || this.retired.has(channel) || this.connection !== connection) return;
      this.later(() => this.openChannel(connection));
    });
    await channel.prefetch(this.options.prefetch ?? PREFETCH);
    for (const kind of await this.options.kinds()) await this.consume(connection, channel, kind);
  }

  /** Consumes one kind's dead-letter queue if it exists (a removed kind's may be gone: checked on a channel of its own). */
  private async consume(connection: amqp.ChannelModel, channel: amqp.Channel, kind: JobKind): Promise<void> {
    const queue = this.options.names.deadQueue(kind);
    const probe = await connection.createChannel();
    probe.on('error', () => undefined);
    try {
      await probe.checkQueue(queue);
      await probe.close();
    } catch {
      return; // 404 closed the probe: nothing to drain
    }
    await channel.consume(queue, (message) => {
      if (message) this.inHand = this.inHand.then(() => this.keep(channel, kind, message));
    });
  }

  /** Insert, then ack; on a refusal, give it back and pause. */
  private async keep(channel: amqp.Channel, kind: JobKind, message: amqp.ConsumeMessage): Promise<void> {
    if (this.pausing || this.closed) return settle(() => channel.nack(message, false, true));
    try {
      await this.options.store.insert(toDeadLetterRow(kind, message));
      settle(() => channel.ack(message));
    } catch (error) {
      settle(() => channel.nack(message, false, true));
      this.pause(channel, (error as Error).message);
    }
  }

  /** Stops the channel's consumers (by closing it) and consumes again, on a new channel, after the pause. */
  private pause(channel: amqp.Channel, reason: string): void {
    if (this.pausing) return;
    this.pausing = true;
    this.options.onLog(`dead letters: storing a message failed (${reason}); left in its queue, trying again in ${(this.options.pauseMs ?? PAUSE_MS) / 1000} s`);
    // Closed at once: the broker takes back what it handed this channel and hands it no more.
    this.retired.add(channel);
    void channel.close().catch(() => undefined);
    const connection = this.connection;
    this.later(async () => {
      this.pausing = false;
      if (connection && this.connection === connection) await this.openChannel(connection);
    });
  }

  /** Runs `step` after the pause; a failure of it waits another pause. */
  private later(step: () => Promise<void>): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      step().catch((error: Error) => {
        this.options.onLog(`dead letters: ${error.message}; trying again shortly`);
        this.later(step);
      });
    }, this.options.pauseMs ?? PAUSE_MS);
    timer.unref();
    this.timers.add(timer);
  }
}

/** An ack or nack on a channel that closed meanwhile: the broker redelivers the message. */
function settle(act: () => void): void {
  try {
    act();
  } catch {
    // the channel is gone
  }
}
