import { describe, expect, it } from 'vitest';
import type { Job } from '../../../src-shared/job';
import { selectors } from '../../../src-renderer/store/selectors';
import { advance, eventOf, makeJob } from './fixtures';
import { problem, settle, setupStore } from './store-fixture';

describe('jobs slice: pages', () => {
  it('says why the first page failed', async () => {
    const { bridge, store } = setupStore([makeJob({ createdSecond: 1 })]);
    bridge.listJobs.mockRejectedValueOnce(new Error('HTTP 503: redis is down'));

    store.getState().start();
    await settle();

    expect(selectors.listStatus(store.getState())).toBe('failed');
    expect(selectors.listError(store.getState())).toBe('HTTP 503: redis is down');
  });

  it('lets only the latest of concurrent page loads say how the list stands', async () => {
    const { bridge, store } = setupStore();
    const older = makeJob({ createdSecond: 1 });
    let failFirst: (error: Error) => void = () => undefined;
    let answerSecond: (page: { items: Job[]; next_cursor: null }) => void = () => undefined;
    bridge.listJobs
      .mockReturnValueOnce(new Promise((_, reject) => (failFirst = reject)))
      .mockReturnValueOnce(new Promise((resolve) => (answerSecond = resolve)));

    const first = store.getState().loadFirstPage();
    const second = store.getState().loadFirstPage();
    answerSecond({ items: [older], next_cursor: null });
    await second;
    failFirst(new Error('HTTP 503: late and stale'));
    await first;

    expect(selectors.listStatus(store.getState())).toBe('loaded');
    expect(selectors.listError(store.getState())).toBeNull();
    expect(selectors.jobIds(store.getState())).toEqual([older.id]);
  });

  it('still folds in the jobs of a superseded page load, without moving any job back', async () => {
    const { bridge, store } = setupStore();
    const queued = makeJob({ createdSecond: 1 });
    const started = advance(queued, 'STARTED', 10);
    const other = makeJob({ createdSecond: 2 });
    let answerFirst: (page: { items: Job[]; next_cursor: null }) => void = () => undefined;
    bridge.listJobs
      .mockReturnValueOnce(new Promise((resolve) => (answerFirst = resolve)))
      .mockResolvedValueOnce({ items: [started], next_cursor: null });

    const first = store.getState().loadFirstPage();
    await store.getState().loadFirstPage();
    answerFirst({ items: [queued, other], next_cursor: null });
    await first;

    expect(selectors.job(store.getState(), queued.id)).toBe(started);
    expect(selectors.jobIds(store.getState())).toEqual([other.id, queued.id]);
    expect(selectors.listStatus(store.getState())).toBe('loaded');
  });

  it('asks the history for the first page of a new status or kind, and not for a search', async () => {
    const { store, bridge } = setupStore();
    await settle();
    store.getState().setFilter({ status: 'FAILED', kind: 'callback' });
    store.getState().setFilter({ search: 'x' });
    await settle();
    expect(bridge.listJobs).toHaveBeenCalledTimes(1);
    expect(bridge.listJobs).toHaveBeenLastCalledWith({ limit: 50, status: 'FAILED', kind: 'callback' });
  });

  it('asks the history with q for a search that is a query, and again when the query changes', async () => {
    const { store, bridge } = setupStore();
    await settle();
    store.getState().setFilter({ search: 'status:FAILED error:' });
    await settle();
    expect(bridge.listJobs).toHaveBeenCalledTimes(0);
    store.getState().setFilter({ search: 'status:FAILED error:refused' });
    await settle();
    expect(bridge.listJobs).toHaveBeenLastCalledWith({ limit: 50, q: 'status:FAILED error:refused' });
    store.getState().setFilter({ search: ' status:FAILED error:refused ' });
    await settle();
    expect(bridge.listJobs).toHaveBeenCalledTimes(1);
  });
});

