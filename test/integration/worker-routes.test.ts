import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkersReport } from '../../src-shared/console-records';
import type { Job } from '../../src-shared/job';
import type { JobKind } from '../../src-shared/kinds';
import type { Problem } from '../../src-shared/problem';
import { HEARTBEAT_TTL_MS } from '../../src-shared/worker-heartbeat';
import { eventually, startTestConsole, type TestConsole } from '../support/console';
import { freePort } from '../support/free-port';
import { TEST_SERVICES } from '../support/namespace';
import { StandaloneWorker } from '../support/standalone-worker';

let app: TestConsole;
let bare: TestConsole;
const standalone: StandaloneWorker[] = [];
/** Short retry delays, which a worker started by hand must share (they name the retry queues). */
const RETRY_ENV = { JOBDECK_RETRY_BASE_MS: '200', JOBDECK_RETRY_MAX_MS: '400' };

beforeAll(async () => {
  [app, bare] = await Promise.all([startTestConsole({ JOBDECK_WORKERS: 'A=1,B=0,C=0', ...RETRY_ENV }), startTestConsole({}, false)]);
  expect(await app.supervisor!.whenReady(30_000)).toBe(true);
}, 60_000);
afterAll(async () => {
  await Promise.all(standalone.map((worker) => worker.stop('SIGKILL')));
  await Promise.all([app?.dispose(), bare?.dispose()]);
});

/** `npm run worker --kind callback` against the console's namespace. */
function startStandalone(): StandaloneWorker {
  const worker = new StandaloneWorker('callback', {
    AMQP_URL: TEST_SERVICES.amqpUrl,
    REDIS_URL: TEST_SERVICES.redisUrl,
    DATABASE_URL: TEST_SERVICES.databaseUrl,
    JOBDECK_NAMESPACE: app.namespace,
    ...RETRY_ENV,
  });
  standalone.push(worker);
  return worker;
}

const call = async <T>(method: string, path: string, body?: unknown, base = app.url) => {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as T };
};
const report = async () => (await call<WorkersReport>('GET', '/api/v1/workers')).body;
const ofKind = (r: WorkersReport, kind: JobKind) => r.workers.filter((w) => w.runs === 'this-console' && w.kinds.includes(kind));
const named = (r: WorkersReport, name: string) => r.workers.find((w) => w.name === name);
const submit = async (body: unknown): Promise<Job> => (await call<Job>('POST', '/api/v1/jobs', body)).body;
const jobOf = async (id: string) => (await call<Job>('GET', `/api/v1/jobs/${id}`)).body;
const untilStatus = (id: string, status: Job['status']) =>
  eventually(() => jobOf(id), (job) => job.status === status, 20_000, `job ${id} to be ${status}`);

describe('GET /api/v1/workers', () => {
  it('lists each process with its kind, pid, state, counts, uptime and memory', async () => {
    const ready = await eventually(async () => {
      const r = await report();
      const log = ofKind(r, 'log')[0];
      return log?.state === 'ready' && log.memory_rss_bytes !== null ? r : undefined;
    }, 20_000, 'a ready log worker that reported its memory');
    expect(ready.supervised).toBe(true);
    expect(ready.counts).toEqual({ log: 1, callback: 0, email: 0 });
    const [log] = ofKind(ready, 'log');
    expect(log).toMatchObject({ slot: 'log-1', runs: 'this-console', kinds: ['log'], state: 'ready', current_job: null, processed: 0, failed: 0, retried: 0, restarts: 0 });
    expect(log!.pid).toBeGreaterThan(0);
    // The one name its jobs' timelines carry.
    expect(log!.name).toBe(`${hostname()}/${log!.pid}`);
    expect(log!.memory_rss_bytes).toBeGreaterThan(1_000_000);
    expect(log!.uptime_ms).toBeGreaterThanOrEqual(0);
  });

  it('answers an empty, unsupervised list when the console runs no workers, and refuses to scale', async () => {
    expect((await call<WorkersReport>('GET', '/api/v1/workers', undefined, bare.url)).body).toMatchObject({ workers: [], supervised: false, elsewhere_unknown: false });
    const refused = await call<Problem>('PUT', '/api/v1/workers/log', { count: 1 }, bare.url);
    expect(refused.status).toBe(409);
    expect(refused.type).toContain('application/problem+json');
  });
});

