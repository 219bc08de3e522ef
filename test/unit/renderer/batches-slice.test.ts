import { describe, expect, it } from 'vitest';
import type { Batch } from '../../../src-shared/batch-schemas';
import type { Delivery } from '../../../src-shared/subscription-schemas';
import { fanIn, makeBatch } from './fixtures';
import { settle, setupStore } from './store-fixture';

describe('batches slice', () => {
  it('loads the newest batches, each aggregated', async () => {
    const { bridge, store } = setupStore([], { eventBatchMs: 10 });
    bridge.listBatches.mockResolvedValue({
      items: [{ id: 'batch-1', status: 'RUNNING', created_at: '2026-01-01T00:00:00.000Z', completed_at: null, job_ids: [], counts: null }],
      next_cursor: null,
    });
    bridge.getBatch.mockResolvedValue(makeBatch());

    await store.getState().loadBatches();

    expect(bridge.listBatches).toHaveBeenCalledWith({ limit: 20 });
    expect(store.getState().batches.data?.ids).toEqual(['batch-1']);
    expect(store.getState().batches.status).toBe('loaded');
  });

  it('keeps the refusal of a batch, naming its field', async () => {
    const { bridge, store } = setupStore([], { eventBatchMs: 10 });
    const problem = {
      type: 'about:blank',
      title: 'the request is not valid',
      status: 400,
      detail: '',
      errors: [{ field: 'jobs.2.payload.x', rule: 'unrecognized_keys', message: 'jobs.2.payload.x is not allowed' }],
    };
    bridge.createBatch.mockResolvedValue({ ok: false, problem });

    expect(await store.getState().createBatch({ jobs: [{ kind: 'log', payload: {} }] })).toBe(false);
    expect(store.getState().batchSubmit).toEqual({ target: null, pending: false, problem, answer: null });
  });

  it('adds an accepted batch at the top, read aggregated', async () => {
    const { bridge, store } = setupStore([], { eventBatchMs: 10 });
    const accepted = { id: 'batch-1', status: 'RUNNING' as const, created_at: '2026-01-01T00:00:00.000Z', job_ids: ['job-00001'], on_complete: null };
    bridge.createBatch.mockResolvedValue({ ok: true, batch: accepted });
    bridge.getBatch.mockResolvedValue(makeBatch());

    expect(await store.getState().createBatch({ jobs: [{ kind: 'log', payload: {} }] })).toBe(true);
    expect(store.getState().batchSubmit?.answer?.batch).toEqual(accepted);
    expect(store.getState().batches.data?.ids).toEqual(['batch-1']);
  });

  it('marks a batch COMPLETED on its fan-in event, then reads it again for the callback', async () => {
    const { bridge, emitBatch, store } = setupStore([], { eventBatchMs: 10 });
    bridge.createBatch.mockResolvedValue({ ok: true, batch: { id: 'batch-1', status: 'RUNNING', created_at: '', job_ids: [], on_complete: null } });
    bridge.getBatch.mockResolvedValueOnce(makeBatch());
    await store.getState().createBatch({ jobs: [{ kind: 'log', payload: {} }] });
    const delivered = { state: 'delivered', attempts: [{ at: fanIn.at, status_code: 200, duration_ms: 4, error: null }] } as unknown as Delivery;
    let answer: (batch: Batch) => void = () => undefined;
    bridge.getBatch.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    store.getState().start();

    emitBatch(fanIn);
    expect(store.getState().batches.data?.byId['batch-1']).toMatchObject({ status: 'COMPLETED', completed_at: fanIn.at, counts: { DONE: 2 } });

    answer(makeBatch({ status: 'COMPLETED', callback: delivered }));
    await settle();
    expect(store.getState().batches.data?.byId['batch-1']!.callback).toBe(delivered);
  });
});
