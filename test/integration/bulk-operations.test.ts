import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src-shared/job';
import type { Operation, OperationPreview } from '../../src-shared/operation-schemas';
import type { JobStatus } from '../../src-shared/statuses';
import { namesFor } from '../../src-shared/topology';
import { startConsole, type RunningConsole } from '../../src-main/console';
import { eventually, startTestConsole, type TestConsole } from '../support/console';
import { withChannel } from '../support/broker';
import { TEST_SERVICES, testDatabaseConfig } from '../support/namespace';
import { TcpProxy } from '../support/tcp-proxy';

// Bulk retry of thousands of FAILED jobs; JOBDECK_BULK_JOBS makes it larger (a longer run).
const BULK_JOBS = Number(process.env.JOBDECK_BULK_JOBS ?? 3000);
const BACKPRESSURE_LIMIT = 20;

let pool: pg.Pool;
beforeAll(() => {
  pool = new pg.Pool(testDatabaseConfig());
});
afterAll(async () => {
  await pool?.end();
});

/**
 * Seeds `count` jobs straight into the namespace's history (one INSERT): kind `callback`, the
 * given status, `error` as the marker a query selects them by, created a second apart.
 */
async function seed(namespace: string, count: number, status: JobStatus, error: string): Promise<string[]> {
  const schema = namesFor(namespace).schema;
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO "${schema}".jobs (id, kind, status, payload, attempts, created_at, updated_at, transitions, error, version, max_attempts)
     SELECT gen_random_uuid(), 'callback', $1, jsonb_build_object('url', 'http://127.0.0.1:9/hook', 'duration_ms', 10, 'n', g), 3,
       now() - g * interval '1 second', now(), jsonb_build_array(jsonb_build_object('status', $1::text, 'at', '2026-12-04T02:00:00.000Z', 'worker', 'seed')),
       $2, 1, 3
     FROM generate_series(1, $3::int) AS g RETURNING id`,
    [status, error, count],
  );
  return rows.map((row) => row.id);
}

async function post(base: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function preview(base: string, body: Record<string, unknown>): Promise<OperationPreview> {
  const response = await post(base, '/api/v1/operations', { ...body, dry_run: true });
  expect(response.status).toBe(200);
  return (await response.json()) as OperationPreview;
}

async function start(base: string, body: Record<string, unknown>): Promise<Operation> {
  const response = await post(base, '/api/v1/operations', body);
  expect(response.status, await response.clone().text()).toBe(202);
  expect(response.headers.get('location')).toMatch(/^\/api\/v1\/operations\/[0-9a-f-]{36}$/);
  return (await response.json()) as Operation;
}

async function read(base: string, id: string): Promise<Operation> {
  const response = await fetch(`${base}/api/v1/operations/${id}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Operation;
}

async function fieldsOf(response: Response, status: number): Promise<{ errors?: { field: string; message: string }[]; matched?: number }> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await response.json()) as { errors?: { field: string; message: string }[] };
}

const queueDepth = (namespace: string) => withChannel(async (channel) => (await channel.checkQueue(namesFor(namespace).queue('callback'))).messageCount);

