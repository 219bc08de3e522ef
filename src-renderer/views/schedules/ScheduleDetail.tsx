import { useState } from 'react';
import type { ScheduleDetail as Detail, ScheduleRun } from '../../../src-shared/schedule-schemas';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useTypedConfirm } from '../../components/TypedConfirm';
import { EntityLink } from '../../components/EntityLink';
import { StatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { usePolling } from '../../components/use-polling';
import { useConsole } from '../../store/context';
import { hashOfRoute } from '../../store/route';
import type { ScheduleVerb } from '../../store/schedules-slice';
import { useChangesBlockedReason } from '../../access/access-context';

const DETAIL_REFRESH_MS = 2_000;

/** A due time as the schedule's own zone reads it (the wall clock its cron speaks of). */
function inZone(iso: string, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso));
}

const DONE_SAYS: Record<ScheduleVerb, string> = { pause: 'Paused.', resume: 'Resumed.', trigger: 'Run submitted.', delete: 'Deleted.' };

function Actions({ schedule }: { schedule: Detail }) {
  const verb = useConsole((state) => state.scheduleVerb);
  const action = useConsole((state) => (state.scheduleAction?.target.id === schedule.id ? state.scheduleAction : null));
  const blockedReason = useChangesBlockedReason();
  const typed = useTypedConfirm({ target: schedule.id, what: "the schedule's ID" });
  const [confirming, setConfirming] = useState(false);
  const busy = blockedReason !== null || action?.pending === true;
  const title = blockedReason ?? undefined;
  return (
    <>
      <div className="button-row schedule-actions">
        {schedule.paused ? (
          <button type="button" className="secondary" disabled={busy} title={title} onClick={() => void verb('resume', schedule.id)}>
            Resume
          </button>
        ) : (
          <button type="button" className="secondary" disabled={busy} title={title} onClick={() => void verb('pause', schedule.id)}>
            Pause
          </button>
        )}
        <button type="button" className="secondary" disabled={busy} title={title} onClick={() => void verb('trigger', schedule.id)}>
          Trigger now
        </button>
        <button type="button" className="danger" disabled={busy} title={title} onClick={() => setConfirming(true)}>
          Delete
        </button>
      </div>
      {confirming && (
        <ConfirmDialog
          id="delete-schedule"
          title="Delete this schedule?"
          text="It fires no more runs. Its jobs stay, still searchable by schedule."
          confirmLabel="Delete schedule"
          cancelLabel="Keep it"
          typed={typed}
          onConfirm={(confirm) => void verb('delete', schedule.id, confirm)}
          onDone={() => setConfirming(false)}
        />
      )}
      {action?.problem && (
        <p className="inline-error" role="alert">
          {action.problem.title}: {action.problem.detail}
        </p>
      )}
      {action?.answer && (
        <p className="muted small" role="status">
          {DONE_SAYS[action.target.verb]}
        </p>
      )}
    </>
  );
}

function LastRuns({ runs }: { runs: readonly ScheduleRun[] }) {
  if (runs.length === 0) return <p className="empty">No runs yet.</p>;
  return (
    <table className="data-table schedule-runs">
      <thead>
        <tr>
          <th scope="col">Due</th>
          <th scope="col">Job</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.due_at}>
            <td>
              <Time iso={run.due_at} /> {run.triggered && <span className="muted small">(triggered)</span>}
            </td>
            <td>
              <EntityLink entity={{ kind: 'job', id: run.job_id }} />
            </td>
            <td>{run.status ? <StatusBadge status={run.status} /> : <span className="muted small">{run.error ?? 'submitting'}</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One schedule: what it runs and when, its next five due times, its last runs, and its actions. */
export function ScheduleDetail({ schedule }: { schedule: Detail }) {
  const load = useConsole((state) => state.loadScheduleDetail);
  usePolling(load, DETAIL_REFRESH_MS);
  return (
    <article className="card record-detail schedule-detail" aria-labelledby="schedule-title">
      <header className="batch-header">
        <h3 id="schedule-title">
          {schedule.kind} · <code>{schedule.cron}</code>
        </h3>
        {schedule.paused && <span className="status-badge status-cancelled schedule-paused">paused</span>}
      </header>
      <Actions schedule={schedule} />
      <dl className="facts">
        <dt>ID</dt>
        <dd>
          <EntityLink entity={{ kind: 'schedule', id: schedule.id }} full />
        </dd>
        <dt>When</dt>
        <dd className="cron-words">{schedule.cron_in_words ?? schedule.cron}</dd>
        <dt>Time zone</dt>
        <dd>{schedule.time_zone}</dd>
        <dt>Missed runs</dt>
        <dd>{schedule.missed === 'skip' ? 'skip' : 'run once'}</dd>
        <dt>Payload</dt>
        <dd>
          <code>{JSON.stringify(schedule.payload)}</code>
        </dd>
        <dt>Runs</dt>
        <dd>
          <a href={hashOfRoute({ view: 'jobs', q: `schedule:${schedule.id}` })}>All its jobs in Jobs</a>
        </dd>
      </dl>
      <h4>Next runs</h4>
      {schedule.next_runs.length === 0 ? (
        <p className="empty">None while paused.</p>
      ) : (
        <ol className="next-runs">
          {schedule.next_runs.map((at) => (
            <li key={at}>
              <Time iso={at} /> <span className="muted small">({inZone(at, schedule.time_zone)} {schedule.time_zone})</span>
            </li>
          ))}
        </ol>
      )}
      <h4>Last runs</h4>
      <LastRuns runs={schedule.last_runs} />
    </article>
  );
}
