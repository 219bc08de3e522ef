import type { StateCreator } from 'zustand/vanilla';
import { describeError } from './failures';
import type { ConsoleDeps, ConsoleState, OverviewSlice } from './state';

export function createOverviewSlice({ bridge, now }: ConsoleDeps): StateCreator<ConsoleState, [], [], OverviewSlice> {
  return (set) => ({
    health: null,
    healthError: null,
    healthCheckedAt: null,
    throughput: [],
    queueRates: { log: [], callback: [], email: [] },
    settings: null,
    settingsError: null,

    async loadSettings() {
      try {
        set({ settings: await bridge.getSettings(), settingsError: null });
      } catch (error) {
        set({ settingsError: describeError(error) });
      }
    },

    async loadHealth() {
      try {
        const health = await bridge.getHealth();
        set({ health, healthError: null, healthCheckedAt: now() });
      } catch (error) {
        set({ healthError: describeError(error), healthCheckedAt: now() });
      }
    },
  });
}
