import type amqp from 'amqplib';
import { routingKeyOf, type StreamEvent } from '../../src-shared/events';
import { redactText } from '../../src-shared/redact';
import type { Names } from '../../src-shared/topology';
import { openConfirmChannel, type ConfirmLink } from '../connections/amqp-confirm-channel';
import { eventJson } from './parsed-entries';

export interface TopicPublisherOptions {
  url: string;
  names: Names;
  onLog?: (line: string) => void;
}

/**
 * Publishes events to the topic exchange `<ns>.events` (routing key `<kind>.<status>`) on a
 * confirm channel of its own connection, named `<ns>:events`. Fed by a stream consumer group:
 * `publish` resolves once the broker confirmed the batch and throws when it cannot, so the
 * batch is read again — an event reaches the exchange at least once, in stream order.
 */
export class TopicPublisher {
  private link: ConfirmLink | null = null;
  private closed = false;

  constructor(private readonly options: TopicPublisherOptions) {}

  /** Connects and declares the exchange, so clients can bind before the first event. */
  async start(): Promise<void> {
    await this.connect();
  }

  async publish(events: StreamEvent[]): Promise<void> {
    if (events.length === 0) return;
    const channel = this.link?.channel ?? (await this.connect());
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
    const link = this.link;
    this.link = null;
    await link?.close();
  }

  private async connect(): Promise<amqp.ConfirmChannel> {
    if (this.closed) throw new Error('topic publisher closed');
    const link: ConfirmLink = await openConfirmChannel({
      url: this.options.url,
      connectionName: this.options.names.connectionName('events'),
      onLost: (error) => {
        if (link !== this.link) return;
        this.options.onLog?.(`events exchange: connection lost (${redactText(error.message)})`);
        this.drop();
      },
      setup: async (channel) => {
        await channel.assertExchange(this.options.names.eventsExchange, 'topic', { durable: true });
      },
    });
    if (this.closed) {
      await link.close();
      throw new Error('topic publisher closed');
    }
    this.link = link;
    return link.channel;
  }

  /** Forgets the connection, closing it: the next publish opens a new one. */
  private drop(): void {
    const link = this.link;
    this.link = null;
    void link?.close();
  }
}
