import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { Job } from '../../../src-shared/job';
import { ProgressBar } from '../../components/ProgressBar';
import { StatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { kindLabel, shortId, statusSlug } from '../../format';
import { useConsole } from '../../store/context';
import { selectors } from '../../store/selectors';

function Json({ value, label }: { value: unknown; label: string }) {
  return (
    <pre className="json" aria-label={label} tabIndex={0}>
      {JSON.stringify(value, null, 2)}
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
        </li>
      ))}
    </ol>
  );
}

function Details({ job }: { job: Job }) {
  return (
    <>
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
          <ProgressBar progress={job.progress} status={job.status} />
        </dd>
        <dt>Attempts</dt>
        <dd>{job.attempts}</dd>
        <dt>Created</dt>
        <dd>
          <Time iso={job.created_at} milliseconds />
        </dd>
        <dt>Updated</dt>
        <dd>
          <Time iso={job.updated_at} milliseconds />
        </dd>
      </dl>
      <h3>Payload</h3>
      <Json value={job.payload} label="Payload" />
      {job.result && (
        <>
          <h3>Result</h3>
          <Json value={job.result} label="Result" />
        </>
      )}
      {job.error && (
        <>
          <h3>Error</h3>
          <pre className="json job-error" aria-label="Error">
            {job.error}
          </pre>
        </>
      )}
      <h3 id="timeline-heading">Timeline</h3>
      <Timeline job={job} />
    </>
  );
}

/**
 * The selected job: payload, result or error, and every transition with its time and worker.
 * Selecting a job moves focus here; Escape or Close gives it back to where it came from.
 */
export function JobDetail() {
  const job = useConsole(selectors.selectedJob);
  const selectJob = useConsole(selectors.actions.selectJob);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const returnFocusRef = useRef<HTMLElement | null>(null);
  const selectedId = job?.id;

  useEffect(() => {
    if (!selectedId) return;
    if (!returnFocusRef.current && document.activeElement instanceof HTMLElement) {
      returnFocusRef.current = document.activeElement;
    }
    // Scrolls only when the panel is out of sight (stacked under the table on narrow windows).
    headingRef.current?.focus();
  }, [selectedId]);

  const close = () => {
    selectJob(null);
    const target = returnFocusRef.current;
    returnFocusRef.current = null;
    if (target?.isConnected) target.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && job) close();
  };

  return (
    <section className="panel detail-panel" aria-labelledby="detail-heading" onKeyDown={onKeyDown}>
      <header className="panel-header">
        <h2 id="detail-heading" ref={headingRef} tabIndex={-1}>
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
