import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import amqp from 'amqplib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src-shared/job';
import { namesFor } from '../../src-shared/topology';
import { eventually, startTestConsole, type TestConsole } from '../support/console';
import { ControlledMailReceiver } from '../support/controlled-mail-receiver';
import { TEST_SERVICES, testDatabaseConfig } from '../support/namespace';
import { StandaloneWorker } from '../support/standalone-worker';
import { TcpProxy } from '../support/tcp-proxy';
import { endpoint } from '../support/worker-scenario';

/**
 * Issue 17: an outage of a worker's own dependency spends no attempts. PostgreSQL (kind A) and the
 * SMTP server (kind C) are made unreachable through proxies the test owns, for longer than the
 * retry ladder takes with 2 attempts (100–200 ms rungs): the jobs wait QUEUED with no attempt
 * spent, then end DONE on their first counted attempt once the proxy heals. A command kind says
 * the same by exiting 69, up to the longest wait (`JOBDECK_UNAVAILABLE_MAX_WAIT_S`, 1 s for one
 * worker here), after which its attempts count; a job's own bad input still fails as before.
 */
const FIXTURE = fileURLToPath(new URL('../support/user-handlers/unavailable.mjs', import.meta.url));
const RETRY = { JOBDECK_MAX_ATTEMPTS: '2', JOBDECK_RETRY_BASE_MS: '100', JOBDECK_RETRY_MAX_MS: '200' };
/** Well past what 2 attempts on the ladder take (under a second). */
const LONGER_THAN_THE_LADDER_MS = 3_000;

let folder: string;
let app: TestConsole;
let pgProxy: TcpProxy;
let smtpProxy: TcpProxy;
let mail: ControlledMailReceiver;
let db: pg.Client;
const workers: StandaloneWorker[] = [];
/** The worker of each kind (kind B runs on the worker of `waits`). */
const workerOf = (kind: string): StandaloneWorker => workers[['log', 'email', 'waits', 'gives-up'].indexOf(kind)]!;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'jobdeck-outages-'));
  const kind = (name: string) => ({
    name,
    description: `${name} (test)`,
    payload_schema: { type: 'object', properties: { mode: { type: 'string' }, outage_file: { type: 'string' } } },
    handler: { command: [process.execPath, FIXTURE] },
    workers: 0,
  });
  writeFileSync(join(folder, 'kinds.json'), JSON.stringify({ kinds: [kind('waits'), kind('gives-up')] }));
  const kindsEnv = { JOBDECK_KINDS: join(folder, 'kinds.json') };
  app = await startTestConsole({ JOBDECK_WORKERS: 'A=0,B=0,C=0', ...kindsEnv, ...RETRY }, false);
  pgProxy = new TcpProxy(endpoint(TEST_SERVICES.databaseUrl, 5432));
  smtpProxy = new TcpProxy(endpoint(await (mail = new ControlledMailReceiver()).listen(), 25));
  await Promise.all([pgProxy.listen(), smtpProxy.listen()]);
  db = new pg.Client(testDatabaseConfig());
  await db.connect();
  const base = { AMQP_URL: TEST_SERVICES.amqpUrl, REDIS_URL: TEST_SERVICES.redisUrl, DATABASE_URL: TEST_SERVICES.databaseUrl, JOBDECK_NAMESPACE: app.namespace, ...kindsEnv, ...RETRY };
  const start = (kinds: string, env: Record<string, string> = {}) => {
    const worker = new StandaloneWorker(kinds, { ...base, ...env });
    workers.push(worker);
    return worker;
  };
  start('log', { DATABASE_URL: pgProxy.urlFor(TEST_SERVICES.databaseUrl) });
  start('email', { SMTP_URL: `smtp://127.0.0.1:${smtpProxy.port}` });
  start('waits,callback');
  start('gives-up', { JOBDECK_UNAVAILABLE_MAX_WAIT_S: '1' });
  await Promise.all(workers.map((worker) => worker.line(/consuming/, 30_000)));
}, 60_000);

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  await Promise.all([pgProxy?.close(), smtpProxy?.close(), mail?.close()]);
  await db?.end();
  await app?.dispose();
  rmSync(folder, { recursive: true, force: true });
});

