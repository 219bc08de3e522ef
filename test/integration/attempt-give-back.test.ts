import { describe, expect, it } from 'vitest';
import type { JobSeed, JobWrite } from '../../src-shared/node/status-script';
import { statusScriptFixture } from '../support/status-script-fixture';

/**
 * The status script's give-back (issue 17): a run whose kind's own dependency was unreachable
 * undoes its start — QUEUED, attempts back, a noted transition, no attempt error — only while it
 * holds the job; the first outage's time is kept, and past the longest wait the give-back is
 * refused (`expired`) so the attempt counts.
 */
const seed = (id: string): JobSeed => ({ id, kind: 'log', type: 'A', payload: { client_time: '2026-01-01T00:00:00.000Z' }, created_at: '2026-01-01T00:00:00.000Z' });
const fixture = statusScriptFixture(seed);
const { write, create } = fixture;
const start = (id: string, attempt: number, token: string, redelivered = false) =>
  write(id, { status: 'STARTED', startAttempt: attempt, startToken: token, redelivered, progress: 0, thenInProgress: true });
const asHolder = (id: string, token: string, attempt: number, change: Partial<JobWrite>) => write(id, { holderToken: token, holderAttempt: attempt, ...change });
const giveBack = (id: string, token: string, attempt: number, maxWaitS = 3600) =>
  asHolder(id, token, attempt, { status: 'QUEUED', progress: 0, giveBack: { maxWaitS, note: `attempt ${attempt} given back, not counted: PostgreSQL unreachable` } });

describe('giving an attempt back', () => {
  it('puts the job back to QUEUED with its attempt uncounted, then lets the same attempt start again', async () => {
    await create('g-back');
    await start('g-back', 1, 't1');
    const back = await giveBack('g-back', 't1', 1);
    expect(back.outcome).toBe('ok');
    expect(back.job).toMatchObject({ status: 'QUEUED', attempts: 0, progress: 0, attempt_errors: [], error: null });
    expect(back.job!.transitions.at(-1)).toMatchObject({ status: 'QUEUED', note: 'attempt 1 given back, not counted: PostgreSQL unreachable' });
    // The run that gave it back writes nothing more.
    expect((await asHolder('g-back', 't1', 1, { status: 'IN PROGRESS', progress: 50 })).outcome).toBe('superseded');
    // Its message comes back redelivered, as attempt 1 again.
    expect((await start('g-back', 1, 't2', true)).job).toMatchObject({ status: 'IN PROGRESS', attempts: 1 });
    expect((await asHolder('g-back', 't2', 1, { status: 'DONE', progress: 100, result: {} })).job).toMatchObject({ status: 'DONE', attempts: 1, attempt_errors: [] });
  });

  it('after taking over a lost run, puts attempts back to what its message’s start found, so that message starts again', async () => {
    await create('g-takeover');
    await start('g-takeover', 1, 't1');
    // t1's worker died; its message comes back redelivered and takes the job over as attempt 2.
    expect((await start('g-takeover', 1, 't2', true)).job).toMatchObject({ attempts: 2 });
    const back = await giveBack('g-takeover', 't2', 2);
    expect(back.job).toMatchObject({ status: 'QUEUED', attempts: 0 });
    const again = await start('g-takeover', 1, 't3', true);
    expect(again.outcome).toBe('ok');
    expect(again.job).toMatchObject({ status: 'IN PROGRESS', attempts: 1 });
  });

  it('gives back a start of a message without an attempt number by one attempt', async () => {
    await create('g-unnumbered');
    await write('g-unnumbered', { status: 'STARTED', addAttempt: true, startToken: 't1', progress: 0 });
    await write('g-unnumbered', { status: 'STARTED', addAttempt: true, startToken: 't2', progress: 0 });
    expect((await giveBack('g-unnumbered', 't2', 2)).job).toMatchObject({ status: 'QUEUED', attempts: 1 });
  });

  it('is refused to a run another start took over', async () => {
    await create('g-taken');
    await start('g-taken', 1, 't1');
    await start('g-taken', 2, 't2');
    expect((await giveBack('g-taken', 't1', 1)).outcome).toBe('superseded');
    expect((await fixture.status.read('g-taken'))!).toMatchObject({ status: 'IN PROGRESS', attempts: 2 });
  });

  it('ends the job CANCELLED when an operator asked to cancel it meanwhile', async () => {
    await create('g-cancel');
    await start('g-cancel', 1, 't1');
    await write('g-cancel', { status: 'IN PROGRESS', requestCancel: true, guard: 'live' });
    expect((await giveBack('g-cancel', 't1', 1)).job).toMatchObject({ status: 'CANCELLED' });
  });

  it('is `expired` once the first outage is more than the longest wait ago; an operator’s retry forgets it', async () => {
    await create('g-wait');
    await start('g-wait', 1, 't1');
    expect((await giveBack('g-wait', 't1', 1, 0)).outcome).toBe('ok');
    await fixture.redis.hset(fixture.names.jobKey('g-wait'), 'unavailable_since', String(Math.floor(Date.now() / 1000) - 5));
    await start('g-wait', 1, 't2', true);
    const late = await giveBack('g-wait', 't2', 1, 4);
    expect(late.outcome).toBe('expired');
    expect((await fixture.status.read('g-wait'))!).toMatchObject({ status: 'IN PROGRESS', attempts: 1 });
    await write('g-wait', { status: 'QUEUED', guard: 'any', resetBudget: true });
    expect(await fixture.redis.hget(fixture.names.jobKey('g-wait'), 'unavailable_since')).toBeNull();
  });
});
