import amqp from 'amqplib';
import { Redis } from 'ioredis';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Batch, BatchAccepted } from '../../src-shared/batch-schemas';
import { RECORD_CHILD_SCRIPT } from '../../src-main/batches/batch-tracker';
import { namesFor } from '../../src-shared/topology';
import { TEST_SERVICES } from '../support/namespace';
import { startConsole, type RunningConsole } from '../../src-main/console';
import { SOURCE_WORKER_ENTRY, eventually, startTestConsole, type TestConsole } from '../support/console';
import { WebhookReceiver } from '../support/webhook-receiver';

let app: TestConsole;
let redis: Redis;
let receiver: WebhookReceiver;
/** The console started again on the same namespace, once the restart test has run. */
let restarted: RunningConsole | null = null;
const url = (): string => (restarted ?? app).url;

beforeAll(async () => {
  app = await startTestConsole({ JOBDECK_WORKERS: 'A=3,B=2,C=0' });
  expect(await app.supervisor!.whenReady(30_000)).toBe(true);
  redis = new Redis(TEST_SERVICES.redisUrl);
  receiver = await new WebhookReceiver().start();
});
afterAll(async () => {
  await receiver?.close();
  redis?.disconnect();
  await restarted?.close();
  await app?.dispose();
});

const post = (path: string, body: unknown) =>
  fetch(`${url()}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function batchEventsOf(id: string): Promise<number> {
  const entries = await redis.xrange(namesFor(app.namespace).eventStream, '-', '+');
  return entries.filter(([, fields]) => fields[0] === 'batch' && JSON.parse(fields[1]!).batch_id === id).length;
}

async function completed(id: string): Promise<Batch> {
  return eventually(async () => {
    const batch = (await (await fetch(`${url()}/api/v1/batches/${id}`)).json()) as Batch;
    return batch.status === 'COMPLETED' && batch.callback?.state === 'delivered' ? batch : undefined;
  }, 45_000, `batch ${id} to fan in`);
}

function callbacksFor(id: string) {
  return receiver.received.filter((r) => JSON.parse(r.body).data.id === id);
}

describe('POST /api/v1/batches refuses bad input and creates nothing', () => {
  it.each([
    [{ jobs: [] }, 'jobs', 'min'],
    [{ jobs: [{ kind: 'log', payload: { client_time: 1 } }, { kind: 'fax' }] }, 'jobs.1.kind', 'enum'],
    [
      { jobs: [{ kind: 'log', payload: { client_time: 1 } }, { kind: 'log', payload: { client_time: 2 } }, { kind: 'email', payload: { email_address: 'nope' } }] },
      'jobs.2.payload.email_address',
      'format',
    ],
    [{ jobs: [{ kind: 'log', payload: { client_time: 1 } }], on_complete: { callback_url: 'file:///etc/passwd' } }, 'on_complete.callback_url', 'format'],
  ])('%j → 400 naming %s (%s)', async (body, field, rule) => {
    const response = await post('/api/v1/batches', body);
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors: { field: string; rule: string }[] };
    expect(problem.errors).toContainEqual(expect.objectContaining({ field, rule }));
    expect(await redis.keys(`${app.namespace}:job:*`)).toEqual([]);
    const list = (await (await fetch(`${url()}/api/v1/batches`)).json()) as { items: unknown[] };
    expect(list.items).toEqual([]);
  });
});

describe('fan-out and fan-in', () => {
  it('fans in exactly once when children finish together, with a signed callback of every result', async () => {
    const jobs = Array.from({ length: 9 }, () => ({ kind: 'A', payload: { client_time: 1569177495 } }));
    const response = await post('/api/v1/batches', { jobs, on_complete: { callback_url: `${receiver.url}/fan-in` } });
    expect(response.status).toBe(202);
    const accepted = (await response.json()) as BatchAccepted;
    expect(accepted.job_ids).toHaveLength(9);
    expect(accepted.secret).toMatch(/^whsec_/);
    const batch = await completed(accepted.id);
    expect(batch).toMatchObject({ total: 9, counts: { DONE: 9 }, progress: 100 });
    expect(batch.jobs.every((child) => child.status === 'DONE' && child.result !== null)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const callbacks = callbacksFor(accepted.id);
    expect(callbacks).toHaveLength(1);
    const payload = new Webhook(accepted.secret!).verify(callbacks[0]!.body, callbacks[0]!.headers as Record<string, string>) as {
      type: string;
      data: Batch;
    };
    expect(payload.type).toBe('batch.COMPLETED');
    expect(payload.data.jobs.map((c) => c.id)).toEqual(accepted.job_ids);
    expect(await batchEventsOf(accepted.id)).toBe(1);
    const listed = (await (await fetch(`${url()}/api/v1/batches?limit=1`)).json()) as { items: { id: string; status: string }[]; next_cursor: string | null };
    expect(listed.items).toEqual([expect.objectContaining({ id: accepted.id, status: 'COMPLETED' })]);
    expect((await fetch(`${url()}/api/v1/batches?cursor=nonsense`)).status).toBe(400);
  });

  it('lets only the call that empties the set claim the fan-in, however the last two race', async () => {
    const clients = [new Redis(TEST_SERVICES.redisUrl), new Redis(TEST_SERVICES.redisUrl)];
    const record = (client: number, pending: string, claim: string, child: string): Promise<number> =>
      clients[client]!.eval(RECORD_CHILD_SCRIPT, 2, pending, claim, child, '60') as Promise<number>;
    try {
      for (let round = 0; round < 50; round++) {
        const pending = `${app.namespace}:race:${round}:pending`;
        const claim = `${app.namespace}:race:${round}:fan-in`;
        await redis.sadd(pending, 'a', 'b');
        const outcomes = await Promise.all([
          record(0, pending, claim, 'a'),
          record(1, pending, claim, 'b'),
          record(0, pending, claim, 'b'),
        ]);
        expect(outcomes.filter((o) => o === 1)).toHaveLength(1);
      }
    } finally {
      for (const client of clients) client.disconnect();
    }
  });

  it('fans in exactly once across a worker SIGKILL mid-child', async () => {
    const jobs = Array.from({ length: 3 }, () => ({ kind: 'callback', payload: { duration_ms: 1_500 } }));
    const response = await post('/api/v1/batches', { jobs, on_complete: { callback_url: `${receiver.url}/fan-in` } });
    const accepted = (await response.json()) as BatchAccepted;
    const victim = await eventually(async () => {
      for (const id of accepted.job_ids) {
        const job = (await (await fetch(`${url()}/api/v1/jobs/${id}`)).json()) as { status: string; transitions: { worker: string }[] };
        if (job.status === 'IN PROGRESS') return Number(job.transitions.at(-1)!.worker.split('/').pop());
      }
      return undefined;
    }, 20_000, 'a child in progress');
    process.kill(victim, 'SIGKILL');
    const batch = await completed(accepted.id);
    expect(batch.counts).toEqual({ DONE: 3 });
    const attempts = await Promise.all(
      accepted.job_ids.map(async (id) => ((await (await fetch(`${url()}/api/v1/jobs/${id}`)).json()) as { attempts: number }).attempts),
    );
    expect(Math.max(...attempts)).toBeGreaterThan(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(callbacksFor(accepted.id)).toHaveLength(1);
    expect(await batchEventsOf(accepted.id)).toBe(1);
  });
});

describe('a batch the broker refuses', () => {
  it('answers 503 and ends every child CANCELLED', async () => {
    const connection = await amqp.connect(TEST_SERVICES.amqpUrl);
    try {
      const channel = await connection.createChannel();
      await channel.deleteQueue(namesFor(app.namespace).queue('email'));
    } finally {
      await connection.close();
    }
    const jobs = [
      { kind: 'callback', payload: { duration_ms: 5_000 } },
      { kind: 'callback', payload: { duration_ms: 5_000 } },
      { kind: 'email', payload: {} },
    ];
    const response = await post('/api/v1/batches', { jobs });
    expect(response.status).toBe(503);
    // This batch's children: the 5 s callbacks and the email (earlier tests made no others like them).
    const keys = await redis.keys(`${app.namespace}:job:*`);
    const jobsNow = await Promise.all(keys.map(async (key) => (await redis.hmget(key, 'kind', 'payload', 'status')).map((v) => JSON.parse(v!))));
    const children = jobsNow.filter(([kind, payload]) => kind === 'email' || payload.duration_ms === 5_000);
    expect(children.map(([kind]) => kind).sort()).toEqual(['callback', 'callback', 'email']);
    expect(children.map(([, , status]) => status)).toEqual(['CANCELLED', 'CANCELLED', 'CANCELLED']);
  });
});

describe('a batch across a restart of the console and the loss of its Redis keys', () => {
  it('still fans in exactly once', async () => {
    const jobs = Array.from({ length: 2 }, () => ({ kind: 'callback', payload: { duration_ms: 1_500 } }));
    const accepted = (await (await post('/api/v1/batches', { jobs, on_complete: { callback_url: `${receiver.url}/fan-in` } })).json()) as BatchAccepted;
    await app.close();
    for (const key of await redis.keys(`${app.namespace}:batch:*`)) await redis.del(key);
    restarted = await startConsole({ config: app.config, workerEntry: SOURCE_WORKER_ENTRY });
    const batch = await completed(accepted.id);
    expect(batch.counts).toEqual({ DONE: 2 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(callbacksFor(accepted.id)).toHaveLength(1);
    expect(await batchEventsOf(accepted.id)).toBe(1);
  });
});
