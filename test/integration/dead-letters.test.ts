import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeadLetter, DeadLetterPreview } from '../../src-shared/dead-letter-schemas';
import type { Job, Page } from '../../src-shared/job';
import type { Operation } from '../../src-shared/operation-schemas';
import { namesFor } from '../../src-shared/topology';
import { startConsole, type RunningConsole } from '../../src-main/console';
import { eventually, startTestConsole, type TestConsole } from '../support/console';
import { queuedOrUnacked, withChannel } from '../support/broker';
import { TEST_SERVICES, dropNamespace, testDatabaseConfig, uniqueNamespace } from '../support/namespace';
import { TcpProxy } from '../support/tcp-proxy';
import { Receiver } from '../support/receiver';
import { DeadLetterDrain } from '../../src-main/dead-letters/dead-letter-drain';

const SECRET = `whsec_${Buffer.alloc(32, 5).toString('base64')}`;

let pool: pg.Pool;
beforeAll(() => {
  pool = new pg.Pool(testDatabaseConfig());
});
afterAll(async () => {
  await pool?.end();
});

async function post<T>(base: string, path: string, body: unknown, status: number): Promise<T> {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status, await response.clone().text()).toBe(status);
  return (await response.json()) as T;
}

async function get<T>(base: string, path: string, status = 200): Promise<T> {
  const response = await fetch(`${base}${path}`);
  expect(response.status, await response.clone().text()).toBe(status);
  return (await response.json()) as T;
}

const deadLetters = (base: string, query = '') => get<Page<DeadLetter>>(base, `/api/v1/dead-letters${query}`);

/** Runs a dead-letter action as the console does: the dry run, then the start with its count, until the operation ends. */
async function act(base: string, action: 'requeue' | 'discard', target: { ids: string[] } | { query: string }): Promise<{ preview: DeadLetterPreview; done: Operation }> {
  const preview = await post<DeadLetterPreview>(base, `/api/v1/dead-letters/${action}`, { ...target, dry_run: true }, 200);
  const started = await post<Operation>(base, `/api/v1/dead-letters/${action}`, { ...target, expected: preview.matched }, 202);
  expect(started.action).toBe(action);
  const done = await eventually(() => get<Operation>(base, `/api/v1/operations/${started.id}`), (op) => op.status !== 'running', 20_000, `the ${action} done`);
  return { preview, done };
}

/** Publishes a message straight into a kind's dead-letter queue, as a worker does. */
function deadLetter(namespace: string, kind: string, body: string, headers: Record<string, unknown>, timestamp = Math.floor(Date.now() / 1000)): Promise<void> {
  return withChannel(async (channel) => {
    channel.sendToQueue(namesFor(namespace).deadQueue(kind), Buffer.from(body), { persistent: true, headers, timestamp });
    await channel.close();
  });
}

function jobMessage(kind: string, type: string, attempts: number, error: string): [string, Record<string, unknown>] {
  const id = crypto.randomUUID();
  const body = { v: 1, uuid: id, type, kind, extra_data: { subject: error }, created_at: new Date().toISOString(), attempt: attempts };
  return [JSON.stringify(body), { 'x-jobdeck-error': error, 'x-jobdeck-attempts': attempts }];
}

