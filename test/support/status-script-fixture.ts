import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import type { JobSeed, JobWrite } from '../../src-shared/node/status-script';
import { StatusScript } from '../../src-shared/node/status-script';
import { namesFor, type Names } from '../../src-shared/topology';
import { TEST_SERVICES, dropNamespace, uniqueNamespace } from './namespace';

/**
 * The raw status script on a namespace of the test file's own (dropped after it), with a `write`
 * that fills in a STARTED write of `seedOf(id)` and a `create` of the job as QUEUED.
 */
export function statusScriptFixture(seedOf: (id: string) => JobSeed) {
  const names: Names = namesFor(uniqueNamespace());
  const fixture = {
    names,
    redis: null as unknown as Redis,
    status: null as unknown as StatusScript,
    write: (id: string, over: Partial<JobWrite>) =>
      fixture.status.write(id, { status: 'STARTED', at: new Date().toISOString(), worker: 'test/1', guard: 'live', emit: false, seed: seedOf(id), ...over }),
    create: (id: string, maxAttempts?: number) =>
      fixture.write(id, { status: 'QUEUED', guard: 'create', seed: { ...seedOf(id), ...(maxAttempts ? { max_attempts: maxAttempts } : {}) } }),
  };
  beforeAll(() => {
    fixture.redis = new Redis(TEST_SERVICES.redisUrl);
    fixture.status = new StatusScript(fixture.redis, names, { terminalTtlSeconds: 60, streamMaxLength: 1000, defaultMaxAttempts: 4 });
  });
  afterAll(async () => {
    fixture.redis.disconnect();
    await dropNamespace(names.namespace);
  });
  return fixture;
}
