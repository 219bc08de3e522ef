import { memo } from 'react';
import { CountdownLeft } from '../../components/Countdown';
import { ProgressBar } from '../../components/ProgressBar';
import { StatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { kindLabel, shortId } from '../../format';
import { useConsole } from '../../store/context';
import { selectors } from '../../store/selectors';
import { rowButtonOf } from './row-focus';

/** Every row is this tall (CSS agrees), so the virtual list can place rows without measuring. */
export const ROW_HEIGHT_PX = 40;


/**
 * One job's row: a click, Enter or Space opens its details and leaves focus on the row; its
 * checkbox (or X on the row) ticks it for a bulk action.
 * Subscribes to that job alone, so an event re-renders only its own row.
 */
export const JobRow = memo(function JobRow({ id, rowIndex }: { id: string; rowIndex?: number }) {
  const job = useConsole((state) => selectors.job(state, id));
  const selected = useConsole((state) => selectors.isSelected(state, id));
  const selectJob = useConsole(selectors.actions.selectJob);
  const checked = useConsole((state) => selectors.isChecked(state, id));
  const toggleChecked = useConsole((state) => state.toggleChecked);
  if (!job) return null;
  const short = shortId(job.id);
  return (
    <tr
      className="job-row"
      aria-rowindex={rowIndex}
      data-selected={selected || undefined}
      onClick={(event) => {
        selectJob(job.id);
        // Focus stays in the table (on this row), so the next arrow key moves on from here.
        rowButtonOf(job.id, event.currentTarget)?.focus({ preventScroll: true });
      }}
    >
      {/* A click here ticks the row and leaves the details as they are. */}
      <td className="check-cell" onClick={(event) => event.stopPropagation()}>
        <input type="checkbox" aria-label={`Select job ${short}`} checked={checked} onChange={() => toggleChecked(job.id)} />
      </td>
      <td>
        <button
          type="button"
          className="link job-id"
          title={job.id}
          aria-label={`${short}, show job details`}
          aria-current={selected ? 'true' : undefined}
          data-job-id={job.id}
        >
          {short}
        </button>
      </td>
      <td>{kindLabel(job.kind)}</td>
      <td>
        <StatusBadge status={job.status} />
      </td>
      <td>
        {job.status === 'SCHEDULED' && job.run_at ? (
          <CountdownLeft iso={job.run_at} />
        ) : (
          <ProgressBar progress={job.progress} status={job.status} label={`Progress of job ${short}`} />
        )}
      </td>
      <td className="numeric">{job.attempts}</td>
      <td className="time-cell">
        <Time iso={job.created_at} />
      </td>
      <td className="time-cell">
        <Time iso={job.updated_at} />
      </td>
    </tr>
  );
});