describe('PUT /api/v1/workers/:kind', () => {
  it.each([
    [{ count: -1 }, 'count', 'at least 0'],
    [{ count: 17 }, 'count', 'at most 16'],
    [{ count: 1.5 }, 'count', 'integer'],
    [{ count: '2' }, 'count', 'number'],
    [{}, 'count', ''],
    [{ count: 1, extra: true }, 'extra', ''],
  ])('refuses %j with a 400 naming the field', async (body, field, message) => {
    const answer = await call<Problem>('PUT', '/api/v1/workers/log', body);
    expect(answer.status).toBe(400);
    expect(answer.type).toContain('application/problem+json');
    expect(answer.body.errors?.map((e) => e.field)).toContain(field);
    expect(answer.body.errors?.map((e) => e.message).join(' ')).toContain(message);
    expect((await report()).counts.log).toBe(1);
  });

  it('refuses an unknown kind naming the kind', async () => {
    const answer = await call<Problem>('PUT', '/api/v1/workers/sms', { count: 1 });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.field).toBe('kind');
  });

  it('scales a kind up (by name or letter) and down again', async () => {
    const up = await call<WorkersReport>('PUT', '/api/v1/workers/C', { count: 2 });
    expect(up.status).toBe(202);
    expect(up.body.counts.email).toBe(2);
    expect(ofKind(up.body, 'email')).toHaveLength(2);
    await eventually(async () => (ofKind(await report(), 'email').every((w) => w.state === 'ready') ? true : undefined), 30_000, 'two ready email workers');

    const down = await call<WorkersReport>('PUT', '/api/v1/workers/email', { count: 0 });
    expect(down.status).toBe(202);
    expect(down.body.counts.email).toBe(0);
    await eventually(async () => (ofKind(await report(), 'email').length === 0 ? true : undefined), 30_000, 'no email worker left');
  });
});

describe('POST /api/v1/workers/:id/restart and /stop', () => {
  it('restarts a process with a new pid, stops it, and starts it again', async () => {
    const before = ofKind(await report(), 'log')[0]!;
    expect((await call('POST', `/api/v1/workers/${before.slot}/restart`)).status).toBe(202);
    const restarted = await eventually(async () => {
      const log = ofKind(await report(), 'log')[0];
      return log && log.pid !== before.pid && log.state === 'ready' ? log : undefined;
    }, 30_000, 'a new log process');
    expect(restarted.slot).toBe(before.slot);
    expect(restarted.name).toBe(`${hostname()}/${restarted.pid}`);

    expect((await call('POST', `/api/v1/workers/${before.slot}/stop`)).status).toBe(202);
    await eventually(async () => (ofKind(await report(), 'log')[0]?.state === 'stopped' ? true : undefined), 30_000, 'stopped');
    // No process runs in a stopped slot: no name, PID, memory or uptime of the one that did.
    expect(ofKind(await report(), 'log')[0]).toMatchObject({ slot: 'log-1', name: null, pid: null, memory_rss_bytes: null, uptime_ms: 0 });

    await call('POST', `/api/v1/workers/${before.slot}/restart`);
    await eventually(async () => (ofKind(await report(), 'log')[0]?.state === 'ready' ? true : undefined), 30_000, 'ready again');
  });

  it('answers 404 for an unknown worker and 400 for a malformed ID', async () => {
    const unknown = await call<Problem>('POST', '/api/v1/workers/log-99/restart');
    expect(unknown.status).toBe(404);
    const malformed = await call<Problem>('POST', '/api/v1/workers/nope/stop');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors?.[0]?.field).toBe('id');
  });
});

