import { JobDetail } from '../jobs/JobDetail';
import { SubmitPanel } from './SubmitPanel';

/** Every kind's form; the job just submitted opens beside them and changes live. */
export function SubmitView() {
  return (
    <div className="view submit-view">
      <SubmitPanel />
      <JobDetail />
    </div>
  );
}
