import type { PurgeQueueResult } from '../../src-shared/bridge';
import type { StateCreator } from 'zustand/vanilla';
import { describeError, unreachable } from './failures';
import type { ConsoleDeps, ConsoleState, QueuesSlice } from './state';

export function createQueuesSlice({ bridge }: ConsoleDeps): StateCreator<ConsoleState, [], [], QueuesSlice> {
  return (set, get) => ({
    queues: null,
    queuesError: null,
    purge: null,

    async loadQueues() {
      try {
        set({ queues: await bridge.listQueues(), queuesError: null });
      } catch (error) {
        set({ queuesError: describeError(error) });
      }
    },

    async purgeQueue(kind) {
      set({ purge: { kind, pending: true, answer: null } });
      let answer: PurgeQueueResult;
      try {
        answer = await bridge.purgeQueue(kind);
      } catch (error) {
        answer = { ok: false, problem: unreachable(error) };
      }
      set({ purge: { kind, pending: false, answer } });
      await get().loadQueues();
      return answer.ok;
    },
  });
}