describe('dead letters over the real services', () => {
  let app: TestConsole;
  const receiver = new Receiver();
  beforeAll(async () => {
    await receiver.reserve();
    app = await startTestConsole({ JOBDECK_WORKERS: 'A=0,B=1,C=0' });
  });
  afterAll(async () => {
    await receiver.close();
    await app?.dispose();
  });

  it('drains a job that failed for good without its secret, and requeue retries it with a fresh budget, signed', async () => {
    const payload = { callback_url: `http://127.0.0.1:${receiver.port}/hook`, duration_ms: 0, secret: SECRET };
    const job = await post<Job>(app.url, '/api/v1/jobs', { kind: 'callback', payload, max_attempts: 1 }, 202);
    // The status shown is the history's, which follows the worker's FAILED a moment after the message died.
    const isFailed = (page: Page<DeadLetter>) => page.items[0]?.job_status === 'FAILED';
    const [letter] = (await eventually(() => deadLetters(app.url, `?q=id:${job.id}`), isFailed, 30_000, 'the dead letter')).items;
    expect(letter).toMatchObject({ job_id: job.id, kind: 'callback', attempts: 1, job_status: 'FAILED', payload: { duration_ms: 0 } });
    expect(letter!.error).toMatch(/ECONNREFUSED|refused|connect/i);
    expect(letter!.headers).toMatchObject({ 'x-jobdeck-attempts': 1 });
    expect(JSON.parse(letter!.body)).toMatchObject({ uuid: job.id, kind: 'callback' });
    // The secret is in no column of the row (nor in the queue any more: it was drained).
    const { rows } = await pool.query(`SELECT d::text AS row, encode(body, 'escape') AS body FROM "${app.namespace}".dead_letters d`);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(SECRET.slice(6, 30));
    expect(await queuedOrUnacked(namesFor(app.namespace).deadQueue('callback'))).toBe(0);

    await receiver.open();
    const { preview, done } = await act(app.url, 'requeue', { ids: [letter!.id] });
    expect(preview).toMatchObject({ matched: 1, would_change: 1, would_skip: {} });
    expect(done).toMatchObject({ status: 'done', changed: 1, skipped: 0, failed: 0 });
    const retried = await eventually(() => get<Job>(app.url, `/api/v1/jobs/${job.id}`), (j) => j.status === 'DONE', 30_000, 'the job DONE');
    expect(retried.attempts).toBe(2);
    expect(retried.max_attempts).toBe(2);
    // Signed with the secret Redis kept with the job's status.
    const delivery = receiver.requests.at(-1)!;
    expect(() => new Webhook(SECRET).verify(delivery.body, delivery.headers as Record<string, string>)).not.toThrow();
    expect((await deadLetters(app.url, `?q=id:${job.id}`)).items).toEqual([]);
  });

  it('stores a redelivered message once, refuses to requeue what is not a job, and discards by query', async () => {
    const [body, headers] = jobMessage('email', 'C', 3, 'twice over');
    const at = Math.floor(Date.now() / 1000);
    await deadLetter(app.namespace, 'email', body, headers, at);
    await deadLetter(app.namespace, 'email', body, headers, at);
    await deadLetter(app.namespace, 'log', 'not json at all', { 'x-jobdeck-error': 'not a job: body is not JSON' });
    await eventually(() => queuedOrUnacked(namesFor(app.namespace).deadQueue('email')), (n) => n === 0, 15_000, 'the email dead letters drained');
    const twice = await eventually(() => deadLetters(app.url, '?q=error:"twice over"'), (page) => page.items.length > 0, 15_000, 'the stored message');
    expect(twice.items).toHaveLength(1);
    expect(twice.items[0]).toMatchObject({ kind: 'email', attempts: 3, job_status: null, error: 'twice over' });
    const notJob = await eventually(() => deadLetters(app.url, '?kind=A'), (page) => page.items.length === 1, 15_000, 'the malformed message');
    expect(notJob.items[0]).toMatchObject({ job_id: null, attempts: null, body: 'not json at all', error: 'not a job: body is not JSON' });

    const requeued = await act(app.url, 'requeue', { query: 'kind:log' });
    expect(requeued.preview).toMatchObject({ matched: 1, would_change: 0, would_skip: { 'not a job': 1 } });
    expect(requeued.done).toMatchObject({ status: 'done', changed: 0, skipped: 1 });
    expect((await deadLetters(app.url, '?kind=log')).items).toHaveLength(1);

    const discarded = await act(app.url, 'discard', { query: '"not a job" OR error:"twice over"' });
    expect(discarded.preview).toMatchObject({ matched: 2, would_change: 2 });
    expect(discarded.done).toMatchObject({ status: 'done', changed: 2 });
    expect((await deadLetters(app.url, '?kind=log')).items).toEqual([]);
    expect((await deadLetters(app.url, '?q=error:"twice over"')).items).toEqual([]);
  });

  it('answers 400 naming the field and rule for what does not apply', async () => {
    const bad = async (path: string, body?: unknown) => {
      const response = body === undefined ? await fetch(`${app.url}${path}`) : await fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status).toBe(400);
      return ((await response.json()) as { errors: { field: string; rule: string }[] }).errors[0];
    };
    expect(await bad('/api/v1/dead-letters?q=status:FAILED')).toMatchObject({ field: 'q', rule: 'field' });
    expect(await bad('/api/v1/dead-letters?q=kind:(')).toMatchObject({ field: 'q', rule: 'syntax' });
    expect(await bad('/api/v1/dead-letters?cursor=nope')).toMatchObject({ field: 'cursor', rule: 'format' });
    expect(await bad('/api/v1/dead-letters/requeue', { ids: ['x'] })).toMatchObject({ field: 'ids.0' });
    expect(await bad('/api/v1/dead-letters/discard', { query: 'batch:1', dry_run: true })).toMatchObject({ field: 'query', rule: 'field' });
    expect(await bad('/api/v1/dead-letters/discard', { query: '' })).toMatchObject({ field: 'expected', rule: 'required' });
    expect(await bad('/api/v1/dead-letters/discard', {})).toMatchObject({ field: 'query', rule: 'one-of' });
  });

  it('pages newest first with an opaque cursor', async () => {
    const base = Math.floor(Date.now() / 1000) - 100;
    for (let n = 0; n < 5; n++) {
      const [body, headers] = jobMessage('email', 'C', 1, `page me ${n}`);
      await deadLetter(app.namespace, 'email', body, headers, base + n);
    }
    await eventually(() => deadLetters(app.url, '?q="page me"'), (page) => page.items.length === 5, 15_000, 'five dead letters');
    const first = await deadLetters(app.url, '?q="page me"&limit=3');
    expect(first.items.map((d) => d.error)).toEqual(['page me 4', 'page me 3', 'page me 2']);
    const second = await deadLetters(app.url, `?q="page me"&limit=3&cursor=${first.next_cursor!}`);
    expect(second.items.map((d) => d.error)).toEqual(['page me 1', 'page me 0']);
    expect(second.next_cursor).toBeNull();
    await act(app.url, 'discard', { query: '"page me"' });
  });
});