async function submit(kind: string, payload: Record<string, unknown>): Promise<string> {
  const answer = await fetch(`${app.url}/api/v1/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind, payload }) });
  expect(answer.status).toBe(202);
  return ((await answer.json()) as Job).id;
}
const jobOf = async (id: string) => (await (await fetch(`${app.url}/api/v1/jobs/${id}`)).json()) as Job;
const ended = (id: string, timeoutMs = 30_000) =>
  eventually(() => jobOf(id), (job) => ['DONE', 'FAILED', 'CANCELLED'].includes(job.status), timeoutMs, `job ${id} to end`);
const givenBack = (job: Job) => job.transitions.filter((t) => t.status === 'QUEUED' && /given back, not counted/.test(t.note ?? ''));

/** Jobs that met the outage: waiting, no attempt spent, no attempt error, at least one given back. */
async function expectWaiting(ids: string[]): Promise<void> {
  for (const id of ids) {
    const job = await jobOf(id);
    expect(job.status, `job ${id}`).toBe('QUEUED');
    expect(job.attempts).toBe(0);
    expect(job.attempt_errors).toEqual([]);
  }
  const first = await jobOf(ids[0]!);
  expect(givenBack(first).length).toBeGreaterThanOrEqual(1);
}

describe('an outage of a worker’s own dependency', () => {
  it('kind A: PostgreSQL unreachable leaves jobs QUEUED with no attempt spent, then DONE on attempt 1 once it answers', async () => {
    pgProxy.cut();
    const ids = [await submit('log', { client_time: 1_700_000_000 }), await submit('log', { client_time: 1_700_000_001 })];
    const worker = workerOf('log');
    expect(await worker.line(/kind log: PostgreSQL unreachable .*taking none of its jobs, probing it with backoff/)).toBeTruthy();
    await delay(LONGER_THAN_THE_LADDER_MS);
    await expectWaiting(ids);
    expect(givenBack(await jobOf(ids[0]!))[0]!.note).toMatch(/attempt 1 given back, not counted: PostgreSQL unreachable/);
    pgProxy.heal();
    for (const id of ids) {
      const job = await ended(id);
      expect(job.status).toBe('DONE');
      expect(job.attempts).toBe(1);
      expect(job.attempt_errors).toEqual([]);
    }
    await worker.line(/kind log: PostgreSQL answers again; taking its jobs again/);
    const table = `"${namesFor(app.namespace).schema}".log_records`;
    const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE job_id = ANY($1::uuid[])`, [ids]);
    expect(Number(rows[0]!.n)).toBe(2);
  }, 60_000);

  it('puts a given-back message back as a fresh copy, not redelivered, so it cannot take over a run of a duplicate copy', async () => {
    pgProxy.cut();
    const id = await submit('log', { client_time: 1_700_000_002 });
    const worker = workerOf('log');
    await eventually(() => jobOf(id), (job) => givenBack(job).length >= 1, 15_000, `job ${id} given back`);
    await worker.line(/kind log: PostgreSQL unreachable .*taking none of its jobs/);
    const connection = await amqp.connect(TEST_SERVICES.amqpUrl);
    try {
      const channel = await connection.createChannel();
      let message: amqp.GetMessage | false = false;
      for (let tries = 0; !message && tries < 50; tries++) {
        message = await channel.get(namesFor(app.namespace).queue('log'));
        if (!message) await delay(100);
      }
      expect(message && (JSON.parse(message.content.toString('utf8')) as { uuid: string }).uuid).toBe(id);
      // A nack with requeue (the old way) would bring it back redelivered: a running copy's takeover.
      expect(message && message.fields.redelivered).toBe(false);
      channel.nack(message as amqp.GetMessage, false, true);
      await channel.close();
    } finally {
      await connection.close();
    }
    pgProxy.heal();
    const job = await ended(id);
    expect(job).toMatchObject({ status: 'DONE', attempts: 1, attempt_errors: [] });
  }, 60_000);

  it('kind C: the SMTP server unreachable leaves the job QUEUED, then one mail once it answers', async () => {
    smtpProxy.cut();
    const id = await submit('email', { email_address: 'someone@example.com', subject: 'outage' });
    const worker = workerOf('email');
    await worker.line(/kind email: the SMTP server unreachable .*probing it with backoff/);
    await delay(LONGER_THAN_THE_LADDER_MS);
    await expectWaiting([id]);
    smtpProxy.heal();
    const job = await ended(id);
    expect(job.status).toBe('DONE');
    expect(job.attempts).toBe(1);
    expect(mail.messages.get(id)).toBe(1);
  }, 60_000);

  it('a command exiting 69 waits (its attempts unspent), then runs once its dependency is back', async () => {
    const outage = join(folder, 'waits-down');
    writeFileSync(outage, '');
    const id = await submit('waits', { outage_file: outage });
    const worker = workerOf('waits');
    await worker.line(/kind waits: kind waits's dependency unreachable .*trying again in 500 ms/);
    await worker.line(/kind waits: trying its jobs again after 1000 ms/, 10_000);
    const waiting = await jobOf(id);
    expect(waiting.status).not.toMatch(/FAILED|RETRYING|DONE/);
    expect(waiting.attempt_errors).toEqual([]);
    expect(givenBack(waiting).length).toBeGreaterThanOrEqual(2);
    rmSync(outage);
    const job = await ended(id);
    expect(job.status).toBe('DONE');
    expect(job.attempts).toBe(1);
    expect(job.result).toEqual({ ran_on_attempt: 1 });
  }, 60_000);

  it('past the longest wait an exit 69 counts as a failed attempt: FAILED after its 2 attempts', async () => {
    const outage = join(folder, 'gives-up-down');
    writeFileSync(outage, '');
    const id = await submit('gives-up', { outage_file: outage });
    const job = await ended(id, 30_000);
    expect(job.status).toBe('FAILED');
    expect(job.attempts).toBe(2);
    expect(job.attempt_errors).toHaveLength(2);
    expect(job.error).toMatch(/exited with code 69 .*longer than 1 s: the attempt counts/);
    expect(givenBack(job).length).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it("a job's own bad input still fails as before: a permanent failure at once, an unreachable callback URL after its attempts", async () => {
    const bad = await submit('waits', { mode: 'bad' });
    const refused = await ended(bad);
    expect(refused.status).toBe('FAILED');
    expect(refused.attempts).toBe(1);
    expect(givenBack(refused)).toEqual([]);
    // Kind B's callback URL is the job's own input: nothing listens there, each attempt counts.
    const closed = new TcpProxy({ host: '127.0.0.1', port: 9 });
    const port = await closed.listen();
    closed.cut();
    const callback = await submit('callback', { callback_url: `http://127.0.0.1:${port}/hook`, duration_ms: 0 });
    const failed = await ended(callback);
    await closed.close();
    expect(failed.status).toBe('FAILED');
    expect(failed.attempts).toBe(2);
    expect(givenBack(failed)).toEqual([]);
  }, 60_000);
});
