import type { ReactNode } from 'react';
import { useConsole } from '../../store/context';
import { selectors } from '../../store/selectors';
import { JobRow } from './JobRow';
import { JOBS_TABLE_ID } from './row-focus';

const COLUMNS = ['ID', 'Kind', 'Status', 'Progress', 'Attempts', 'Updated'] as const;

function EmptyRow({ children }: { children: ReactNode }) {
  return (
    <tr>
      <td colSpan={COLUMNS.length} className="empty">
        {children}
      </td>
    </tr>
  );
}

/** The live jobs table, newest first; rows change in place as events arrive. */
export function JobsTable() {
  const ids = useConsole(selectors.jobIds);
  const listStatus = useConsole(selectors.listStatus);
  const listError = useConsole(selectors.listError);
  const loadFirstPage = useConsole(selectors.actions.loadFirstPage);

  return (
    <section className="panel jobs-panel" aria-labelledby="jobs-heading">
      <header className="panel-header">
        <h2 id="jobs-heading">Jobs</h2>
        <p className="muted">{ids.length === 1 ? '1 job' : `${ids.length} jobs`}, newest first</p>
      </header>
      {listStatus === 'failed' && (
        <div className="form-problem" role="alert">
          <p className="form-problem-title">Could not load the jobs.</p>
          <p>{listError}</p>
          <button type="button" className="secondary" onClick={() => void loadFirstPage()}>
            Retry loading jobs
          </button>
        </div>
      )}
      <div className="table-scroll">
        {/* Focusable from script only: where focus returns when the selected job's row is gone. */}
        <table id={JOBS_TABLE_ID} className="jobs-table" aria-labelledby="jobs-heading" tabIndex={-1}>
          <thead>
            <tr>
              {COLUMNS.map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {ids.map((id) => (
              <JobRow key={id} id={id} />
            ))}
            {ids.length === 0 && (
              <EmptyRow>{listStatus === 'loading' || listStatus === 'idle' ? 'Loading jobs…' : 'No jobs yet. Submit one to see it here.'}</EmptyRow>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
