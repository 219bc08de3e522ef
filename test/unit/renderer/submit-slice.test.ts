import { describe, expect, it } from 'vitest';
import { selectors } from '../../../src-renderer/store/selectors';
import { makeJob } from './fixtures';
import { setupStore } from './store-fixture';

describe('submit slice', () => {
  it('refuses an invalid payload with the shared schema, naming the field, without sending it', async () => {
    const { bridge, store } = setupStore([makeJob({ createdSecond: 1 })]);

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
    const { bridge, store } = setupStore([makeJob({ createdSecond: 1 })]);

    await store.getState().submitJob('log', { clienttime: 1 });

    const fields = selectors.submitState(store.getState(), 'log').problem?.errors?.map((error) => error.field);
    expect(fields?.sort()).toEqual(['payload.client_time', 'payload.clienttime']);
    expect(bridge.submitJob).not.toHaveBeenCalled();
  });

  it('shows the accepted job at once and remembers its ID; the next problem replaces nothing else', async () => {
    const { bridge, store } = setupStore();
    const job = makeJob({ createdSecond: 50, kind: 'callback', type: 'B', payload: { callback_url: 'http://x/', duration_ms: 300 } });
    bridge.submitJob.mockResolvedValueOnce({ ok: true, job });

    const accepted = await store.getState().submitJob('callback', { duration_ms: 300 });

    expect(accepted).toBe(true);
    expect(bridge.submitJob).toHaveBeenCalledExactlyOnceWith({ kind: 'callback', payload: { duration_ms: 300 } });
    expect(selectors.submitState(store.getState(), 'callback')).toEqual({ submitting: false, problem: null, lastJobId: job.id, lastCount: 1, progress: null });
    expect(selectors.jobIds(store.getState())).toEqual([job.id]);
  });

  it('keeps the server problem for the form to show', async () => {
    const { bridge, store } = setupStore([makeJob({ createdSecond: 1 })]);
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
    expect(selectors.submitState(store.getState(), 'email')).toEqual({ submitting: false, problem, lastJobId: null, lastCount: 0, progress: null });
  });

  it('turns an unreachable server into a problem and is busy only while waiting', async () => {
    const { bridge, store } = setupStore([makeJob({ createdSecond: 1 })]);
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

describe('submit slice: copies and raw JSON', () => {
  it('submits as many copies as asked and opens the first', async () => {
    const { store, bridge } = setupStore();
    let n = 0;
    bridge.submitJob.mockImplementation(async () => ({ ok: true, job: makeJob({ createdSecond: 100 + n, id: `copy-${n++}` }) }));

    expect(await store.getState().submitJob('email', {}, 5)).toBe(true);

    expect(bridge.submitJob).toHaveBeenCalledTimes(5);
    expect(store.getState().submit.email).toMatchObject({ lastCount: 5, problem: null });
    expect(store.getState().selectedJobId).toBe(store.getState().submit.email!.lastJobId);
    expect(selectors.jobCount(store.getState())).toBe(5);
  });

  it('refuses a copies count out of range, naming the field, and sends nothing', async () => {
    const { store, bridge } = setupStore();
    expect(await store.getState().submitJob('email', {}, 0)).toBe(false);
    expect(store.getState().submit.email!.problem?.errors?.[0]?.field).toBe('copies');
    expect(bridge.submitJob).not.toHaveBeenCalled();
  });

  it('refuses raw text that is not a JSON object, naming payload, and checks the rest with the schema', async () => {
    const { store, bridge } = setupStore();
    expect(await store.getState().submitRawJob('log', '{nope')).toBe(false);
    expect(store.getState().submit.log!.problem?.errors?.[0]).toMatchObject({ field: 'payload', rule: 'json' });
    expect(await store.getState().submitRawJob('log', '[1]')).toBe(false);
    expect(store.getState().submit.log!.problem?.errors?.[0]).toMatchObject({ field: 'payload', rule: 'type' });
    expect(await store.getState().submitRawJob('log', '{"client_time": "yesterday"}')).toBe(false);
    expect(store.getState().submit.log!.problem?.errors?.[0]?.field).toBe('payload.client_time');
    expect(bridge.submitJob).not.toHaveBeenCalled();
  });
});