describe('the drain across a restart and an outage', () => {
  it('drains what died while the console was stopped, once', async () => {
    const app = await startTestConsole({ JOBDECK_WORKERS: 'A=0,B=0,C=0' }, false);
    let again: RunningConsole | null = null;
    try {
      await app.close();
      const messages = [jobMessage('email', 'C', 2, 'while stopped'), jobMessage('log', 'A', 1, 'while stopped')];
      for (const [body, headers] of messages) await deadLetter(app.namespace, body.includes('"email"') ? 'email' : 'log', body, headers);
      // A redelivery of the first, as after a crash between insert and ack.
      await deadLetter(app.namespace, 'email', messages[0]![0], messages[0]![1]);
      expect(await queuedOrUnacked(namesFor(app.namespace).deadQueue('email'))).toBe(2);
      again = await startConsole({ config: app.config, workerEntry: null });
      const drained = await eventually(() => deadLetters(again!.url, '?q="while stopped"'), (page) => page.items.length === 2, 15_000, 'both drained');
      expect(drained.items.map((d) => d.kind).sort()).toEqual(['email', 'log']);
      await eventually(() => queuedOrUnacked(namesFor(app.namespace).deadQueue('email')), (n) => n === 0, 10_000, 'the queue empty');
      const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${app.namespace}".dead_letters`);
      expect(rows[0]!.n).toBe(2);
    } finally {
      await again?.close();
      await dropNamespace(app.namespace);
    }
  });

  it('pauses between tries while its store refuses: no hot loop, the message stays in its queue', async () => {
    const names = namesFor(uniqueNamespace());
    const queue = names.deadQueue('email');
    await withChannel(async (channel) => {
      await channel.assertQueue(queue, { durable: true });
      channel.sendToQueue(queue, Buffer.from('{}'), { headers: { 'x-jobdeck-error': 'refused store' } });
      await channel.close();
    });
    let tries = 0;
    const drain = new DeadLetterDrain({
      url: TEST_SERVICES.amqpUrl,
      names,
      kinds: async () => ['email'],
      store: {
        insert: async () => {
          tries++;
          throw new Error('PostgreSQL is down');
        },
      },
      onLog: () => undefined,
      pauseMs: 500,
    });
    try {
      await drain.start();
      await new Promise((resolve) => setTimeout(resolve, 2_600));
      // One try, then one every pause (500 ms): about 6, never hundreds.
      expect(tries).toBeGreaterThanOrEqual(3);
      expect(tries).toBeLessThanOrEqual(8);
    } finally {
      await drain.close();
    }
    expect(await queuedOrUnacked(queue)).toBe(1);
    await withChannel((channel) => channel.deleteQueue(queue));
  });

  it('leaves messages in the queue while PostgreSQL is down, without spinning, and drains them after', async () => {
    const url = new URL(TEST_SERVICES.databaseUrl);
    const proxy = new TcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    await proxy.listen();
    const app = await startTestConsole({ JOBDECK_WORKERS: 'A=0,B=0,C=0', DATABASE_URL: proxy.urlFor(TEST_SERVICES.databaseUrl) }, false);
    try {
      proxy.cut();
      const [body, headers] = jobMessage('email', 'C', 1, 'during the outage');
      await deadLetter(app.namespace, 'email', body, headers);
      const queue = namesFor(app.namespace).deadQueue('email');
      // The drain takes it, fails to store it, gives it back and pauses: it stays in the queue.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(await queuedOrUnacked(queue)).toBe(1);
      const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${app.namespace}".dead_letters`);
      expect(rows[0]!.n).toBe(0);
      const response = await fetch(`${app.url}/api/v1/dead-letters`);
      expect(response.status).toBe(503);
      proxy.heal();
      await eventually(() => deadLetters(app.url, '?q="during the outage"'), (page) => page.items.length === 1, 20_000, 'drained after the outage');
      expect(await queuedOrUnacked(queue)).toBe(0);
    } finally {
      proxy.heal();
      await app.dispose();
      await proxy.close();
    }
  });
});
