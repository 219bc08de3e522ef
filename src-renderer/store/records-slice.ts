import type { StateCreator } from 'zustand/vanilla';
import type { Page } from '../../src-shared/job';
import type { PageRequest } from '../../src-shared/bridge';
import { describeError } from './failures';
import type { ConsoleDeps, ConsoleState, RecordList, RecordsSlice } from './state';

const EMPTY_LIST: RecordList<never, never> = { items: [], status: 'idle', error: null, selectedId: null, detail: null };
/** Items a list view asks for; their bodies are read one at a time. */
const LIST_LIMIT = 100;

type RecordKey = 'mail' | 'webhooks';
type Get = () => ConsoleState;
type Set = (partial: Partial<ConsoleState>) => void;

/** The item a list shows: the selected one while it is listed, else the newest. */
export function shownId(list: RecordList<{ id: string }, unknown>): string | null {
  const selected = list.items.find((item) => item.id === list.selectedId);
  return (selected ?? list.items[0])?.id ?? null;
}

/**
 * One record list's verbs: load a page of summaries, select one, and read the shown item whole
 * through the bridge — once per item, since a received item never changes.
 */
function recordListActions<Summary extends { id: string }, Whole>(
  key: RecordKey,
  get: Get,
  set: Set,
  list: (request: PageRequest) => Promise<Page<Summary>>,
  read: (id: string) => Promise<Whole | null>,
) {
  const current = () => get()[key] as unknown as RecordList<Summary, Whole>;
  const update = (change: Partial<RecordList<Summary, Whole>>) => set({ [key]: { ...current(), ...change } } as Partial<ConsoleState>);

  async function loadDetail(): Promise<void> {
    const id = shownId(current());
    const detail = current().detail;
    if (id === null) return update({ detail: null });
    if (detail?.id === id && detail.status !== 'failed') return;
    update({ detail: { id, status: 'loading', record: null, error: null } });
    const settle = (change: Omit<NonNullable<RecordList<Summary, Whole>['detail']>, 'id'>) => {
      if (current().detail?.id === id) update({ detail: { id, ...change } });
    };
    try {
      const record = await read(id);
      settle(record === null ? { status: 'missing', record: null, error: null } : { status: 'loaded', record, error: null });
    } catch (error) {
      settle({ status: 'failed', record: null, error: describeError(error) });
    }
  }

  return {
    async load(): Promise<void> {
      update({ status: 'loading', error: null });
      try {
        const page = await list({ limit: LIST_LIMIT });
        update({ items: page.items, status: 'loaded' });
      } catch (error) {
        update({ status: 'failed', error: describeError(error) });
        return;
      }
      await loadDetail();
    },
    select(id: string | null): Promise<void> {
      update({ selectedId: id });
      return loadDetail();
    },
  };
}

export function createRecordsSlice({ bridge }: ConsoleDeps): StateCreator<ConsoleState, [], [], RecordsSlice> {
  return (set, get) => {
    const mail = recordListActions('mail', get, set, (r) => bridge.listMail(r), (id) => bridge.getMail(id));
    const webhooks = recordListActions('webhooks', get, set, (r) => bridge.listWebhooks(r), (id) => bridge.getWebhook(id));
    return {
      mail: EMPTY_LIST,
      webhooks: EMPTY_LIST,
      loadMail: mail.load,
      loadWebhooks: webhooks.load,
      selectMail: mail.select,
      selectWebhook: webhooks.select,
    };
  };
}