describe('bulk operations over the real services', () => {
  let app: TestConsole;
  beforeAll(async () => {
    app = await startTestConsole({}, false);
  });
  // After the restart test, the fixture's console is closed already: dispose closes again (a no-op) and drops the namespace.
  afterAll(async () => {
    await app?.dispose();
  });

  it('a dry run counts what would change and why the rest would be skipped, changing nothing', async () => {
    await seed(app.namespace, 5, 'FAILED', 'dry ECONNREFUSED');
    await seed(app.namespace, 3, 'DONE', 'dry ECONNREFUSED');
    await seed(app.namespace, 2, 'CANCELLED', 'dry ECONNREFUSED');
    const retry = await preview(app.url, { action: 'retry', query: 'error:"dry ECONNREFUSED"' });
    expect(retry).toMatchObject({ matched: 10, would_change: 7, would_skip: { 'status DONE': 3 }, margin: 10 });
    expect(retry.sample).toHaveLength(10);
    expect(retry.sample.filter((job) => job.skip === 'status DONE')).toHaveLength(3);
    const cancel = await preview(app.url, { action: 'cancel', query: 'error:"dry ECONNREFUSED" -status:CANCELLED' });
    expect(cancel).toMatchObject({ matched: 8, would_change: 0, would_skip: { 'status FAILED': 5, 'status DONE': 3 } });
    const unknown = '00000000-0000-4000-8000-000000000000';
    const byIds = await preview(app.url, { action: 'retry', ids: [retry.sample[0]!.id, unknown] });
    expect(byIds.matched).toBe(2);
    expect(byIds.would_skip['unknown job']).toBe(1);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${namesFor(app.namespace).schema}".jobs WHERE error = 'dry ECONNREFUSED' AND status = 'FAILED'`);
    expect(rows[0].n).toBe(5);
    expect(await queueDepth(app.namespace)).toBe(0);
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const url = app.url;
    const action = await fieldsOf(await post(url, '/api/v1/operations', { action: 'replay', query: 'status:FAILED', dry_run: true }), 400);
    expect(action.errors).toEqual([expect.objectContaining({ field: 'action', message: expect.stringContaining('"retry", "cancel"') })]);
    const expected = await fieldsOf(await post(url, '/api/v1/operations', { action: 'retry', query: 'status:FAILED' }), 400);
    expect(expected.errors?.map((e) => e.field)).toEqual(['expected']);
    const query = await fieldsOf(await post(url, '/api/v1/operations', { action: 'retry', query: 'status:FAILED created:>yesterday', dry_run: true }), 400);
    expect(query.errors?.[0]).toMatchObject({ field: 'query', message: expect.stringMatching(/column \d+/) });
    const ids = Array.from({ length: 10_001 }, () => '00000000-0000-4000-8000-000000000000');
    const tooMany = await fieldsOf(await post(url, '/api/v1/operations', { action: 'retry', ids, dry_run: true }), 400);
    expect(tooMany.errors?.[0]).toMatchObject({ field: 'ids', message: expect.stringContaining('10000') });
    const both = await fieldsOf(await post(url, '/api/v1/operations', { action: 'retry', ids: [ids[0]], query: 'x', dry_run: true }), 400);
    expect(both.errors?.[0]?.field).toBe('query');
    await fieldsOf(await fetch(`${url}/api/v1/operations/00000000-0000-4000-8000-000000000000`), 404);
  });

  it('refuses a start whose count drifted past the margin with 409 and the new count', async () => {
    await seed(app.namespace, 40, 'FAILED', 'drift marker');
    const dry = await preview(app.url, { action: 'retry', query: 'error:"drift marker"' });
    expect(dry.matched).toBe(40);
    await seed(app.namespace, 11, 'FAILED', 'drift marker');
    const refused = await fieldsOf(await post(app.url, '/api/v1/operations', { action: 'retry', query: 'error:"drift marker"', expected: 40 }), 409);
    expect(refused.matched).toBe(51);
    expect(refused.errors?.[0]?.field).toBe('expected');
    const list = (await (await fetch(`${app.url}/api/v1/operations`)).json()) as { items: Operation[] };
    expect(list.items.every((op) => op.query !== 'error:"drift marker"')).toBe(true);
    // Within the margin (10 jobs here), it starts.
    const started = await start(app.url, { action: 'retry', query: 'error:"drift marker"', expected: 45 });
    expect(started.matched).toBe(51);
    const done = await eventually(() => read(app.url, started.id), (op) => op.status === 'done', 20_000, 'the operation done');
    expect(done).toMatchObject({ changed: 51, skipped: 0, failed: 0, pending: 0 });
    const newest = (await (await fetch(`${app.url}/api/v1/operations?limit=1`)).json()) as { items: Operation[]; next_cursor: string | null };
    expect(newest.items[0]?.id).toBe(started.id);
  });

  it('ends failed when the action failed on every item, naming each with why', async () => {
    const ids = ['00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b'];
    const started = await start(app.url, { action: 'retry', ids });
    const failed = await eventually(() => read(app.url, started.id), (op) => op.status !== 'running', 15_000, 'the operation ended');
    expect(failed).toMatchObject({ status: 'failed', matched: 2, changed: 0, failed: 2 });
    expect(failed.failed_items).toEqual(ids.map((id) => ({ id, reason: 'unknown job' })));
    // Kept as long as the history: aged past JOBDECK_HISTORY_RETENTION_DAYS, the retention loop's prune deletes it.
    await pool.query(`UPDATE "${namesFor(app.namespace).schema}".operations SET finished_at = now() - interval '31 days' WHERE id = $1`, [started.id]);
    expect(await app.operations.prune(app.config.historyRetentionDays)).toBe(1);
    await fieldsOf(await fetch(`${app.url}/api/v1/operations/${started.id}`), 404);
  });

  it('two consoles on one namespace never both run an operation: each job retried once', async () => {
    const depthBefore = await queueDepth(app.namespace);
    await seed(app.namespace, 1000, 'FAILED', 'two consoles');
    const other = await startConsole({ config: app.config, workerEntry: null });
    try {
      const started = await start(app.url, { action: 'retry', query: 'error:"two consoles"', expected: 1000 });
      const done = await eventually(() => read(other.url, started.id), (op) => op.status === 'done', 30_000, 'the operation done');
      expect(done).toMatchObject({ changed: 1000, skipped: 0, failed: 0 });
      expect(await queueDepth(app.namespace)).toBe(depthBefore + 1000);
    } finally {
      await other.close();
    }
  }, 45_000);

  it('retries thousands of FAILED jobs across a console restart, each exactly once', async () => {
    const depthBefore = await queueDepth(app.namespace);
    const ids = await seed(app.namespace, BULK_JOBS, 'FAILED', 'outage ECONNREFUSED');
    await seed(app.namespace, 7, 'DONE', 'outage ECONNREFUSED');
    const query = 'kind:callback error:"outage econnrefused"';
    const dry = await preview(app.url, { action: 'retry', query });
    expect(dry).toMatchObject({ matched: BULK_JOBS + 7, would_change: BULK_JOBS, would_skip: { 'status DONE': 7 } });
    const started = await start(app.url, { action: 'retry', query, expected: dry.matched });
    expect(started).toMatchObject({ status: 'running', matched: BULK_JOBS + 7, action: 'retry' });

    await eventually(() => read(app.url, started.id), (op) => op.changed >= 200, 20_000, 'a first batch');
    await app.close();
    const { pending } = await readDirect(app.namespace, started.id);
    expect(pending).toBeGreaterThan(0);
    // As if another console held it and then died: its lease is respected until it runs out.
    await pool.query(
      `UPDATE "${namesFor(app.namespace).schema}".operations SET lease_owner = 'a console that died', lease_until = now() + interval '4 seconds' WHERE id = $1`,
      [started.id],
    );

    const again: RunningConsole = await startConsole({ config: app.config, workerEntry: null });
    try {
      expect(await readDirect(app.namespace, started.id)).toEqual({ pending, owner: 'a console that died' });
      const done = await eventually(() => read(again.url, started.id), (op) => op.status === 'done', 45_000, 'the operation done after the restart');
      expect(done).toMatchObject({ changed: BULK_JOBS, skipped: 7, failed: 0, pending: 0, failed_items: [] });
      expect(done.finished_at).not.toBeNull();
      // One message per job: none retried twice, none left out.
      expect(await queueDepth(app.namespace)).toBe(depthBefore + BULK_JOBS);
      for (const id of [ids[0]!, ids[Math.floor(ids.length / 2)]!, ids[ids.length - 1]!]) {
        const job = (await (await fetch(`${again.url}/api/v1/jobs/${id}`)).json()) as Job;
        expect(job.status).toBe('QUEUED');
        expect(job.transitions.filter((t) => t.status === 'QUEUED')).toHaveLength(1);
      }
    } finally {
      await again.close();
    }
  }, 90_000);

  /** The operation's pending items and lease holder, read from its tables. */
  async function readDirect(namespace: string, id: string): Promise<{ pending: number; owner: string | null }> {
    const schema = namesFor(namespace).schema;
    const { rows } = await pool.query<{ pending: number; owner: string | null }>(
      `SELECT (SELECT count(*)::int FROM "${schema}".operation_items WHERE operation_id = $1 AND state = 'pending') AS pending,
         lease_owner AS owner FROM "${schema}".operations WHERE id = $1`,
      [id],
    );
    return rows[0]!;
  }
});

