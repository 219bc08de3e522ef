import { describe, expect, it } from 'vitest';
import type { Job } from '../../../src-shared/job';
import { readJobTiming, TIMING_SOURCE_TIMEOUT_MS } from '../../../src-main/jobs/job-timing-read';

const job = {
  id: '6c1e0000-0000-4000-8000-000000000001',
  created_at: '2026-12-07T10:00:00.000Z',
  updated_at: '2026-12-07T10:00:02.000Z',
  status: 'DONE',
  transitions: [
    { status: 'QUEUED', at: '2026-12-07T10:00:00.000Z', worker: 'api' },
    { status: 'STARTED', at: '2026-12-07T10:00:01.000Z', worker: 'w/1' },
    { status: 'DONE', at: '2026-12-07T10:00:02.000Z', worker: 'w/1' },
  ],
  attempt_errors: [],
  next_attempt_at: null,
  run_at: null,
  attempts: 1,
} as unknown as Job;

describe('readJobTiming', () => {
  it('answers within its bound when a source never does, without it, and says so', async () => {
    const never = new Promise<never>(() => undefined);
    const started = Date.now();
    const timing = await readJobTiming(job, { logs: { read: () => never }, deliveries: { of: () => never } });
    expect(Date.now() - started).toBeLessThan(TIMING_SOURCE_TIMEOUT_MS + 400);
    expect(timing.deliveries).toBeNull();
    expect(timing.notes).toEqual(['effect times unknown: the log was not read in time', 'deliveries unknown: PostgreSQL did not answer in time']);
    expect(timing.attempts).toMatchObject([{ outcome: 'done', duration_ms: 1000 }]);
  });

  it('takes a failing source as unknown, and an absent one as none', async () => {
    const timing = await readJobTiming(job, { deliveries: { of: () => Promise.reject(new Error('ECONNREFUSED')) } });
    expect(timing.deliveries).toBeNull();
    expect(timing.notes).toEqual(['deliveries unknown: PostgreSQL did not answer in time']);
  });
});
