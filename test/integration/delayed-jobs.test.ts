import pg from 'pg';
import { Redis } from 'ioredis';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src-main/config';
import { startConsole, type RunningConsole } from '../../src-main/console';
import type { Job, Page } from '../../src-shared/job';
import { namesFor } from '../../src-shared/topology';
import { withChannel } from '../support/broker';
import { SOURCE_WORKER_ENTRY, eventually, startTestConsole, testConsoleEnv, type TestConsole } from '../support/console';
import { TEST_SERVICES, dropNamespace, testDatabaseConfig, uniqueNamespace } from '../support/namespace';
import { StandaloneWorker } from '../support/standalone-worker';
import { Receiver } from '../support/receiver';
import { TcpProxy } from '../support/tcp-proxy';
import { endpoint } from '../support/worker-scenario';

/**
 * Delayed jobs against the real services (README "Delayed jobs"): SCHEDULED until their time,
 * then run once — across a console restart, a worker restart, a broker and a Redis outage, and
 * with two consoles promoting on one namespace.
 */
const LOG = { kind: 'log', payload: { client_time: 1569177495 } };

async function post(base: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
const jobAt = async (base: string, id: string): Promise<Job> => (await (await fetch(`${base}/api/v1/jobs/${id}`)).json()) as Job;
const startedAt = (job: Job): number => Date.parse(job.transitions.find((t) => t.status === 'STARTED')!.at);
const done = (base: string, id: string, timeoutMs = 20_000) => eventually(() => jobAt(base, id), (job) => job.status === 'DONE', timeoutMs, `job ${id} DONE`);

async function scheduled(base: string, body: Record<string, unknown>): Promise<Job> {
  const response = await post(base, '/api/v1/jobs', { ...LOG, ...body });
  expect(response.status).toBe(202);
  const job = (await response.json()) as Job;
  expect(job.status).toBe('SCHEDULED');
  return job;
}

/** A console on `namespace` (its own ports), with or without its workers, and overrides of its settings. */
function consoleOn(namespace: string, workers: string, env: Record<string, string> = {}): Promise<RunningConsole> {
  const config = loadConfig({ ...testConsoleEnv(namespace, workers), ...env });
  return startConsole({ config, workerEntry: workers.includes('=1') ? SOURCE_WORKER_ENTRY : null, log: () => undefined });
}

async function waitingRows(namespace: string): Promise<number> {
  const client = new pg.Client(testDatabaseConfig());
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${namesFor(namespace).schema}".scheduled_jobs`);
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

/** Runs `sql` on a connection of its own (a test's view of the namespace's tables). */
async function query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client(testDatabaseConfig());
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

const rowsOf = (namespace: string, id: string) =>
  query<{ job_id: string; due_at: Date; message: unknown; text: string }>(`SELECT job_id, due_at, message, s::text AS text FROM "${namesFor(namespace).schema}".scheduled_jobs s WHERE job_id = $1`, [id]);

/** The job's status in the history (what a search answers), once it is `status`. */
const historyReads = (base: string, id: string, status: string) =>
  eventually(async () => ((await (await fetch(`${base}/api/v1/jobs?q=id:${id}`)).json()) as Page<Job>).items[0]?.status, (s) => s === status, 10_000, `the history's ${status}`);

describe('on one console', () => {
  let app: TestConsole;
  beforeAll(async () => {
    app = await startTestConsole({ JOBDECK_WORKERS: 'A=1,B=0,C=0' });
  });
  afterAll(async () => {
    await app?.dispose();
  });

  it('keeps a job SCHEDULED (listed and searchable so) until run_at, then starts it at its time', async () => {
    const job = await scheduled(app.url, { delay_ms: 2_500 });
    expect(Date.parse(job.run_at!)).toBeGreaterThan(Date.now());
    expect(await waitingRows(app.namespace)).toBe(1);
    const search = await eventually(
      async () => ((await (await fetch(`${app.url}/api/v1/jobs?q=${encodeURIComponent('status:SCHEDULED')}`)).json()) as Page<Job>).items,
      (items) => items.some((item) => item.id === job.id),
      5_000,
      'the job in a search for status:SCHEDULED',
    );
    expect(search.every((item) => item.status === 'SCHEDULED')).toBe(true);
    const finished = await done(app.url, job.id);
    expect(startedAt(finished)).toBeGreaterThanOrEqual(Date.parse(job.run_at!));
    // Within 1 s on an idle machine (the bench measures it); a loaded test machine gets slack.
    expect(startedAt(finished) - Date.parse(job.run_at!)).toBeLessThan(3_000);
    expect(finished.transitions.map((t) => t.status)).toEqual(['SCHEDULED', 'QUEUED', 'STARTED', 'IN PROGRESS', 'DONE']);
    expect(finished.attempts).toBe(1);
    expect(await waitingRows(app.namespace)).toBe(0);
  });

  it('runs a job whose run_at is past, or delay_ms 0, at once: QUEUED, no run_at', async () => {
    for (const start of [{ run_at: '2020-01-01T00:00:00+02:00' }, { delay_ms: 0 }]) {
      const response = await post(app.url, '/api/v1/jobs', { ...LOG, ...start });
      const job = (await response.json()) as Job;
      expect(job).toMatchObject({ status: 'QUEUED', run_at: null });
      await done(app.url, job.id);
    }
  });

  it('cancels a SCHEDULED job: CANCELLED, its wait dropped, never started', async () => {
    const job = await scheduled(app.url, { delay_ms: 800 });
    const response = await post(app.url, `/api/v1/jobs/${job.id}/cancel`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as Job).status).toBe('CANCELLED');
    expect(await waitingRows(app.namespace)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await jobAt(app.url, job.id)).toMatchObject({ status: 'CANCELLED', attempts: 0 });
  });

  it('cancels a SCHEDULED job whose row a promoter holds: the cancel waits for it, and drops the wait', async () => {
    const job = await scheduled(app.url, { delay_ms: 3_600_000 });
    const holder = new pg.Client(testDatabaseConfig());
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT job_id FROM "${namesFor(app.namespace).schema}".scheduled_jobs WHERE job_id = $1 FOR UPDATE`, [job.id]);
      const answer = post(app.url, `/api/v1/jobs/${job.id}/cancel`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await holder.query('COMMIT');
      expect((await answer).status).toBe(200);
    } finally {
      await holder.end();
    }
    expect(await rowsOf(app.namespace, job.id)).toEqual([]);
    expect((await jobAt(app.url, job.id)).status).toBe('CANCELLED');
  });

  it('never runs a cancelled job whose row survived once Redis lost it: the history says CANCELLED, the row is dropped', async () => {
    const job = await scheduled(app.url, { delay_ms: 1_000 });
    const [row] = await rowsOf(app.namespace, job.id);
    expect((await post(app.url, `/api/v1/jobs/${job.id}/cancel`)).status).toBe(200);
    await historyReads(app.url, job.id, 'CANCELLED');
    // The row back, as a cancel whose delete failed left it; then Redis loses the job (TTL, restart).
    const names = namesFor(app.namespace);
    await query(`INSERT INTO "${names.schema}".scheduled_jobs (job_id, due_at, message) VALUES ($1, $2, $3)`, [job.id, row!.due_at, row!.message]);
    const redis = new Redis(TEST_SERVICES.redisUrl);
    await redis.del(names.jobKey(job.id));
    await query(`SELECT pg_notify($1, '0')`, [`${names.schema}.scheduled`]);
    await eventually(() => rowsOf(app.namespace, job.id), (rows) => rows.length === 0, 10_000, 'the row dropped');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await redis.exists(names.jobKey(job.id))).toBe(0);
    await redis.quit();
    expect(await jobAt(app.url, job.id)).toMatchObject({ status: 'CANCELLED', attempts: 0 });
  });

  it('cancels SCHEDULED jobs in a bulk operation through its cancel verb', async () => {
    const job = await scheduled(app.url, { delay_ms: 3_600_000 });
    const ids = [job.id];
    await eventually(
      async () => (await (await post(app.url, '/api/v1/operations', { action: 'cancel', ids, dry_run: true })).json()) as { would_change: number },
      (preview) => preview.would_change === 1,
      10_000,
      'the scheduled job counted as one to change',
    );
    expect((await post(app.url, '/api/v1/operations', { action: 'cancel', ids, expected: 1 })).status).toBe(202);
    await eventually(() => jobAt(app.url, job.id), (read) => read.status === 'CANCELLED', 15_000, 'CANCELLED by the operation');
    expect(await waitingRows(app.namespace)).toBe(0);
  });

  it('runs a SCHEDULED job now (200, QUEUED); 409 once it is not SCHEDULED; 404 for an unknown job', async () => {
    const job = await scheduled(app.url, { delay_ms: 3_600_000 });
    const response = await post(app.url, `/api/v1/jobs/${job.id}/run-now`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as Job).status).toBe('QUEUED');
    await done(app.url, job.id);
    expect(await waitingRows(app.namespace)).toBe(0);
    const again = await post(app.url, `/api/v1/jobs/${job.id}/run-now`);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { detail: string }).detail).toMatch(/only a job that is SCHEDULED can be run now/);
    expect((await post(app.url, '/api/v1/jobs/00000000-0000-4000-8000-000000000000/run-now')).status).toBe(404);
  });

  it('refuses bad start times with a 400 naming the field and rule, creating nothing (jobs nor batches)', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ run_at: '2030-01-01T00:00:00Z', delay_ms: 5 }, 'delay_ms', 'exclusive'],
      [{ run_at: new Date(Date.now() + 400 * 86_400_000).toISOString() }, 'run_at', 'max'],
      [{ run_at: '2030-01-01T00:00:00' }, 'run_at', 'format'],
      [{ delay_ms: -1 }, 'delay_ms', 'min'],
      [{ delay_ms: 366 * 86_400_000 }, 'delay_ms', 'max'],
      [{ delay_ms: 1.5 }, 'delay_ms', 'type'],
    ];
    const before = ((await (await fetch(`${app.url}/api/v1/jobs?limit=500`)).json()) as Page<Job>).items.length;
    for (const [start, field, rule] of cases) {
      const response = await post(app.url, '/api/v1/jobs', { ...LOG, ...start });
      expect(response.status, JSON.stringify(start)).toBe(400);
      expect(((await response.json()) as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ field, rule })]);
    }
    const batch = await post(app.url, '/api/v1/batches', { jobs: [{ ...LOG, delay_ms: 1_000 }, { ...LOG, delay_ms: -5 }] });
    expect(batch.status).toBe(400);
    expect(((await batch.json()) as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ field: 'jobs.1.delay_ms', rule: 'min' })]);
    expect(((await (await fetch(`${app.url}/api/v1/batches`)).json()) as Page<unknown>).items).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(((await (await fetch(`${app.url}/api/v1/jobs?limit=500`)).json()) as Page<Job>).items.length).toBe(before);
  });

  it('schedules a batch\'s children with their own start times', async () => {
    const response = await post(app.url, '/api/v1/batches', { jobs: [{ ...LOG, delay_ms: 2_000 }, LOG] });
    expect(response.status).toBe(202);
    const { job_ids } = (await response.json()) as { job_ids: string[] };
    expect((await jobAt(app.url, job_ids[0]!)).status).toBe('SCHEDULED');
    const [later, now] = await Promise.all(job_ids.map((id) => done(app.url, id)));
    expect(startedAt(later!)).toBeGreaterThanOrEqual(Date.parse(later!.run_at!));
    expect(now!.run_at).toBeNull();
  });

  it('runs a job whose status Redis lost (restarted empty): read from the history as SCHEDULED, promoted from its wait', async () => {
    const job = await scheduled(app.url, { delay_ms: 2_500 });
    // The recorder has the SCHEDULED event in the history before Redis "restarts".
    await eventually(
      async () => ((await (await fetch(`${app.url}/api/v1/jobs?q=id:${job.id}`)).json()) as Page<Job>).items[0]?.status,
      (status) => status === 'SCHEDULED',
      5_000,
    );
    const redis = new Redis(TEST_SERVICES.redisUrl);
    await redis.del(namesFor(app.namespace).jobKey(job.id));
    await redis.quit();
    expect((await jobAt(app.url, job.id)).status).toBe('SCHEDULED');
    const finished = await done(app.url, job.id);
    expect(finished.attempts).toBe(1);
    expect(startedAt(finished)).toBeGreaterThanOrEqual(Date.parse(job.run_at!));
  });
});

describe('a kind B job with a secret', () => {
  const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
  const receiver = new Receiver();
  let app: TestConsole;
  beforeAll(async () => {
    await receiver.reserve();
    await receiver.open();
    app = await startTestConsole({ JOBDECK_WORKERS: 'A=0,B=1,C=0' });
  });
  afterAll(async () => {
    await receiver.close();
    await app?.dispose();
  });

  it('keeps the secret out of its row, and signs the promoted callback with the secret Redis keeps', async () => {
    const payload = { callback_url: `http://127.0.0.1:${receiver.port}/hook`, duration_ms: 0, secret: SECRET };
    const job = await scheduled(app.url, { kind: 'callback', payload, delay_ms: 1_500 });
    const [row] = await rowsOf(app.namespace, job.id);
    expect(row!.text).toContain(job.id);
    expect(row!.text).not.toContain(SECRET.slice(6, 30));
    await done(app.url, job.id, 30_000);
    const delivery = receiver.requests.at(-1)!;
    expect(() => new Webhook(SECRET).verify(delivery.body, delivery.headers as Record<string, string>)).not.toThrow();
  });
});

describe('across restarts', () => {
  const namespace = uniqueNamespace();
  afterAll(async () => {
    await dropNamespace(namespace);
  });

  it('starts a job at its time after the console that took it stopped and another started on the namespace', async () => {
    const first = await consoleOn(namespace, 'A=0,B=0,C=0');
    const job = await scheduled(first.url, { delay_ms: 6_000 });
    await first.close();
    const second = await consoleOn(namespace, 'A=1,B=0,C=0');
    try {
      if (Date.now() < Date.parse(job.run_at!) - 500) expect((await jobAt(second.url, job.id)).status).toBe('SCHEDULED');
      const finished = await done(second.url, job.id);
      expect(startedAt(finished)).toBeGreaterThanOrEqual(Date.parse(job.run_at!));
      expect(finished.attempts).toBe(1);
    } finally {
      await second.close();
    }
  });

  it('starts a job at its time after its kind\'s worker restarted while it waited', async () => {
    const app = await consoleOn(namespace, 'A=0,B=0,C=0');
    const env = { AMQP_URL: TEST_SERVICES.amqpUrl, REDIS_URL: TEST_SERVICES.redisUrl, DATABASE_URL: TEST_SERVICES.databaseUrl, JOBDECK_NAMESPACE: namespace };
    let worker = new StandaloneWorker('A', env);
    try {
      await worker.line(/ready|consuming|waiting/i, 20_000).catch(() => undefined);
      const job = await scheduled(app.url, { delay_ms: 3_000 });
      await worker.stop();
      worker = new StandaloneWorker('A', env);
      const finished = await done(app.url, job.id);
      expect(startedAt(finished)).toBeGreaterThanOrEqual(Date.parse(job.run_at!));
      expect(finished.attempts).toBe(1);
    } finally {
      await worker.stop();
      await app.close();
    }
  });

  it('makes a second copy of a promoted job stale (a promoter that died between its publish and its delete): run once', async () => {
    const app = await consoleOn(namespace, 'A=0,B=0,C=0');
    const names = namesFor(namespace);
    const queueDepth = () => withChannel(async (channel) => (await channel.checkQueue(names.queue('log'))).messageCount);
    const client = new pg.Client(testDatabaseConfig());
    await client.connect();
    let worker: StandaloneWorker | null = null;
    try {
      const job = await scheduled(app.url, { delay_ms: 500 });
      const { rows } = await client.query(`SELECT due_at, message FROM "${names.schema}".scheduled_jobs WHERE job_id = $1`, [job.id]);
      await eventually(() => queueDepth(), (n) => n === 1, 10_000, 'the promoted message');
      // The row back, as a promoter that died before deleting it left it: the next claim publishes again.
      await client.query(`INSERT INTO "${names.schema}".scheduled_jobs (job_id, due_at, message) VALUES ($1, $2, $3)`, [job.id, rows[0].due_at, rows[0].message]);
      await client.query(`SELECT pg_notify($1, '0')`, [`${names.schema}.scheduled`]);
      await eventually(() => queueDepth(), (n) => n === 2, 10_000, 'the second copy');
      worker = new StandaloneWorker('A', { AMQP_URL: TEST_SERVICES.amqpUrl, REDIS_URL: TEST_SERVICES.redisUrl, DATABASE_URL: TEST_SERVICES.databaseUrl, JOBDECK_NAMESPACE: namespace });
      const finished = await done(app.url, job.id);
      await eventually(() => queueDepth(), (n) => n === 0, 10_000, 'both copies taken');
      await new Promise((resolve) => setTimeout(resolve, 500));
      const after = await jobAt(app.url, job.id);
      expect(after).toMatchObject({ status: 'DONE', attempts: 1, attempt_errors: [], version: finished.version });
      expect(after.transitions.filter((t) => t.status === 'STARTED')).toHaveLength(1);
    } finally {
      await worker?.stop();
      await client.end();
      await app.close();
    }
  });

  it('has two consoles on one namespace promote each job once', async () => {
    const own = uniqueNamespace();
    const [a, b] = [await consoleOn(own, 'A=0,B=0,C=0'), await consoleOn(own, 'A=0,B=0,C=0')];
    try {
      const runAt = new Date(Date.now() + 6_000).toISOString();
      const jobs = await Promise.all(Array.from({ length: 40 }, (_, i) => scheduled(i % 2 ? a.url : b.url, { run_at: runAt })));
      await eventually(() => waitingRows(own), (n) => n === 0, 20_000, 'every wait promoted');
      // No worker takes them: the queue holds exactly one message per job.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const queued = await withChannel(async (channel) => (await channel.checkQueue(namesFor(own).queue('log'))).messageCount);
      expect(queued).toBe(jobs.length);
      for (const job of jobs) expect((await jobAt(a.url, job.id)).transitions.filter((t) => t.status === 'QUEUED')).toHaveLength(1);
    } finally {
      await a.close();
      await b.close();
      await dropNamespace(own);
    }
  });
});

describe('through outages', () => {
  const proxies = {
    rabbitmq: new TcpProxy(endpoint(TEST_SERVICES.amqpUrl, 5672)),
    redis: new TcpProxy(endpoint(TEST_SERVICES.redisUrl, 6379)),
    postgres: new TcpProxy(endpoint(TEST_SERVICES.databaseUrl, 5432)),
  };
  let app: TestConsole;
  beforeAll(async () => {
    for (const proxy of Object.values(proxies)) await proxy.listen();
    app = await startTestConsole({
      JOBDECK_WORKERS: 'A=1,B=0,C=0',
      AMQP_URL: proxies.rabbitmq.urlFor(TEST_SERVICES.amqpUrl),
      REDIS_URL: proxies.redis.urlFor(TEST_SERVICES.redisUrl),
      DATABASE_URL: proxies.postgres.urlFor(TEST_SERVICES.databaseUrl),
    });
  });
  afterAll(async () => {
    for (const proxy of Object.values(proxies)) proxy.heal();
    await app?.dispose();
    for (const proxy of Object.values(proxies)) await proxy.close();
  });

  for (const service of ['rabbitmq', 'redis'] as const) {
    it(`runs a job that came due while ${service} was cut away, once, after it is back`, async () => {
      const job = await scheduled(app.url, { delay_ms: 1_500 });
      proxies[service].cut();
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(await waitingRows(app.namespace)).toBeGreaterThanOrEqual(service === 'redis' ? 1 : 0);
      proxies[service].heal();
      const finished = await done(app.url, job.id, 40_000);
      expect(finished.attempts).toBe(1);
      expect(finished.attempt_errors).toEqual([]);
      expect(finished.transitions.filter((t) => t.status === 'STARTED')).toHaveLength(1);
      expect(startedAt(finished)).toBeGreaterThanOrEqual(Date.parse(job.run_at!));
    }, 60_000);
  }

  it('refuses a cancel it cannot drop the wait of (PostgreSQL cut away): 503, the job still SCHEDULED with its wait', async () => {
    const job = await scheduled(app.url, { delay_ms: 3_600_000 });
    proxies.postgres.cut();
    try {
      const response = await post(app.url, `/api/v1/jobs/${job.id}/cancel`);
      expect(response.status).toBe(503);
      expect((await jobAt(app.url, job.id)).status).toBe('SCHEDULED');
    } finally {
      proxies.postgres.heal();
    }
    expect(await rowsOf(app.namespace, job.id)).toHaveLength(1);
    const again = await eventually(() => post(app.url, `/api/v1/jobs/${job.id}/cancel`), (r) => r.status === 200, 15_000, 'the cancel once PostgreSQL is back');
    expect(((await again.json()) as Job).status).toBe('CANCELLED');
    expect(await rowsOf(app.namespace, job.id)).toEqual([]);
  }, 30_000);
});
