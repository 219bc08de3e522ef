import type { CreateBatchRequest, CreateBatchResult } from '../../src-shared/bridge';
import type { Batch } from '../../src-shared/batch-schemas';
import type { BatchEvent } from '../../src-shared/events';
import { isUnsettled } from './batch-tree';
import type { ConsoleDeps, SliceCreator } from './deps';
import { describeError } from './failures';
import { field, load, NOT_LOADED, type Loaded } from './loaded';
import { act, type Accepted, type Pending } from './pending';

/** Batches newest first, each as last read from the API (children live from the jobs: see batch-tree). */
export interface BatchList {
  ids: readonly string[];
  byId: Readonly<Record<string, Batch>>;
}

export interface BatchesSlice {
  batches: Loaded<BatchList>;
  /** The last batch submission: pending, accepted, or the problem that refused it. */
  batchSubmit: Pending<Accepted<CreateBatchResult>, null> | null;
  /** The batch a link opened: shown first and marked. */
  selectedBatchId: string | null;
  /** Marks a batch as the one shown, reading it when it is not among those read (an older batch). */
  selectBatch(id: string | null): void;
  /** Reads the newest batches, each aggregated. */
  loadBatches(): Promise<void>;
  /** Reads one batch again (its fan-in callback's state comes only from the API). */
  refreshBatch(id: string): Promise<void>;
  /** Reads again every batch still running or whose fan-in callback is not settled. */
  refreshUnsettledBatches(): Promise<void>;
  /** Submits a batch; true when accepted. */
  createBatch(request: CreateBatchRequest): Promise<boolean>;
  /** A fan-in: marks the batch COMPLETED with its final counts, then reads it again. */
  applyBatchEvent(event: BatchEvent): void;
}

/** Batches the view shows, newest first. */
export const BATCH_PAGE_SIZE = 20;

/** A batch the fan-in event says is complete, before the API is read again. */
function completed(batch: Batch, event: BatchEvent): Batch {
  return { ...batch, status: 'COMPLETED', completed_at: event.at, counts: event.counts };
}

/** The list with `batch` in it: replaced where it was, else first. */
function withBatch(list: BatchList | null, batch: Batch): BatchList {
  const ids = list?.ids ?? [];
  return { ids: ids.includes(batch.id) ? ids : [batch.id, ...ids], byId: { ...list?.byId, [batch.id]: batch } };
}

/** The newest batches, and the selected one as last read when it is older than they are. */
function keepSelected(newest: BatchList, held: BatchList | null, selectedId: string | null): BatchList {
  const selected = selectedId ? held?.byId[selectedId] : undefined;
  return selected && !newest.byId[selected.id] ? withBatch(newest, selected) : newest;
}

export function createBatchesSlice({ bridge, now }: ConsoleDeps): SliceCreator<BatchesSlice> {
  return (set, get) => {
    const batches = field(get, set, 'batches');
    const store = (batch: Batch): void => batches.write({ ...batches.read(), data: withBatch(batches.read().data, batch) });

    const readNewest = async (): Promise<BatchList> => {
      const page = await bridge.listBatches({ limit: BATCH_PAGE_SIZE });
      const read = await Promise.all(page.items.map((summary) => bridge.getBatch(summary.id)));
      const found = read.filter((batch): batch is Batch => batch !== null);
      return { ids: found.map((batch) => batch.id), byId: Object.fromEntries(found.map((batch) => [batch.id, batch])) };
    };

    return {
      batches: NOT_LOADED,
      batchSubmit: null,
      selectedBatchId: null,
      selectBatch(id) {
        if (id !== get().selectedBatchId) set({ selectedBatchId: id });
        if (id && !get().batches.data?.byId[id]) void get().refreshBatch(id);
      },
      loadBatches: async () => void (await load(batches, async () => keepSelected(await readNewest(), batches.read().data, get().selectedBatchId), now)),

      async refreshBatch(id) {
        try {
          const batch = await bridge.getBatch(id);
          if (batch) store(batch);
        } catch (error) {
          batches.write({ ...batches.read(), error: describeError(error) });
        }
      },

      async refreshUnsettledBatches() {
        const { ids, byId } = get().batches.data ?? { ids: [], byId: {} };
        const unsettled = ids.filter((id) => byId[id] && isUnsettled(byId[id]));
        await Promise.all(unsettled.map((id) => get().refreshBatch(id)));
      },

      async createBatch(request) {
        const answer = await act(field(get, set, 'batchSubmit'), null, () => bridge.createBatch(request));
        if (answer.ok) await get().refreshBatch(answer.batch.id);
        return answer.ok;
      },

      applyBatchEvent(event) {
        const known = get().batches.data?.byId[event.batch_id];
        if (known) store(completed(known, event));
        // The fan-in callback is made after the event: read the batch again for its delivery.
        void get().refreshBatch(event.batch_id);
      },
    };
  };
}
