import { describe, expect, it } from 'vitest';
import type { Operation, OperationPreview } from '../../../src-shared/bridge';
import { OPERATION_POLL_MS } from '../../../src-renderer/store/operations-slice';
import { setupStore } from './store-fixture';

const preview: OperationPreview = { action: 'retry', matched: 120, would_change: 100, would_skip: { 'status DONE': 20 }, sample: [], margin: 10 };

function operationWith(change: Partial<Operation>): Operation {
  return {
    id: 'op-1',
    action: 'retry',
    status: 'running',
    query: 'status:FAILED',
    matched: 120,
    changed: 0,
    skipped: 0,
    pending: 120,
    failed_items: [],
    failed: 0,
    paused_reason: null,
    cancel_requested: false,
    started_at: '2026-12-07T02:00:00.000Z',
    finished_at: null,
    ...change,
  };
}

/** Lets the awaited bridge answers settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('operations slice', () => {
  it('ticks rows as a Set, and "all that match" turns the selection into the query', async () => {
    const { bridge, store } = setupStore();
    store.getState().setChecked(['a', 'b', 'c'], true);
    store.getState().toggleChecked('b');
    expect([...store.getState().checkedJobIds]).toEqual(['a', 'c']);

    bridge.previewOperation.mockResolvedValue({ ok: true, preview });
    store.getState().checkAllMatching('status:FAILED');
    await store.getState().previewBulk('retry');
    expect(bridge.previewOperation).toHaveBeenLastCalledWith({ action: 'retry', query: 'status:FAILED' });
    expect(store.getState().bulk).toMatchObject({ busy: false, preview, target: { query: 'status:FAILED' } });
  });

  it('follows the operation\'s event stream while it runs, reading nothing; a stream error falls back to reading once a second', async () => {
    const { bridge, store, schedule } = setupStore();
    let onState: (operation: Operation) => void = () => undefined;
    let onError: () => void = () => undefined;
    bridge.followOperation.mockImplementation((_id, state, error) => {
      onState = state;
      onError = error ?? onError;
      return () => undefined;
    });
    bridge.previewOperation.mockResolvedValue({ ok: true, preview });
    bridge.startOperation.mockResolvedValue({ ok: true, operation: operationWith({}) });
    store.getState().setChecked(['a'], true);
    await store.getState().previewBulk('retry');
    await store.getState().confirmBulk();
    expect(bridge.followOperation).toHaveBeenCalledWith('op-1', expect.any(Function), expect.any(Function));

    onState(operationWith({ changed: 40, pending: 80 }));
    expect(store.getState().bulk?.operation?.changed).toBe(40);
    expect(schedule.pending()).toBe(0);

    onError();
    bridge.getOperation.mockResolvedValueOnce(operationWith({ changed: 60, pending: 60 }));
    schedule.advance(OPERATION_POLL_MS);
    await settle();
    expect(bridge.getOperation).toHaveBeenCalledWith('op-1');
    expect(store.getState().bulk?.operation?.changed).toBe(60);
    store.getState().closeBulk();
    expect(schedule.pending()).toBe(0);
  });

  it('starts with the preview count, then reads the operation once a second until it ends', async () => {
    const { bridge, store, schedule } = setupStore();
    bridge.previewOperation.mockResolvedValue({ ok: true, preview });
    bridge.startOperation.mockResolvedValue({ ok: true, operation: operationWith({}) });
    store.getState().setChecked(['a'], true);
    await store.getState().previewBulk('retry');
    await store.getState().confirmBulk();
    expect(bridge.startOperation).toHaveBeenCalledWith({ action: 'retry', ids: ['a'], expected: 120 });

    bridge.getOperation.mockResolvedValueOnce(operationWith({ changed: 50, pending: 70 }));
    schedule.advance(OPERATION_POLL_MS);
    await settle();
    expect(store.getState().bulk?.operation?.changed).toBe(50);

    const done = operationWith({ status: 'done', changed: 100, skipped: 20, pending: 0, finished_at: '2026-12-07T02:01:00.000Z' });
    bridge.getOperation.mockResolvedValueOnce(done);
    schedule.advance(OPERATION_POLL_MS);
    await settle();
    expect(store.getState().bulk?.operation).toEqual(done);
    expect(schedule.pending()).toBe(0);

    store.getState().closeBulk();
    expect(store.getState().bulk).toBeNull();
    expect(store.getState().checkedJobIds.size).toBe(0);
  });

  it('a 409 after the matches drifted gives the new count, and starts nothing', async () => {
    const { bridge, store, schedule } = setupStore();
    bridge.previewOperation.mockResolvedValue({ ok: true, preview });
    const problem = { type: 'urn:jobdeck:problem:operation-drift', title: 'Conflict', status: 409, detail: '150 jobs match now', matched: 150 };
    bridge.startOperation.mockResolvedValue({ ok: false, problem });
    store.getState().checkAllMatching('status:FAILED');
    await store.getState().previewBulk('retry');
    await store.getState().confirmBulk();
    expect(store.getState().bulk).toMatchObject({ drifted: 150, operation: null, busy: false });
    expect(schedule.pending()).toBe(0);
  });

  it('cancels a running operation and follows it until it ends cancelled', async () => {
    const { bridge, store, schedule } = setupStore();
    bridge.previewOperation.mockResolvedValue({ ok: true, preview });
    bridge.startOperation.mockResolvedValue({ ok: true, operation: operationWith({}) });
    bridge.cancelOperation.mockResolvedValue({ ok: true, operation: operationWith({ cancel_requested: true, changed: 10, pending: 110 }) });
    store.getState().checkAllMatching('status:FAILED');
    await store.getState().previewBulk('retry');
    await store.getState().confirmBulk();
    await store.getState().cancelBulkOperation();
    expect(bridge.cancelOperation).toHaveBeenCalledWith('op-1');
    expect(store.getState().bulk).toMatchObject({ busy: false, operation: { cancel_requested: true, status: 'running' } });

    bridge.getOperation.mockResolvedValueOnce(operationWith({ status: 'cancelled', changed: 10, pending: 110, finished_at: '2026-12-07T02:00:05.000Z' }));
    schedule.advance(OPERATION_POLL_MS);
    await settle();
    expect(store.getState().bulk?.operation?.status).toBe('cancelled');
    expect(schedule.pending()).toBe(0);
  });
});
