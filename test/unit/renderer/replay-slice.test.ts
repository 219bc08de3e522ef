import { describe, expect, it } from 'vitest';
import { hashOfRoute, routeOfHash } from '../../../src-renderer/store/route';
import { makeJob } from './fixtures';
import { settle, setupStore } from './store-fixture';

const A = '1a00d835-0b9c-4a55-9a59-1f1f0c2d3e4f';
const B = '2b00d835-0b9c-4a55-9a59-1f1f0c2d3e4f';

describe('replay', () => {
  it('opens Submit on the job, sends replay_of with its kind only, then lists the replay under the original and leaves replay mode', async () => {
    const original = makeJob({ id: A, kind: 'email', type: 'C', payload: { email_address: 'a@b.c', subject: 'Hi' }, status: 'DONE' });
    const { bridge, store } = setupStore([original]);
    store.getState().startReplay(original);
    expect(store.getState().view).toBe('submit');
    expect(store.getState().replay).toMatchObject({ of: A, kind: 'email', payload: { subject: 'Hi' } });

    const other = makeJob({ id: B });
    bridge.submitJob.mockResolvedValueOnce({ ok: true, job: other });
    await store.getState().submitJob('log', { client_time: 1 });
    // Another kind's form is not the replay's: its job records nothing.
    expect(bridge.submitJob).toHaveBeenLastCalledWith({ kind: 'log', payload: { client_time: 1 } });
    expect(store.getState().replay?.of).toBe(A);

    const replay = makeJob({ kind: 'email', type: 'C', replay_of: A, payload: { subject: 'Hello' } });
    bridge.submitJob.mockResolvedValueOnce({ ok: true, job: replay });
    await store.getState().submitJob('email', { subject: 'Hello' });
    expect(bridge.submitJob).toHaveBeenLastCalledWith({ kind: 'email', payload: { subject: 'Hello' }, replay_of: A });
    expect(store.getState().replay).toBeNull();
    expect(store.getState().replaysOf[A]?.data).toEqual([replay.id]);
  });

  it('drops replay mode on request: the next submit is a job of its own', async () => {
    const original = makeJob({ id: A });
    const { bridge, store } = setupStore([original]);
    store.getState().startReplay(original);
    store.getState().dropReplay();
    bridge.submitJob.mockResolvedValueOnce({ ok: true, job: makeJob() });
    await store.getState().submitJob('log', { client_time: 1 });
    expect(bridge.submitJob).toHaveBeenLastCalledWith({ kind: 'log', payload: { client_time: 1 } });
  });

  it('finds the replays of a job with the search replay_of:<id>, keeping one this console just made', async () => {
    const { bridge, store } = setupStore();
    const found = makeJob({ replay_of: A });
    bridge.listJobs.mockResolvedValueOnce({ items: [found], next_cursor: null });
    store.setState({ replaysOf: { [A]: { status: 'loaded', data: ['just-made'], error: null, at: 1 } } });
    await store.getState().loadReplays(A);
    expect(bridge.listJobs).toHaveBeenLastCalledWith({ q: `replay_of:${A}`, limit: 20 });
    expect(store.getState().replaysOf[A]?.data).toEqual([found.id, 'just-made']);
    expect(store.getState().jobsById[found.id]?.replay_of).toBe(A);
  });
});

describe('compare links', () => {
  it('reads and writes two jobs and two attempts of one job; anything else opens the view alone', () => {
    expect(routeOfHash(`#/compare/${A}/${B}`)).toEqual({ view: 'compare', compare: { type: 'jobs', left: A, right: B } });
    expect(routeOfHash(`#/compare/${A}/attempts/1/3`)).toEqual({ view: 'compare', compare: { type: 'attempts', id: A, left: 1, right: 3 } });
    expect(routeOfHash(`#/compare/${A}/attempts/0/3`)).toEqual({ view: 'compare' });
    expect(routeOfHash(`#/compare/${A}`)).toEqual({ view: 'compare' });
    expect(routeOfHash(`#/compare/${A}/${B}/x`)).toEqual({ view: 'compare' });
    expect(hashOfRoute({ view: 'compare', compare: { type: 'jobs', left: A, right: B } })).toBe(`#/compare/${A}/${B}`);
    expect(hashOfRoute({ view: 'compare', compare: { type: 'attempts', id: A, left: 2, right: 1 } })).toBe(`#/compare/${A}/attempts/2/1`);
  });

  it('opens the Compare view on a route, reading the jobs the store does not hold and saying which one the API lacks', async () => {
    const { bridge, store } = setupStore();
    store.getState().mergeJobs([makeJob({ id: A })]);
    bridge.getJob.mockResolvedValueOnce(null);
    store.getState().openRoute({ view: 'compare', compare: { type: 'jobs', left: A, right: B } });
    expect(store.getState().view).toBe('compare');
    await settle();
    expect(bridge.getJob).toHaveBeenCalledExactlyOnceWith(B);
    expect(store.getState().compareReads[B]).toMatchObject({ status: 'loaded', data: false });
  });
});
