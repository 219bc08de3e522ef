import type { StateCreator } from 'zustand/vanilla';
import { createEventBatcher } from './event-batcher';
import type { ConsoleDeps, ConsoleState, LiveSlice } from './state';

export function createLiveSlice({ bridge, eventBatchMs, schedule }: ConsoleDeps): StateCreator<ConsoleState, [], [], LiveSlice> {
  return (set, get) => ({
    connection: 'connecting',

    start() {
      const batcher = createEventBatcher({
        flush: (events) => get().applyEvents(events),
        intervalMs: eventBatchMs,
        schedule,
      });
      const stopEvents = bridge.onJobEvent((event) => batcher.push(event));
      const stopConnection = bridge.onConnectionChange((connection) => {
        const resumed = connection === 'live' && get().connection === 'reconnecting';
        set({ connection });
        // The feed may have missed events while it was down: catch up from the list.
        if (resumed) void get().loadFirstPage();
      });
      void get().loadFirstPage();

      let stopped = false;
      return () => {
        if (stopped) return;
        stopped = true;
        stopEvents();
        stopConnection();
        batcher.close();
      };
    },
  });
}
