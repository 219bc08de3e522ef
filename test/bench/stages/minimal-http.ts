/**
 * Stage 4: the minimal durable HTTP handler — a bare Fastify route that validates the body,
 * writes the status to Redis and publishes with confirm — loaded the same way as Jobdeck's API,
 * while a minimal consumer takes the jobs (status writes and one INSERT each), as Jobdeck's
 * workers do during its own accept stage.
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { z } from 'zod';
import type { BaselineServices } from '../baseline-services';
import { jobBody } from '../baseline-services';
import { loadAccept, type AcceptFigure } from '../http-load';

const bodySchema = z.object({ kind: z.enum(['log', 'A']), payload: z.object({ client_time: z.union([z.number(), z.string()]) }) });
const CONSUMER_PREFETCH = 50;

export async function minimalHttpHandler(services: BaselineServices, seconds: number, connections: number): Promise<AcceptFigure> {
  const queue = services.queue('http');
  const publisher = await services.connection.createConfirmChannel();
  await publisher.assertQueue(queue, { durable: true });
  const consumer = await services.connection.createChannel();
  await consumer.prefetch(CONSUMER_PREFETCH);
  const statusKey = (id: string) => `${services.namespace}:http:${id}`;
  await consumer.consume(queue, (message) => {
    if (!message) return;
    const id = message.properties.messageId as string;
    void (async () => {
      await services.redis.hset(statusKey(id), 'status', 'STARTED');
      await services.insertRecord(id);
      await services.redis.hset(statusKey(id), 'status', 'DONE');
      consumer.ack(message);
    })().catch(() => undefined); // the channel closed at the end of the stage: the broker requeues
  });

  const app = Fastify();
  app.post('/api/v1/jobs', async (request, reply) => {
    const parsed = bodySchema.safeParse(request.body);
    if (!parsed.success) return reply.code(422).send({ errors: parsed.error.issues });
    const id = randomUUID();
    await services.redis.hset(statusKey(id), 'status', 'QUEUED', 'at', new Date().toISOString());
    await new Promise<void>((resolve, reject) =>
      publisher.sendToQueue(queue, jobBody(id), { persistent: true, messageId: id }, (error) =>
        error ? reject(new Error(String(error))) : resolve(),
      ),
    );
    return reply.code(202).send({ id, status: 'QUEUED' });
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    return await loadAccept(url, seconds, connections);
  } finally {
    await app.close();
    await consumer.close().catch(() => undefined);
    await publisher.close().catch(() => undefined);
  }
}
