/** Saved views of the Jobs view: named queries the console keeps for every window. */
import type { DeleteSubscriptionResult, SavedViewResult } from '../../src-shared/bridge';
import type { SavedView } from '../../src-shared/saved-view-schemas';
import type { ConsoleDeps, SliceCreator } from './deps';
import type { JobsSlice } from './jobs-slice';
import { field, load, NOT_LOADED, type Loaded } from './loaded';
import { act, type Accepted, type Pending } from './pending';

export interface SavedViewsSlice {
  savedViews: Loaded<readonly SavedView[]>;
  /** The last save (target: the name) or delete (target: the view's ID). */
  savedViewAction: Pending<Accepted<SavedViewResult | DeleteSubscriptionResult>> | null;
  loadSavedViews(): Promise<void>;
  /** Saves `query` as `name`; whether it was accepted (the problem is in `savedViewAction`). */
  saveView(name: string, query: string): Promise<boolean>;
  /** Shows what a saved view matches: its query in the search box, no other filter. */
  pickSavedView(view: SavedView): void;
  deleteSavedView(id: string): Promise<boolean>;
}

const byName = (a: SavedView, b: SavedView) => a.name.localeCompare(b.name);

export function createSavedViewsSlice({ bridge, now, schedule }: ConsoleDeps): SliceCreator<SavedViewsSlice, Pick<JobsSlice, 'setFilter'>> {
  return (set, get) => {
    const views = field(get, set, 'savedViews');
    const action = field(get, set, 'savedViewAction');
    const listed = () => views.read().data ?? [];
    return {
      savedViews: NOT_LOADED,
      savedViewAction: null,
      loadSavedViews: async () => void (await load(views, async () => (await bridge.listSavedViews()).items, now)),

      async saveView(name, query) {
        const answer = await act(action, name, () => bridge.createSavedView({ name, query }), schedule);
        if (answer.ok && 'view' in answer) views.write({ ...views.read(), data: [...listed(), answer.view].sort(byName) });
        return answer.ok;
      },

      pickSavedView: (view) => get().setFilter({ search: view.query, status: null, kind: null }),

      async deleteSavedView(id) {
        const answer = await act(action, id, () => bridge.deleteSavedView(id), schedule);
        if (answer.ok) views.write({ ...views.read(), data: listed().filter((view) => view.id !== id) });
        return answer.ok;
      },
    };
  };
}
