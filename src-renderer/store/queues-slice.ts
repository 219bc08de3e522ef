import type { PurgeQueueResult } from '../../src-shared/bridge';
import type { QueuesReport } from '../../src-shared/console-records';
import type { JobKind } from '../../src-shared/kinds';
import type { ConsoleDeps, SliceCreator } from './deps';
import { field, load, NOT_LOADED, type Loaded } from './loaded';
import { act, type Accepted, type Pending } from './pending';

export interface QueuesSlice {
  queues: Loaded<QueuesReport>;
  /** The last purge (target: the kind): pending, or its answer. */
  purge: Pending<Accepted<PurgeQueueResult>, JobKind> | null;
  loadQueues(): Promise<void>;
  /** Purges the kind's queue (`confirm`: its name, on production), then reloads the counts; true when it was purged. */
  purgeQueue(kind: JobKind, confirm?: string): Promise<boolean>;
}

export function createQueuesSlice({ bridge, now, schedule }: ConsoleDeps): SliceCreator<QueuesSlice> {
  return (set, get) => ({
    queues: NOT_LOADED,
    purge: null,
    loadQueues: async () => void (await load(field(get, set, 'queues'), () => bridge.listQueues(), now)),

    async purgeQueue(kind, confirm) {
      const answer = await act(field(get, set, 'purge'), kind, () => bridge.purgeQueue(kind, confirm), schedule);
      await get().loadQueues();
      return answer.ok;
    },
  });
}
