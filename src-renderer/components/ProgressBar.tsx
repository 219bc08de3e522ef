import type { JobStatus } from '../../src-shared/statuses';
import { statusSlug } from '../format';

/** A job's progress; `label` is its accessible name, e.g. `Progress of job 1a00d835`. */
export function ProgressBar({ progress, status, label }: { progress: number; status: JobStatus; label: string }) {
  const percent = Math.max(0, Math.min(100, Math.round(progress)));
  return (
    <div className="progress">
      <div
        className={`progress-track status-${statusSlug(status)}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="progress-text" aria-hidden="true">
        {percent}%
      </span>
    </div>
  );
}
