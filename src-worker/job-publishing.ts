import type amqp from 'amqplib';
import type { JobMessage } from '../src-shared/wire';

/**
 * Puts a job's message in one of the worker's own queues (a retry rung or the dead-letter queue)
 * through the default exchange, persistent, and resolves once the broker confirmed it: only then
 * may the message in hand be acked.
 */
export function publishConfirmed(
  channel: amqp.ConfirmChannel,
  queue: string,
  message: JobMessage,
  extra: { expirationMs?: number; headers?: Record<string, unknown> } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      channel.publish('', queue, Buffer.from(JSON.stringify(message)), {
        persistent: true,
        contentType: 'application/json',
        messageId: message.uuid,
        type: message.kind,
        timestamp: Math.floor(Date.now() / 1000),
        ...(extra.expirationMs === undefined ? {} : { expiration: String(extra.expirationMs) }),
        ...(extra.headers ? { headers: extra.headers } : {}),
      }, (error) => (error ? reject(new Error(`RabbitMQ refused the message for ${queue}: ${String(error)}`)) : resolve()));
    } catch (error) {
      reject(error as Error);
    }
  });
}