describe('jobs slice: older pages from the history', () => {
  it('loads the next page with the cursor the first gave, then stops when none is left', async () => {
    const newest = makeJob({ createdSecond: 50 });
    const older = makeJob({ createdSecond: 10 });
    const { store, bridge } = setupStore([newest]);
    bridge.listJobs.mockResolvedValueOnce({ items: [newest], next_cursor: 'c1' });
    await store.getState().loadFirstPage();
    expect(store.getState().olderCursor).toBe('c1');

    bridge.listJobs.mockResolvedValueOnce({ items: [older], next_cursor: null });
    await store.getState().loadOlder();

    expect(bridge.listJobs).toHaveBeenLastCalledWith({ limit: 50, cursor: 'c1' });
    expect(store.getState().jobIds).toEqual([newest.id, older.id]);
    expect(store.getState().olderCursor).toBeNull();
    await store.getState().loadOlder();
    expect(bridge.listJobs).toHaveBeenCalledTimes(2);
  });

  it('says a failed older page failed and keeps its cursor to try again', async () => {
    const { store, bridge } = setupStore();
    bridge.listJobs.mockResolvedValueOnce({ items: [], next_cursor: 'c1' });
    await store.getState().loadFirstPage();
    bridge.listJobs.mockRejectedValueOnce(new Error('No answer'));
    await store.getState().loadOlder();
    expect(store.getState().olderPage.status).toBe('failed');
    expect(store.getState().olderCursor).toBe('c1');
  });

  it('holds 100,000 jobs within the bound and filters them', () => {
    const { store } = setupStore([], { maxJobs: 100_000 });
    const jobs = Array.from({ length: 100_500 }, (_, index) =>
      makeJob({ createdSecond: index, id: `job-${String(index).padStart(6, '0')}`, status: index % 10 === 0 ? 'FAILED' : 'DONE' }),
    );
    store.getState().mergeJobs(jobs);
    expect(selectors.jobCount(store.getState())).toBe(100_000);
    expect(store.getState().jobIds[0]).toBe('job-100499');
    store.getState().setFilter({ status: 'FAILED' });
    expect(selectors.visibleJobIds(store.getState())).toHaveLength(10_000);
  });
});

describe('jobs slice: events and snapshots', () => {
  it('shows the newest state of a job whatever order its events came in', async () => {
    const queued = makeJob({ createdSecond: 7 });
    const started = advance(queued, 'STARTED', 10);
    const done = advance(started, 'DONE', 20, 100);
    const { emit, schedule, store } = setupStore();
    store.getState().start();

    emit(eventOf(done, 3));
    schedule.advance(100);
    emit(eventOf(started, 2));
    emit(eventOf(queued, 1));
    schedule.advance(100);

    expect(selectors.job(store.getState(), queued.id)?.status).toBe('DONE');
  });

  it('keeps at most maxJobs, but never the selected job', async () => {
    const { emit, schedule, store } = setupStore([makeJob({ createdSecond: 0 })], { maxJobs: 5 });
    store.getState().start();
    await settle();
    store.getState().selectJob('job-00000');

    for (let index = 1; index <= 20; index += 1) emit(eventOf(makeJob({ createdSecond: index }), 1));
    schedule.advance(100);

    const ids = selectors.jobIds(store.getState());
    expect(ids).toEqual(['job-00020', 'job-00019', 'job-00018', 'job-00017', 'job-00016', 'job-00000']);
    expect(selectors.selectedJob(store.getState())?.id).toBe('job-00000');
    expect(selectors.job(store.getState(), 'job-00001')).toBeUndefined();
  });

  it('updates jobs and throughput in one store change per batch', () => {
    const { store, emit, schedule } = setupStore([], { now: () => 7_000 });
    store.getState().start();
    let changes = 0;
    store.subscribe(() => changes++);
    const jobs = Array.from({ length: 1_000 }, (_, index) => makeJob({ createdSecond: index }));
    for (const job of jobs) emit(eventOf(job));
    schedule.advance(100);
    expect(changes).toBe(1);
    expect(store.getState().throughput).toEqual([{ second: 7, accepted: 1_000, done: 0 }]);
    expect(selectors.counts(store.getState()).byStatus.QUEUED).toBe(1_000);
  });
});

describe('jobs slice: cancel and retry', () => {
  it('folds in the job a successful action answers and says so', async () => {
    const queued = makeJob({ createdSecond: 1 });
    const cancelled = { ...advance(queued, 'CANCELLED', 5) };
    const { store, bridge } = setupStore();
    store.getState().mergeJobs([queued]);
    bridge.cancelJob.mockResolvedValueOnce({ ok: true, job: cancelled });

    expect(await store.getState().cancelJob(queued.id)).toBe(true);

    expect(bridge.cancelJob).toHaveBeenCalledWith(queued.id);
    expect(store.getState().jobsById[queued.id]?.status).toBe('CANCELLED');
    expect(store.getState().jobAction).toEqual({ target: { id: queued.id, verb: 'cancel' }, pending: false, problem: null, answer: { ok: true, job: cancelled } });
  });

  it('keeps a 409 for the panel to show, and an unreachable console as a problem too', async () => {
    const { store, bridge } = setupStore();
    bridge.retryJob.mockResolvedValueOnce({ ok: false, problem: problem(409, 'the job is not FAILED') });
    expect(await store.getState().retryJob('x')).toBe(false);
    expect(store.getState().jobAction?.problem?.status).toBe(409);

    bridge.retryJob.mockRejectedValueOnce(new Error('offline'));
    expect(await store.getState().retryJob('x')).toBe(false);
    expect(store.getState().jobAction?.problem).toMatchObject({ status: 0, detail: 'offline' });
  });
});
