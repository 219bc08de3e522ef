import { useEffect } from 'react';
import type { OperationAction } from '../../../src-shared/bridge';
import { useConsole } from '../../store/context';
import { useChangesBlockedReason } from '../../access/access-context';
import { exportQueryOf } from '../../store/job-filter';
import { CompareChecked } from './CompareChecked';

/** The current filter as one query of the server's language: what "all that match" means. */
export function useFilterQuery(): string {
  return useConsole((state) => exportQueryOf(state.filter));
}

/** Another search, status or kind is another set of jobs: the checks made for the last one go. */
export function useClearChecksOnNewQuery(query: string): void {
  const clearChecked = useConsole((state) => state.clearChecked);
  useEffect(() => clearChecked(), [query, clearChecked]);
}

function SelectAllMatching({ query }: { query: string }) {
  const count = useConsole((state) => (state.matchCount?.query === query ? state.matchCount.count : null));
  const countMatches = useConsole((state) => state.countMatches);
  const checkAllMatching = useConsole((state) => state.checkAllMatching);
  useEffect(() => void countMatches(query), [query, countMatches]);
  return (
    <button type="button" className="link" onClick={() => checkAllMatching(query)}>
      {count === null ? 'Select all that match' : `Select all ${count.toLocaleString()} that match`}
    </button>
  );
}

/** What is ticked, in words. */
function CheckedText({ query }: { query: string }) {
  const checkedQuery = useConsole((state) => state.checkedQuery);
  const ticked = useConsole((state) => state.checkedJobIds.size);
  const count = useConsole((state) => (state.matchCount?.query === query ? state.matchCount.count : null));
  if (checkedQuery === null) return <span>{ticked.toLocaleString()} selected.</span>;
  const what = query ? `that match ${query}` : 'in the history';
  return <span>{count === null ? `All jobs ${what} are selected.` : `All ${count.toLocaleString()} jobs ${what} are selected.`}</span>;
}

const ACTIONS: readonly [OperationAction, string][] = [
  ['retry', 'Retry…'],
  ['cancel', 'Cancel…'],
];

/** Over the table while jobs are ticked: how many, "Select all N that match", and the bulk actions. */
export function BulkBar() {
  const query = useFilterQuery();
  const active = useConsole((state) => state.checkedQuery !== null || state.checkedJobIds.size > 0);
  const allMatching = useConsole((state) => state.checkedQuery !== null);
  const previewBulk = useConsole((state) => state.previewBulk);
  const clearChecked = useConsole((state) => state.clearChecked);
  const blockedReason = useChangesBlockedReason();
  if (!active) return null;
  return (
    <div className="bulk-bar" role="region" aria-label="Bulk actions">
      <CheckedText query={query} />
      {!allMatching && <SelectAllMatching query={query} />}
      <div className="button-row">
        {ACTIONS.map(([action, label]) => (
          <button key={action} type="button" className="secondary" disabled={blockedReason !== null} title={blockedReason ?? undefined} onClick={() => void previewBulk(action)}>
            {label}
          </button>
        ))}
        <CompareChecked />
        <button type="button" className="link" onClick={clearChecked}>
          Clear selection
        </button>
      </div>
    </div>
  );
}
