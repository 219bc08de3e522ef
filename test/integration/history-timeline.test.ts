import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Transition } from '../../src-shared/job';
import { namesFor } from '../../src-shared/topology';
import { migrate } from '../../src-main/database/migrations';
import { JobHistory } from '../../src-main/history/job-history';
import { eventually, startTestConsole, type TestConsole } from '../support/console';
import { TEST_SERVICES, dropNamespace, testDatabaseConfig, uniqueNamespace } from '../support/namespace';

/**
 * Issue 10, item 16: a job Redis lost is rebuilt by its worker from the message with a new
 * transition list; the history row must keep the transitions from before the loss.
 */
const at = (second: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
const step = (status: Transition['status'], second: number, worker = 'host/1'): Transition => ({ status, at: at(second), worker });

function jobAt(version: number, transitions: Transition[], over: Partial<Job> = {}): Job {
  const last = transitions[transitions.length - 1]!;
  return {
    id: '6c1e9d2a-0000-4000-8000-000000000016',
    kind: 'log',
    type: 'A',
    status: last.status,
    payload: { client_time: '2019-09-22T18:38:15.000Z' },
    progress: 0,
    attempts: 1,
    created_at: at(0),
    updated_at: last.at,
    transitions,
    result: null,
    error: null,
    max_attempts: 5,
    next_attempt_at: null,
    attempt_errors: [],
    replay_of: null,
    schedule_id: null,
    run_at: null,
    version,
    ...over,
  };
}

describe('a history row', () => {
  const namespace = uniqueNamespace();
  let pool: pg.Pool;
  let history: JobHistory;
  beforeAll(async () => {
    pool = new pg.Pool(testDatabaseConfig());
    await migrate(pool, namesFor(namespace).schema);
    history = new JobHistory(pool, namesFor(namespace).schema);
  });
  afterAll(async () => {
    await pool.end();
    await dropNamespace(namespace);
  });

  it('only ever gains transitions and attempt errors, in time order, while the newest version decides the rest', async () => {
    const before = [step('QUEUED', 1, 'api'), step('STARTED', 2), step('IN PROGRESS', 2)];
    const firstError = { attempt: 1, at: at(3), error: 'connection refused' };
    await history.record([jobAt(100, [...before, step('RETRYING', 3)], { attempt_errors: [firstError] })]);
    // Redis lost the hash; a worker rebuilt it from the message: a new list, a newer version.
    const rebuilt = [step('STARTED', 8, 'host/2'), step('IN PROGRESS', 8, 'host/2'), step('DONE', 9, 'host/2')];
    await history.record([jobAt(5_000, rebuilt, { attempts: 2, progress: 100, result: { ok: true } })]);
    const merged = [...before, step('RETRYING', 3), ...rebuilt];
    expect(await history.get(jobAt(0, before).id)).toMatchObject({
      status: 'DONE', version: 5_000, attempts: 2, result: { ok: true }, transitions: merged, attempt_errors: [firstError],
    });

    // A late event of an older version changes nothing it already holds ...
    await history.record([jobAt(99, before)]);
    expect((await history.get(jobAt(0, before).id))!.transitions).toEqual(merged);
    // ... and adds only what the row lacks, in its place in time, without taking over the status.
    await history.record([jobAt(101, [...before, step('RETRYING', 3), step('STARTED', 5)])]);
    const row = (await history.get(jobAt(0, before).id))!;
    expect(row.transitions).toEqual([...before, step('RETRYING', 3), step('STARTED', 5), ...rebuilt]);
    expect(row).toMatchObject({ status: 'DONE', version: 5_000 });
  });
});

describe('a job whose status Redis lost while it ran', () => {
  let app: TestConsole;
  let db: pg.Client;
  let redis: Redis;
  beforeAll(async () => {
    app = await startTestConsole({ JOBDECK_WORKERS: 'A=0,B=1,C=0' });
    db = new pg.Client(testDatabaseConfig());
    await db.connect();
    redis = new Redis(TEST_SERVICES.redisUrl);
  }, 60_000);
  afterAll(async () => {
    redis?.disconnect();
    await db?.end();
    await app?.dispose();
  });

  const historyRow = async (id: string): Promise<Pick<Job, 'status' | 'transitions'> | undefined> => {
    const { rows } = await db.query<Pick<Job, 'status' | 'transitions'>>(
      `SELECT status, transitions FROM ${pg.escapeIdentifier(app.namespace)}.jobs WHERE id = $1`,
      [id],
    );
    return rows[0];
  };

  it('keeps the transitions from before the loss in its history row once the worker rebuilt it', async () => {
    const response = await fetch(`${app.url}/api/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'callback', payload: { duration_ms: 3_000 } }),
    });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as Job;
    const before = await eventually(async () => {
      const row = await historyRow(id);
      return row?.status === 'IN PROGRESS' ? row.transitions : undefined;
    }, 20_000, 'the history to show the job running');
    expect(before.map((t) => t.status)).toEqual(['QUEUED', 'STARTED', 'IN PROGRESS']);

    // Redis loses the job (as a restart with nothing on disk would); its worker goes on.
    expect(await redis.del(namesFor(app.namespace).jobKey(id))).toBe(1);
    const after = await eventually(async () => {
      const row = await historyRow(id);
      return row?.status === 'DONE' ? row.transitions : undefined;
    }, 20_000, 'the history to show the job DONE');

    // The worker rebuilt the hash with a list of its own: only what happened after the loss.
    const inRedis = (await (await fetch(`${app.url}/api/v1/jobs/${id}`)).json()) as Job;
    expect(inRedis.transitions.map((t) => t.status)).not.toContain('QUEUED');
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length)).toEqual(inRedis.transitions);
    expect(after[after.length - 1]!.status).toBe('DONE');
  });
});
