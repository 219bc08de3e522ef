import { useState, type MouseEvent } from 'react';
import type { DeadLetterPreview, Operation, OperationAction, OperationPreview } from '../../../src-shared/bridge';
import { useChangesBlockedReason } from '../../access/access-context';
import { EntityLink } from '../../components/EntityLink';
import { StatusBadge } from '../../components/StatusBadge';
import { TypedConfirm, useProfileNameConfirm } from '../../components/TypedConfirm';
import { kindLabel } from '../../format';
import { useModalDialog } from '../../keyboard/use-modal-dialog';
import { useConsole } from '../../store/context';
import type { BulkFlow } from '../../store/operations-slice';

const VERB: Record<OperationAction, string> = { retry: 'Retry', cancel: 'Cancel', requeue: 'Requeue', discard: 'Discard' };
/** The bulk actions that destroy: on production they want the profile's name typed (the API's `confirm`). */
const DESTRUCTIVE: ReadonlySet<OperationAction> = new Set(['cancel', 'discard']);
const n = (count: number) => count.toLocaleString();

function SkipCounts({ skips }: { skips: Record<string, number> }) {
  const entries = Object.entries(skips);
  if (entries.length === 0) return <dd>none</dd>;
  return entries.map(([reason, count]) => (
    <dd key={reason}>
      {n(count)} ({reason})
    </dd>
  ));
}

