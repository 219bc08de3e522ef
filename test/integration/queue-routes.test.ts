import { beforeAll, describe, expect, it } from 'vitest';
import type { PurgeResult, QueuesReport } from '../../src-shared/console-records';
import type { Job } from '../../src-shared/job';
import { Redis } from 'ioredis';
import { StatusScript } from '../../src-shared/node/status-script';
import { namesFor } from '../../src-shared/topology';
import { bareConsoleForTests, callConsole, eventually, type TestConsole } from '../support/console';
import { TEST_SERVICES } from '../support/namespace';

// No workers: what is submitted stays in the queue.
const consoleOfFile = bareConsoleForTests();
let app: TestConsole;
beforeAll(() => {
  app = consoleOfFile();
});

const json = <T>(method: string, path: string, body?: unknown) => callConsole<T>(app, method, path, body);
const queueOf = async (kind: string) => (await json<QueuesReport>('GET', '/api/v1/queues')).body.queues.find((q) => q.kind === kind)!;

describe('queues', () => {
  it('lists each work queue with its ready count, consumers, retry and dead-letter counts', async () => {
    const { status, body } = await json<QueuesReport>('GET', '/api/v1/queues');
    expect(status).toBe(200);
    expect(body.queues.map((q) => q.name)).toEqual(['log', 'callback', 'email'].map((kind) => `${app.namespace}.jobs.${kind}`));
    expect(body.queues.every((q) => q.ready === 0 && q.consumers === 0 && q.retrying === 0 && q.dead === 0)).toBe(true);
  });

  it('purges the ready messages, and every purged job ends CANCELLED, never QUEUED', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await json<Job>('POST', '/api/v1/jobs', { kind: 'email', payload: {} })).body.id);
    await eventually(() => queueOf('email'), (queue) => queue.ready === 3, 10_000, 'three ready');

    const { status, body } = await json<PurgeResult>('POST', '/api/v1/queues/C/purge');

    expect(status).toBe(200);
    expect(body).toEqual({ kind: 'email', purged: 3, cancelled: 3 });
    expect((await queueOf('email')).ready).toBe(0);
    for (const id of ids) {
      const job = (await json<Job>('GET', `/api/v1/jobs/${id}`)).body;
      expect(job.status).toBe('CANCELLED');
      expect(job.error).toContain('purged');
    }
    expect((await json<PurgeResult>('POST', '/api/v1/queues/email/purge')).body).toEqual({ kind: 'email', purged: 0, cancelled: 0 });
  });

  it('leaves a job that runs elsewhere alone when it purges a leftover first copy of its message', async () => {
    const job = (await json<Job>('POST', '/api/v1/jobs', { kind: 'email', payload: {} })).body;
    await eventually(() => queueOf('email'), (queue) => queue.ready === 1, 10_000, 'one ready');
    const redis = new Redis(TEST_SERVICES.redisUrl);
    try {
      const status = new StatusScript(redis, namesFor(app.namespace), { terminalTtlSeconds: 60, streamMaxLength: 1000 });
      await status.write(job.id, { status: 'STARTED', at: new Date().toISOString(), worker: 'elsewhere/1', guard: 'live', emit: true });
    } finally {
      redis.disconnect();
    }
    expect((await json<PurgeResult>('POST', '/api/v1/queues/email/purge')).body).toEqual({ kind: 'email', purged: 1, cancelled: 0 });
    expect((await json<Job>('GET', `/api/v1/jobs/${job.id}`)).body.status).toBe('STARTED');
  });
});

describe('GET /api/v1/settings', () => {
  it('names the connections in use with every password masked', async () => {
    const { status, body } = await json<Record<string, string>>('GET', '/api/v1/settings');
    expect(status).toBe(200);
    expect(body.namespace).toBe(app.namespace);
    expect(body.api_url).toBe(app.url);
    expect(body.amqp_url).toMatch(/^amqp:\/\/guest:\*+@/);
    expect(JSON.stringify(body)).not.toContain(':guest@');
    expect(body.smtp_url).toMatch(/^smtp:\/\/127\.0\.0\.1:\d+$/);
  });
});
