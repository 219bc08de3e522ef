import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SERVICES, testDatabaseConfig } from '../support/namespace';
import { eventually, startTestConsole, type TestConsole } from '../support/console';

const run = promisify(execFile);
let app: TestConsole;
let db: pg.Client;

beforeAll(async () => {
  // Short retry delays: a failing callback is retried JOBDECK_MAX_ATTEMPTS times before FAILED.
  app = await startTestConsole({ JOBDECK_WORKERS: 'A=1,B=1,C=1', JOBDECK_RETRY_BASE_MS: '50', JOBDECK_RETRY_MAX_MS: '200' });
  expect(await app.supervisor!.whenReady(30_000)).toBe(true);
  const health = (await (await fetch(`${app.url}/api/v1/health`)).json()) as { workers: unknown };
  expect(health.workers).toEqual({
    log: { configured: 1, ready: 1 },
    callback: { configured: 1, ready: 1 },
    email: { configured: 1, ready: 1 },
  });
  db = new pg.Client(testDatabaseConfig());
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await app?.dispose();
});

/** The chapter's curl, as printed, pointed at this test's port. */
async function curl(path: string): Promise<{ body: Record<string, unknown>; contentType: string }> {
  const { stdout } = await run('curl', ['-s', '-X', 'GET', '-w', '\n%{content_type}', `http://localhost:${app.port}${path}`]);
  const [body, contentType] = stdout.split('\n');
  return { body: JSON.parse(body!), contentType: contentType! };
}

async function statusOf(uuid: string): Promise<string> {
  const { body } = await curl(`/job/status?uuid=${uuid}`);
  expect(body).toEqual({ uuid, status: expect.any(String) });
  return body.status as string;
}

describe("the chapter's curl session", () => {
  it('runs as printed and every effect really happens', async () => {
    const started = Date.now();
    const database = await curl('/job/database?client_time=1569177495');
    const callback = await curl('/job/callback?duration_ms=500');
    const mail = await curl('/job/mail');
    for (const answer of [database, callback, mail]) {
      expect(answer.contentType).toBe('application/json; charset=utf-8');
      expect(answer.body).toEqual({ uuid: expect.any(String), type: expect.stringMatching(/^[ABC]$/), extra_data: expect.any(Object) });
    }
    const ids = [database, callback, mail].map((a) => a.body.uuid as string);

    // Statuses only ever move forward through the book's words (plus QUEUED first).
    const order = ['QUEUED', 'STARTED', 'IN PROGRESS', 'DONE'];
    const seen = new Map<string, string[]>(ids.map((id) => [id, []]));
    await eventually(
      async () => {
        const statuses = await Promise.all(ids.map(statusOf));
        statuses.forEach((s, i) => seen.get(ids[i]!)!.push(s));
        return statuses;
      },
      (statuses) => statuses.every((s) => s === 'DONE'),
      20_000,
      'all three jobs DONE',
    );
    const allDoneMs = Date.now() - started;
    for (const history of seen.values()) {
      const ranks = history.map((s) => order.indexOf(s));
      expect(ranks.every((r) => r >= 0)).toBe(true);
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    }
    console.log(`curl session: three jobs DONE ${allDoneMs} ms after the first request (callback task 500 ms)`);

    const [dbId, cbId, mailId] = ids;
    const row = await db.query(`SELECT job_id, client_time FROM "${app.namespace}".log_records WHERE job_id = $1`, [dbId]);
    expect(row.rows).toEqual([{ job_id: dbId, client_time: new Date('2019-09-22T18:38:15Z') }]);

    const inbox = (await (await fetch(`${app.url}/api/v1/inbox`)).json()) as { items: { id: string; path: string }[] };
    const listed = inbox.items.find((item) => item.path === `/api/v1/inbox/jobs/${cbId}`);
    expect(listed).toBeDefined();
    const delivery = (await (await fetch(`${app.url}/api/v1/inbox/items/${listed!.id}`)).json()) as { headers: Record<string, string>; body: string };
    expect(delivery.headers['webhook-id']).toBe(cbId);
    expect(JSON.parse(delivery!.body)).toMatchObject({ uuid: cbId, type: 'B', status: 'DONE', result: { duration_ms: 500 } });

    const mailbox = (await (await fetch(`${app.url}/api/v1/mailbox`)).json()) as { items: { envelope_to: string[]; message_id: string; subject: string }[] };
    const message = mailbox.items.find((item) => item.message_id === `<${mailId}@jobdeck.local>`);
    expect(message).toMatchObject({ envelope_to: ['operator@jobdeck.local'], subject: `Jobdeck job ${mailId}` });

    const job = (await (await fetch(`${app.url}/api/v1/jobs/${cbId}`)).json()) as { transitions: { status: string; worker: string }[]; attempts: number; result: Record<string, unknown> };
    expect(job.transitions.map((t) => t.status)).toEqual(['QUEUED', 'STARTED', 'IN PROGRESS', 'DONE']);
    expect(job.transitions[1]!.worker).toMatch(/\/\d+$/);
    expect(job.attempts).toBe(1);
    expect(job.result).toMatchObject({ status_code: 201, delivery_id: cbId });
  });

  it('fails a callback job whose target answers non-2xx, with the reason', async () => {
    const { body } = await curl(`/job/callback?duration_ms=0&callback_url=${encodeURIComponent(`${app.url}/nowhere`)}`);
    const id = body.uuid as string;
    await eventually(() => statusOf(id), (status) => status === 'FAILED', 15_000, 'FAILED');
    const job = (await (await fetch(`${app.url}/api/v1/jobs/${id}`)).json()) as { error: string; attempts: number };
    expect(job.error).toBe(`callback to ${app.url}/nowhere answered HTTP 404`);
    expect(job).toMatchObject({ attempts: 5, max_attempts: 5 });
  });

  it('keeps the history after Redis has let the status go', async () => {
    const { body } = await curl('/job/database?client_time=1700000000');
    const id = body.uuid as string;
    await eventually(() => statusOf(id), (status) => status === 'DONE');
    await eventually(
      async () => ((await (await fetch(`${app.url}/api/v1/jobs?status=DONE&limit=500`)).json()) as { items: { id: string }[] }).items,
      (items) => items.some((j) => j.id === id),
      10_000,
      'history to record DONE',
    );
    const live = (await (await fetch(`${app.url}/api/v1/jobs/${id}`)).json()) as { version: number };
    const { Redis } = await import('ioredis');
    const redis = new Redis(TEST_SERVICES.redisUrl);
    expect(await redis.ttl(`${app.namespace}:job:${id}`)).toBeGreaterThan(0);
    await redis.del(`${app.namespace}:job:${id}`);
    redis.disconnect();
    expect(await statusOf(id)).toBe('DONE');
    const job = (await (await fetch(`${app.url}/api/v1/jobs/${id}`)).json()) as { status: string; transitions: unknown[]; version: number };
    expect(job.status).toBe('DONE');
    expect(job.version).toBe(live.version);
    expect(job.transitions).toHaveLength(4);
  });
});
