import { useEffect, useId, useState, type FormEvent } from 'react';
import type { SavedView } from '../../../src-shared/saved-view-schemas';
import { useConsole } from '../../store/context';
import { useChangesBlockedReason } from '../../access/access-context';
import { isFiltering } from '../../store/job-filter';

/** The saved view the filter shows now: its query in the search box and no other filter. */
function useShownView(views: readonly SavedView[]): SavedView | undefined {
  const filter = useConsole((state) => state.filter);
  if (filter.status !== null || filter.kind !== null) return undefined;
  return views.find((view) => view.query === filter.search.trim());
}

/** Names the current query and saves it; a refusal (a name taken) says why. */
function SaveViewForm({ query, onDone }: { query: string; onDone: () => void }) {
  const [name, setName] = useState('');
  const saveView = useConsole((state) => state.saveView);
  const action = useConsole((state) => state.savedViewAction);
  const id = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await saveView(name, query)) onDone();
  };
  const problem = action?.target === name ? action.problem : null;
  return (
    <form className="save-view" onSubmit={(event) => void submit(event)}>
      <label htmlFor={`${id}-name`}>Name of this view</label>
      <input id={`${id}-name`} value={name} maxLength={80} onChange={(event) => setName(event.target.value)} autoFocus required />
      <button type="submit" className="secondary" disabled={action?.pending}>
        Save
      </button>
      <button type="button" className="link" onClick={onDone}>
        Cancel
      </button>
      {problem && (
        <span className="inline-error" role="alert">
          {problem.errors?.[0]?.message ?? problem.detail}
        </span>
      )}
    </form>
  );
}

/** Saved views (named queries kept by the console): pick one, save the current query, delete one. */
export function SavedViews({ query }: { query: string }) {
  const views = useConsole((state) => state.savedViews.data) ?? [];
  const loadSavedViews = useConsole((state) => state.loadSavedViews);
  const pickSavedView = useConsole((state) => state.pickSavedView);
  const deleteSavedView = useConsole((state) => state.deleteSavedView);
  const filtering = useConsole((state) => isFiltering(state.filter));
  const [saving, setSaving] = useState(false);
  const blockedReason = useChangesBlockedReason();
  const shown = useShownView(views);
  const id = useId();
  useEffect(() => void loadSavedViews(), [loadSavedViews]);
  return (
    <div className="toolbar-field saved-views">
      <label htmlFor={`${id}-view`}>Saved view</label>
      <div className="button-row">
        <select
          id={`${id}-view`}
          value={shown?.id ?? ''}
          onChange={(event) => {
            const picked = views.find((view) => view.id === event.target.value);
            if (picked) pickSavedView(picked);
          }}
        >
          <option value="">{views.length ? 'Pick a view' : 'None saved'}</option>
          {views.map((view) => (
            <option key={view.id} value={view.id}>
              {view.name}
            </option>
          ))}
        </select>
        <button type="button" className="secondary" disabled={!filtering || saving || blockedReason !== null} title={blockedReason ?? undefined} onClick={() => setSaving(true)}>
          Save view…
        </button>
        <button type="button" className="secondary" disabled={!shown || blockedReason !== null} title={blockedReason ?? undefined} aria-label={shown ? `Delete saved view ${shown.name}` : 'Delete saved view'} onClick={() => shown && void deleteSavedView(shown.id)}>
          Delete
        </button>
      </div>
      {saving && <SaveViewForm query={query} onDone={() => setSaving(false)} />}
    </div>
  );
}
