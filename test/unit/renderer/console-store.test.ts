import { describe, expect, it } from 'vitest';
import type { Job } from '../../../src-shared/job';
import { createConsoleStore } from '../../../src-renderer/store/console-store';
import { selectors } from '../../../src-renderer/store/selectors';
import { fakeBridge } from './fake-bridge';
import { advance, eventOf, makeJob, manualSchedule } from './fixtures';

/** Waits for the promises the store started (page loads) to settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup(firstPage = [makeJob({ createdSecond: 1 })], maxJobs?: number) {
  const fake = fakeBridge(firstPage);
  const schedule = manualSchedule();
  const store = createConsoleStore({ bridge: fake.bridge, schedule, ...(maxJobs ? { maxJobs } : {}) });
  return { ...fake, schedule, store };
}

describe('console store: start', () => {
  it('subscribes once however often it is started, and can start again once stopped', async () => {
    const { bridge, store, listenerCount } = setup();

    const stop = store.getState().start();
    expect(store.getState().start()).toBe(stop);
    await settle();

    expect(listenerCount()).toBe(4);
    expect(bridge.onJobEvent).toHaveBeenCalledTimes(1);
    expect(bridge.listJobs).toHaveBeenCalledTimes(1);
    stop();
    expect(listenerCount()).toBe(0);
    const again = store.getState().start();
    expect(again).not.toBe(stop);
    expect(listenerCount()).toBe(4);
    stop();
    expect(listenerCount()).toBe(4);
    again();
    expect(listenerCount()).toBe(0);
  });

  it('loads the first 50 jobs and subscribes to the feed; stopping unsubscribes', async () => {
    const { bridge, store, listenerCount } = setup();

    const stop = store.getState().start();
    await settle();

    expect(bridge.listJobs).toHaveBeenCalledExactlyOnceWith({ limit: 50 });
    expect(selectors.jobIds(store.getState())).toEqual(['job-00001']);
    expect(selectors.listStatus(store.getState())).toBe('loaded');
    expect(listenerCount()).toBe(4);
    stop();
    stop();
    expect(listenerCount()).toBe(0);
  });

  it('says why the first page failed', async () => {
    const { bridge, store } = setup();
    bridge.listJobs.mockRejectedValueOnce(new Error('HTTP 503: redis is down'));

    store.getState().start();
    await settle();

    expect(selectors.listStatus(store.getState())).toBe('failed');
    expect(selectors.listError(store.getState())).toBe('HTTP 503: redis is down');
  });
});

describe('console store: live events', () => {
  it('applies a burst of events in one store update per interval', async () => {
    const { emit, schedule, store } = setup([]);
    store.getState().start();
    await settle();
    let updates = 0;
    store.subscribe(() => (updates += 1));

    for (let index = 0; index < 300; index += 1) emit(eventOf(makeJob({ createdSecond: 100 + index }), 1));
    expect(updates).toBe(0);
    expect(selectors.jobCount(store.getState())).toBe(0);
    schedule.advance(100);

    expect(updates).toBe(1);
    expect(selectors.jobCount(store.getState())).toBe(300);
    expect(selectors.jobIds(store.getState())[0]).toBe('job-00399');
  });

  it('shows the newest state of a job whatever order its events came in', async () => {
    const queued = makeJob({ createdSecond: 7 });
    const started = advance(queued, 'STARTED', 10);
    const done = advance(started, 'DONE', 20, 100);
    const { emit, schedule, store } = setup([]);
    store.getState().start();

    emit(eventOf(done, 3));
    schedule.advance(100);
    emit(eventOf(started, 2));
    emit(eventOf(queued, 1));
    schedule.advance(100);

    expect(selectors.job(store.getState(), queued.id)?.status).toBe('DONE');
  });

  it('drops events that arrive after it was stopped', () => {
    const { emit, schedule, store } = setup([]);
    const stop = store.getState().start();
    emit(eventOf(makeJob({ createdSecond: 1 }), 1));
    stop();
    schedule.advance(100);

    expect(selectors.jobCount(store.getState())).toBe(0);
  });

  it('keeps at most maxJobs, but never the selected job', async () => {
    const { emit, schedule, store } = setup([makeJob({ createdSecond: 0 })], 5);
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

  it('follows the feed and catches up from the list each time it opens', async () => {
    const queued = makeJob({ createdSecond: 1 });
    const done = advance(advance(queued, 'STARTED', 10), 'DONE', 20, 100);
    const { bridge, setConnection, store } = setup([queued]);
    store.getState().start();
    await settle();
    expect(selectors.connection(store.getState())).toBe('connecting');
    expect(bridge.listJobs).toHaveBeenCalledTimes(1);

    setConnection('live');
    expect(bridge.listJobs).toHaveBeenCalledTimes(2);
    await settle();
    setConnection('reconnecting');
    expect(selectors.connection(store.getState())).toBe('reconnecting');
    // While the feed was down the job finished; only the list can tell.
    bridge.listJobs.mockResolvedValueOnce({ items: [done], next_cursor: null });
    setConnection('live');
    await settle();

    expect(selectors.connection(store.getState())).toBe('live');
    expect(bridge.listJobs).toHaveBeenCalledTimes(3);
    expect(selectors.jobIds(store.getState())).toEqual([queued.id]);
    expect(selectors.job(store.getState(), queued.id)).toEqual(done);
  });

  it('lets only the latest of concurrent page loads say how the list stands', async () => {
    const { bridge, store } = setup([]);
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
    const { bridge, store } = setup([]);
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

  it('loads once when the feed is live from the start (IPC)', async () => {
    const { bridge, setConnection, store } = setup();
    setConnection('live');

    store.getState().start();
    await settle();

    expect(bridge.listJobs).toHaveBeenCalledTimes(1);
  });
});

describe('console store: submit', () => {
  it('refuses an invalid payload with the shared schema, naming the field, without sending it', async () => {
    const { bridge, store } = setup();

    const accepted = await store.getState().submitJob('log', { client_time: 'yesterday' });

    const state = selectors.submitState(store.getState(), 'log');
    expect(accepted).toBe(false);
    expect(bridge.submitJob).not.toHaveBeenCalled();
    expect(state.submitting).toBe(false);
    expect(state.problem?.errors).toEqual([
      { field: 'payload.client_time', rule: 'format', message: expect.stringMatching(/^payload\.client_time /) },
    ]);
    expect(selectors.submitState(store.getState(), 'email').problem).toBeNull();
  });

  it('names a missing field and an unknown one', async () => {
    const { bridge, store } = setup();

    await store.getState().submitJob('log', { clienttime: 1 });

    const fields = selectors.submitState(store.getState(), 'log').problem?.errors?.map((error) => error.field);
    expect(fields?.sort()).toEqual(['payload.client_time', 'payload.clienttime']);
    expect(bridge.submitJob).not.toHaveBeenCalled();
  });

  it('shows the accepted job at once and remembers its ID; the next problem replaces nothing else', async () => {
    const { bridge, store } = setup([]);
    const job = makeJob({ createdSecond: 50, kind: 'callback', type: 'B', payload: { callback_url: 'http://x/', duration_ms: 300 } });
    bridge.submitJob.mockResolvedValueOnce({ ok: true, job });

    const accepted = await store.getState().submitJob('callback', { duration_ms: 300 });

    expect(accepted).toBe(true);
    expect(bridge.submitJob).toHaveBeenCalledExactlyOnceWith({ kind: 'callback', payload: { duration_ms: 300 } });
    expect(selectors.submitState(store.getState(), 'callback')).toEqual({ submitting: false, problem: null, lastJobId: job.id, lastCount: 1 });
    expect(selectors.jobIds(store.getState())).toEqual([job.id]);
  });

  it('keeps the server problem for the form to show', async () => {
    const { bridge, store } = setup();
    const problem = {
      type: 'about:blank',
      title: 'Unprocessable Content',
      status: 422,
      detail: 'payload is invalid',
      errors: [{ field: 'payload.email_address', rule: 'format', message: 'payload.email_address is refused' }],
    };
    bridge.submitJob.mockResolvedValueOnce({ ok: false, problem });

    const accepted = await store.getState().submitJob('email', { email_address: 'a@b.example' });

    expect(accepted).toBe(false);
    expect(selectors.submitState(store.getState(), 'email')).toEqual({ submitting: false, problem, lastJobId: null, lastCount: 0 });
  });

  it('turns an unreachable server into a problem and is busy only while waiting', async () => {
    const { bridge, store } = setup();
    let fail: (error: Error) => void = () => undefined;
    bridge.submitJob.mockReturnValueOnce(new Promise((_, reject) => (fail = reject)));

    const pending = store.getState().submitJob('email', {});
    expect(selectors.submitState(store.getState(), 'email').submitting).toBe(true);
    expect(await store.getState().submitJob('email', {})).toBe(false);
    fail(new TypeError('Failed to fetch'));
    await pending;

    const state = selectors.submitState(store.getState(), 'email');
    expect(state.submitting).toBe(false);
    expect(state.problem).toMatchObject({ status: 0, detail: 'Failed to fetch' });
    expect(bridge.submitJob).toHaveBeenCalledTimes(1);
  });
});

describe('selectors', () => {
  it('return held values, so reads of what did not change are the same reference', async () => {
    const { store } = setup();
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
    const { emit, schedule, store } = setup([job]);
    store.getState().start();
    await settle();
    const before = store.getState();

    emit(eventOf(job));
    schedule.advance(100);

    expect(store.getState()).toBe(before);
  });
});
