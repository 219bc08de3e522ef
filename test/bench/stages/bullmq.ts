/**
 * Stage 3: BullMQ, the queue a Node user would pick instead, doing the same effect per job (one
 * INSERT into PostgreSQL; the status in Redis is BullMQ's own). Jobs are added in-process in
 * bulk, and a worker of the same concurrency as Jobdeck's prefetch runs them.
 */
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { TEST_SERVICES } from '../../support/namespace';
import type { BaselineServices } from '../baseline-services';
import { throughput, type ThroughputFigure } from './broker-pipeline';

const ADD_BULK = 500;
const WORKER_CONCURRENCY = 50;

function connection() {
  const url = new URL(TEST_SERVICES.redisUrl);
  return { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };
}

export async function bullmqBaseline(services: BaselineServices, count: number): Promise<ThroughputFigure> {
  const name = 'bench';
  const prefix = `${services.namespace}:bull`;
  const queue = new Queue(name, { connection: connection(), prefix });
  let done = 0;
  let allDone!: () => void;
  const finished = new Promise<void>((resolve) => (allDone = resolve));
  const worker = new Worker(
    name,
    async (job) => {
      await services.insertRecord(job.data.uuid as string);
    },
    { connection: connection(), prefix, concurrency: WORKER_CONCURRENCY, removeOnComplete: { count: 1000 } },
  );
  worker.on('completed', () => {
    if (++done === count) allDone();
  });
  worker.on('failed', (_job, error) => console.error(`bench: a BullMQ job failed: ${error.message}`));
  await worker.waitUntilReady();
  const started = performance.now();
  for (let added = 0; added < count; added += ADD_BULK) {
    const size = Math.min(ADD_BULK, count - added);
    await queue.addBulk(
      Array.from({ length: size }, () => ({ name: 'log', data: { uuid: randomUUID(), client_time: '2019-09-22T18:38:15Z' } })),
    );
  }
  await finished;
  const figure = throughput(count, performance.now() - started);
  await worker.close();
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  return figure;
}
