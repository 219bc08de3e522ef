import type { StateCreator } from 'zustand/vanilla';
import type { CreateBatchResult } from '../../src-shared/bridge';
import type { Batch } from '../../src-shared/batch-schemas';
import type { BatchEvent } from '../../src-shared/events';
import { isUnsettled } from './batch-tree';
import { describeError, unreachable } from './failures';
import type { BatchesSlice, ConsoleDeps, ConsoleState } from './state';

/** Batches the view shows, newest first. */
export const BATCH_PAGE_SIZE = 20;

/** A batch the fan-in event says is complete, before the API is read again. */
function completed(batch: Batch, event: BatchEvent): Batch {
  return { ...batch, status: 'COMPLETED', completed_at: event.at, counts: event.counts };
}

export function createBatchesSlice({ bridge }: ConsoleDeps): StateCreator<ConsoleState, [], [], BatchesSlice> {
  return (set, get) => {
    const store = (batch: Batch): void => {
      const ids = get().batchIds.includes(batch.id) ? get().batchIds : [batch.id, ...get().batchIds];
      set({ batchesById: { ...get().batchesById, [batch.id]: batch }, batchIds: ids });
    };

    return {
      batchIds: [],
      batchesById: {},
      batchesStatus: 'idle',
      batchesError: null,
      batchSubmit: { pending: false, problem: null, accepted: null },

      async loadBatches() {
        if (get().batchesStatus !== 'loaded') set({ batchesStatus: 'loading' });
        try {
          const page = await bridge.listBatches({ limit: BATCH_PAGE_SIZE });
          const read = await Promise.all(page.items.map((summary) => bridge.getBatch(summary.id)));
          const batches = read.filter((batch): batch is Batch => batch !== null);
          set({
            batchIds: batches.map((batch) => batch.id),
            batchesById: Object.fromEntries(batches.map((batch) => [batch.id, batch])),
            batchesStatus: 'loaded',
            batchesError: null,
          });
        } catch (error) {
          set({ batchesStatus: 'failed', batchesError: describeError(error) });
        }
      },

      async refreshBatch(id) {
        try {
          const batch = await bridge.getBatch(id);
          if (batch) store(batch);
        } catch (error) {
          set({ batchesError: describeError(error) });
        }
      },

      async refreshUnsettledBatches() {
        const { batchIds, batchesById } = get();
        const unsettled = batchIds.filter((id) => batchesById[id] && isUnsettled(batchesById[id]));
        await Promise.all(unsettled.map((id) => get().refreshBatch(id)));
      },

      async createBatch(request) {
        set({ batchSubmit: { pending: true, problem: null, accepted: null } });
        let answer: CreateBatchResult;
        try {
          answer = await bridge.createBatch(request);
        } catch (error) {
          answer = { ok: false, problem: unreachable(error) };
        }
        if (!answer.ok) {
          set({ batchSubmit: { pending: false, problem: answer.problem, accepted: null } });
          return false;
        }
        set({ batchSubmit: { pending: false, problem: null, accepted: answer.batch } });
        await get().refreshBatch(answer.batch.id);
        return true;
      },

      applyBatchEvent(event) {
        const known = get().batchesById[event.batch_id];
        if (known) store(completed(known, event));
        // The fan-in callback is made after the event: read the batch again for its delivery.
        void get().refreshBatch(event.batch_id);
      },
    };
  };
}
