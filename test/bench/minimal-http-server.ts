/**
 * The minimal durable HTTP handler as a process of its own (as Jobdeck's API is), so the load
 * generator does not share its event loop: a bare Fastify route that validates, writes the
 * status to Redis and publishes with confirm; beside it a minimal consumer that takes the jobs
 * (status writes and one INSERT each), as Jobdeck's workers do during its accept stage.
 * Run with the bench namespace as argument; prints its URL on a line, stops on SIGTERM.
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { z } from 'zod';
import { jobBody, openBaselineServices } from './baseline-services';

const CONSUMER_PREFETCH = 50;
const bodySchema = z.object({ kind: z.enum(['log', 'A']), payload: z.object({ client_time: z.union([z.number(), z.string()]) }) });

const services = await openBaselineServices(process.argv[2]!, false);
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
console.log(await app.listen({ port: 0, host: '127.0.0.1' }));
process.once('SIGTERM', () => {
  void (async () => {
    await app.close();
    await consumer.close().catch(() => undefined);
    await publisher.close().catch(() => undefined);
    await services.connection.close().catch(() => undefined);
    services.redis.disconnect();
    await services.pool.end();
    process.exit(0);
  })();
});
