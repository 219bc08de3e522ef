import amqp from 'amqplib';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobStatusClient } from '../../src-shared/node/status-store';
import { StatusScript } from '../../src-shared/node/status-script';
import { namesFor } from '../../src-shared/topology';
import { BrokerUnavailableError, JobPublisher } from '../../src-main/broker/job-publisher';
import { buildApi } from '../../src-main/api/server';
import { migrate } from '../../src-main/database/migrations';
import { WebhookInbox } from '../../src-main/inbox/webhook-inbox';
import { MailboxStore } from '../../src-main/mailbox/mailbox-store';
import { EventRelay } from '../../src-main/relay/event-relay';
import { JobHistory } from '../../src-main/history/job-history';
import { JobService } from '../../src-main/jobs/job-service';
import { eventually } from '../support/console';
import { TEST_SERVICES, dropNamespace, testDatabaseConfig, uniqueNamespace } from '../support/namespace';

const namespace = uniqueNamespace();
const names = namesFor(namespace);
let redis: Redis;
let pool: pg.Pool;

beforeAll(async () => {
  redis = new Redis(TEST_SERVICES.redisUrl);
  pool = new pg.Pool(testDatabaseConfig());
  await migrate(pool, names.schema);
});
afterAll(async () => {
  redis.disconnect();
  await pool.end();
  await dropNamespace(namespace);
});

function serviceWith(publisher: JobPublisher): JobService {
  return new JobService({
    status: new JobStatusClient(redis, names, { terminalTtlSeconds: 60, streamMaxLength: 1000 }),
    publisher,
    history: new JobHistory(pool, names.schema),
    defaults: { callbackUrl: (id) => `http://127.0.0.1:1/${id}`, recipient: 'ops@example.com' },
  });
}

describe('accepting a job', () => {
  it('refuses a job the broker cannot take and ends it CANCELLED, never left QUEUED', async () => {
    const unreachable = new JobPublisher({ url: 'amqp://guest:guest@127.0.0.1:1', names });
    await expect(unreachable.start()).rejects.toThrow();
    const jobs = serviceWith(unreachable);
    await expect(jobs.submit('log', { client_time: 1 })).rejects.toBeInstanceOf(BrokerUnavailableError);
    const keys = await redis.keys(`${namespace}:job:*`);
    expect(keys).toHaveLength(1);
    const status = new JobStatusClient(redis, names, { terminalTtlSeconds: 60, streamMaxLength: 1000 });
    const job = await status.read(keys[0]!.split(':').pop()!);
    expect(job).toMatchObject({ status: 'CANCELLED', error: expect.stringMatching(/^not accepted: RabbitMQ is unavailable/) });
    expect(await redis.ttl(keys[0]!)).toBeGreaterThan(0);
    const events = await redis.xrange(names.eventStream, '-', '+');
    expect(events.map(([, fields]) => JSON.parse(fields[3]!).status)).toEqual(['QUEUED', 'CANCELLED']);
    await redis.del(names.eventStream, ...keys);
    await unreachable.close();
  });

  it('answers a job accepted when its confirm was lost but a worker already started it', async () => {
    const status = new StatusScript(redis, names, { terminalTtlSeconds: 60, streamMaxLength: 1000 });
    // The broker took and delivered the message, then the confirm never came back.
    const lostConfirm = {
      async publish(message: { uuid: string }): Promise<void> {
        await status.write(message.uuid, { status: 'STARTED', at: new Date().toISOString(), worker: 'w', guard: 'live', startAttempt: 1, startToken: 't', emit: true });
        throw new BrokerUnavailableError('RabbitMQ did not confirm the job within 5000 ms');
      },
    } as unknown as JobPublisher;
    const job = await serviceWith(lostConfirm).submit('log', { client_time: 1 });
    expect(job.status).toBe('STARTED');
    expect(await status.read(job.id)).toMatchObject({ status: 'STARTED', error: null });
    await redis.del(names.eventStream, `${namespace}:job:${job.id}`);
  });

  it('announces a confirmed job once, as QUEUED, on the event stream', async () => {
    const publisher = new JobPublisher({ url: TEST_SERVICES.amqpUrl, names });
    await publisher.start();
    try {
      const job = await serviceWith(publisher).submit('email', {});
      expect(job).toMatchObject({ status: 'QUEUED', payload: { email_address: 'ops@example.com' } });
      const entries = await redis.xrange(names.eventStream, '-', '+');
      expect(entries).toHaveLength(1);
      expect(JSON.parse(entries[0]![1][3]!)).toEqual(job);
      const admin = await amqp.connect(TEST_SERVICES.amqpUrl);
      const channel = await admin.createChannel();
      expect((await channel.checkQueue(names.queue('email'))).messageCount).toBe(1);
      await admin.close();
    } finally {
      await publisher.close();
    }
  });

  it('refuses a job no queue takes (a deleted queue) instead of answering it accepted', async () => {
    const publisher = new JobPublisher({ url: TEST_SERVICES.amqpUrl, names });
    await publisher.start();
    const admin = await amqp.connect(TEST_SERVICES.amqpUrl);
    try {
      const channel = await admin.createChannel();
      await channel.deleteQueue(names.queue('callback'));
      await expect(serviceWith(publisher).submit('callback', { duration_ms: 1 })).rejects.toThrow(
        /no queue took the callback job/,
      );
      await expect(serviceWith(publisher).submit('email', {})).resolves.toMatchObject({ status: 'QUEUED' });
      // The refused job made the console declare the queue again: the next callback job is taken.
      const retried = await eventually(() => serviceWith(publisher).submit('callback', { duration_ms: 1 }).catch(() => undefined));
      expect(retried.status).toBe('QUEUED');
    } finally {
      await admin.close();
      await publisher.close();
    }
  });

  it('answers 503 with Retry-After over HTTP while the broker is unreachable', async () => {
    const unreachable = new JobPublisher({ url: 'amqp://guest:guest@127.0.0.1:1', names });
    const api = await buildApi({
      jobs: serviceWith(unreachable),
      relay: new EventRelay({ redis, reader: redis, stream: names.eventStream }),
      mailbox: new MailboxStore(pool, names.schema, { maxItems: 10, maxBytes: 1024 * 1024 }),
      inbox: new WebhookInbox(pool, names.schema, { maxItems: 10, maxBytes: 1024 * 1024 }),
      health: async () => ({ ok: false }),
      guard: { host: '127.0.0.1', port: () => 80, allowedHosts: [] },
    });
    try {
      const response = await api.inject({ method: 'GET', url: '/job/database?client_time=1569177495', headers: { host: '127.0.0.1' } });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ status: 503, detail: expect.stringMatching(/^RabbitMQ is unavailable/) });
    } finally {
      await api.close();
    }
  });
});
