import { JobDetail } from './JobDetail';
import { JobsTable } from './JobsTable';
import { JobsToolbar } from './JobsToolbar';

/** Every job, live: filters, the virtualized table, and the selected job's details. */
export function JobsView() {
  return (
    <div className="view jobs-view">
      <div className="jobs-column">
        <JobsToolbar />
        <JobsTable />
      </div>
      <JobDetail />
    </div>
  );
}
