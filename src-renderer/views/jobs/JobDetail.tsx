import { useEffect, useRef } from 'react';
import type { Job } from '../../../src-shared/job';
import { EntityLink } from '../../components/EntityLink';
import { ProgressBar } from '../../components/ProgressBar';
import { Countdown } from '../../components/Countdown';
import { StatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { kindLabel, shortId, statusSlug } from '../../format';
import { isFreeKey, isTypingTarget } from '../../keyboard/key-targets';
import { JobActions } from './JobActions';
import { JobLogs } from './JobLogs';
import { ReplayActions, ReplayFacts } from './JobReplays';
import { JobTimeBars } from './JobTimeBars';
import { useConsole } from '../../store/context';
import { selectors } from '../../store/selectors';
import { DETAIL_HEADING_ID, isRowFocused, returnFocusTarget, rowButtonOf } from './row-focus';

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

/** The batch the job is a child of, when a batch read holds it. */
function BatchOfJob({ id }: { id: string }) {
  const batchId = useConsole((state) => selectors.batchIdOfJob(state, id));
  if (!batchId) return null;
  return (
    <>
      <dt>Batch</dt>
      <dd>
        <EntityLink entity={{ kind: 'batch', id: batchId }} />
      </dd>
    </>
  );
}

/** Why no job is shown: none selected, or the one a link named is being read or is unknown. */
function NoJob() {
  const linked = useConsole((state) => (state.linkedJob?.id === state.selectedJobId ? state.linkedJob : null));
  if (!linked) return <p className="muted">Select a job to see its payload, result and timeline.</p>;
  if (linked.status === 'failed') return <p className="inline-error">Could not read job {linked.id}: {linked.error}</p>;
  if (linked.status === 'loaded') return <p className="inline-error">The API has no job {linked.id}.</p>;
  return (
    <p className="muted" role="status">
      Reading job {linked.id}…
    </p>
  );
}

/** The job's facts: identity, status, progress, attempts and times. */
function Facts({ job }: { job: Job }) {
  const retry = job as Job & RetryFields;
  return (
    <dl className="facts">
      <dt>ID</dt>
      <dd>
        <EntityLink entity={{ kind: 'job', id: job.id }} full />
      </dd>
      <BatchOfJob id={job.id} />
      <ReplayFacts job={job} />
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
      {job.status === 'SCHEDULED' && job.run_at && (
        <>
          <dt>Starts</dt>
          <dd>
            <Countdown iso={job.run_at} />
          </dd>
        </>
      )}
      {job.status !== 'SCHEDULED' && job.run_at && (
        <>
          <dt>Scheduled for</dt>
          <dd>
            <Time iso={job.run_at} milliseconds />
          </dd>
        </>
      )}
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
      {job.schedule_id && (
        <>
          <dt>Schedule</dt>
          <dd>
            <EntityLink entity={{ kind: 'schedule', id: job.schedule_id }} />
          </dd>
        </>
      )}
    </dl>
  );
}

function Details({ job }: { job: Job }) {
  const retry = job as Job & RetryFields;
  return (
    <>
      <JobActions job={job} />
      <ReplayActions job={job} />
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
      <JobTimeBars job={job} />
      <JobLogs job={job} />
    </>
  );
}

/**
 * Escape closes the details from anywhere on the page, except while typing in a field outside
 * them (Escape clears a search box) or in a dialog, which takes Escape for itself.
 */
function useEscapeToClose(open: boolean, close: () => void): void {
  const closeRef = useRef(close);
  closeRef.current = close;
  useEffect(() => {
    if (!open) return;
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape' || !isFreeKey(event)) return;
      const inDetail = event.target instanceof Element && event.target.closest('.detail-panel') !== null;
      if (!inDetail && isTypingTarget(event.target)) return;
      event.preventDefault();
      closeRef.current();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [open]);
}

/**
 * The selected job: payload, result or error, and every transition with its time and worker.
 * Selecting a job leaves focus where it was (the row); Escape or Close gives it back to the
 * row button of the job shown (recorded at each selection), or to the table when that row is gone.
 */
export function JobDetail() {
  const job = useConsole(selectors.selectedJob);
  const selectJob = useConsole(selectors.actions.selectJob);
  const returnFocusRef = useRef<HTMLElement | null>(null);
  const selectedId = job?.id;

  // Where Escape gives focus back: the row that opened the job.
  useEffect(() => {
    if (selectedId) returnFocusRef.current = rowButtonOf(selectedId);
  }, [selectedId]);

  const close = () => {
    if (!selectedId) return;
    selectJob(null);
    const recorded = returnFocusRef.current;
    returnFocusRef.current = null;
    // Arrows may have moved on from the row that opened the job: focus stays on the row it is on.
    if (isRowFocused()) return;
    const target = recorded?.isConnected ? recorded : returnFocusTarget(selectedId);
    target?.focus();
  };
  useEscapeToClose(selectedId !== undefined, close);

  return (
    <section className="panel detail-panel" data-empty={job ? undefined : ''} aria-labelledby={DETAIL_HEADING_ID}>
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
      {job ? <Details job={job} /> : <NoJob />}
    </section>
  );
}
