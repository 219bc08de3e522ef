import { BulkBar, useClearChecksOnNewQuery, useFilterQuery } from './BulkBar';
import { BulkDialog } from './BulkDialog';
import { JobDetail } from './JobDetail';
import { JobsTable } from './JobsTable';
import { JobsToolbar } from './JobsToolbar';

/** Every job, live: filters, bulk actions, the virtualized table, and the selected job's details. */
export function JobsView() {
  useClearChecksOnNewQuery(useFilterQuery());
  return (
    <div className="view jobs-view">
      <div className="jobs-column">
        <JobsToolbar />
        <BulkBar />
        <JobsTable />
      </div>
      <JobDetail />
      <BulkDialog />
    </div>
  );
}
