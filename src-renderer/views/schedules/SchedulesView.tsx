import { useEffect } from 'react';
import { Time } from '../../components/Time';
import { usePolling } from '../../components/use-polling';
import { ReadFailed, ViewHeader } from '../../components/ViewHeader';
import { useConsole } from '../../store/context';
import { ScheduleDetail } from './ScheduleDetail';
import { ScheduleForm } from './ScheduleForm';

const LIST_REFRESH_MS = 5_000;

/** Recurring schedules: the list (kind, cron in words, zone, next run, paused), a form to create one, and the one selected. */
export function SchedulesView() {
  const { status, data, error } = useConsole((state) => state.schedules);
  const schedules = data ?? [];
  const selectedId = useConsole((state) => state.selectedScheduleId);
  const select = useConsole((state) => state.selectSchedule);
  const detail = useConsole((state) => state.scheduleDetail);
  const load = useConsole((state) => state.loadSchedules);
  usePolling(load, LIST_REFRESH_MS);
  const firstId = schedules[0]?.id ?? null;
  useEffect(() => {
    if (!selectedId && firstId) select(firstId);
  }, [selectedId, firstId, select]);
  const shown = detail.id === selectedId ? detail.data : null;

  return (
    <section className="view schedules-view" aria-labelledby="schedules-heading">
      <ViewHeader id="schedules-heading" title="Schedules" description="Recurring jobs by cron expression and time zone: each due time runs one job, once." />
      <ReadFailed title="Could not read the schedules." error={error} />
      <div className="batches-layout">
        <div className="subscriptions-side">
          <ScheduleForm />
          <nav className="card" aria-label="Schedules">
            {status === 'loaded' && schedules.length === 0 && <p className="empty">No schedules yet.</p>}
            <ul className="record-list">
              {schedules.map((s) => (
                <li key={s.id}>
                  <button type="button" className="record-item" aria-current={s.id === selectedId ? 'true' : undefined} onClick={() => select(s.id)}>
                    <span className="record-title">
                      {s.kind} · {s.cron_in_words ?? s.cron}
                    </span>
                    <span className="record-meta">
                      {s.time_zone} · {s.paused ? 'paused' : s.next_run_at ? <>next <Time iso={s.next_run_at} /></> : 'no next run'}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </nav>
        </div>
        {shown ? (
          <ScheduleDetail key={shown.id} schedule={shown} />
        ) : (
          <p className="empty card">{selectedId && detail.status === 'loaded' ? 'This schedule no longer exists.' : 'Create a schedule to see its next runs here.'}</p>
        )}
      </div>
    </section>
  );
}
