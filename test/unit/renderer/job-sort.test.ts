import { describe, expect, it } from 'vitest';
import { nextSort } from '../../../src-renderer/store/column-sort';
import { createSortedIdsSelector, NEWEST_FIRST, sortJobIds } from '../../../src-renderer/store/job-sort';
import { selectors } from '../../../src-renderer/store/selectors';
import type { Job } from '../../../src-shared/job';
import { advance, eventOf, makeJob } from './fixtures';
import { setupStore } from './store-fixture';

describe('job sort', () => {
  const newest = makeJob({ createdSecond: 30, id: 'cc-newest', status: 'FAILED', attempts: 2 });
  const middle = makeJob({ createdSecond: 20, id: 'aa-middle', status: 'QUEUED', attempts: 1 });
  const oldest = makeJob({ createdSecond: 10, id: 'bb-oldest', status: 'DONE', attempts: 2 });
  const byId: Record<string, Job> = { [newest.id]: newest, [middle.id]: middle, [oldest.id]: oldest };
  const ids = [newest.id, middle.id, oldest.id];

  it('keeps the store order itself for newest first, and reverses it for oldest first', () => {
    expect(sortJobIds(ids, byId, NEWEST_FIRST)).toBe(ids);
    expect(sortJobIds(ids, byId, { key: 'created', direction: 'ascending' })).toEqual([oldest.id, middle.id, newest.id]);
  });

  it('sorts by ID text, by status in lifecycle order and by numbers; ties stay newest first both ways', () => {
    expect(sortJobIds(ids, byId, { key: 'id', direction: 'ascending' })).toEqual([middle.id, oldest.id, newest.id]);
    expect(sortJobIds(ids, byId, { key: 'status', direction: 'ascending' })).toEqual([middle.id, oldest.id, newest.id]);
    expect(sortJobIds(ids, byId, { key: 'attempts', direction: 'ascending' })).toEqual([middle.id, newest.id, oldest.id]);
    expect(sortJobIds(ids, byId, { key: 'attempts', direction: 'descending' })).toEqual([newest.id, oldest.id, middle.id]);
  });

  it('starts a new column ascending and flips the same column', () => {
    expect(nextSort(NEWEST_FIRST, 'kind')).toEqual({ key: 'kind', direction: 'ascending' });
    expect(nextSort({ key: 'kind', direction: 'ascending' }, 'kind')).toEqual({ key: 'kind', direction: 'descending' });
    expect(nextSort(NEWEST_FIRST, 'created')).toEqual({ key: 'created', direction: 'ascending' });
  });

  it('orders the visible jobs of the store by the chosen column, after the filter', () => {
    const { store } = setupStore();
    store.getState().mergeJobs([newest, middle, oldest]);
    store.getState().sortJobsBy('id');
    expect(selectors.visibleJobIds(store.getState())).toEqual([middle.id, oldest.id, newest.id]);
    store.getState().setFilter({ search: 'oldest' });
    expect(selectors.visibleJobIds(store.getState())).toEqual([oldest.id]);
    store.getState().setFilter({ search: '' });
    store.getState().resetJobSort();
    expect(selectors.visibleJobIds(store.getState())).toBe(store.getState().jobIds);
  });

  it('keeps the sorted array while an event changes no position', () => {
    const select = createSortedIdsSelector();
    const { store } = setupStore();
    store.getState().mergeJobs([newest, middle, oldest]);
    store.getState().sortJobsBy('id');
    const read = () => select(store.getState().jobIds, store.getState().jobsById, store.getState().jobSort);
    const first = read();
    store.getState().applyEvents([eventOf(advance(middle, 'STARTED', 10))]);
    expect(read()).toBe(first);
  });

  it('sorts 100,000 jobs by status (counting) and by update time (comparing) in a fraction of a second', () => {
    const many: Record<string, Job> = {};
    const manyIds: string[] = [];
    const statuses = ['QUEUED', 'DONE', 'FAILED', 'RETRYING'] as const;
    for (let i = 0; i < 100_000; i++) {
      const job = makeJob({ createdSecond: 100_000 - i, id: `job-${i}`, status: statuses[i % statuses.length]!, attempts: i % 5 });
      many[job.id] = job;
      manyIds.push(job.id);
    }
    const timed = (sort: Parameters<typeof sortJobIds>[2]) => {
      const started = performance.now();
      const sorted = sortJobIds(manyIds, many, sort);
      return { sorted, ms: performance.now() - started };
    };
    const byStatus = timed({ key: 'status', direction: 'descending' });
    const byUpdate = timed({ key: 'updated', direction: 'ascending' });
    console.log(`[job-sort] 100,000 jobs: by status ${byStatus.ms.toFixed(1)} ms, by update time ${byUpdate.ms.toFixed(1)} ms`);
    expect(many[byStatus.sorted[0]!]!.status).toBe('FAILED');
    expect(many[byStatus.sorted[99_999]!]!.status).toBe('QUEUED');
    expect(byUpdate.sorted[0]).toBe('job-99999');
    // Generous: the machine may be shared; an unsorted copy or a quadratic sort takes far longer.
    expect(byStatus.ms + byUpdate.ms).toBeLessThan(1_500);
  });
});
