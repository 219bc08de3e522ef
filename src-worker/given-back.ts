import type { UnavailableError } from './handlers/handler';
import type { Job } from '../src-shared/job';
import type { AttemptRun } from '../src-shared/node/status-store';
import { redactText } from '../src-shared/redact';
import type { JobMessage } from '../src-shared/wire';
import type { Session } from './broker-session';
import { persist, type DeliveryContext, type JobOutcome } from './delivery-context';
import { failAttempt } from './failed-attempt';

/**
 * After an attempt that met an outage of its kind's own dependency: the kind stops here (see
 * OutageWatch), and the start is undone — the job QUEUED again, its attempt not counted — so that
 * its message goes back to the queue (`given-back`: the caller puts a fresh copy there). Past the longest wait
 * (`JOBDECK_UNAVAILABLE_MAX_WAIT_S` since the job's first outage) the attempt fails as any other.
 */
export async function giveBack(
  context: DeliveryContext,
  session: Session,
  message: JobMessage,
  job: Job,
  error: UnavailableError,
  run: AttemptRun,
  logged: Promise<void>,
): Promise<JobOutcome> {
  context.outages.report(message.kind, error);
  const reason = redactText(error.message);
  await logged;
  const maxWaitS = context.unavailableMaxWaitS;
  const back = await persist(context, session, () => context.status.giveBack(run, reason, maxWaitS));
  if (back.outcome === 'superseded') return 'superseded';
  if (back.outcome === 'expired') {
    const over = new Error(`${reason} (outages have held this job for longer than ${maxWaitS} s: the attempt counts)`);
    return failAttempt(context, session, message, job, over, run);
  }
  if (back.job?.status === 'CANCELLED') {
    context.log(`job ${message.uuid}: cancelled by an operator while attempt ${run.holder!.attempt} met an outage`);
    return 'cancelled';
  }
  context.log(`job ${message.uuid}: attempt ${run.holder!.attempt} given back, not counted (${error.dependency} unreachable)`);
  return 'given-back';
}