/** The dry run: what the action would change and skip, and a few of the jobs (or dead letters) it matched. */
function PreviewCounts({ preview }: { preview: OperationPreview | DeadLetterPreview }) {
  return (
    <>
      <dl className="facts" aria-label="Preview">
        <dt>Matched</dt>
        <dd data-count="matched">{n(preview.matched)}</dd>
        <dt>Would change</dt>
        <dd data-count="would-change">{n(preview.would_change)}</dd>
        <dt>Would skip</dt>
        <SkipCounts skips={preview.would_skip} />
      </dl>
      {preview.sample.length > 0 && (
        <div className="bulk-sample-scroll">
          <table className="data-table bulk-sample" aria-label="Sample of the matched jobs">
            <thead>
              <tr>
                <th>Job</th>
                <th>Kind</th>
                <th>Status</th>
                <th>Would</th>
              </tr>
            </thead>
            <tbody>
              {preview.sample.map((item) => {
                const jobId = 'job_id' in item ? item.job_id : item.id;
                return (
                  <tr key={item.id}>
                    <td>{jobId ? <EntityLink entity={{ kind: 'job', id: jobId }} /> : <span className="muted">not a job</span>}</td>
                    <td>{kindLabel(item.kind)}</td>
                    <td>{'status' in item ? <StatusBadge status={item.status} /> : <span className="muted">dead letter</span>}</td>
                    <td>{item.skip === null ? 'change' : `skip: ${item.skip}`}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** Items handled so far: changed, skipped or failed, of all matched. */
function OperationProgress({ operation }: { operation: Operation }) {
  const done = operation.changed + operation.skipped + operation.failed;
  const percent = operation.matched === 0 ? 100 : Math.round((done / operation.matched) * 100);
  return (
    <div className="progress bulk-progress">
      <div className="progress-track" role="progressbar" aria-label="Operation progress" aria-valuemin={0} aria-valuemax={operation.matched} aria-valuenow={done} aria-valuetext={`${n(done)} of ${n(operation.matched)}`}>
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="progress-text">
        {n(done)} of {n(operation.matched)}
      </span>
    </div>
  );
}

/** The operation's counts, and links to the jobs it failed on. */
function OperationResult({ operation, scope }: { operation: Operation; scope: BulkFlow['scope'] }) {
  return (
    <>
      <p role="status" aria-label="Operation status">
        {operation.status === 'running' ? 'Running' : `Ended ${operation.status}`}: {n(operation.changed)} changed, {n(operation.skipped)} skipped,{' '}
        {n(operation.failed)} failed.
      </p>
      {operation.paused_reason && <p className="muted">Paused: {operation.paused_reason}. It goes on by itself.</p>}
      {operation.failed_items.length > 0 && (
        <ul className="bulk-failed" aria-label="Failed jobs">
          {operation.failed_items.map((item) => (
            <li key={item.id}>
              {scope === 'jobs' ? <EntityLink entity={{ kind: 'job', id: item.id }} /> : <code>{item.id}</code>} {item.reason}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function DialogButtons({ bulk, close }: { bulk: BulkFlow; close: () => void }) {
  const confirmBulk = useConsole((state) => state.confirmBulk);
  const previewAgain = useConsole((state) => state.previewAgain);
  const cancelBulkOperation = useConsole((state) => state.cancelBulkOperation);
  const profileName = useProfileNameConfirm();
  const blockedReason = useChangesBlockedReason();
  const [typedText, setTyped] = useState('');
  const { operation, preview, busy, drifted } = bulk;
  const confirming = !operation && preview && drifted === null;
  const typed = confirming && DESTRUCTIVE.has(bulk.action) ? profileName : null;
  return (
    <>
      {typed && <TypedConfirm id="bulk" confirm={typed} typed={typedText} onType={setTyped} />}
      <div className="button-row">
        {confirming && (
          <button
            type="button"
            className="danger"
            disabled={busy || blockedReason !== null || preview.would_change === 0 || (typed !== null && typedText !== typed.target)}
            title={blockedReason ?? undefined}
            onClick={() => void confirmBulk(typed ? typedText : undefined)}
          >
            Confirm: {VERB[bulk.action].toLowerCase()} {n(preview.would_change)}
          </button>
        )}
        {drifted !== null && (
          <button type="button" className="primary" disabled={busy} onClick={() => void previewAgain()}>
            Preview again
          </button>
        )}
        {operation?.status === 'running' && (
          <button type="button" className="danger" disabled={busy} onClick={() => void cancelBulkOperation()}>
            Cancel operation
          </button>
        )}
        <button type="button" className="secondary" onClick={close} autoFocus>
          {operation && operation.status !== 'running' ? 'Done' : 'Close'}
        </button>
      </div>
    </>
  );
}

function BulkBody({ bulk }: { bulk: BulkFlow }) {
  const { preview, operation, problem, drifted, busy } = bulk;
  return (
    <>
      {busy && !preview && !operation && <p className="muted">Counting the {bulk.scope === 'jobs' ? 'jobs' : 'dead letters'}…</p>}
      {preview && !operation && <PreviewCounts preview={preview} />}
      {drifted !== null && (
        <p className="inline-error" role="alert">
          The matches changed since this preview: {n(drifted)} jobs match now. Preview again before you confirm.
        </p>
      )}
      {problem && drifted === null && (
        <p className="inline-error" role="alert">
          {problem.detail || problem.title}
        </p>
      )}
      {operation && <OperationProgress operation={operation} />}
      {operation && <OperationResult operation={operation} scope={bulk.scope} />}
    </>
  );
}

/** A bulk action from its preview to its result; a running operation goes on if the dialog is closed. */
export function BulkDialog() {
  const bulk = useConsole((state) => state.bulk);
  const closeBulk = useConsole((state) => state.closeBulk);
  if (!bulk) return null;
  return <BulkDialogOpen bulk={bulk} onClosed={closeBulk} />;
}

function BulkDialogOpen({ bulk, onClosed }: { bulk: BulkFlow; onClosed: () => void }) {
  const { ref, close, onCancel } = useModalDialog(onClosed);
  // A link to a job leaves the dialog for that job.
  const closeOnLink = (event: MouseEvent) => {
    if ((event.target as HTMLElement).closest('a[href^="#/"]')) close();
  };
  const noun = bulk.scope === 'jobs' ? 'job' : 'dead letter';
  const subject = 'query' in bulk.target ? `every ${noun} that matches ${bulk.target.query || '(everything)'}` : `${n(bulk.target.ids.length)} selected ${noun}${bulk.target.ids.length === 1 ? '' : 's'}`;
  return (
    <dialog ref={ref} className="bulk-dialog" aria-labelledby="bulk-title" onCancel={onCancel} onClick={closeOnLink}>
      <header className="panel-header">
        <h2 id="bulk-title">
          {VERB[bulk.action]} {subject}
        </h2>
      </header>
      <BulkBody bulk={bulk} />
      <DialogButtons bulk={bulk} close={close} />
    </dialog>
  );
}
