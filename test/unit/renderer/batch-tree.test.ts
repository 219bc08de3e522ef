import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../../src-shared/subscription-schemas';
import { batchProgress, countEntries, isUnsettled, liveBatch } from '../../../src-renderer/store/batch-tree';
import { advance, child, makeBatch, makeJob } from './fixtures';

describe('batch tree', () => {
  it('takes each child from the live job when the console holds one', () => {
    const running = advance(makeJob({ createdSecond: 1, kind: 'callback' }), 'IN PROGRESS', 100, 40);
    const live = liveBatch(makeBatch(), { [running.id]: running });
    expect(live.jobs[0]).toMatchObject({ id: 'job-00001', status: 'IN PROGRESS', progress: 40 });
    expect(live.jobs[1]!.status).toBe('QUEUED');
    expect(live.counts).toEqual({ 'IN PROGRESS': 1, QUEUED: 1 });
    expect(live.progress).toBe(20);
  });

  it('returns the batch itself when no child job is held', () => {
    const batch = makeBatch();
    expect(liveBatch(batch, {})).toBe(batch);
  });

  it('counts a terminal child as 100 and lists counts in the order of a job life', () => {
    expect(batchProgress([child('a', { status: 'FAILED', progress: 10 }), child('b', { status: 'IN PROGRESS', progress: 50 })])).toBe(75);
    expect(countEntries({ DONE: 2, QUEUED: 1, FAILED: 0 })).toEqual([
      ['QUEUED', 1],
      ['DONE', 2],
    ]);
  });

  it('is settled only once complete and its callback delivered or failed', () => {
    const delivery = { state: 'pending' } as Delivery;
    expect(isUnsettled(makeBatch())).toBe(true);
    expect(isUnsettled(makeBatch({ status: 'COMPLETED', callback: null }))).toBe(true);
    expect(isUnsettled(makeBatch({ status: 'COMPLETED', callback: delivery }))).toBe(true);
    expect(isUnsettled(makeBatch({ status: 'COMPLETED', callback: { ...delivery, state: 'delivered' } }))).toBe(false);
    expect(isUnsettled(makeBatch({ status: 'COMPLETED', on_complete: null }))).toBe(false);
  });
});
