import { describe, expect, it } from 'vitest';
import { WORKER_LOST_ERROR, type JobSeed } from '../../src-shared/node/status-script';
import { statusScriptFixture } from '../support/status-script-fixture';
import { JobLogStore } from '../../src-shared/node/job-log-store';

const seed = (id: string): JobSeed => ({
  id,
  kind: 'callback' as const,
  type: 'B' as const,
  payload: { callback_url: 'http://127.0.0.1:9/', duration_ms: 0 },
  created_at: '2026-01-01T00:00:00.000Z',
});
const fixture = statusScriptFixture(seed);
const { names, write, create } = fixture;
const status = { read: (id: string) => fixture.status.read(id) };


describe('retry fields of the job status', () => {
  it('starts a job with the default limit or its own, no next attempt and no attempt errors', async () => {
    expect((await create('r-default')).job).toMatchObject({ max_attempts: 4, next_attempt_at: null, attempt_errors: [] });
    expect((await create('r-own', 2)).job).toMatchObject({ max_attempts: 2 });
  });

  it('records RETRYING with the next attempt, each attempt error, and clears the time on the next start', async () => {
    await create('r-life');
    await write('r-life', { startAttempt: 1 });
    const next = new Date(Date.now() + 5_000).toISOString();
    const retrying = await write('r-life', { status: 'RETRYING', error: 'boom 1', attemptError: 'boom 1', nextAttemptAt: next });
    expect(retrying.job).toMatchObject({ status: 'RETRYING', error: 'boom 1', next_attempt_at: next, attempts: 1 });
    expect(retrying.job!.attempt_errors).toEqual([{ attempt: 1, at: expect.any(String), error: 'boom 1' }]);
    const second = await write('r-life', { startAttempt: 2 });
    expect(second.job).toMatchObject({ status: 'STARTED', attempts: 2, next_attempt_at: null });
    const failed = await write('r-life', { status: 'FAILED', error: 'boom "2"', attemptError: 'boom "2"' });
    expect(failed.job!.attempt_errors.map((e) => [e.attempt, e.error])).toEqual([[1, 'boom 1'], [2, 'boom "2"']]);
    expect(failed.job!.error).toBe('boom "2"');
  });

  it('refuses the start of an attempt the job is not waiting for (a stale copy)', async () => {
    await create('r-stale');
    expect((await write('r-stale', { startAttempt: 2 })).outcome).toBe('stale');
    expect((await write('r-stale', { startAttempt: 1 })).outcome).toBe('ok');
    // A second, not redelivered copy while the attempt runs: refused.
    expect((await write('r-stale', { startAttempt: 1 })).outcome).toBe('stale');
    expect((await status.read('r-stale'))!.attempts).toBe(1);
  });

  it('takes the same start sent twice (a reply lost on a cut connection) as one start, not a stale copy', async () => {
    await create('r-resent');
    const start = { startAttempt: 1, startToken: 'delivery-1' };
    expect((await write('r-resent', start)).outcome).toBe('ok');
    const again = await write('r-resent', start);
    expect(again.outcome).toBe('ok');
    expect(again.job).toMatchObject({ status: 'STARTED', attempts: 1, attempt_errors: [] });
    // Another delivery of the same attempt is still a stale copy.
    expect((await write('r-resent', { startAttempt: 1, startToken: 'delivery-2' })).outcome).toBe('stale');
  });

  it('rebuilds a job Redis lost from its message: the attempts made before and its own limit', async () => {
    const reply = await write('r-lost', { startAttempt: 3, seed: { ...seed('r-lost'), attempts: 2, max_attempts: 4 } });
    expect(reply.outcome).toBe('ok');
    expect(reply.job).toMatchObject({ status: 'STARTED', attempts: 3, max_attempts: 4 });
  });

  it('reruns a redelivered attempt left unfinished as a new attempt, recording why the last one ended', async () => {
    await create('r-crash');
    await write('r-crash', { startAttempt: 1 });
    await write('r-crash', { status: 'IN PROGRESS', progress: 40 });
    const rerun = await write('r-crash', { startAttempt: 1, redelivered: true });
    expect(rerun.outcome).toBe('ok');
    expect(rerun.job).toMatchObject({ status: 'STARTED', attempts: 2 });
    expect(rerun.job!.attempt_errors).toEqual([{ attempt: 1, at: expect.any(String), error: WORKER_LOST_ERROR }]);
  });

  it('moves a job only from the statuses allowed, and renews its budget on an operator retry', async () => {
    await create('r-op', 2);
    await write('r-op', { startAttempt: 1 });
    await write('r-op', { status: 'RETRYING', attemptError: 'x' });
    await write('r-op', { startAttempt: 2 });
    await write('r-op', { status: 'FAILED', attemptError: 'y', error: 'y' });
    const cancel = await write('r-op', { status: 'CANCELLED', guard: 'any', onlyFrom: ['QUEUED', 'RETRYING'] });
    expect(cancel.outcome).toBe('conflict');
    expect(cancel.job!.status).toBe('FAILED');
    const retried = await write('r-op', { status: 'QUEUED', guard: 'any', onlyFrom: ['FAILED', 'CANCELLED'], resetBudget: true, error: null });
    expect(retried.job).toMatchObject({ status: 'QUEUED', attempts: 2, max_attempts: 4, error: null });
    expect(retried.job!.attempt_errors).toHaveLength(2);
    expect((await write('r-op', { startAttempt: 3 })).outcome).toBe('ok');
  });

  it('reads a job stored before the retry fields existed with their defaults', async () => {
    await fixture.redis.hset(names.jobKey('r-old'), {
      id: '"r-old"', kind: '"log"', type: '"A"', status: '"QUEUED"', payload: '{}', progress: '0', attempts: '0',
      created_at: '"2026-01-01T00:00:00.000Z"', updated_at: '"2026-01-01T00:00:00.000Z"', transitions: '[]',
      result: 'null', error: 'null', version: '1',
    });
    expect(await status.read('r-old')).toMatchObject({ max_attempts: 4, next_attempt_at: null, attempt_errors: [] });
  });
});

describe("a job's log keys", () => {
  it('live as long as the job: kept while it runs or waits, expiring with its status once it ended', async () => {
    const logs = new JobLogStore(fixture.redis, names);
    const keys = [names.jobLogKey('r-log', 'lines'), names.jobLogKey('r-log', 'bytes')];
    await create('r-log');
    await write('r-log', { startAttempt: 1 });
    await logs.append('r-log', [{ attempt: 1, at: new Date().toISOString(), line: 'step 1' }]);
    // A log no status write follows expires on its own, in days.
    for (const key of keys) expect(await fixture.redis.ttl(key)).toBeGreaterThan(86_400);
    await write('r-log', { status: 'IN PROGRESS', progress: 50 });
    for (const key of keys) expect(await fixture.redis.ttl(key)).toBe(-1);
    await write('r-log', { status: 'DONE', result: {} });
    for (const key of keys) expect(await fixture.redis.ttl(key)).toBeGreaterThan(0);
    for (const key of keys) expect(await fixture.redis.ttl(key)).toBeLessThanOrEqual(60);
  });
});
