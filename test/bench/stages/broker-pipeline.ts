/**
 * Stages 1 and 2: the broker floor (persistent messages with confirms while a consumer acks
 * them) and the minimal durable pipeline (the same plus, per message, its status in Redis and
 * one INSERT into PostgreSQL) — what RabbitMQ allows here, and what a naive pipeline reaches.
 */
import { randomUUID } from 'node:crypto';
import type amqp from 'amqplib';
import type { BaselineServices } from '../baseline-services';
import { jobBody } from '../baseline-services';
import { round } from '../stats';

/** Unconfirmed publishes allowed at once: enough to keep the broker busy, bounded in memory. */
const PUBLISH_WINDOW = 500;
const CONSUMER_PREFETCH = 50;

export interface ThroughputFigure {
  jobs: number;
  seconds: number;
  jobs_per_s: number;
}

export function throughput(jobs: number, ms: number): ThroughputFigure {
  return { jobs, seconds: round(ms / 1000), jobs_per_s: round((jobs * 1000) / ms) };
}

type Effect = ((id: string) => Promise<void>) | null;

/** A consumer that runs `effect` per message (if any) and then acks; resolves after `count` acks. */
async function consume(channel: amqp.Channel, queue: string, count: number, effect: Effect): Promise<void> {
  await channel.prefetch(CONSUMER_PREFETCH);
  let acked = 0;
  await new Promise<void>((resolve, reject) => {
    void channel.consume(queue, (message) => {
      if (!message) return reject(new Error(`bench: consumer of ${queue} cancelled`));
      const id = message.properties.messageId as string;
      void (effect ? effect(id) : Promise.resolve()).then(
        () => {
          channel.ack(message);
          if (++acked === count) resolve();
        },
        reject,
      );
    });
  });
}

/** Publishes `count` messages with confirms, at most PUBLISH_WINDOW unconfirmed at once. */
async function publishAll(channel: amqp.ConfirmChannel, queue: string, count: number, before: Effect): Promise<void> {
  let sent = 0;
  const lane = async (): Promise<void> => {
    while (sent < count) {
      sent++;
      const id = randomUUID();
      if (before) await before(id);
      await new Promise<void>((resolve, reject) => {
        channel.sendToQueue(queue, jobBody(id), { persistent: true, messageId: id, contentType: 'application/json' }, (error) =>
          error ? reject(new Error(String(error))) : resolve(),
        );
      });
    }
  };
  await Promise.all(Array.from({ length: PUBLISH_WINDOW }, lane));
}

async function run(services: BaselineServices, stage: string, count: number, before: Effect, effect: Effect): Promise<ThroughputFigure> {
  const queue = services.queue(stage);
  const publisher = await services.connection.createConfirmChannel();
  const consumer = await services.connection.createChannel();
  await publisher.assertQueue(queue, { durable: true });
  const started = performance.now();
  const consumed = consume(consumer, queue, count, effect);
  await publishAll(publisher, queue, count, before);
  await consumed;
  const figure = throughput(count, performance.now() - started);
  await consumer.close();
  await publisher.close();
  return figure;
}

export function brokerFloor(services: BaselineServices, count: number): Promise<ThroughputFigure> {
  return run(services, 'floor', count, null, null);
}

/** Status key of a pipeline message. */
const statusKey = (services: BaselineServices, id: string): string => `${services.namespace}:pipeline:${id}`;

export function minimalPipeline(services: BaselineServices, count: number): Promise<ThroughputFigure> {
  const setStatus = (id: string, status: string) => services.redis.hset(statusKey(services, id), 'status', status, 'at', Date.now());
  return run(
    services,
    'pipeline',
    count,
    async (id) => void (await setStatus(id, 'QUEUED')),
    async (id) => {
      await setStatus(id, 'STARTED');
      await services.insertRecord(id);
      await setStatus(id, 'DONE');
    },
  );
}
