import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Page } from '../../src-shared/job';
import type { Problem } from '../../src-shared/problem';
import { namesFor } from '../../src-shared/topology';
import { eventually, startTestConsole, type TestConsole } from '../support/console';
import { TEST_SERVICES, testDatabaseConfig } from '../support/namespace';

/**
 * Issue 15, "Replay with an edited payload": `replay_of` on a submit is checked, recorded on
 * the new job, searchable, kept by the history once Redis lost the job, and kept by a worker
 * that rebuilds a job Redis lost before it ran.
 */
describe('replaying a job with an edited payload', () => {
  let app: TestConsole;
  let db: pg.Client;
  let redis: Redis;
  beforeAll(async () => {
    // Callback jobs wait for a worker this test starts itself.
    app = await startTestConsole({ JOBDECK_WORKERS: 'A=1,B=0,C=0' });
    db = new pg.Client(testDatabaseConfig());
    await db.connect();
    redis = new Redis(TEST_SERVICES.redisUrl);
  }, 60_000);
  afterAll(async () => {
    redis?.disconnect();
    await db?.end();
    await app?.dispose();
  });

  const post = async <T>(path: string, body: unknown): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as T };
  };
  const get = async <T>(path: string): Promise<T> => (await (await fetch(`${app.url}${path}`)).json()) as T;
  const submit = async (body: unknown): Promise<Job> => {
    const answer = await post<Job>('/api/v1/jobs', body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    return answer.body;
  };
  const until = (id: string, status: Job['status']): Promise<Job> =>
    eventually(() => get<Job>(`/api/v1/jobs/${id}`), (job) => job.status === status, 20_000, `job ${id} to be ${status}`);
  const replaysOf = (id: string): Promise<Page<Job>> => get<Page<Job>>(`/api/v1/jobs?q=${encodeURIComponent(`replay_of:${id}`)}`);
  const historyRow = async (id: string): Promise<{ replay_of: string | null } | undefined> =>
    (await db.query<{ replay_of: string | null }>(`SELECT replay_of FROM ${pg.escapeIdentifier(app.namespace)}.jobs WHERE id = $1`, [id])).rows[0];

  it('records replay_of on the new job, finds it with replay_of:<id>, and keeps it once Redis expired the job', async () => {
    const original = await submit({ kind: 'log', payload: { client_time: 1_569_177_495 } });
    await until(original.id, 'DONE');
    const replay = await submit({ kind: 'A', payload: { client_time: '2026-01-02T03:04:05Z' }, replay_of: original.id.toUpperCase() });
    expect(replay).toMatchObject({ kind: 'log', replay_of: original.id, payload: { client_time: '2026-01-02T03:04:05.000Z' } });
    expect(original.replay_of).toBeNull();
    await until(replay.id, 'DONE');

    const found = await eventually(() => replaysOf(original.id), (page) => page.items.length > 0, 10_000, 'the search to find the replay');
    expect(found.items.map((job) => job.id)).toEqual([replay.id]);
    // An ID prefix finds it too; the replay has no replays of its own.
    expect((await replaysOf(original.id.slice(0, 8))).items.map((job) => job.id)).toEqual([replay.id]);
    expect((await replaysOf(replay.id)).items).toEqual([]);

    // Redis lets the status go (as its TTL would): the job is read from the history, replay_of and all.
    await eventually(() => historyRow(replay.id), (row) => row?.replay_of === original.id, 10_000, 'the history row');
    expect(await redis.del(namesFor(app.namespace).jobKey(replay.id))).toBe(1);
    const fromHistory = await get<Job>(`/api/v1/jobs/${replay.id}`);
    expect(fromHistory).toMatchObject({ id: replay.id, status: 'DONE', replay_of: original.id });
  });

  it('refuses a replay_of that is not a job ID (400), names no job or a job of another kind (422), and creates nothing', async () => {
    const original = await submit({ kind: 'log', payload: { client_time: 1 } });
    const malformed = await post<Problem>('/api/v1/jobs', { kind: 'log', payload: { client_time: 1 }, replay_of: 'not-a-job' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'replay_of', rule: 'format' })]);

    const unknownId = '00000000-0000-4000-8000-00000000beef';
    const unknown = await post<Problem>('/api/v1/jobs', { kind: 'log', payload: { client_time: 1 }, replay_of: unknownId });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ type: 'urn:jobdeck:problem:replay-origin', errors: [{ field: 'replay_of', rule: 'exists' }] });

    const otherKind = await post<Problem>('/api/v1/jobs', { kind: 'email', payload: {}, replay_of: original.id });
    expect(otherKind.status).toBe(422);
    expect(otherKind.body.errors).toEqual([expect.objectContaining({ field: 'replay_of', rule: 'kind' })]);

    // A bad payload is named first, as without replay_of; the dry run checks replay_of as a submit does.
    const badPayload = await post<Problem>('/api/v1/jobs', { kind: 'log', payload: { client_time: 'soon' }, replay_of: unknownId });
    expect(badPayload.status).toBe(400);
    expect(badPayload.body.errors?.map((error) => error.field)).toEqual(['payload.client_time']);
    expect((await post<Problem>('/api/v1/jobs/validate', { kind: 'log', payload: { client_time: 1 }, replay_of: unknownId })).status).toBe(422);
    expect((await post('/api/v1/jobs/validate', { kind: 'log', payload: { client_time: 2 }, replay_of: original.id })).status).toBe(200);

    // A batch takes no replay_of: its children are not replays.
    const batch = await post<Problem>('/api/v1/batches', { jobs: [{ kind: 'log', payload: { client_time: 1 }, replay_of: original.id }] });
    expect(batch.status).toBe(400);
    expect(batch.body.errors).toEqual([expect.objectContaining({ field: 'jobs.0.replay_of', rule: 'unknown' })]);

    // None of the refused submits left a job behind.
    await until(original.id, 'DONE');
    expect((await replaysOf(original.id)).items).toEqual([]);
    expect((await replaysOf(unknownId)).items).toEqual([]);
  });

  it('keeps replay_of on a job whose worker rebuilt it from the message after Redis lost it before the run', async () => {
    const original = await submit({ kind: 'callback', payload: { duration_ms: 0 } });
    const replay = await submit({ kind: 'callback', payload: { duration_ms: 10 }, replay_of: original.id });
    expect(replay.replay_of).toBe(original.id);
    const key = namesFor(app.namespace).jobKey(replay.id);
    // Redis loses the QUEUED job before any worker took it (no callback worker runs yet).
    expect(await redis.del(key)).toBe(1);

    const scaled = await fetch(`${app.url}/api/v1/workers/callback`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count: 1 }) });
    expect(scaled.status).toBe(202);
    // The worker rebuilt the hash from the message: its transitions start at STARTED, and replay_of is there.
    const done = await eventually(async () => JSON.parse((await redis.hget(key, 'status')) ?? 'null') as string | null, (status) => status === 'DONE', 30_000, 'the rebuilt job to be DONE');
    expect(done).toBe('DONE');
    expect(JSON.parse((await redis.hget(key, 'replay_of'))!)).toBe(original.id);
    const rebuilt = await get<Job>(`/api/v1/jobs/${replay.id}`);
    expect(rebuilt.transitions[0]!.status).toBe('STARTED');
    expect(rebuilt.replay_of).toBe(original.id);
    expect((await replaysOf(original.id)).items.map((job) => job.id)).toEqual([replay.id]);
  }, 60_000);
});
