import { useId } from 'react';
import type { JobKind } from '../../../src-shared/kinds';
import { JOB_STATUSES, type JobStatus } from '../../../src-shared/statuses';
import { kindLabel } from '../../format';
import { useConsole } from '../../store/context';
import { selectors } from '../../store/selectors';
import { isFiltering, NO_FILTER } from '../../store/job-filter';

/** Status and kind filters and the search box of the Jobs view. */
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
          placeholder="Job ID or payload text, e.g. an email address"
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
    </div>
  );
}
