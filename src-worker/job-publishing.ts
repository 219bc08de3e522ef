import type amqp from 'amqplib';
import type { JobMessage } from '../src-shared/wire';

/** What a confirmed publish may add to a message. */
export interface PublishExtras {
  /** Per-message TTL in the queue it goes to. */
  expirationMs?: number;
  headers?: Record<string, unknown>;
}

/**
 * Puts a message in one of the worker's own queues (a retry rung or a dead-letter queue) through
 * the default exchange, persistent, and resolves once the broker confirmed it: only then may the
 * message in hand be acked.
 */
export function publishConfirmed(
  channel: amqp.ConfirmChannel,
  queue: string,
  body: Buffer,
  properties: amqp.Options.Publish,
): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      channel.publish('', queue, body, { persistent: true, timestamp: Math.floor(Date.now() / 1000), ...properties }, (error) =>
        error ? reject(new Error(`RabbitMQ refused the message for ${queue}: ${String(error)}`)) : resolve(),
      );
    } catch (error) {
      reject(error as Error);
    }
  });
}

/** A job's message, confirmed, in `queue`. */
export function publishJobConfirmed(
  channel: amqp.ConfirmChannel,
  queue: string,
  message: JobMessage,
  extra: PublishExtras = {},
): Promise<void> {
  return publishConfirmed(channel, queue, Buffer.from(JSON.stringify(message)), {
    contentType: 'application/json',
    messageId: message.uuid,
    type: message.kind,
    ...(extra.expirationMs === undefined ? {} : { expiration: String(extra.expirationMs) }),
    ...(extra.headers ? { headers: extra.headers } : {}),
  });
}
