import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import amqp from 'amqplib';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src-shared/job';
import { WORKER_LOST_ERROR } from '../../src-shared/node/status-store';
import { namesFor } from '../../src-shared/topology';
import { SOURCE_WORKER_ENTRY, eventually, startTestConsole, type TestConsole } from '../support/console';
import { TEST_SERVICES, testDatabaseConfig } from '../support/namespace';

/** A callback receiver: `/fail/<n>` answers 500 to a job's first n deliveries, then 200; `/switch` obeys `switchOk`. */
interface Receiver {
  url: string;
  /** Each delivery: its path, webhook-id, answer, time, headers and body. */
  deliveries: { path: string; id: string; status: number; at: number; headers: Record<string, string>; body: string }[];
  switchOk: boolean;
  server: Server;
}

async function startReceiver(): Promise<Receiver> {
  const receiver = { deliveries: [], switchOk: false } as unknown as Receiver;
  receiver.server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      const id = String(request.headers['webhook-id']);
      const earlier = receiver.deliveries.filter((d) => d.id === id).length;
      const failFirst = /^\/fail\/(\d+)$/.exec(path);
      const ok = failFirst ? earlier >= Number(failFirst[1]) : path === '/switch' ? receiver.switchOk : path !== '/down';
      const status = ok ? 200 : 500;
      const headers = request.headers as Record<string, string>;
      receiver.deliveries.push({ path, id, status, at: Date.now(), headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}`;
  return receiver;
}

let app: TestConsole;

interface DeadLetterItem {
  job_id: string | null;
  error: string | null;
  attempts: number | null;
  headers: Record<string, unknown>;
  body: string;
}

/** The kind B dead letters the console drained from the queue into PostgreSQL (README "Dead letters"). */
async function deadLetters(): Promise<DeadLetterItem[]> {
  const response = await fetch(`${app.url}/api/v1/dead-letters?kind=callback&limit=500`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: DeadLetterItem[] }).items;
}

const deadLettersOf = async (jobId: string): Promise<DeadLetterItem[]> => (await deadLetters()).filter((letter) => letter.job_id === jobId);

let receiver: Receiver;
let broker: amqp.ChannelModel;
let channel: amqp.Channel;

// Ladder 200, 400, 800 ms: small delays so the tests run fast.
beforeAll(async () => {
  receiver = await startReceiver();
  app = await startTestConsole({
    JOBDECK_WORKERS: 'A=1,B=1,C=0',
    JOBDECK_MAX_ATTEMPTS: '4',
    JOBDECK_RETRY_BASE_MS: '200',
    JOBDECK_RETRY_MAX_MS: '800',
  });
  expect(await app.supervisor!.whenReady(30_000)).toBe(true);
  broker = await amqp.connect(TEST_SERVICES.amqpUrl);
  channel = await broker.createChannel();
});
afterAll(async () => {
  await broker?.close();
  await app?.dispose();
  receiver?.server.close();
});

const post = (path: string, body?: unknown) =>
  fetch(`${app.url}${path}`, {
    method: 'POST',
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
const submit = async (body: unknown): Promise<Job> => {
  const answer = await post('/api/v1/jobs', body);
  expect(answer.status).toBe(202);
  return (await answer.json()) as Job;
};
const callbackJob = (path: string, extra: Record<string, unknown> = {}) =>
  submit({ kind: 'callback', payload: { callback_url: `${receiver.url}${path}`, duration_ms: 0 }, ...extra });
const jobOf = async (id: string) => (await (await fetch(`${app.url}/api/v1/jobs/${id}`)).json()) as Job;
const until = (id: string, status: Job['status'], timeoutMs = 15_000) =>
  eventually(() => jobOf(id), (job) => job.status === status, timeoutMs, `job ${id} to be ${status}`);
const deliveriesOf = (id: string) => receiver.deliveries.filter((d) => d.id === id);
const messagesIn = async (queue: string) => (await channel.checkQueue(queue)).messageCount;
const names = () => namesFor(app.namespace);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('retries with backoff', () => {
  it('retries a failed callback with growing delays, showing RETRYING and the next attempt, until it is DONE', async () => {
    const job = await callbackJob('/fail/2');
    expect(job).toMatchObject({ max_attempts: 4, next_attempt_at: null, attempt_errors: [] });
    const retrying = await until(job.id, 'RETRYING');
    expect(Date.parse(retrying.next_attempt_at!)).toBeGreaterThan(Date.parse(retrying.updated_at));
    expect(retrying.error).toMatch(/HTTP 500/);

    const done = await until(job.id, 'DONE');
    expect(done).toMatchObject({ attempts: 3, error: null, next_attempt_at: null });
    expect(done.attempt_errors.map((e) => e.attempt)).toEqual([1, 2]);
    for (const entry of done.attempt_errors) expect(entry.error).toMatch(/answered HTTP 500/);
    expect(done.transitions.map((t) => t.status).filter((s) => s === 'RETRYING')).toHaveLength(2);

    const recorded = await eventually(async () => {
      const page = (await (await fetch(`${app.url}/api/v1/jobs?kind=callback&status=DONE&limit=500`)).json()) as { items: Job[] };
      return page.items.find((item) => item.id === job.id && item.version === done.version);
    }, 10_000, 'the history to record the job');
    expect(recorded).toMatchObject({ max_attempts: 4, next_attempt_at: null, attempt_errors: done.attempt_errors });

    const [first, second, third] = deliveriesOf(job.id);
    expect(deliveriesOf(job.id).map((d) => d.status)).toEqual([500, 500, 200]);
    // Rung 1 is 200 ms (jittered over 100–200), rung 2 is 400 ms (200–400).
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(100);
    expect(third!.at - second!.at).toBeGreaterThanOrEqual(200);
  });

  it('dead-letters a job that always fails after the limit, or after the lower limit the job asked for', async () => {
    const byLimit = await callbackJob('/down');
    const lowered = await callbackJob('/down', { max_attempts: 2 });
    expect(lowered.max_attempts).toBe(2);

    const failedLow = await until(lowered.id, 'FAILED');
    expect(failedLow.attempts).toBe(2);
    expect(failedLow.attempt_errors.map((e) => e.attempt)).toEqual([1, 2]);
    expect(failedLow.error).toMatch(/HTTP 500/);
    const failed = await until(byLimit.id, 'FAILED');
    expect(failed.attempts).toBe(4);
    expect(failed.attempt_errors.map((e) => e.attempt)).toEqual([1, 2, 3, 4]);
    expect(deliveriesOf(byLimit.id)).toHaveLength(4);
    expect(deliveriesOf(lowered.id)).toHaveLength(2);
    // Each dead-lettered once, after its last attempt (the console drains the queue into its table).
    expect((await eventually(() => deadLettersOf(byLimit.id), (letters) => letters.length > 0)).map((l) => l.attempts)).toEqual([4]);
    expect((await eventually(() => deadLettersOf(lowered.id), (letters) => letters.length > 0)).map((l) => l.attempts)).toEqual([2]);
  });

  it('runs a dead job once more when an operator retries it, and the dead message never runs', async () => {
    const job = await callbackJob('/switch', { max_attempts: 2 });
    await until(job.id, 'FAILED');
    await eventually(() => deadLettersOf(job.id), (letters) => letters.length === 1);
    receiver.switchOk = true;

    const answer = await post(`/api/v1/jobs/${job.id}/retry`);
    expect(answer.status).toBe(200);
    const queued = (await answer.json()) as Job;
    expect(queued).toMatchObject({ status: 'QUEUED', attempts: 2, max_attempts: 4, error: null });

    const done = await until(job.id, 'DONE');
    expect(done.attempts).toBe(3);
    expect(done.attempt_errors).toHaveLength(2);
    await sleep(500);
    expect(deliveriesOf(job.id).map((d) => d.status)).toEqual([500, 500, 200]);
    expect(await deadLettersOf(job.id)).toHaveLength(1);

    const again = await post(`/api/v1/jobs/${job.id}/retry`);
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(((await again.json()) as { detail: string }).detail).toMatch(/is DONE/);
  });

  it("signs an operator's retry of a signed callback with the job's secret, which no answer shows", async () => {
    const secret = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
    const job = await submit({
      kind: 'callback',
      payload: { callback_url: `${receiver.url}/fail/1`, duration_ms: 0, secret },
      max_attempts: 1,
    });
    await until(job.id, 'FAILED');
    expect(await post(`/api/v1/jobs/${job.id}/retry`)).toHaveProperty('status', 200);
    const done = await until(job.id, 'DONE');
    expect(JSON.stringify(done)).not.toContain(secret);
    const deliveries = receiver.deliveries.filter((d) => d.id === job.id);
    expect(deliveries.map((d) => d.status)).toEqual([500, 200]);
    for (const delivery of deliveries) expect(() => new Webhook(secret).verify(delivery.body, delivery.headers)).not.toThrow();
  });

  it('cancels a job while it waits for a retry, and never runs it again', async () => {
    const job = await callbackJob('/down');
    await until(job.id, 'RETRYING');
    const answer = await post(`/api/v1/jobs/${job.id}/cancel`);
    expect(answer.status).toBe(200);
    expect((await answer.json()) as Job).toMatchObject({ status: 'CANCELLED', next_attempt_at: null });
    const seen = deliveriesOf(job.id).length;
    await sleep(1_200);
    expect(deliveriesOf(job.id)).toHaveLength(seen);
    expect((await jobOf(job.id)).status).toBe('CANCELLED');
  });
});

describe('operator actions and bad input', () => {
  it('cancels a queued job that no worker takes, and a worker started later acks it without running it', async () => {
    const job = await submit({ kind: 'email', payload: {} });
    const answer = await post(`/api/v1/jobs/${job.id}/cancel`);
    expect(answer.status).toBe(200);
    const cancelled = (await answer.json()) as Job;
    expect(cancelled.status).toBe('CANCELLED');
    expect((await post(`/api/v1/jobs/${job.id}/cancel`)).status).toBe(409);

    // A worker of kind C, sending to a port where no mail server listens: running the job would fail it.
    const worker = spawn(process.execPath, [...SOURCE_WORKER_ENTRY.execArgv, SOURCE_WORKER_ENTRY.modulePath, '--kind', 'C'], {
      env: {
        ...process.env,
        AMQP_URL: TEST_SERVICES.amqpUrl,
        REDIS_URL: TEST_SERVICES.redisUrl,
        DATABASE_URL: TEST_SERVICES.databaseUrl,
        SMTP_URL: 'smtp://127.0.0.1:9',
        JOBDECK_NAMESPACE: app.namespace,
        JOBDECK_MAX_ATTEMPTS: '4',
        JOBDECK_RETRY_BASE_MS: '200',
        JOBDECK_RETRY_MAX_MS: '800',
      },
      stdio: 'ignore',
    });
    try {
      await eventually(() => messagesIn(names().queue('email')), (count) => count === 0, 20_000, 'the email queue to drain');
      await sleep(300);
      const after = await jobOf(job.id);
      expect(after).toMatchObject({ status: 'CANCELLED', attempts: 0, version: cancelled.version });
    } finally {
      worker.kill('SIGTERM');
      await new Promise((resolve) => worker.once('exit', resolve));
    }
  });

  it('answers 404 for an unknown job, 409 for a status the action does not allow, 400 for a bad max_attempts', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const action of ['retry', 'cancel']) {
      const answer = await post(`/api/v1/jobs/${unknown}/${action}`);
      expect(answer.status).toBe(404);
      expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    const done = await submit({ kind: 'log', payload: { client_time: 1569177495 } });
    await until(done.id, 'DONE');
    const cancel = await post(`/api/v1/jobs/${done.id}/cancel`);
    expect(cancel.status).toBe(409);
    expect(((await cancel.json()) as { type: string }).type).toBe('urn:jobdeck:problem:job-status-conflict');
    expect((await post(`/api/v1/jobs/${done.id}/retry`)).status).toBe(409);

    for (const [value, rule] of [[0, 'min'], [5, 'max'], [1.5, 'type'], ['2', 'type']] as const) {
      const answer = await post('/api/v1/jobs', { kind: 'log', payload: { client_time: 1 }, max_attempts: value });
      expect(answer.status).toBe(400);
      const body = (await answer.json()) as { errors: { field: string; rule: string }[] };
      expect(body.errors).toEqual([expect.objectContaining({ field: 'max_attempts', rule })]);
    }
  });
});

describe('malformed messages', () => {
  it('puts a message that is not a job in the dead-letter queue of its kind, with the reason', async () => {
    const body = `{"v": 1, "uuid": "not-a-uuid", "n": "${randomUUID()}"}`;
    channel.publish(names().exchange, 'callback', Buffer.from(body), { persistent: true });
    // Drained from the queue into the console's table, as it came, with the reason in its header.
    const [letter] = await eventually(
      async () => (await deadLetters()).filter((l) => l.body === body),
      (letters) => letters.length === 1,
      10_000,
      'the dead letter',
    );
    expect(letter!.job_id).toBeNull();
    expect(letter!.headers['x-jobdeck-error']).toBe('not a job: uuid must be a UUID');
  });
});

describe('crashes', () => {
  it('writes one record when a kind A worker is killed mid-insert, and counts the rerun as an attempt', async () => {
    const table = `"${names().schema}".log_records`;
    const locker = new pg.Client(testDatabaseConfig());
    await locker.connect();
    try {
      // Holding the table's lock keeps the worker's INSERT waiting: the worker is killed mid-job.
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE ${table} IN EXCLUSIVE MODE`);
      const job = await submit({ kind: 'log', payload: { client_time: 1569177495 } });
      await until(job.id, 'IN PROGRESS');
      const victim = app.supervisor!.snapshot().find((w) => w.kinds.includes('log'))!.pid!;
      process.kill(victim, 'SIGKILL');
      await sleep(200);
      await locker.query('COMMIT');

      const done = await until(job.id, 'DONE', 30_000);
      expect(done.attempts).toBe(2);
      expect(done.attempt_errors).toEqual([{ attempt: 1, at: expect.any(String), error: WORKER_LOST_ERROR }]);
      const { rows } = await locker.query(`SELECT count(*)::int AS n FROM ${table} WHERE job_id = $1`, [job.id]);
      expect(rows[0].n).toBe(1);
    } finally {
      await locker.end();
    }
  });

  it('acks a second copy of a running job unrun: one attempt, one record', async () => {
    const table = `"${names().schema}".log_records`;
    const locker = new pg.Client(testDatabaseConfig());
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE ${table} IN EXCLUSIVE MODE`);
      const job = await submit({ kind: 'log', payload: { client_time: 1569177495 } });
      await until(job.id, 'IN PROGRESS');
      // A copy of the running attempt (a publisher's resend). A copy for attempt 2 would be run:
      // that message exists only once attempt 1 failed (see attempt-fencing.test.ts).
      const copy = { v: 1, uuid: job.id, type: 'A', kind: 'log', extra_data: job.payload, created_at: job.created_at, attempt: 1 };
      channel.publish(names().exchange, 'log', Buffer.from(JSON.stringify(copy)), { persistent: true });
      await eventually(() => messagesIn(names().queue('log')), (count) => count === 0, 10_000, 'the copies taken');
      await sleep(300);
      await locker.query('COMMIT');
      const done = await until(job.id, 'DONE');
      expect(done).toMatchObject({ attempts: 1, attempt_errors: [] });
      expect(done.transitions.filter((t) => t.status === 'STARTED')).toHaveLength(1);
      const { rows } = await locker.query(`SELECT count(*)::int AS n FROM ${table} WHERE job_id = $1`, [job.id]);
      expect(rows[0].n).toBe(1);
    } finally {
      await locker.end();
    }
  });

  it('keeps a job waiting for its retry in the broker while its worker is killed, then finishes it', async () => {
    const job = await callbackJob('/fail/1');
    await until(job.id, 'RETRYING');
    const victim = app.supervisor!.snapshot().find((w) => w.kinds.includes('callback'))!.pid!;
    process.kill(victim, 'SIGKILL');
    const done = await until(job.id, 'DONE', 30_000);
    expect(done.attempts).toBe(2);
    expect(deliveriesOf(job.id).map((d) => d.status)).toEqual([500, 200]);
  });

  it('fails a job whose worker died on its last attempt instead of running it again', async () => {
    const job = await submit({
      kind: 'callback',
      payload: { callback_url: `${receiver.url}/fail/0`, duration_ms: 3_000 },
      max_attempts: 1,
    });
    await until(job.id, 'IN PROGRESS');
    process.kill(app.supervisor!.snapshot().find((w) => w.kinds.includes('callback'))!.pid!, 'SIGKILL');
    const failed = await until(job.id, 'FAILED', 30_000);
    expect(failed.attempts).toBe(2);
    expect(failed.attempt_errors.map((e) => e.error)).toEqual([WORKER_LOST_ERROR, expect.stringMatching(/attempts are spent/)]);
    expect(deliveriesOf(job.id)).toHaveLength(0);
    expect(await eventually(() => deadLettersOf(job.id), (letters) => letters.length > 0)).toHaveLength(1);
  });
});
