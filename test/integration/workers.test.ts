import amqp from 'amqplib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src-shared/job';
import type { JobKind } from '../../src-shared/kinds';
import { namesFor } from '../../src-shared/topology';
import { TEST_SERVICES, testDatabaseConfig } from '../support/namespace';
import { closeBrokerConnections, queuedOrUnacked } from '../support/broker';
import { eventually, startTestConsole, type TestConsole } from '../support/console';

let app: TestConsole;

beforeAll(async () => {
  app = await startTestConsole({ JOBDECK_WORKERS: 'A=1,B=1,C=0' });
  expect(await app.supervisor!.whenReady(30_000)).toBe(true);
});
afterAll(async () => {
  await app?.dispose();
});

const jobOf = async (id: string) => (await (await fetch(`${app.url}/api/v1/jobs/${id}`)).json()) as Job;
const workerOf = (kind: JobKind) => app.supervisor!.snapshot().find((w) => w.kinds.includes(kind))!;

describe('worker processes', () => {
  it('redeliver a job whose worker was killed mid-task, and finish it on a restarted worker', async () => {
    const submitted = await fetch(`${app.url}/api/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'callback', payload: { duration_ms: 2500 } }),
    });
    const { id } = (await submitted.json()) as Job;
    await eventually(async () => ((await jobOf(id)).status === 'IN PROGRESS' ? true : undefined), 10_000, 'IN PROGRESS');
    const victim = workerOf('callback').pid!;
    process.kill(victim, 'SIGKILL');

    const restarted = await eventually(async () => {
      const worker = workerOf('callback');
      return worker.pid !== victim && worker.state === 'ready' ? worker : undefined;
    }, 20_000, 'a restarted callback worker');
    expect(restarted.restarts).toBeGreaterThanOrEqual(1);

    const done = await eventually(async () => {
      const job = await jobOf(id);
      return job.status === 'DONE' ? job : undefined;
    }, 30_000, 'the redelivered job to finish');
    expect(done.attempts).toBe(2);
    expect(done.transitions.filter((t) => t.status === 'STARTED').map((t) => t.worker)).toEqual([
      expect.stringMatching(new RegExp(`/${victim}$`)),
      expect.stringMatching(new RegExp(`/${restarted.pid}$`)),
    ]);
    // The default callback target is the inbox at /api/v1/inbox/jobs/<id>; the list carries no headers.
    const inbox = (await (await fetch(`${app.url}/api/v1/inbox`)).json()) as { items: { id: string; path: string }[] };
    const deliveries = inbox.items.filter((item) => item.path === `/api/v1/inbox/jobs/${id}`);
    expect(deliveries).toHaveLength(1);
    const delivery = (await (await fetch(`${app.url}/api/v1/inbox/items/${deliveries[0]!.id}`)).json()) as { headers: Record<string, string> };
    expect(delivery.headers['webhook-id']).toBe(id);
  });

  it('never writes a log record twice when the same job is delivered again', async () => {
    const answer = (await (await fetch(`${app.url}/job/database?client_time=1569177495`)).json()) as { uuid: string; extra_data: unknown };
    await eventually(async () => ((await jobOf(answer.uuid)).status === 'DONE' ? true : undefined));

    // The broker may deliver a message again (a lost ack): publish the very same job once more.
    const names = namesFor(app.namespace);
    const connection = await amqp.connect(TEST_SERVICES.amqpUrl);
    const channel = await connection.createConfirmChannel();
    const again = { v: 1, uuid: answer.uuid, type: 'A', kind: 'log', extra_data: answer.extra_data, created_at: new Date().toISOString() };
    channel.publish(names.exchange, 'log', Buffer.from(JSON.stringify(again)), { persistent: true });
    await channel.waitForConfirms();
    await connection.close();
    await eventually(async () => ((await queuedOrUnacked(names.queue('log'))) === 0 ? true : undefined), 15_000, 'the repeat to be acked');

    const db = new pg.Client(testDatabaseConfig());
    await db.connect();
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM "${app.namespace}".log_records WHERE job_id = $1`, [answer.uuid]);
    await db.end();
    expect(rows[0].n).toBe(1);
    const job = await jobOf(answer.uuid);
    expect(job.status).toBe('DONE');
    expect(job.attempts).toBe(1);
  });
});

describe('losing the broker connection', () => {
  it('reconnects the API and restarts the workers, and jobs flow again', async () => {
    const before = workerOf('log').pid;
    expect(await closeBrokerConnections(`${app.namespace}:`)).toBeGreaterThanOrEqual(3);
    await eventually(async () => {
      const worker = workerOf('log');
      return worker.pid !== before && worker.state === 'ready' ? true : undefined;
    }, 20_000, 'a restarted log worker');
    const accepted = await eventually(async () => {
      const response = await fetch(`${app.url}/job/database?client_time=1569177495`);
      return response.status === 200 ? ((await response.json()) as { uuid: string }) : undefined;
    }, 20_000, 'the API to accept jobs again');
    await eventually(async () => ((await jobOf(accepted.uuid)).status === 'DONE' ? true : undefined), 20_000, 'DONE');
  });
});

describe('stopping the console', () => {
  it('lets a worker finish and ack the job in hand before it exits', async () => {
    const own = await startTestConsole({ JOBDECK_WORKERS: 'A=0,B=1,C=0' });
    try {
      expect(await own.supervisor!.whenReady(30_000)).toBe(true);
      const submitted = await fetch(`${own.url}/api/v1/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'callback', payload: { duration_ms: 1500 } }),
      });
      const { id } = (await submitted.json()) as Job;
      await eventually(async () => {
        const job = (await (await fetch(`${own.url}/api/v1/jobs/${id}`)).json()) as Job;
        return job.status === 'IN PROGRESS' ? true : undefined;
      });
      const { Redis } = await import('ioredis');
      const redis = new Redis(TEST_SERVICES.redisUrl);
      await own.close();
      const status = await redis.hget(`${own.namespace}:job:${id}`, 'status');
      redis.disconnect();
      expect(status).toBe('"DONE"');
      expect(await queuedOrUnacked(namesFor(own.namespace).queue('callback'))).toBe(0);
    } finally {
      await own.dispose(); // closing twice is a no-op
    }
  });
});
