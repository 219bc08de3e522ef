import type { Page } from '../../src-shared/job';
import type { PageRequest } from '../../src-shared/bridge';
import type { MailRecord, MailSummary, WebhookRecord, WebhookSummary } from '../../src-shared/console-records';
import type { ConsoleDeps, SliceCreator } from './deps';
import { field, load, NOT_LOADED, type Loaded, type Slot } from './loaded';

/**
 * The shown item read whole (lists carry no bodies). Loaded with no data: the API has no such
 * item any more (trimmed to the quota or pruned by age).
 */
export type RecordDetail<Whole> = Loaded<Whole | null> & { id: string };

/** A page of summaries, newest first. */
export interface RecordList<Summary, Whole = never> extends Loaded<readonly Summary[]> {
  selectedId: string | null;
  /** The shown item (the selected one, else the newest), read whole; null while the list is empty. */
  detail: RecordDetail<Whole> | null;
}

export interface RecordsSlice {
  mail: RecordList<MailSummary, MailRecord>;
  webhooks: RecordList<WebhookSummary, WebhookRecord>;
  loadMail(): Promise<void>;
  loadWebhooks(): Promise<void>;
  /** Selects an item and reads it whole. */
  selectMail(id: string | null): Promise<void>;
  selectWebhook(id: string | null): Promise<void>;
}

const EMPTY_LIST: RecordList<never, never> = { ...NOT_LOADED, selectedId: null, detail: null };
/** Items a list view asks for; their bodies are read one at a time. */
const LIST_LIMIT = 100;

/** The item a list shows: the selected one while it is listed, else the newest. */
export function shownId(list: RecordList<{ id: string }, unknown>): string | null {
  const items = list.data ?? [];
  const selected = items.find((item) => item.id === list.selectedId);
  return (selected ?? items[0])?.id ?? null;
}

/**
 * One record list's verbs: load a page of summaries, select one, and read the shown item whole
 * through the bridge — once per item, since a received item never changes.
 */
function recordListActions<Summary extends { id: string }, Whole>(
  list: Slot<RecordList<Summary, Whole>>,
  page: (request: PageRequest) => Promise<Page<Summary>>,
  read: (id: string) => Promise<Whole | null>,
  now: () => number,
) {
  const update = (change: Partial<RecordList<Summary, Whole>>) => list.write({ ...list.read(), ...change });

  async function loadDetail(): Promise<void> {
    const id = shownId(list.read());
    const detail = list.read().detail;
    if (id === null) return update({ detail: null });
    if (detail?.id === id && detail.status !== 'failed') return;
    update({ detail: { ...NOT_LOADED, id } });
    // Another item shown meanwhile: this answer is no longer wanted.
    const shown: Slot<RecordDetail<Whole>> = {
      read: () => list.read().detail ?? { ...NOT_LOADED, id },
      write(next) {
        if (list.read().detail?.id === id) update({ detail: next });
      },
    };
    await load(shown, () => read(id), now);
  }

  return {
    async load(): Promise<void> {
      const items = await load(list, async () => (await page({ limit: LIST_LIMIT })).items, now);
      if (items !== undefined) await loadDetail();
    },
    select(id: string | null): Promise<void> {
      update({ selectedId: id });
      return loadDetail();
    },
  };
}

export function createRecordsSlice({ bridge, now }: ConsoleDeps): SliceCreator<RecordsSlice> {
  return (set, get) => {
    const mail = recordListActions(field(get, set, 'mail'), (r) => bridge.listMail(r), (id) => bridge.getMail(id), now);
    const webhooks = recordListActions(field(get, set, 'webhooks'), (r) => bridge.listWebhooks(r), (id) => bridge.getWebhook(id), now);
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
