import { useId } from 'react';
import type { JobKind } from '../../../src-shared/kinds';
import { JOB_STATUSES, type JobStatus } from '../../../src-shared/statuses';
import { kindLabel } from '../../format';
import { useConsole } from '../../store/context';
import { selectors } from '../../store/selectors';
import { SavedViews } from './SavedViews';
import { useAccessGate } from '../../access/access-context';
import { exportQueryOf, isFiltering, NO_FILTER, searchQueryOf, searchSyntaxError, type JobFilter } from '../../store/job-filter';

const QUERY_EXAMPLE = 'kind:callback status:FAILED,RETRYING error:ECONNREFUSED created:>2026-12-04T02:00Z';

/** Under the search box: how the search is read, and the language in brief. */
function SearchHint({ id, search }: { id: string; search: string }) {
  const error = searchSyntaxError(search);
  if (error) return <p id={id} className="field-error toolbar-hint">Not a query ({error}): matched as plain text.</p>;
  if (searchQueryOf(search)) return <p id={id} className="field-hint toolbar-hint">A query: the whole history is searched, newest first.</p>;
  return (
    <p id={id} className="field-hint toolbar-hint">
      Plain text, or a query: <code>{QUERY_EXAMPLE}</code> — also <code>OR</code>, <code>-</code> to negate, <code>"quotes"</code>,{' '}
      <code>id:</code>, <code>batch:</code>, <code>payload.&lt;path&gt;:*@example.com</code>, <code>updated:</code>, <code>finished:</code>.
    </p>
  );
}

/** Downloads of every job the filter matches in the whole history, streamed by the server. */
function ExportLinks({ filter }: { filter: JobFilter }) {
  const access = useAccessGate();
  // A link sends no header: with a token, it goes in the query (the export route takes it there).
  const href = (format: 'csv' | 'ndjson') => {
    const url = `/api/v1/jobs/export?${new URLSearchParams({ q: exportQueryOf(filter), format }).toString()}`;
    return access ? access.withToken(url) : url;
  };
  return (
    <div className="toolbar-field">
      <span className="toolbar-label">Export matches</span>
      <div className="button-row">
        <a className="button" href={href('csv')} download>
          CSV
        </a>
        <a className="button" href={href('ndjson')} download>
          NDJSON
        </a>
      </div>
    </div>
  );
}

/** Status and kind filters, the search box, exports and saved views of the Jobs view. */
export function JobsToolbar() {
  const filter = useConsole((state) => state.filter);
  const setFilter = useConsole((state) => state.setFilter);
  const kinds = useConsole(selectors.kindNames);
  const id = useId();
  return (
    <div className="toolbar" role="search" aria-label="Filter jobs">
      <div className="toolbar-field grow">
        <label htmlFor={`${id}-search`}>Search</label>
        <input
          id={`${id}-search`}
          type="search"
          placeholder="Job ID, payload text, or a query (see below)"
          aria-describedby={`${id}-hint`}
          value={filter.search}
          onChange={(event) => setFilter({ search: event.target.value })}
          autoComplete="off"
          spellCheck={false}
        />
      </div>
      <div className="toolbar-field">
        <label htmlFor={`${id}-status`}>Status</label>
        <select
          id={`${id}-status`}
          value={filter.status ?? ''}
          onChange={(event) => setFilter({ status: (event.target.value || null) as JobStatus | null })}
        >
          <option value="">Any status</option>
          {JOB_STATUSES.map((status) => (
            <option key={status} value={status}>
              {status}
            </option>
          ))}
        </select>
      </div>
      <div className="toolbar-field">
        <label htmlFor={`${id}-kind`}>Kind</label>
        <select
          id={`${id}-kind`}
          value={filter.kind ?? ''}
          onChange={(event) => setFilter({ kind: (event.target.value || null) as JobKind | null })}
        >
          <option value="">Any kind</option>
          {kinds.map((kind) => (
            <option key={kind} value={kind}>
              {kindLabel(kind)}
            </option>
          ))}
        </select>
      </div>
      <button type="button" className="secondary" disabled={!isFiltering(filter)} onClick={() => setFilter(NO_FILTER)}>
        Clear filters
      </button>
      <ExportLinks filter={filter} />
      <SavedViews query={exportQueryOf(filter)} />
      <SearchHint id={`${id}-hint`} search={filter.search} />
    </div>
  );
}
