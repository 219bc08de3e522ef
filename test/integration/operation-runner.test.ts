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

  it('publishes the full state at start, at most every publishEveryMs between batches, and always the final one', async () => {
    const ids = Array.from({ length: 40 }, () => randomUUID());
    const id = randomUUID();
    await store.create(id, 'cancel', { ids });
    const published: { at: number; status: string; settled: number }[] = [];
    const verb = () => sleep(10);
    const runner = new OperationRunner({
      store,
      verbs: { retry: verb, cancel: verb },
      onLog: () => undefined,
      publish: (op) => published.push({ at: Date.now(), status: op.status, settled: op.changed + op.skipped + op.failed }),
      publishEveryMs: 100,
      batchSize: 4,
      concurrency: 1,
      idleMs: 50,
    });
    runner.start();
    try {
      await eventually(() => store.get(id), (op) => op?.status === 'done', 10_000, 'the operation done');
      await eventually(() => published.at(-1), (last) => last?.status === 'done', 2_000, 'the final state published');
    } finally {
      await runner.close();
    }
    // Ten batches of 40 ms each: the first state, a few throttled ones, the last; never two progress states much within 100 ms.
    expect(published[0]).toMatchObject({ status: 'running', settled: 0 });
    expect(published.at(-1)).toMatchObject({ status: 'done', settled: 40 });
    const progress = published.slice(1, -1);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.length).toBeLessThan(10);
    for (let n = 1; n < progress.length; n++) expect(progress[n]!.at - progress[n - 1]!.at).toBeGreaterThanOrEqual(80); // the read after the check takes a moment
    expect(published.map((p) => p.settled)).toEqual([...published.map((p) => p.settled)].sort((a, b) => a - b));
  });
});