describe('bulk operations and a full queue', () => {
  let app: TestConsole;
  beforeAll(async () => {
    app = await startTestConsole({ JOBDECK_MAX_QUEUED: String(BACKPRESSURE_LIMIT) }, false);
  });
  afterAll(async () => {
    await app?.dispose();
  });

  it('pauses on a full queue without failing items, then resumes as the queue drains', async () => {
    await seed(app.namespace, 50, 'FAILED', 'pressure');
    const started = await start(app.url, { action: 'retry', query: 'error:pressure', expected: 50 });
    const paused = await eventually(() => read(app.url, started.id), (op) => op.paused_reason !== null, 15_000, 'a pause');
    expect(paused.status).toBe('running');
    expect(paused.paused_reason).toMatch(/JOBDECK_MAX_QUEUED=20/);
    expect(paused.failed).toBe(0);
    expect(paused.changed).toBeLessThanOrEqual(BACKPRESSURE_LIMIT);
    // Drain the queue as a worker would, until every item is done.
    const done = await eventually(
      async () => {
        await withChannel((channel) => channel.purgeQueue(namesFor(app.namespace).queue('callback')));
        return read(app.url, started.id);
      },
      (op) => op.status === 'done',
      40_000,
      'the operation done once the queue drained',
    );
    expect(done).toMatchObject({ changed: 50, skipped: 0, failed: 0, paused_reason: null });
  }, 60_000);

  it('cancels a running operation: it stops after its batch and ends cancelled', async () => {
    await seed(app.namespace, 60, 'FAILED', 'to cancel');
    const started = await start(app.url, { action: 'retry', query: 'error:"to cancel"', expected: 60 });
    await eventually(() => read(app.url, started.id), (op) => op.paused_reason !== null, 15_000, 'a pause');
    const cancel = await post(app.url, `/api/v1/operations/${started.id}/cancel`);
    expect(cancel.status).toBe(202);
    const cancelled = await eventually(() => read(app.url, started.id), (op) => op.status === 'cancelled', 15_000, 'cancelled');
    expect(cancelled.pending).toBeGreaterThan(0);
    expect(cancelled.changed + cancelled.pending + cancelled.skipped).toBe(60);
    expect(cancelled.finished_at).not.toBeNull();
    await fieldsOf(await post(app.url, `/api/v1/operations/${started.id}/cancel`), 409);
  }, 30_000);
});

