import { describe, expect, it } from 'vitest';
import { WORKER_LOST_ERROR, type JobSeed, type JobWrite } from '../../src-shared/node/status-script';
import { statusScriptFixture } from '../support/status-script-fixture';

/**
 * The status store driven in the orders a failed attempt's two writes (its retry message's
 * confirmed publish, then its RETRYING write) and the next holder's start can land in, as workers
 * on a slow or partitioned link produce them: a message for attempt n+1 is always runnable once
 * attempt n failed, nothing runs twice, and a run that lost the job never writes over the next.
 */
const seed = (id: string): JobSeed => ({
  id,
  kind: 'email' as const,
  type: 'C' as const,
  payload: { email_address: 'ops@example.com' },
  created_at: '2026-01-01T00:00:00.000Z',
});
const fixture = statusScriptFixture(seed);
const { write, create } = fixture;
const status = { read: (id: string) => fixture.status.read(id) };
/** A worker's start of `attempt`, as WorkerProcess writes it. */
const start = (id: string, attempt: number, token: string, redelivered = false) =>
  write(id, { status: 'STARTED', startAttempt: attempt, startToken: token, redelivered, progress: 0, thenInProgress: true });
/** A later write of the run started with `token` (attempt `attempt`). */
const asHolder = (id: string, token: string, attempt: number, change: Partial<JobWrite>) =>
  write(id, { holderToken: token, holderAttempt: attempt, ...change });

describe('a failed attempt, its retry and the next start, in every order', () => {
  it('runs the retry that arrives before the RETRYING write, and refuses that late write', async () => {
    await create('f-late');
    expect((await start('f-late', 1, 't1')).outcome).toBe('ok');
    // Attempt 1 failed; its retry was confirmed and came back while the job still reads IN PROGRESS.
    const second = await start('f-late', 2, 't2');
    expect(second.outcome).toBe('ok');
    expect(second.job).toMatchObject({ status: 'IN PROGRESS', attempts: 2 });
    await asHolder('f-late', 't2', 2, { status: 'IN PROGRESS', progress: 40 });
    // Attempt 1's RETRYING write lands at last: refused, its error kept as attempt 1's.
    const late = await asHolder('f-late', 't1', 1, { status: 'RETRYING', error: 'smtp 451', attemptError: 'smtp 451', nextAttemptAt: new Date().toISOString() });
    expect(late.outcome).toBe('superseded');
    const job = (await status.read('f-late'))!;
    expect(job).toMatchObject({ status: 'IN PROGRESS', progress: 40, attempts: 2, next_attempt_at: null });
    expect(job.attempt_errors).toEqual([{ attempt: 1, at: expect.any(String), error: 'smtp 451' }]);
    expect((await asHolder('f-late', 't2', 2, { status: 'DONE', progress: 100, result: { ok: true } })).outcome).toBe('ok');
    expect((await status.read('f-late'))!.transitions.map((t) => t.status)).toEqual(['QUEUED', 'STARTED', 'IN PROGRESS', 'STARTED', 'IN PROGRESS', 'DONE']);
  });

  it('keeps the late RETRYING write of attempt 1 out of a job attempt 2 already ended, but its error in', async () => {
    await create('f-later');
    await start('f-later', 1, 't1');
    await start('f-later', 2, 't2');
    await asHolder('f-later', 't2', 2, { status: 'DONE', progress: 100 });
    const late = await asHolder('f-later', 't1', 1, { status: 'RETRYING', error: 'smtp 451', attemptError: 'smtp 451', emit: true });
    expect(late.outcome).toBe('superseded');
    // An event carries the error to the history.
    expect(late.eventId).toEqual(expect.any(String));
    const job = (await status.read('f-later'))!;
    expect(job).toMatchObject({ status: 'DONE', attempts: 2, error: null });
    expect(job.attempt_errors).toEqual([{ attempt: 1, at: expect.any(String), error: 'smtp 451' }]);
  });

  it('runs the retry after the RETRYING write as before', async () => {
    await create('f-order');
    await start('f-order', 1, 't1');
    expect((await asHolder('f-order', 't1', 1, { status: 'RETRYING', error: 'x', attemptError: 'x' })).outcome).toBe('ok');
    expect((await start('f-order', 2, 't2')).job).toMatchObject({ status: 'IN PROGRESS', attempts: 2 });
  });

  it('runs a crashed attempt once more, not twice, when its redelivery comes before its retry', async () => {
    // Attempt 1 failed, its retry was published, and its worker died before the RETRYING write and the ack.
    await create('f-crash-a');
    await start('f-crash-a', 1, 't1');
    const rerun = await start('f-crash-a', 1, 't3', true);
    expect(rerun.outcome).toBe('ok');
    expect(rerun.job!.attempts).toBe(2);
    expect((await start('f-crash-a', 2, 't2')).outcome).toBe('stale');
    expect((await start('f-crash-a', 2, 't2b', true)).outcome).toBe('stale');
    expect((await status.read('f-crash-a'))!.attempt_errors).toEqual([{ attempt: 1, at: expect.any(String), error: WORKER_LOST_ERROR }]);
  });

  it('runs a crashed attempt once more, not twice, when its retry comes before its redelivery', async () => {
    await create('f-crash-b');
    await start('f-crash-b', 1, 't1');
    expect((await start('f-crash-b', 2, 't2')).outcome).toBe('ok');
    expect((await start('f-crash-b', 1, 't3', true)).outcome).toBe('stale');
    expect((await status.read('f-crash-b'))!.attempts).toBe(2);
  });

  it('reruns a retry whose own holder died before its start was answered', async () => {
    await create('f-retry-lost');
    await start('f-retry-lost', 1, 't1');
    expect((await start('f-retry-lost', 2, 't2')).outcome).toBe('ok');
    // The holder of attempt 2 died: its redelivered message reruns it as attempt 3.
    const rerun = await start('f-retry-lost', 2, 't4', true);
    expect(rerun.outcome).toBe('ok');
    expect(rerun.job!.attempts).toBe(3);
    expect((await asHolder('f-retry-lost', 't2', 2, { status: 'DONE', progress: 100 })).outcome).toBe('superseded');
  });
});

describe('a run that lost its job', () => {
  it('writes neither progress nor a final status once another worker restarted the job', async () => {
    await create('f-lost');
    await start('f-lost', 1, 't1');
    // Its connection was cut; the broker redelivered the message to another worker.
    await start('f-lost', 1, 't2', true);
    expect((await asHolder('f-lost', 't1', 1, { status: 'IN PROGRESS', progress: 90 })).outcome).toBe('superseded');
    expect((await asHolder('f-lost', 't1', 1, { status: 'DONE', progress: 100 })).outcome).toBe('superseded');
    expect((await asHolder('f-lost', 't1', 1, { status: 'FAILED', error: 'x' })).outcome).toBe('superseded');
    expect(await status.read('f-lost')).toMatchObject({ status: 'IN PROGRESS', progress: 0, attempts: 2 });
    expect((await asHolder('f-lost', 't2', 2, { status: 'DONE', progress: 100 })).outcome).toBe('ok');
  });

  it('still ends the job when no one restarted it yet, and the restart then finds it ended', async () => {
    await create('f-first');
    await start('f-first', 1, 't1');
    expect((await asHolder('f-first', 't1', 1, { status: 'DONE', progress: 100 })).outcome).toBe('ok');
    expect((await start('f-first', 1, 't2', true)).outcome).toBe('terminal');
  });
});
