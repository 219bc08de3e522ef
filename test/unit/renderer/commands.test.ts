import { describe, expect, it } from 'vitest';
import { jobIdsStartingWith, MAX_JOB_MATCHES, paletteCommands } from '../../../src-renderer/keyboard/commands';
import { makeJob } from './fixtures';
import { setupStore } from './store-fixture';

describe('command palette commands', () => {
  const ids = ['ab12-1', 'ab12-2', 'ab99-3', 'cd00-4'];

  it('finds held jobs by the start of their ID, from two characters, at most a few', () => {
    expect(jobIdsStartingWith(ids, 'AB12')).toEqual(['ab12-1', 'ab12-2']);
    expect(jobIdsStartingWith(ids, 'a')).toEqual([]);
    expect(jobIdsStartingWith(ids, 'go to')).toEqual([]);
    const many = Array.from({ length: 50 }, (_, i) => `ab${i}`);
    expect(jobIdsStartingWith(many, 'ab')).toHaveLength(MAX_JOB_MATCHES);
  });

  it('offers retry for the open failed job but not cancel, and neither while offline', () => {
    const { store } = setupStore();
    const failed = makeJob({ id: 'ffff0000-failed', status: 'FAILED' });
    store.getState().mergeJobs([failed]);
    store.getState().selectJob(failed.id);
    const labels = () => paletteCommands(store, 'job', { openHelp: () => {} }).map((command) => command.label);
    expect(labels()).toContain('Retry job ffff0000');
    expect(labels()).not.toContain('Cancel job ffff0000');
    store.setState({ connection: 'reconnecting' });
    expect(labels()).not.toContain('Retry job ffff0000');
  });

  it('lists a job matched by ID before the views and actions', () => {
    const { store } = setupStore();
    store.getState().mergeJobs([makeJob({ id: 'aced0001-x', status: 'DONE' })]);
    const [first] = paletteCommands(store, 'aced', { openHelp: () => {} });
    expect(first?.group).toBe('Job');
    expect(first?.label).toContain('aced0001');
  });
});
