import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStreamEntry } from '../../src-shared/events';
import { StatusScript, type JobWrite } from '../../src-shared/node/status-script';
import { namesFor } from '../../src-shared/topology';
import { TEST_SERVICES, dropNamespace, uniqueNamespace } from '../support/namespace';

const namespace = uniqueNamespace();
const names = namesFor(namespace);
let redis: Redis;
let status: StatusScript;

const seed = (id: string) => ({
  id,
  kind: 'log' as const,
  type: 'A' as const,
  payload: { client_time: '2019-09-22T18:38:15.000Z' },
  created_at: '2026-01-01T00:00:00.000Z',
});
const change = (id: string, over: Partial<JobWrite>): JobWrite => ({
  status: 'STARTED',
  at: new Date().toISOString(),
  worker: 'test/1',
  guard: 'live',
  emit: true,
  seed: seed(id),
  ...over,
});

beforeAll(() => {
  redis = new Redis(TEST_SERVICES.redisUrl);
  status = new StatusScript(redis, names, { terminalTtlSeconds: 60, streamMaxLength: 1000 });
});

afterAll(async () => {
  redis.disconnect();
  await dropNamespace(namespace);
});

describe('job status in Redis', () => {
  it('creates a job once, then refuses a second create, answering with the job as it is', async () => {
    const first = await status.write('j-create', change('j-create', { status: 'QUEUED', guard: 'create', emit: false }));
    expect(first.outcome).toBe('ok');
    // Versions start at the server's time in microseconds, so a recreated job outranks its past.
    expect(first.version).toBeGreaterThan((Date.now() - 60_000) * 1000);
    expect(first.job).toMatchObject({ id: 'j-create', status: 'QUEUED', attempts: 0, progress: 0, result: null });
    expect(first.job!.transitions).toEqual([{ status: 'QUEUED', at: expect.any(String), worker: 'test/1' }]);
    const again = await status.write('j-create', change('j-create', { status: 'QUEUED', guard: 'create' }));
    expect(again.outcome).toBe('exists');
    // A create resent after its reply was lost answers with the job it made, unchanged.
    expect(again.job).toEqual(first.job);
  });

  it('moves a job on, counts attempts, records each status change once and emits events', async () => {
    const created = await status.write('j-life', change('j-life', { status: 'QUEUED', guard: 'create', emit: false }));
    const v = created.version;
    await status.write('j-life', change('j-life', { status: 'STARTED', addAttempt: true }));
    await status.write('j-life', change('j-life', { status: 'IN PROGRESS', progress: 10 }));
    await status.write('j-life', change('j-life', { status: 'IN PROGRESS', progress: 60 }));
    const done = await status.write('j-life', change('j-life', { status: 'DONE', progress: 100, result: { rows: [1, 2] } }));
    expect(done.job).toMatchObject({ status: 'DONE', attempts: 1, progress: 100, result: { rows: [1, 2] } });
    expect(done.job!.transitions.map((t) => t.status)).toEqual(['QUEUED', 'STARTED', 'IN PROGRESS', 'DONE']);
    expect(done.version).toBe(v + 4);
    const entries = await redis.xrange(names.eventStream, '-', '+');
    const events = entries.flatMap(([id, fields]) => parseStreamEntry(id, fields) ?? []).filter((e) => e.job_id === 'j-life');
    expect(events.map((e) => [e.status, e.version])).toEqual([
      ['STARTED', v + 1],
      ['IN PROGRESS', v + 2],
      ['IN PROGRESS', v + 3],
      ['DONE', v + 4],
    ]);
    expect(await redis.ttl(names.jobKey('j-life'))).toBeGreaterThan(0);
  });

  it('writes a start and IN PROGRESS at 0 % in one call: two transitions, two versions, two events', async () => {
    const created = await status.write('j-both', change('j-both', { status: 'QUEUED', guard: 'create', emit: false }));
    const v = created.version;
    const started = await status.write('j-both', change('j-both', { startAttempt: 1, progress: 0, thenInProgress: true }));
    expect(started.job).toMatchObject({ status: 'IN PROGRESS', attempts: 1, progress: 0 });
    expect(started.job!.transitions.map((t) => t.status)).toEqual(['QUEUED', 'STARTED', 'IN PROGRESS']);
    expect(started.version).toBe(v + 2);
    const entries = await redis.xrange(names.eventStream, '-', '+');
    const events = entries.flatMap(([id, fields]) => parseStreamEntry(id, fields) ?? []).filter((e) => e.job_id === 'j-both');
    expect(events.map((e) => [e.status, e.version, e.job.status])).toEqual([
      ['STARTED', v + 1, 'STARTED'],
      ['IN PROGRESS', v + 2, 'IN PROGRESS'],
    ]);
    expect(started.eventId).toBe(events[1]!.id);
  });

  it('stays STARTED when the start spends more attempts than the job has, so the worker can fail it', async () => {
    await status.write('j-spent', change('j-spent', { status: 'QUEUED', guard: 'create', emit: false, seed: { ...seed('j-spent'), max_attempts: 1 } }));
    await status.write('j-spent', change('j-spent', { startAttempt: 1, progress: 0 }));
    const rerun = await status.write('j-spent', change('j-spent', { startAttempt: 1, redelivered: true, progress: 0, thenInProgress: true }));
    expect(rerun.outcome).toBe('ok');
    expect(rerun.job).toMatchObject({ status: 'STARTED', attempts: 2, max_attempts: 1 });
    expect(rerun.job!.transitions.map((t) => t.status)).toEqual(['QUEUED', 'STARTED']);
  });

  it('keeps a terminal job terminal against a late write', async () => {
    await status.write('j-term', change('j-term', { status: 'DONE', guard: 'any' }));
    const late = await status.write('j-term', change('j-term', { status: 'STARTED' }));
    expect(late.outcome).toBe('terminal');
    expect((await status.read('j-term'))!.status).toBe('DONE');
  });

  it('rebuilds a job it lost from the seed a worker carries, at a version above the lost one', async () => {
    const before = await status.write('j-lost', change('j-lost', { status: 'QUEUED', guard: 'create' }));
    await redis.del(names.jobKey('j-lost'));
    const reply = await status.write('j-lost', change('j-lost', { status: 'STARTED', addAttempt: true }));
    expect(reply.outcome).toBe('ok');
    expect(reply.version).toBeGreaterThan(before.version);
    expect(reply.job).toMatchObject({ id: 'j-lost', kind: 'log', type: 'A', status: 'STARTED', attempts: 1 });
    const withoutSeed = await status.write('j-none', { ...change('j-none', {}), seed: undefined });
    expect(withoutSeed.outcome).toBe('missing');
    expect(await status.read('j-none')).toBeNull();
  });

  it('keeps user data exactly, empty arrays and unicode included', async () => {
    await status.write('j-data', change('j-data', { status: 'QUEUED', guard: 'create' }));
    const result = { empty: [], nested: { list: [{}] }, text: 'Grüße ✓ "quoted" \\ slash/' };
    const done = await status.write('j-data', change('j-data', { status: 'DONE', result }));
    expect(done.job!.result).toEqual(result);
    expect((await status.read('j-data'))!.result).toEqual(result);
  });

  it('keeps progress a number between 0 and 100 whatever a handler reports', async () => {
    await status.write('j-progress', change('j-progress', { status: 'QUEUED', guard: 'create' }));
    expect((await status.write('j-progress', change('j-progress', { status: 'IN PROGRESS', progress: NaN }))).job!.progress).toBe(0);
    expect((await status.write('j-progress', change('j-progress', { status: 'IN PROGRESS', progress: 250 }))).job!.progress).toBe(100);
  });
});
