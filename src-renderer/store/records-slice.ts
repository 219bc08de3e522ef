import type { StateCreator } from 'zustand/vanilla';
import { describeError } from './failures';
import type { ConsoleDeps, ConsoleState, RecordList, RecordsSlice } from './state';

const EMPTY_LIST: RecordList<never> = { items: [], status: 'idle', error: null, selectedId: null };

export function createRecordsSlice({ bridge }: ConsoleDeps): StateCreator<ConsoleState, [], [], RecordsSlice> {
  return (set, get) => ({
    mail: EMPTY_LIST,
    webhooks: EMPTY_LIST,

    async loadMail() {
      set({ mail: { ...get().mail, status: 'loading', error: null } });
      try {
        const page = await bridge.listMail({ limit: 100 });
        set({ mail: { ...get().mail, items: page.items, status: 'loaded' } });
      } catch (error) {
        set({ mail: { ...get().mail, status: 'failed', error: describeError(error) } });
      }
    },

    async loadWebhooks() {
      set({ webhooks: { ...get().webhooks, status: 'loading', error: null } });
      try {
        const page = await bridge.listWebhooks({ limit: 100 });
        set({ webhooks: { ...get().webhooks, items: page.items, status: 'loaded' } });
      } catch (error) {
        set({ webhooks: { ...get().webhooks, status: 'failed', error: describeError(error) } });
      }
    },

    selectMail: (id) => set({ mail: { ...get().mail, selectedId: id } }),
    selectWebhook: (id) => set({ webhooks: { ...get().webhooks, selectedId: id } }),
  });
}
