import amqp from 'amqplib';
import { withHeartbeat } from '../../src-shared/amqp-heartbeat';
import { coalesceFrameWrites } from '../../src-shared/amqp-write-coalescing';
import { routingKeyOf, type StreamEvent } from '../../src-shared/events';
import { redactText } from '../../src-shared/redact';
import type { Names } from '../../src-shared/topology';
import { eventJson } from './parsed-entries';

export interface TopicPublisherOptions {
  url: string;
  names: Names;
  onLog?: (line: string) => void;
}

const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Publishes events to the topic exchange `<ns>.events` (routing key `<kind>.<status>`) on a
 * confirm channel of its own connection, named `<ns>:events`. Fed by a stream consumer group:
 * `publish` resolves once the broker confirmed the batch and throws when it cannot, so the
 * batch is read again — an event reaches the exchange at least once, in stream order.
 */
export class TopicPublisher {
  private connection: amqp.ChannelModel | null = null;
  private channel: amqp.ConfirmChannel | null = null;
  private closed = false;

  constructor(private readonly options: TopicPublisherOptions) {}

  /** Connects and declares the exchange, so clients can bind before the first event. */
  async start(): Promise<void> {
    await this.connect();
  }

  async publish(events: StreamEvent[]): Promise<void> {
    if (events.length === 0) return;
    const channel = this.channel ?? (await this.connect());
    const exchange = this.options.names.eventsExchange;
    for (const event of events) {
      channel.publish(exchange, routingKeyOf(event), Buffer.from(eventJson(event)), {
        persistent: true,
        contentType: 'application/json',
        messageId: event.id,
        type: event.type ?? 'job',
        timestamp: Math.floor(Date.now() / 1000),
      });
    }
    try {
      await channel.waitForConfirms();
    } catch (error) {
      this.drop();
      throw error;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const connection = this.connection;
    this.drop();
    await connection?.close().catch(() => undefined);
  }

  private async connect(): Promise<amqp.ConfirmChannel> {
    if (this.closed) throw new Error('topic publisher closed');
    const connection = await amqp.connect(withHeartbeat(this.options.url), {
      timeout: CONNECT_TIMEOUT_MS,
      noDelay: true, // a batch goes out at once, its confirms not held back by Nagle's algorithm
      clientProperties: { connection_name: this.options.names.connectionName('events') },
    });
    coalesceFrameWrites(connection);
    const lost = (error: Error): void => {
      if (connection !== this.connection) return;
      this.options.onLog?.(`events exchange: connection lost (${redactText(error.message)})`);
      this.drop();
      connection.close().catch(() => undefined);
    };
    connection.on('error', lost);
    connection.on('close', () => lost(new Error('connection closed')));
    try {
      const channel = await connection.createConfirmChannel();
      channel.on('error', lost);
      await channel.assertExchange(this.options.names.eventsExchange, 'topic', { durable: true });
      this.connection = connection;
      this.channel = channel;
      return channel;
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
  }

  private drop(): void {
    this.connection = null;
    this.channel = null;
  }
}