describe('workers this console does not run', () => {
  it('lists a worker started by hand, by the name its jobs\' timelines carry, counting jobs not attempts, until it stops', async () => {
    const worker = startStandalone();
    const name = `${hostname()}/${worker.pid}`;
    const listed = await eventually(async () => named(await report(), name), 20_000, 'the standalone worker in the list');
    expect(listed).toMatchObject({ slot: null, runs: 'standalone', host: hostname(), kinds: ['callback'], pid: worker.pid, restarts: null });
    // Another namespace's console does not list it.
    expect((await call<WorkersReport>('GET', '/api/v1/workers', undefined, bare.url)).body.workers).toEqual([]);

    const done = await submit({ kind: 'callback', payload: { duration_ms: 0 } });
    const refused = `http://127.0.0.1:${await freePort()}/down`;
    const failing = await submit({ kind: 'callback', payload: { callback_url: refused, duration_ms: 0 }, max_attempts: 3 });
    const finished = await untilStatus(done.id, 'DONE');
    const failed = await untilStatus(failing.id, 'FAILED');
    expect(failed.attempts).toBe(3);
    expect(finished.transitions.filter((t) => t.status === 'STARTED').map((t) => t.worker)).toEqual([name]);

    // One job FAILED after three attempts: failed 1 (the job), retried 2 (the attempts before).
    const counted = await eventually(
      async () => named(await report(), name),
      (w) => w?.processed === 1 && w.failed === 1,
      20_000,
      'the heartbeat to count both jobs',
    );
    expect(counted).toMatchObject({ state: 'ready', processed: 1, failed: 1, retried: 2, current_job: null });
    expect(counted!.memory_rss_bytes).toBeGreaterThan(1_000_000);

    expect((await worker.stop()).code).toBe(0);
    // A clean stop removes the heartbeat at once.
    expect(named(await report(), name)).toBeUndefined();
  });

  it("lists another console's workers sharing the namespace as theirs, and each console lists the other's", async () => {
    const second = await startTestConsole({ JOBDECK_NAMESPACE: app.namespace, JOBDECK_WORKERS: 'A=0,B=0,C=1', ...RETRY_ENV });
    let theirName = '';
    try {
      expect(await second.supervisor!.whenReady(30_000)).toBe(true);
      const theirs = second.supervisor!.snapshot()[0]!;
      theirName = theirs.name!;
      const seen = await eventually(async () => named(await report(), theirs.name!), 20_000, "the other console's worker");
      expect(seen).toMatchObject({ runs: 'other-console', slot: null, kinds: ['email'], pid: theirs.pid, restarts: null });
      const fromThere = (await call<WorkersReport>('GET', '/api/v1/workers', undefined, second.url)).body;
      expect(fromThere.workers.map((w) => [w.kinds, w.runs])).toEqual([
        [['email'], 'this-console'],
        [['log'], 'other-console'],
      ]);
      // Its slots are its own to control: this console does not know them.
      expect((await call('POST', `/api/v1/workers/${theirs.slot}/stop`)).status).toBe(404);
    } finally {
      await second.close(); // the namespace stays: it is this file's console's too
    }
    // Stopped cleanly, its worker removed its heartbeat.
    expect(named(await report(), theirName)).toBeUndefined();
  });

  it('drops a worker gone silent once its heartbeat expires', async () => {
    const worker = startStandalone();
    const name = `${hostname()}/${worker.pid}`;
    await eventually(async () => named(await report(), name), 20_000, 'the standalone worker in the list');
    await worker.stop('SIGKILL');
    const killedAt = Date.now();
    await eventually(async () => (named(await report(), name) ? undefined : true), HEARTBEAT_TTL_MS + 5_000, 'the silent worker to leave the list');
    // Still listed for a while: its last heartbeat had not expired yet.
    expect(Date.now() - killedAt).toBeGreaterThan(HEARTBEAT_TTL_MS / 4);
  }, 30_000);
});
