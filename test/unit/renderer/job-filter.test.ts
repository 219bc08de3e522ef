import { describe, expect, it } from 'vitest';
import { createVisibleIdsSelector, exportQueryOf, NO_FILTER, searchQueryOf, searchSyntaxError } from '../../../src-renderer/store/job-filter';
import { selectors } from '../../../src-renderer/store/selectors';
import { advance, eventOf, makeJob } from './fixtures';
import { setupStore } from './store-fixture';

describe('job filter', () => {
  const log = makeJob({ createdSecond: 3, id: 'aaaa1111-log', payload: { client_time: '2025-01-01T00:00:00.000Z' } });
  const mail = makeJob({
    createdSecond: 2,
    id: 'bbbb2222-mail',
    kind: 'email',
    type: 'C',
    status: 'DONE',
    payload: { email_address: 'ops@example.test', subject: 'Quarterly' },
  });
  const failed = makeJob({ createdSecond: 1, id: 'cccc3333-cb', kind: 'callback', type: 'B', status: 'FAILED' });

  function filtered(change: Partial<typeof NO_FILTER>) {
    const { store } = setupStore();
    store.getState().mergeJobs([log, mail, failed]);
    store.getState().setFilter(change);
    return selectors.visibleJobIds(store.getState());
  }

  it('shows every job, newest first, and the very same array when nothing filters', () => {
    const { store } = setupStore();
    store.getState().mergeJobs([failed, log, mail]);
    expect(selectors.visibleJobIds(store.getState())).toBe(store.getState().jobIds);
    expect(store.getState().jobIds).toEqual([log.id, mail.id, failed.id]);
  });

  it('filters by status, by kind, by ID prefix and by payload text, case-insensitively', () => {
    expect(filtered({ status: 'FAILED' })).toEqual([failed.id]);
    expect(filtered({ kind: 'email' })).toEqual([mail.id]);
    expect(filtered({ search: 'AAAA11' })).toEqual([log.id]);
    expect(filtered({ search: 'ops@example' })).toEqual([mail.id]);
    expect(filtered({ search: 'quarterly', status: 'FAILED' })).toEqual([]);
  });

  it('reads a search in the query language as a query, and plain words as text', () => {
    expect(filtered({ search: 'status:FAILED OR kind:email' })).toEqual([mail.id, failed.id]);
    expect(filtered({ search: '-kind:A payload.email_address:*@EXAMPLE.test' })).toEqual([mail.id]);
    expect(filtered({ search: 'id:bbbb' })).toEqual([mail.id]);
    expect(filtered({ search: 'aaaa11' })).toEqual([log.id]);
  });

  it('says why a search with a colon is not a query, and matches it as text', () => {
    expect(searchSyntaxError('status:')).toBe('column 8: expected a value after "status:"');
    expect(searchSyntaxError('"email_address":"ops')).not.toBeNull();
    expect(filtered({ search: '"email_address":"ops' })).toEqual([mail.id]);
    expect(searchSyntaxError('plain words')).toBeNull();
    expect(searchQueryOf('plain words')).toBeNull();
  });

  it('makes one query of the search, status and kind for an export, leaving out a search that does not parse', () => {
    expect(exportQueryOf({ search: ' ops@example ', status: 'IN PROGRESS', kind: 'email' })).toBe('ops@example status:"IN PROGRESS" kind:email');
    expect(exportQueryOf({ search: 'status:', status: null, kind: 'log' })).toBe('kind:log');
    expect(exportQueryOf(NO_FILTER)).toBe('');
  });

  it('keeps the filtered array while an event changes nothing it shows', () => {
    const select = createVisibleIdsSelector();
    const { store } = setupStore();
    store.getState().mergeJobs([log, mail, failed]);
    store.getState().setFilter({ status: 'FAILED' });
    const first = select(store.getState().jobIds, store.getState().jobsById, store.getState().filter);
    store.getState().applyEvents([eventOf(advance(log, 'STARTED', 10))]);
    expect(select(store.getState().jobIds, store.getState().jobsById, store.getState().filter)).toBe(first);
  });
});