describe('bulk operations and a broker outage', () => {
  const broker = new TcpProxy({ host: '127.0.0.1', port: Number(new URL(TEST_SERVICES.amqpUrl).port || 5672) });
  let app: TestConsole;
  beforeAll(async () => {
    await broker.listen();
    app = await startTestConsole({ AMQP_URL: broker.urlFor(TEST_SERVICES.amqpUrl) }, false);
  });
  afterAll(async () => {
    await app?.dispose();
    await broker.close();
  });

  it('pauses while RabbitMQ is unreachable and finishes once it is back, failing no item', async () => {
    await seed(app.namespace, 2000, 'FAILED', 'outage');
    const started = await start(app.url, { action: 'retry', query: 'error:outage', expected: 2000 });
    await eventually(() => read(app.url, started.id), (op) => op.changed >= 100, 20_000, 'a first batch');
    broker.cut();
    const paused = await eventually(() => read(app.url, started.id), (op) => op.paused_reason !== null, 20_000, 'a pause');
    expect(paused).toMatchObject({ status: 'running', failed: 0 });
    broker.heal();
    const done = await eventually(() => read(app.url, started.id), (op) => op.status === 'done', 40_000, 'the operation done');
    expect(done).toMatchObject({ changed: 2000, skipped: 0, failed: 0, paused_reason: null });
  }, 60_000);
});
