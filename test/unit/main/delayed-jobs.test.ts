import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { DelayPromoter } from '../../../src-main/jobs/delay-promoter';
import { DelayedJobs } from '../../../src-main/jobs/delayed-jobs';
import type { ScheduledJobs, ScheduledRow } from '../../../src-main/jobs/scheduled-jobs';
import type { JobPublisher } from '../../../src-main/broker/job-publisher';
import type { JobSeed, JobStatusClient, WriteReply } from '../../../src-shared/node/status-store';
import type { JobMessage } from '../../../src-shared/wire';

const ID = '6f1c2b4e-8a1d-4c3e-9b2a-1d2e3f4a5b6c';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A LISTEN connection that works and never notifies. */
const pool = { connect: async () => ({ on: () => undefined, query: async () => ({ rows: [] }), release: () => undefined }) } as unknown as pg.Pool;

describe('DelayPromoter', () => {
  it('does not loop while the due rows are held by another console (its claims get none)', async () => {
    let claims = 0;
    const store = { channel: 'test.scheduled', nextDue: async () => Date.now() - 1_000 } as unknown as ScheduledJobs;
    const delayed = { store, promoteDue: async () => (claims++, 0) } as unknown as DelayedJobs;
    const promoter = new DelayPromoter({ delayed, pool });
    promoter.start();
    await sleep(500);
    await promoter.close();
    // One claim every ~100 ms, not thousands.
    expect(claims).toBeGreaterThanOrEqual(2);
    expect(claims).toBeLessThan(15);
  });
});

const message = { v: 1, uuid: ID, type: 'callback', kind: 'callback', extra_data: { callback_url: 'http://127.0.0.1/x', duration_ms: 0, secret: 'whsec_abc' }, created_at: '2026-12-07T16:00:00.000Z', attempt: 1, max_attempts: 3, run_at: '2026-12-07T17:00:00.000Z' } as unknown as JobMessage & { run_at: string };
const seed = { id: ID } as JobSeed;

describe('DelayedJobs.schedule', () => {
  it('withdraws the job when its SCHEDULED write failed (it may land after the client gave up), and keeps no secret in the row', async () => {
    const withdrawn: string[] = [];
    const status = {
      create: () => Promise.reject(new Error('Command timed out')),
      withdraw: async (id: string) => (withdrawn.push(id), { outcome: 'ok' }) as unknown as WriteReply,
    } as unknown as JobStatusClient;
    const stored: JobMessage[] = [];
    const store = { add: async (m: JobMessage, _due: string, then: () => Promise<unknown>) => (stored.push(m), then()) } as unknown as ScheduledJobs;
    const delayed = new DelayedJobs(status, {} as JobPublisher, store);
    await expect(delayed.schedule(message, seed, 'whsec_abc')).rejects.toThrow('Command timed out');
    expect(withdrawn).toEqual([ID]);
    expect(JSON.stringify(stored)).not.toContain('whsec_abc');
    expect(message.extra_data).toHaveProperty('secret', 'whsec_abc');
  });

  it('withdraws the job when the commit failed after its SCHEDULED write', async () => {
    const withdrawn: string[] = [];
    const status = {
      create: async () => ({ outcome: 'ok', job: { id: ID } }) as unknown as WriteReply,
      withdraw: async (id: string) => (withdrawn.push(id), { outcome: 'ok' }) as unknown as WriteReply,
    } as unknown as JobStatusClient;
    const store = { add: async (_m: JobMessage, _due: string, then: () => Promise<unknown>) => (await then(), Promise.reject(new Error('Connection terminated'))) } as unknown as ScheduledJobs;
    await expect(new DelayedJobs(status, {} as JobPublisher, store).schedule(message, seed, undefined)).rejects.toThrow('Connection terminated');
    expect(withdrawn).toEqual([ID]);
  });
});

describe('DelayedJobs promotion', () => {
  const row = { job_id: ID, due_at: new Date(), message: { ...message, extra_data: { callback_url: 'http://127.0.0.1/x', duration_ms: 0 } } } as ScheduledRow;
  const promoteWith = async (status: Partial<JobStatusClient>, historyStatus: string | null) => {
    const published: JobMessage[] = [];
    const store = { claimDue: (promote: (rows: ScheduledRow[]) => Promise<string[]>) => promote([row]).then((ids) => ids.length), historyStatus: async () => historyStatus } as unknown as ScheduledJobs;
    const publisher = { publish: async (m: JobMessage) => void published.push(m) } as unknown as JobPublisher;
    const promoted = await new DelayedJobs(status as JobStatusClient, publisher, store).promoteDue();
    return { promoted, published };
  };
  const promote = async () => ({ outcome: 'ok', job: { id: ID, status: 'QUEUED' } }) as unknown as WriteReply;

  it('drops, unpublished, a row whose job Redis lost and the history has ended', async () => {
    let promotes = 0;
    const status = { read: async () => null, promote: async () => (promotes++, promote()), callbackSecret: async () => null };
    expect(await promoteWith(status, 'CANCELLED')).toEqual({ promoted: 1, published: [] });
    expect(promotes).toBe(0);
  });

  it('publishes a row whose job Redis lost and the history has still SCHEDULED (unsigned: the secret went with Redis)', async () => {
    const { published } = await promoteWith({ read: async () => null, promote, callbackSecret: async () => null }, 'SCHEDULED');
    expect(published).toHaveLength(1);
    expect(published[0]!.extra_data).not.toHaveProperty('secret');
  });

  it('re-attaches the signing secret Redis keeps to the published message', async () => {
    const status = { read: async () => ({ id: ID }) as never, promote, callbackSecret: async () => 'whsec_abc' };
    const { published } = await promoteWith(status, null);
    expect(published[0]!.extra_data).toHaveProperty('secret', 'whsec_abc');
  });
});
