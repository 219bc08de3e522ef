import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Batch, BatchAccepted } from '../../src-shared/batch-schemas';
import { cancelQueuedChildren } from '../../src-main/batches/batch-service';
import { RECORD_CHILD_SCRIPT } from '../../src-main/batches/batch-tracker';
import type { StreamEvent } from '../../src-shared/events';
import type { Job } from '../../src-shared/job';
import { JobStatusClient } from '../../src-shared/node/status-store';
import { StatusScript } from '../../src-shared/node/status-script';
import { namesFor } from '../../src-shared/topology';
import { TEST_SERVICES, testDatabaseConfig } from '../support/namespace';
import { startConsole, type RunningConsole } from '../../src-main/console';
import { SOURCE_WORKER_ENTRY, eventually, startTestConsole, type TestConsole } from '../support/console';
import { readSse } from '../support/event-clients';
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
  return eventually(
    async () => (await (await fetch(`${url()}/api/v1/batches/${id}`)).json()) as Batch,
    (batch) => batch.status === 'COMPLETED' && batch.callback?.state === 'delivered',
    45_000,
    `batch ${id} to fan in`,
  );
}

function callbacksFor(id: string) {
  return receiver.received.filter((r) => JSON.parse(r.body).data.id === id);
}

// The refusals made before the batch service is asked are in test/unit/main/batch-routes.test.ts.
describe('POST /api/v1/batches refuses bad input and creates nothing', () => {
  it.each([
    [
      { jobs: [{ kind: 'log', payload: { client_time: 1 } }, { kind: 'log', payload: { client_time: 2 } }, { kind: 'email', payload: { email_address: 'nope' } }] },
      'jobs.2.payload.email_address',
      'format',
    ],
  ])('%j → 400 naming %s (%s)', async (body, field, rule) => {
    // What there is before, not nothing: the test holds in any order with the file's others.
    const jobKeys = () => redis.keys(`${app.namespace}:job:*`);
    const batchList = async () => ((await (await fetch(`${url()}/api/v1/batches`)).json()) as { items: unknown[] }).items;
    const [keysBefore, batchesBefore] = [await jobKeys(), await batchList()];
    const response = await post('/api/v1/batches', body);
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors: { field: string; rule: string }[] };
    expect(problem.errors).toContainEqual(expect.objectContaining({ field, rule }));
    expect(await jobKeys()).toEqual(keysBefore);
    expect(await batchList()).toEqual(batchesBefore);
  });
});

