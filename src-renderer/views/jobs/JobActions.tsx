import { useState } from 'react';
import type { Job } from '../../../src-shared/job';
import type { JobActionResult } from '../../../src-shared/bridge';
import { CANCELLABLE_STATUSES, RETRYABLE_STATUSES, RUNNING_STATUSES, SCHEDULED_STATUSES, type JobStatus } from '../../../src-shared/statuses';
import { curlFor } from '../../format';
import { useConsole } from '../../store/context';
import { useChangesBlocked } from '../../access/access-context';

/** Where a copied curl command should send the job: this page's API, or the default one in the window. */
function apiOrigin(): string {
  const { protocol, origin } = window.location;
  return protocol === 'http:' || protocol === 'https:' ? origin : 'http://127.0.0.1:8000';
}

/** Why an action is not offered for this job, in words an operator can act on; null when it is. */
function blockedUnless(allowed: readonly JobStatus[], verb: string, job: Job): string | null {
  return allowed.includes(job.status) ? null : `Only a ${allowed.join(' or ')} job can be ${verb}; this one is ${job.status}.`;
}

/** What an accepted cancel says: done, or asked of the handler of a running job (its events tell the end). */
function cancelMessage(answer: JobActionResult | null): string {
  return answer?.ok && answer.cancel === 'requested' ? 'Cancel requested: the job ends CANCELLED once its handler stops.' : 'Cancelled.';
}

const cancelBlocked = (job: Job) => blockedUnless(CANCELLABLE_STATUSES, 'cancelled', job);
const retryBlocked = (job: Job) => blockedUnless(RETRYABLE_STATUSES, 'retried', job);

/** What each verb says while it runs, when refused, and once done. */
const VERB_WORDS = {
  cancel: { pending: 'Cancelling…', name: 'Cancel' },
  retry: { pending: 'Retrying…', name: 'Retry' },
  'run-now': { pending: 'Queueing…', name: 'Run now' },
} as const;

/** Cancel, retry, copy as curl; the answer of the last action is said in a status line. */
export function JobActions({ job }: { job: Job }) {
  const action = useConsole((state) => (state.jobAction?.target.id === job.id ? state.jobAction : null));
  const cancelJob = useConsole((state) => state.cancelJob);
  const retryJob = useConsole((state) => state.retryJob);
  const runJobNow = useConsole((state) => state.runJobNow);
  const scheduled = SCHEDULED_STATUSES.includes(job.status);
  const [copied, setCopied] = useState<string | null>(null);
  const cancelWhy = cancelBlocked(job);
  const retryWhy = retryBlocked(job);
  const blocked = useChangesBlocked();
  const pending = (action?.pending ?? false) || blocked;

  const copyCurl = async () => {
    const command = curlFor(job, apiOrigin());
    try {
      await navigator.clipboard.writeText(command);
      setCopied('Copied the curl command to the clipboard.');
    } catch {
      setCopied(`The clipboard refused; select and copy: ${command}`);
    }
  };

  let message = copied;
  const words = action ? VERB_WORDS[action.target.verb] : null;
  if (action?.pending) message = words!.pending;
  else if (action?.problem) message = `${words!.name} refused: ${action.problem.title}${action.problem.detail ? ` — ${action.problem.detail}` : ''}`;
  else if (action) message = action.target.verb === 'cancel' ? cancelMessage(action.answer) : action.target.verb === 'retry' ? 'Queued again.' : 'Queued now.';

  return (
    <div className="job-actions">
      <div className="button-row">
        {scheduled && (
          <button
            type="button"
            aria-disabled={pending || undefined}
            title="Queue it now instead of at its start time."
            onClick={() => {
              if (!pending) void runJobNow(job.id);
            }}
          >
            Run now
          </button>
        )}
        <button
          type="button"
          className="danger"
          aria-disabled={cancelWhy !== null || pending || undefined}
          title={cancelWhy ?? (RUNNING_STATUSES.includes(job.status) ? 'Abort its handler; it ends CANCELLED once the handler stopped.' : scheduled ? 'Drop it before its start time; it ends CANCELLED.' : 'Remove it from the queue; it ends CANCELLED.')}
          onClick={() => {
            if (cancelWhy === null && !pending) void cancelJob(job.id);
          }}
        >
          Cancel job
        </button>
        <button
          type="button"
          className="secondary"
          aria-disabled={retryWhy !== null || pending || undefined}
          title={retryWhy ?? 'Queue it again with the same payload.'}
          onClick={() => {
            if (retryWhy === null && !pending) void retryJob(job.id);
          }}
        >
          Retry job
        </button>
        <button type="button" className="secondary" onClick={() => void copyCurl()}>
          Copy as curl
        </button>
      </div>
      <p className={action?.problem ? 'action-result inline-error' : 'action-result muted'} role="status">
        {message}
      </p>
    </div>
  );
}
