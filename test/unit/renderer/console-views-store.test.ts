import { describe, expect, it } from 'vitest';
import type { Job } from '../../../src-shared/job';
import type { WorkersReport } from '../../../src-shared/console-records';
import { createConsoleStore } from '../../../src-renderer/store/console-store';
import { createVisibleIdsSelector, NO_FILTER } from '../../../src-renderer/store/job-filter';
import { selectors } from '../../../src-renderer/store/selectors';
import { addCounts, countChanges, countQueueChanges, perSecond, THROUGHPUT_SECONDS } from '../../../src-renderer/store/throughput';
import { viewOfHash } from '../../../src-renderer/store/nav-slice';
import { fakeBridge } from './fake-bridge';
import { advance, eventOf, makeJob, manualSchedule } from './fixtures';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup(firstPage: Job[] = [], options: { maxJobs?: number; now?: () => number } = {}) {
  const fake = fakeBridge(firstPage);
  const schedule = manualSchedule();
  const store = createConsoleStore({ bridge: fake.bridge, schedule, ...options });
  return { ...fake, schedule, store };
}

const problem = (status: number, title: string) => ({ type: 'about:blank', title, status, detail: '' });

describe('jobs view: filter and search', () => {
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
    const { store } = setup();
    store.getState().mergeJobs([log, mail, failed]);
    store.getState().setFilter(change);
    return selectors.visibleJobIds(store.getState());
  }

  it('shows every job, newest first, and the very same array when nothing filters', () => {
    const { store } = setup();
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

  it('asks the history for the first page of a new status or kind, and not for a search', async () => {
    const { store, bridge } = setup();
    await settle();
    store.getState().setFilter({ status: 'FAILED', kind: 'callback' });
    store.getState().setFilter({ search: 'x' });
    await settle();
    expect(bridge.listJobs).toHaveBeenCalledTimes(1);
    expect(bridge.listJobs).toHaveBeenLastCalledWith({ limit: 50, status: 'FAILED', kind: 'callback' });
  });

  it('keeps the filtered array while an event changes nothing it shows', () => {
    const select = createVisibleIdsSelector();
    const { store } = setup();
    store.getState().mergeJobs([log, mail, failed]);
    store.getState().setFilter({ status: 'FAILED' });
    const first = select(store.getState().jobIds, store.getState().jobsById, store.getState().filter);
    store.getState().applyEvents([eventOf(advance(log, 'STARTED', 10))]);
    expect(select(store.getState().jobIds, store.getState().jobsById, store.getState().filter)).toBe(first);
  });
});

describe('jobs view: older pages from the history', () => {
  it('loads the next page with the cursor the first gave, then stops when none is left', async () => {
    const newest = makeJob({ createdSecond: 50 });
    const older = makeJob({ createdSecond: 10 });
    const { store, bridge } = setup([newest]);
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
    const { store, bridge } = setup();
    bridge.listJobs.mockResolvedValueOnce({ items: [], next_cursor: 'c1' });
    await store.getState().loadFirstPage();
    bridge.listJobs.mockRejectedValueOnce(new Error('No answer'));
    await store.getState().loadOlder();
    expect(store.getState().olderPage.status).toBe('failed');
    expect(store.getState().olderCursor).toBe('c1');
  });

  it('holds 100,000 jobs within the bound and filters them', () => {
    const { store } = setup([], { maxJobs: 100_000 });
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

describe('jobs view: cancel and retry', () => {
  it('folds in the job a successful action answers and says so', async () => {
    const queued = makeJob({ createdSecond: 1 });
    const cancelled = { ...advance(queued, 'CANCELLED', 5) };
    const { store, bridge } = setup();
    store.getState().mergeJobs([queued]);
    bridge.cancelJob.mockResolvedValueOnce({ ok: true, job: cancelled });

    expect(await store.getState().cancelJob(queued.id)).toBe(true);

    expect(bridge.cancelJob).toHaveBeenCalledWith(queued.id);
    expect(store.getState().jobsById[queued.id]?.status).toBe('CANCELLED');
    expect(store.getState().jobAction).toEqual({ target: { id: queued.id, verb: 'cancel' }, pending: false, problem: null, answer: { ok: true, job: cancelled } });
  });

  it('keeps a 409 for the panel to show, and an unreachable console as a problem too', async () => {
    const { store, bridge } = setup();
    bridge.retryJob.mockResolvedValueOnce({ ok: false, problem: problem(409, 'the job is not FAILED') });
    expect(await store.getState().retryJob('x')).toBe(false);
    expect(store.getState().jobAction?.problem?.status).toBe(409);

    bridge.retryJob.mockRejectedValueOnce(new Error('offline'));
    expect(await store.getState().retryJob('x')).toBe(false);
    expect(store.getState().jobAction?.problem).toMatchObject({ status: 0, detail: 'offline' });
  });
});

describe('submit: copies and raw JSON', () => {
  it('submits as many copies as asked and opens the first', async () => {
    const { store, bridge } = setup();
    let n = 0;
    bridge.submitJob.mockImplementation(async () => ({ ok: true, job: makeJob({ createdSecond: 100 + n, id: `copy-${n++}` }) }));

    expect(await store.getState().submitJob('email', {}, 5)).toBe(true);

    expect(bridge.submitJob).toHaveBeenCalledTimes(5);
    expect(store.getState().submit.email).toMatchObject({ lastCount: 5, problem: null });
    expect(store.getState().selectedJobId).toBe(store.getState().submit.email.lastJobId);
    expect(selectors.jobCount(store.getState())).toBe(5);
  });

  it('refuses a copies count out of range, naming the field, and sends nothing', async () => {
    const { store, bridge } = setup();
    expect(await store.getState().submitJob('email', {}, 0)).toBe(false);
    expect(store.getState().submit.email.problem?.errors?.[0]?.field).toBe('copies');
    expect(bridge.submitJob).not.toHaveBeenCalled();
  });

  it('refuses raw text that is not a JSON object, naming payload, and checks the rest with the schema', async () => {
    const { store, bridge } = setup();
    expect(await store.getState().submitRawJob('log', '{nope')).toBe(false);
    expect(store.getState().submit.log.problem?.errors?.[0]).toMatchObject({ field: 'payload', rule: 'json' });
    expect(await store.getState().submitRawJob('log', '[1]')).toBe(false);
    expect(store.getState().submit.log.problem?.errors?.[0]).toMatchObject({ field: 'payload', rule: 'type' });
    expect(await store.getState().submitRawJob('log', '{"client_time": "yesterday"}')).toBe(false);
    expect(store.getState().submit.log.problem?.errors?.[0]?.field).toBe('payload.client_time');
    expect(bridge.submitJob).not.toHaveBeenCalled();
  });
});

describe('workers', () => {
  const report: WorkersReport = {
    workers: [
      {
        id: 'log-1',
        kind: 'log',
        pid: 42,
        state: 'ready',
        current_job: null,
        processed: 3,
        failed: 0,
        started_at: '2025-01-01T00:00:00.000Z',
        uptime_ms: 1000,
        memory_rss_bytes: 50_000_000,
        restarts: 0,
      },
    ],
    counts: { log: 1, callback: 0, email: 0 },
    max_per_kind: 16,
    supervised: true,
  };

  it('loads the list, and keeps it with an error when a later load fails', async () => {
    const { store, bridge } = setup();
    bridge.listWorkers.mockResolvedValueOnce(report);
    await store.getState().loadWorkers();
    bridge.listWorkers.mockRejectedValueOnce(new Error('No answer to GET /api/v1/workers'));
    await store.getState().loadWorkers();
    expect(store.getState().workers.data).toBe(report);
    expect(store.getState().workers.error).toContain('No answer');
  });

  it('takes the report a scale answers, and keeps a refusal naming the field', async () => {
    const { store, bridge } = setup();
    const scaled = { ...report, counts: { ...report.counts, email: 2 } };
    bridge.scaleWorkers.mockResolvedValueOnce({ ok: true, report: scaled });
    expect(await store.getState().scaleWorkers('email', 2)).toBe(true);
    expect(bridge.scaleWorkers).toHaveBeenCalledWith('email', 2);
    expect(store.getState().workers.data).toBe(scaled);

    const refusal = { ...problem(400, 'the request is not valid'), errors: [{ field: 'count', rule: 'max', message: 'count must be at most 16' }] };
    bridge.scaleWorkers.mockResolvedValueOnce({ ok: false, problem: refusal });
    expect(await store.getState().scaleWorkers('email', 17)).toBe(false);
    expect(store.getState().workerAction).toEqual({ target: 'email', pending: false, problem: refusal, answer: null });
    expect(store.getState().workers.data).toBe(scaled);
  });
});

describe('overview: throughput and counts', () => {
  it('counts a job seen first as accepted, reaching DONE as done, and a repeat as nothing', () => {
    const queued = makeJob({ createdSecond: 1 });
    const done = advance(advance(queued, 'STARTED', 10), 'DONE', 20, 100);
    expect(countChanges({}, [eventOf(queued)])).toEqual({ accepted: 1, done: 0 });
    expect(countChanges({ [queued.id]: queued }, [eventOf(done)])).toEqual({ accepted: 0, done: 1 });
    expect(countChanges({ [queued.id]: done }, [eventOf(done)])).toEqual({ accepted: 0, done: 0 });
  });

  it('counts per queue a new job as published, a new attempt as delivered, a finish after an attempt as acked', () => {
    const queued = makeJob({ createdSecond: 1, kind: 'email', type: 'C' });
    const started = { ...advance(queued, 'STARTED', 10), attempts: 1 };
    const done = advance(started, 'DONE', 20, 100);
    const cancelled = advance(makeJob({ createdSecond: 2 }), 'CANCELLED', 5);
    expect(countQueueChanges({}, [eventOf(queued)]).email).toEqual({ published: 1, delivered: 0, acked: 0 });
    expect(countQueueChanges({ [queued.id]: queued }, [eventOf(done)]).email).toEqual({ published: 0, delivered: 1, acked: 1 });
    expect(countQueueChanges({}, [eventOf(done)]).email).toEqual({ published: 1, delivered: 1, acked: 1 });
    expect(countQueueChanges({ [queued.id]: done }, [eventOf(done)]).email).toEqual({ published: 0, delivered: 0, acked: 0 });
    // Cancelled before any attempt: never delivered, so nothing was acked by a worker.
    expect(countQueueChanges({}, [eventOf(cancelled)]).log).toEqual({ published: 1, delivered: 0, acked: 0 });
  });

  it('adds counts to the current second and forgets buckets older than the window', () => {
    let series = addCounts([], 1_000, { accepted: 2, done: 0 });
    series = addCounts(series, 1_500, { accepted: 1, done: 1 });
    expect(series).toEqual([{ second: 1, accepted: 3, done: 1 }]);
    series = addCounts(series, (THROUGHPUT_SECONDS + 5) * 1000, { accepted: 0, done: 4 });
    expect(series).toEqual([{ second: THROUGHPUT_SECONDS + 5, accepted: 0, done: 4 }]);
    expect(perSecond(series, THROUGHPUT_SECONDS + 3, THROUGHPUT_SECONDS + 5, 'done')).toEqual([0, 0, 4]);
  });

  it('updates jobs and throughput in one store change per batch', () => {
    const { store, emit, schedule } = setup([], { now: () => 7_000 });
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

describe('navigation', () => {
  it('reads the view from the hash, and refuses what names no view', () => {
    expect(viewOfHash('#/workers')).toBe('workers');
    expect(viewOfHash('#mail')).toBe('mail');
    expect(viewOfHash('#/nope')).toBeNull();
    expect(viewOfHash('')).toBeNull();
  });
});
