import { describe, expect, it } from 'vitest';
import { selectors } from '../../../src-renderer/store/selectors';
import { eventOf, makeJob } from './fixtures';
import { settle, setupStore } from './store-fixture';

describe('selectors', () => {
  it('return held values, so reads of what did not change are the same reference', async () => {
    const { store } = setupStore([makeJob({ createdSecond: 1 })]);
    store.getState().start();
    await settle();
    const before = store.getState();

    expect(selectors.selectedJob(before)).toBeUndefined();
    store.getState().selectJob('job-00001');
    const after = store.getState();

    expect(after).not.toBe(before);
    expect(selectors.jobIds(after)).toBe(selectors.jobIds(before));
    expect(selectors.job(after, 'job-00001')).toBe(selectors.job(before, 'job-00001'));
    expect(selectors.selectedJob(after)).toBe(selectors.job(after, 'job-00001'));
    expect(selectors.isSelected(after, 'job-00001')).toBe(true);
  });

  it('keep the same state when an event brings nothing newer', async () => {
    const job = makeJob({ createdSecond: 1 });
    const { emit, schedule, store } = setupStore([job]);
    store.getState().start();
    await settle();
    // Its first QUEUED event counts on the chart (the page brought the job first); a repeat changes nothing.
    emit(eventOf(job));
    schedule.advance(100);
    const before = store.getState();

    emit(eventOf(job));
    schedule.advance(100);

    expect(store.getState()).toBe(before);
  });
});
