import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namesFor } from '../../src-shared/topology';
import { migrate } from '../../src-main/database/migrations';
import { OperationRunner, type OperationRunnerOptions } from '../../src-main/operations/operation-runner';
import { OperationStore } from '../../src-main/operations/operation-store';
import { eventually } from '../support/console';
import { dropNamespace, testDatabaseConfig, uniqueNamespace } from '../support/namespace';

/**
 * The runner's lease over real PostgreSQL, with verbs of the test's own that count their calls
 * (the real verbs, JobService.retry and cancel, are run in bulk-operations.test.ts): a lease far
 * shorter than a batch must still keep a second runner off the operation.
 */
const namespace = uniqueNamespace('jdops');
let pool: pg.Pool;
let store: OperationStore;

beforeAll(async () => {
  pool = new pg.Pool(testDatabaseConfig());
  await migrate(pool, namesFor(namespace).schema);
  store = new OperationStore(pool, namesFor(namespace).schema);
});
afterAll(async () => {
  await pool?.end();
  await dropNamespace(namespace);
});

describe('the operation runner', () => {
  it('renews its lease during a batch that outlasts it: a second runner never acts on the same item', async () => {
    const ids = Array.from({ length: 8 }, () => randomUUID());
    const id = randomUUID();
    await store.create(id, 'cancel', { ids });
    const calls: string[] = [];
    const slowVerb = async (jobId: string) => {
      calls.push(jobId);
      await sleep(150);
    };
    const options: OperationRunnerOptions = {
      store,
      verbs: { retry: slowVerb, cancel: slowVerb },
      onLog: () => undefined,
      batchSize: 8,
      concurrency: 1,
      leaseMs: 300,
      idleMs: 50,
    };
    // One batch takes 8 × 150 ms, four times the lease.
    const runners = [new OperationRunner(options), new OperationRunner(options)];
    runners.forEach((runner) => runner.start());
    try {
      const done = await eventually(() => store.get(id), (op) => op?.status === 'done', 10_000, 'the operation done');
      expect(done).toMatchObject({ changed: 8, pending: 0 });
      expect(calls.sort()).toEqual([...ids].sort());
    } finally {
      await Promise.all(runners.map((runner) => runner.close()));
    }
  });
});