describe('fan-out and fan-in', () => {
  it('fans in exactly once when children finish together, with a signed callback of every result', async () => {
    const jobs = Array.from({ length: 9 }, () => ({ kind: 'A', payload: { client_time: 1569177495 } }));
    const [latest] = await redis.xrevrange(namesFor(app.namespace).eventStream, '+', '-', 'COUNT', 1);
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
    // The page (browser or window) hears the fan-in on the SSE feed.
    const isFanIn = (event: StreamEvent) => event.type === 'batch' && event.batch_id === accepted.id;
    const feed = await readSse(`${url()}/api/v1/events`, (seen) => seen.events.some(isFanIn), { 'last-event-id': latest?.[0] ?? '0-0' });
    expect(feed.events.find(isFanIn)).toMatchObject({ status: 'COMPLETED', counts: { DONE: 9 } });
    const listed = (await (await fetch(`${url()}/api/v1/batches?limit=1`)).json()) as { items: { id: string; status: string }[]; next_cursor: string | null };
    expect(listed.items).toEqual([expect.objectContaining({ id: accepted.id, status: 'COMPLETED' })]);
    expect((await fetch(`${url()}/api/v1/batches?cursor=nonsense`)).status).toBe(400);
  });

  it('creates one batch for a repeated Idempotency-Key, replaying the first answer', async () => {
    const body = { jobs: [{ kind: 'log', payload: { client_time: 1569177495 } }] };
    const send = () =>
      fetch(`${url()}/api/v1/batches`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'checkout-42' },
        body: JSON.stringify(body),
      });
    const first = await send();
    const again = await send();
    expect([first.status, again.status]).toEqual([202, 202]);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const [a, b] = (await Promise.all([first.json(), again.json()])) as { id: string; job_ids: string[] }[];
    expect(b).toEqual(a);
    const children = await redis.keys(`${app.namespace}:job:*`);
    for (const id of a!.job_ids) expect(children).toContain(`${app.namespace}:job:${id}`);
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

describe('a child retried while its siblings run', () => {
  it('keeps the batch open until the retried child ends, then fans in once; a retry after that is a 409 naming the batch', async () => {
    // No email workers here: the email child stays QUEUED until the test ends it.
    const jobs = [{ kind: 'email', payload: {} }, { kind: 'callback', payload: { duration_ms: 2_500 } }];
    const accepted = (await (await post('/api/v1/batches', { jobs, on_complete: { callback_url: `${receiver.url}/fan-in` } })).json()) as BatchAccepted;
    const [email, callback] = accepted.job_ids as [string, string];
    expect((await post(`/api/v1/jobs/${email}/cancel`, {})).status).toBe(200);
    expect((await post(`/api/v1/jobs/${email}/retry`, {})).status).toBe(200);
    // The callback child ends while the email child is QUEUED again: the fan-in claimed too early
    // gives the claim back, with the email child pending once more.
    const names = namesFor(app.namespace);
    await eventually(
      async () => ({
        job: (await (await fetch(`${url()}/api/v1/jobs/${callback}`)).json()) as Job,
        pending: await redis.smembers(names.batchKey(accepted.id, 'pending')),
        claimed: await redis.exists(names.batchKey(accepted.id, 'fan-in')),
      }),
      ({ job, pending, claimed }) => job.status === 'DONE' && pending.length === 1 && pending[0] === email && claimed === 0,
      20_000,
      'the early fan-in claim given back',
    );
    expect(((await (await fetch(`${url()}/api/v1/batches/${accepted.id}`)).json()) as Batch).status).toBe('RUNNING');
    expect((await post(`/api/v1/jobs/${email}/cancel`, {})).status).toBe(200);
    const batch = await completed(accepted.id);
    expect(batch.counts).toEqual({ DONE: 1, CANCELLED: 1 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(callbacksFor(accepted.id)).toHaveLength(1);
    expect(await batchEventsOf(accepted.id)).toBe(1);

    const refused = await post(`/api/v1/jobs/${email}/retry`, {});
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await refused.json()) as { type: string; detail: string };
    expect(problem.type).toBe('urn:jobdeck:problem:batch-completed');
    expect(problem.detail).toContain(accepted.id);
    expect(((await (await fetch(`${url()}/api/v1/jobs/${email}`)).json()) as Job).status).toBe('CANCELLED');
  });
});

describe('a batch the broker refuses', () => {
  it('answers 503, drops the batch and ends every child a worker did not start CANCELLED', async () => {
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
    const earlier = new Set(await redis.keys(`${app.namespace}:job:*`));
    const response = await post('/api/v1/batches', { jobs });
    expect(response.status).toBe(503);
    // This batch's children: the jobs made by this request.
    const keys = (await redis.keys(`${app.namespace}:job:*`)).filter((key) => !earlier.has(key));
    const children = await Promise.all(keys.map(async (key) => (await redis.hmget(key, 'kind', 'status', 'transitions')).map((v) => JSON.parse(v!))));
    expect(children.map(([kind]) => kind).sort()).toEqual(['callback', 'callback', 'email']);
    // CANCELLED, unless a worker had started it already: then it is left to run (never overwritten).
    for (const [, status, transitions] of children as [string, string, { status: string }[]][]) {
      const started = transitions.some((t) => t.status === 'STARTED');
      expect(started ? status !== 'CANCELLED' : status === 'CANCELLED').toBe(true);
    }
    const listed = (await (await fetch(`${url()}/api/v1/batches?limit=500`)).json()) as { items: BatchAccepted[] };
    expect(listed.items.filter((b) => b.job_ids.some((id) => keys.includes(namesFor(app.namespace).jobKey(id))))).toEqual([]);
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

describe('a batch is admitted and recorded whole before any child is published', () => {
  let small: TestConsole;
  let db: pg.Client;
  const postTo = (path: string, body: unknown) =>
    fetch(`${small.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const jobKeys = () => redis.keys(`${small.namespace}:job:*`);

  beforeAll(async () => {
    // No workers: what is published stays in the queues, three of a kind at most.
    small = await startTestConsole({ JOBDECK_MAX_QUEUED: '3' }, false);
    db = new pg.Client(testDatabaseConfig());
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await small?.dispose();
  });

  it('refuses (429) a batch one kind of which does not fit, and publishes none of its children', async () => {
    expect((await postTo('/api/v1/batches', { jobs: [{ kind: 'email', payload: {} }, { kind: 'email', payload: {} }] })).status).toBe(202);
    const before = (await jobKeys()).sort();
    const jobs = [{ kind: 'log', payload: { client_time: 1 } }, { kind: 'email', payload: {} }, { kind: 'email', payload: {} }];
    const response = await postTo('/api/v1/batches', { jobs });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await jobKeys()).sort()).toEqual(before);
    const list = (await (await fetch(`${small.url}/api/v1/batches`)).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(1);
  });

  it('publishes nothing when the batch cannot be recorded', async () => {
    const table = `"${small.namespace}".batches`;
    const before = (await jobKeys()).sort();
    await db.query(`ALTER TABLE ${table} ADD CONSTRAINT refuse_new_batches CHECK (false) NOT VALID`);
    try {
      const response = await postTo('/api/v1/batches', { jobs: [{ kind: 'log', payload: { client_time: 1 } }] });
      expect(response.status).toBeGreaterThanOrEqual(500);
    } finally {
      await db.query(`ALTER TABLE ${table} DROP CONSTRAINT refuse_new_batches`);
    }
    expect((await jobKeys()).sort()).toEqual(before);
    const connection = await amqp.connect(TEST_SERVICES.amqpUrl);
    try {
      const channel = await connection.createChannel();
      expect((await channel.checkQueue(namesFor(small.namespace).queue('log'))).messageCount).toBe(0);
    } finally {
      await connection.close();
    }
  });

  it('cancels only the children still QUEUED when it drops a batch: a started one is left to run', async () => {
    const names = namesFor(small.namespace);
    const client = new Redis(TEST_SERVICES.redisUrl);
    try {
      const limits = { terminalTtlSeconds: 60, streamMaxLength: 1000 };
      const [status, script] = [new JobStatusClient(client, names, limits), new StatusScript(client, names, limits)];
      const [queued, started] = [randomUUID(), randomUUID()];
      const at = new Date().toISOString();
      for (const id of [queued, started]) {
        await script.write(id, {
          status: 'QUEUED', at, worker: 'api', guard: 'create', emit: false,
          seed: { id, kind: 'log', type: 'A', payload: { client_time: '1' }, created_at: at },
        });
      }
      await script.write(started, { status: 'STARTED', at, worker: 'test', guard: 'live', emit: false });
      await cancelQueuedChildren(status, [queued, started], 'batch not accepted: test');
      expect((await status.read(queued))?.status).toBe('CANCELLED');
      expect((await status.read(started))?.status).toBe('STARTED');
    } finally {
      client.disconnect();
    }
  });
});
