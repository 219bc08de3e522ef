import { useMemo } from 'react';
import type { Batch, BatchChild } from '../../../src-shared/batch-schemas';
import type { StatusCounts } from '../../../src-shared/events';
import type { Job } from '../../../src-shared/job';
import type { Delivery } from '../../../src-shared/subscription-schemas';
import { ProgressBar } from '../../components/ProgressBar';
import { StatusBadge } from '../../components/StatusBadge';
import { Time } from '../../components/Time';
import { kindLabel, shortId } from '../../format';
import { countEntries, liveBatch } from '../../store/batch-tree';

function Counts({ counts, label }: { counts: StatusCounts; label: string }) {
  const entries = countEntries(counts);
  return (
    <ul className="status-counts" aria-label={label}>
      {entries.map(([status, count]) => (
        <li key={status}>
          <StatusBadge status={status} /> <span className="count">{count}</span>
        </li>
      ))}
    </ul>
  );
}

function resultText(child: BatchChild): string {
  if (child.error) return child.error;
  if (!child.result) return '';
  return JSON.stringify(child.result);
}

function ChildRow({ child, index }: { child: BatchChild; index: number }) {
  return (
    <li className="batch-child" data-status={child.status}>
      <span className="tree-branch" aria-hidden="true" />
      <span className="batch-child-index muted">#{index + 1}</span>
      <span className="kind-tag">{child.kind === null ? '…' : kindLabel(child.kind)}</span>
      <code className="job-id" title={child.id}>
        {shortId(child.id)}
      </code>
      <StatusBadge status={child.status} />
      <ProgressBar progress={child.status === 'DONE' ? 100 : child.progress} status={child.status} label={`Progress of job ${shortId(child.id)}`} />
      <span className={child.error ? 'batch-child-result job-error' : 'batch-child-result muted small'} title={resultText(child)}>
        {resultText(child)}
      </span>
    </li>
  );
}

const CALLBACK_STATE_TEXT: Record<Delivery['state'], string> = { pending: 'Pending', delivered: 'Delivered', failed: 'Failed' };

/** The fan-in callback: where it goes, its state, and each attempt. */
function FanIn({ batch }: { batch: Batch }) {
  if (!batch.on_complete) return <p className="muted small">No fan-in callback.</p>;
  const delivery = batch.callback;
  const last = delivery?.attempts[delivery.attempts.length - 1];
  return (
    <div className="fan-in" aria-label={`Fan-in callback of batch ${shortId(batch.id)}`} role="group">
      <span className="field-name">Fan-in callback</span>{' '}
      <span className={`delivery-state delivery-${delivery?.state ?? 'waiting'}`}>
        {delivery ? CALLBACK_STATE_TEXT[delivery.state] : batch.status === 'RUNNING' ? 'Waiting for the last job' : 'Queued'}
      </span>{' '}
      <code className="small">{batch.on_complete.callback_url}</code>
      {last && (
        <span className="muted small">
          {' '}
          · {delivery!.attempts.length} attempt{delivery!.attempts.length === 1 ? '' : 's'}, last <Time iso={last.at} /> → {last.status_code ?? 'no answer'} in{' '}
          {last.duration_ms} ms{last.error ? ` (${last.error})` : ''}
        </span>
      )}
    </div>
  );
}

/** The children's results side by side: what the fan-in callback carries, combined. */
function CombinedResults({ batch }: { batch: Batch }) {
  if (batch.status !== 'COMPLETED') return null;
  const combined = batch.jobs.map(({ id, kind, status, result, error }) => ({ id, kind, status, result, error }));
  return (
    <details className="combined-results">
      <summary>Combined results</summary>
      <pre className="json" role="region" aria-label={`Combined results of batch ${shortId(batch.id)}`} tabIndex={0}>
        {JSON.stringify(combined, null, 2)}
      </pre>
    </details>
  );
}

/** One batch as a tree: the batch, its counts and progress, then each child, all live. */
export function BatchTree({ batch: read, jobsById }: { batch: Batch; jobsById: Readonly<Record<string, Job>> }) {
  const batch = useMemo(() => liveBatch(read, jobsById), [read, jobsById]);
  const titleId = `batch-${batch.id}`;
  return (
    <article className="card batch-card" aria-labelledby={titleId} data-status={batch.status}>
      <header className="batch-header">
        <h3 id={titleId}>
          Batch <code className="job-id">{shortId(batch.id)}</code>
        </h3>
        <span className={`batch-status batch-${batch.status.toLowerCase()}`}>{batch.status}</span>
        <span className="muted small">
          created <Time iso={batch.created_at} />
          {batch.completed_at && (
            <>
              {' '}
              · completed <Time iso={batch.completed_at} />
            </>
          )}
        </span>
      </header>
      <div className="batch-summary">
        <ProgressBar progress={batch.progress} status={batch.status === 'COMPLETED' ? 'DONE' : 'IN PROGRESS'} label={`Progress of batch ${shortId(batch.id)}`} />
        <Counts counts={batch.counts} label={`Jobs of batch ${shortId(batch.id)} by status`} />
      </div>
      <ul className="batch-children" aria-label={`Jobs of batch ${shortId(batch.id)}`}>
        {batch.jobs.map((child, index) => (
          <ChildRow key={child.id} child={child} index={index} />
        ))}
      </ul>
      <FanIn batch={batch} />
      <CombinedResults batch={batch} />
    </article>
  );
}
