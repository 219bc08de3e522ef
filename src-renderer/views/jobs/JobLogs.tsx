import { useEffect, useRef } from 'react';
import type { Job } from '../../../src-shared/job';
import { TERMINAL_STATUSES } from '../../../src-shared/statuses';
import { Time } from '../../components/Time';
import { useConsole } from '../../store/context';

/** How often the log of a job that runs is read again. */
export const JOB_LOG_POLL_MS = 1_000;

/**
 * The job's log lines, each with its time and attempt. Read every second while the job is not
 * over, and once more when it ends (its last lines); the list follows new lines as they come.
 */
export function JobLogs({ job }: { job: Job }) {
  const logs = useConsole((state) => (state.jobLogs.id === job.id ? state.jobLogs : null));
  const loadJobLogs = useConsole((state) => state.loadJobLogs);
  const live = !TERMINAL_STATUSES.has(job.status);
  const listRef = useRef<HTMLOListElement>(null);
  const lines = logs?.data ?? [];

  useEffect(() => {
    void loadJobLogs(job.id);
    if (!live) return undefined;
    const timer = setInterval(() => void loadJobLogs(job.id), JOB_LOG_POLL_MS);
    return () => clearInterval(timer);
  }, [job.id, live, loadJobLogs]);

  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [lines.length]);

  return (
    <>
      <h3 id="logs-heading">Logs</h3>
      {logs?.error && <p className="inline-error">Logs not read: {logs.error}</p>}
      {lines.length === 0 ? (
        <p className="muted">{logs?.status === 'loaded' ? `No log lines${live ? ' yet' : ''}.` : 'Reading the log…'}</p>
      ) : (
        <ol className="json job-logs" ref={listRef} role="log" aria-labelledby="logs-heading" tabIndex={0}>
          {lines.map((entry, index) => (
            <li key={index}>
              <Time iso={entry.at} milliseconds />
              <span className="log-attempt" title={`attempt ${entry.attempt}`}>
                #{entry.attempt}
              </span>
              <span className="log-line">{entry.line}</span>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
