import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { Job } from '../../../src-shared/job';
import { ProgressBar } from '../../components/ProgressBar';
import { StatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { kindLabel, shortId, statusSlug } from '../../format';
import { JobActions } from './JobActions';
import { JobLogs } from './JobLogs';
import { useConsole } from '../../store/context';
import { selectors } from '../../store/selectors';
import { DETAIL_HEADING_ID, returnFocusTarget, rowButtonOf } from './row-focus';

/** A scrollable block of text: a named region, focusable so it can be scrolled by keyboard. */
function CodeBlock({ label, className = '', children }: { label: string; className?: string; children: string }) {
  return (
    <pre className={`json ${className}`.trim()} role="region" aria-label={label} tabIndex={0}>
      {children}
    </pre>
  );
}

function Timeline({ job }: { job: Job }) {
  return (
    <ol className="timeline" aria-labelledby="timeline-heading">
      {job.transitions.map((transition, index) => (
        <li key={`${index}:${transition.status}`} className={`status-${statusSlug(transition.status)}`}>
          <StatusBadge status={transition.status} />
          <Time iso={transition.at} milliseconds />
          <span className="worker" title={transition.worker}>
            {transition.worker}
          </span>
          {transition.note && <p className="transition-note">{transition.note}</p>}
        </li>
      ))}
    </ol>
  );
}

/** Fields the retry work adds to a job; shown when present. */
interface RetryFields {
  max_attempts?: number;
  next_attempt_at?: string | null;
  attempt_errors?: { attempt: number; at: string; error: string }[];
}

function AttemptErrors({ errors }: { errors: NonNullable<RetryFields['attempt_errors']> }) {
  if (errors.length === 0) return null;
  return (
    <>
      <h3>Failed attempts</h3>
      <ol className="attempt-errors">
        {errors.map((entry) => (
          <li key={entry.attempt}>
            <span className="attempt-number">Attempt {entry.attempt}</span> <Time iso={entry.at} milliseconds />
            <p className="job-error-text">{entry.error}</p>
          </li>
        ))}
      </ol>
    </>
  );
}

/** The job's facts: identity, status, progress, attempts and times. */
function Facts({ job }: { job: Job }) {
  const retry = job as Job & RetryFields;
  return (
    <dl className="facts">
      <dt>ID</dt>
      <dd>
        <code className="job-id">{job.id}</code>
      </dd>
      <dt>Kind</dt>
      <dd>{kindLabel(job.kind)}</dd>
      <dt>Status</dt>
      <dd>
        <StatusBadge status={job.status} />
      </dd>
      <dt>Progress</dt>
      <dd>
        <ProgressBar progress={job.progress} status={job.status} label={`Progress of job ${shortId(job.id)}`} />
      </dd>
      <dt>Attempts</dt>
      <dd>
        {job.attempts}
        {retry.max_attempts !== undefined && <span className="muted"> of {retry.max_attempts}</span>}
      </dd>
      {retry.next_attempt_at && (
        <>
          <dt>Next attempt</dt>
          <dd>
            <Time iso={retry.next_attempt_at} milliseconds />
          </dd>
        </>
      )}
      <dt>Created</dt>
      <dd>
        <Time iso={job.created_at} milliseconds />
      </dd>
      <dt>Updated</dt>
      <dd>
        <Time iso={job.updated_at} milliseconds />
      </dd>
    </dl>
  );
}

function Details({ job }: { job: Job }) {
  const retry = job as Job & RetryFields;
  return (
    <>
      <JobActions job={job} />
      <Facts job={job} />
      <h3>Payload</h3>
      <CodeBlock label="Payload">{JSON.stringify(job.payload, null, 2)}</CodeBlock>
      {job.result && (
        <>
          <h3>Result</h3>
          <CodeBlock label="Result">{JSON.stringify(job.result, null, 2)}</CodeBlock>
        </>
      )}
      {job.error && (
        <>
          <h3>Error</h3>
          <CodeBlock label="Error" className="job-error">
            {job.error}
          </CodeBlock>
        </>
      )}
      {retry.attempt_errors && <AttemptErrors errors={retry.attempt_errors} />}
      <h3 id="timeline-heading">Timeline</h3>
      <Timeline job={job} />
      <JobLogs job={job} />
    </>
  );
}

/**
 * The selected job: payload, result or error, and every transition with its time and worker.
 * Selecting a job moves focus here; Escape or Close gives it back to the row button of the job
 * shown (recorded at each selection), or to the table when that row is gone.
 */
export function JobDetail() {
  const job = useConsole(selectors.selectedJob);
  const selectJob = useConsole(selectors.actions.selectJob);
  const returnFocusRef = useRef<HTMLElement | null>(null);
  const selectedId = job?.id;

  // Where Escape gives focus back: the row that opened the job (rows focus this panel's heading).
  useEffect(() => {
    if (selectedId) returnFocusRef.current = rowButtonOf(selectedId);
  }, [selectedId]);

  const close = () => {
    if (!selectedId) return;
    selectJob(null);
    const recorded = returnFocusRef.current;
    returnFocusRef.current = null;
    const target = recorded?.isConnected ? recorded : returnFocusTarget(selectedId);
    target?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') close();
  };

  return (
    <section className="panel detail-panel" data-empty={job ? undefined : ''} aria-labelledby={DETAIL_HEADING_ID} onKeyDown={onKeyDown}>
      <header className="panel-header">
        <h2 id={DETAIL_HEADING_ID} tabIndex={-1}>
          {job ? `Job ${shortId(job.id)}` : 'Job details'}
        </h2>
        {job && (
          <button type="button" className="secondary" aria-label="Close job details" onClick={close}>
            Close
          </button>
        )}
      </header>
      {job ? <Details job={job} /> : <p className="muted">Select a job to see its payload, result and timeline.</p>}
    </section>
  );
}
