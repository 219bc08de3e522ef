import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkersReport } from '../../src-shared/console-records';
import type { Problem } from '../../src-shared/problem';
import { eventually, startTestConsole, type TestConsole } from '../support/console';

let app: TestConsole;
let bare: TestConsole;

beforeAll(async () => {
  [app, bare] = await Promise.all([startTestConsole({ JOBDECK_WORKERS: 'A=1,B=0,C=0' }), startTestConsole({}, false)]);
  expect(await app.supervisor!.whenReady(30_000)).toBe(true);
}, 60_000);
afterAll(async () => {
  await Promise.all([app?.dispose(), bare?.dispose()]);
});

const call = async <T>(method: string, path: string, body?: unknown, base = app.url) => {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as T };
};
const report = async () => (await call<WorkersReport>('GET', '/api/v1/workers')).body;
const ofKind = (r: WorkersReport, kind: string) => r.workers.filter((w) => w.kind === kind);

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
    expect(log).toMatchObject({ id: 'log-1', kind: 'log', state: 'ready', current_job: null, processed: 0, failed: 0, restarts: 0 });
    expect(log!.pid).toBeGreaterThan(0);
    expect(log!.memory_rss_bytes).toBeGreaterThan(1_000_000);
    expect(log!.uptime_ms).toBeGreaterThanOrEqual(0);
  });

  it('answers an empty, unsupervised list when the console runs no workers, and refuses to scale', async () => {
    expect((await call<WorkersReport>('GET', '/api/v1/workers', undefined, bare.url)).body).toMatchObject({ workers: [], supervised: false });
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
    expect((await call('POST', `/api/v1/workers/${before.id}/restart`)).status).toBe(202);
    const restarted = await eventually(async () => {
      const log = ofKind(await report(), 'log')[0];
      return log && log.pid !== before.pid && log.state === 'ready' ? log : undefined;
    }, 30_000, 'a new log process');
    expect(restarted.id).toBe(before.id);

    expect((await call('POST', `/api/v1/workers/${before.id}/stop`)).status).toBe(202);
    await eventually(async () => (ofKind(await report(), 'log')[0]?.state === 'stopped' ? true : undefined), 30_000, 'stopped');
    expect(ofKind(await report(), 'log')[0]?.pid).toBe(restarted.pid);

    await call('POST', `/api/v1/workers/${before.id}/restart`);
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
