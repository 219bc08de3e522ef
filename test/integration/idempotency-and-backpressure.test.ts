import amqp from 'amqplib';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src-shared/job';
import { namesFor } from '../../src-shared/topology';
import { TEST_SERVICES } from '../support/namespace';
import { startTestConsole, type TestConsole } from '../support/console';

// No workers and a small queue limit: jobs stay queued, so the limit is reached and counted.
const MAX_QUEUED = 4;
let app: TestConsole;
let redis: Redis;

beforeAll(async () => {
  app = await startTestConsole({ JOBDECK_MAX_QUEUED: String(MAX_QUEUED) }, false);
  redis = new Redis(TEST_SERVICES.redisUrl);
});
afterAll(async () => {
  redis?.disconnect();
  await app?.dispose();
});

const submit = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${app.url}/api/v1/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

async function queueDepth(kind: 'log' | 'callback' | 'email'): Promise<number> {
  const connection = await amqp.connect(TEST_SERVICES.amqpUrl);
  try {
    const channel = await connection.createChannel();
    return (await channel.checkQueue(namesFor(app.namespace).queue(kind))).messageCount;
  } finally {
    await connection.close();
  }
}

async function jobKeys(): Promise<number> {
  return (await redis.keys(`${app.namespace}:job:*`)).length;
}

async function expectProblem(response: Response, status: number, field?: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (await response.json()) as { status: number; title: string; errors?: { field: string }[] };
  expect(body.status).toBe(status);
  expect(body.title).toEqual(expect.any(String));
  if (field) expect(body.errors?.map((e) => e.field)).toContain(field);
  return body;
}

describe('Idempotency-Key', () => {
  it('replays the first answer for the same key and body, with the same job ID', async () => {
    const before = await queueDepth('email');
    const body = { kind: 'email', payload: { subject: 'once', body: 'only once' } };
    const first = await submit(body, { 'idempotency-key': 'order-1' });
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const job = (await first.json()) as Job;

    // Same body with its keys in another order is the same request.
    const again = await submit({ payload: { body: 'only once', subject: 'once' }, kind: 'email' }, { 'idempotency-key': 'order-1' });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('location')).toBe(`/api/v1/jobs/${job.id}`);
    expect(((await again.json()) as Job).id).toBe(job.id);
    expect(await queueDepth('email')).toBe(before + 1);
  });

  it('refuses the same key with another body as a 422 naming the header, creating nothing', async () => {
    const first = await submit({ kind: 'email', payload: { subject: 'a' } }, { 'idempotency-key': 'order-2' });
    expect(first.status).toBe(202);
    const keysBefore = await jobKeys();
    const other = await submit({ kind: 'email', payload: { subject: 'b' } }, { 'idempotency-key': 'order-2' });
    await expectProblem(other, 422, 'idempotency-key');
    expect(await jobKeys()).toBe(keysBefore);
  });

  it('creates exactly one job for concurrent duplicates', async () => {
    const before = await queueDepth('callback');
    const body = { kind: 'callback', payload: { duration_ms: 1 } };
    const answers = await Promise.all(Array.from({ length: 12 }, () => submit(body, { 'idempotency-key': 'burst-1' })));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(202));
    const ids = new Set(await Promise.all(answers.map(async (a) => ((await a.json()) as Job).id)));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(11);
    expect(await queueDepth('callback')).toBe(before + 1);
  });

  // A key that is empty, too long or not printable ASCII: test/unit/main/job-routes.test.ts.
  it('refuses an empty key by name', async () => {
    await expectProblem(await submit({ kind: 'log', payload: { client_time: 1 } }, { 'idempotency-key': '' }), 400, 'idempotency-key');
  });

  it('releases the key when the first attempt failed, so the retry runs afresh', async () => {
    // An unroutable kind is impossible through the API; a deleted queue makes the broker return the job (503).
    const connection = await amqp.connect(TEST_SERVICES.amqpUrl);
    const channel = await connection.createChannel();
    await channel.deleteQueue(namesFor(app.namespace).queue('log'));
    await connection.close();
    const body = { kind: 'log', payload: { client_time: 1569177495 } };
    const failed = await submit(body, { 'idempotency-key': 'retry-me' });
    await expectProblem(failed, 503);
    expect(failed.headers.get('retry-after')).toEqual(expect.any(String));
    expect(await redis.exists(`${app.namespace}:idem:retry-me`)).toBe(0);
    // The publisher declared the queue again on the return: the retry is accepted, not replayed.
    const retried = await submit(body, { 'idempotency-key': 'retry-me' });
    expect(retried.status).toBe(202);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
  });
});

describe('backpressure', () => {
  it(`refuses a job with 429 and Retry-After once ${MAX_QUEUED} of its kind wait, on both APIs and to an operator's retry, creating nothing`, async () => {
    const depth = await queueDepth('log');
    const accepted: string[] = [];
    for (let i = depth; i < MAX_QUEUED; i++) {
      const answer = await submit({ kind: 'log', payload: { client_time: i } });
      expect(answer.status).toBe(202);
      accepted.push(((await answer.json()) as { id: string }).id);
    }
    const keysBefore = await jobKeys();
    const refused = await submit({ kind: 'log', payload: { client_time: 1 } });
    await expectProblem(refused, 429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const book = await fetch(`${app.url}/job/database?client_time=1569177495`);
    await expectProblem(book, 429);
    // Still refused once the count comes from the broker again.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await expectProblem(await submit({ kind: 'log', payload: { client_time: 2 } }), 429);
    // An operator's retry is a submission too: refused while the queue is full, the job unchanged.
    const cancelled = accepted.at(-1)!;
    expect((await fetch(`${app.url}/api/v1/jobs/${cancelled}/cancel`, { method: 'POST' })).status).toBe(200);
    await expectProblem(await fetch(`${app.url}/api/v1/jobs/${cancelled}/retry`, { method: 'POST' }), 429);
    expect(((await (await fetch(`${app.url}/api/v1/jobs/${cancelled}`)).json()) as { status: string }).status).toBe('CANCELLED');
    expect(await queueDepth('log')).toBe(MAX_QUEUED);
    expect(await jobKeys()).toBe(keysBefore);
    // Another kind's queue has room.
    expect((await submit({ kind: 'email', payload: {} })).status).toBe(202);
  });
});
