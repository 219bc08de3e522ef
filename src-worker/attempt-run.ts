import { randomUUID } from 'node:crypto';
import type { Job } from '../src-shared/job';
import type { AttemptRun, JobSeed } from '../src-shared/node/status-store';
import { shownPayload } from '../src-shared/builtin-kinds';
import { originOf, type JobMessage } from '../src-shared/wire';
import type { Session } from './broker-session';
import { persist, type DeliveryContext, type JobOutcome } from './delivery-context';
import { failAttempt } from './failed-attempt';
import { giveBack } from './given-back';
import { UnavailableError } from './handlers/handler';
import { AttemptLog } from './attempt-log';
import { redactText } from '../src-shared/redact';
import { CANCELLED_REASON, type CancelHandle } from './running-attempts';

/**
 * Runs one job through its statuses. Throws (so the job is requeued) when its start cannot be
 * written, the connection was lost or the worker is stopping; a handler's failure is the job's,
 * and is retried or ends it FAILED. Progress is best effort; the final status is written until
 * Redis takes it, with the message in hand, so a Redis outage neither leaves the job in a stale
 * live status nor has its effect done again. Every write after the start names the start
 * (`run.holder`): once another worker restarted the job, they are refused (`superseded`).
 */
export async function runJob(context: DeliveryContext, session: Session, job: JobMessage, redelivered: boolean): Promise<JobOutcome> {
  const { status } = context;
  const run: AttemptRun = { worker: context.workerId, seed: seedOf(job) };
  const token = randomUUID();
  // Kept aside again should Redis have lost the job (the seed shows no secret).
  const secret = (job.extra_data as { secret?: unknown }).secret;
  const callbackSecret = typeof secret === 'string' ? secret : undefined;
  const started = await status.startAttempt(run, { attempt: job.attempt, redelivered, token, callbackSecret });
  if (started.outcome === 'terminal') return 'skipped';
  if (started.outcome === 'stale') return 'stale';
  run.holder = { token, attempt: started.job!.attempts };
  context.report({ type: 'job-started', jobId: job.uuid });
  if (started.job!.attempts > started.job!.max_attempts) {
    // Rerun after its worker died on the last attempt: a job that kills its workers ends here.
    const spent = new Error(`not run again: its ${started.job!.max_attempts} attempts are spent`);
    return failAttempt(context, session, job, started.job!, spent, run);
  }
  const stop = context.cancels.register(job.uuid, session.abort.signal);
  // Cancelled before this attempt started (its worker died, or the message was missed).
  if (started.cancelRequested) stop.cancel();
  const log = new AttemptLog(context.logs, job.uuid, run.holder.attempt, context.log);
  try {
    return await runEffect(context, session, { job, held: started.job!, run, stop, log });
  } finally {
    stop.release();
  }
}

/** One attempt as its effect runs: the job, what stops it and where its log lines go. */
interface Attempt {
  job: JobMessage;
  held: Job;
  run: AttemptRun;
  stop: CancelHandle;
  log: AttemptLog;
}

/**
 * The handler's effect, then DONE; or the failed attempt; or the attempt given back, not counted,
 * when the kind's own dependency was unreachable; or CANCELLED once the handler stopped
 * on an operator's cancel. A handler that finishes regardless ends DONE (its effect happened),
 * the refused cancel noted in its transition. The log's last lines are sent before the status.
 */
async function runEffect(context: DeliveryContext, session: Session, attempt: Attempt): Promise<JobOutcome> {
  const { job, held, run, stop, log } = attempt;
  const handler = context.handlers[job.kind];
  let result: Record<string, unknown>;
  try {
    if (!handler) throw new Error(`this worker has no handler for kind ${job.kind}`);
    if (stop.cancelled) throw new Error(CANCELLED_REASON);
    const reportProgress = progressOf(context, attempt);
    result = await handler.run({ job, attempt: run.holder!.attempt, reportProgress, log: log.line, signal: stop.signal });
  } catch (error) {
    log.line(`attempt ${run.holder!.attempt} ended: ${redactText((error as Error).message || String(error))}`);
    // The retry (or dead letter) is published without waiting on the log: a slow Redis must not
    // hold the next attempt back. Its last lines still go before the status that ends it.
    const logged = log.close();
    if (session.abort.signal.aborted) throw error;
    if (stop.cancelled) return logged.then(() => endCancelled(context, session, attempt));
    if (error instanceof UnavailableError) return giveBack(context, session, job, held, error, run, logged);
    return failAttempt(context, session, job, held, error as Error, run, logged);
  }
  await log.close();
  // The effect happened: DONE is written even if the connection was lost meanwhile (the job
  // then stays done instead of being run again), unless another worker has restarted it.
  const done = await persist(context, session, () => context.status.finish(run, { result }));
  return done.outcome === 'superseded' ? 'superseded' : 'done';
}

/** The handler's `reportProgress`: best effort; a write that finds the job's cancel mark stops the handler. */
function progressOf(context: DeliveryContext, { job, run, stop }: Attempt): (percent: number) => Promise<void> {
  return (percent) =>
    context.status.progress(run, percent).then(
      (reply) => {
        if (reply.cancelRequested) stop.cancel();
      },
      (error: Error) => context.log(`job ${job.uuid}: progress not recorded (${error.message})`),
    );
}

/** CANCELLED, the handler having stopped; the message is then acked, never retried. */
async function endCancelled(context: DeliveryContext, session: Session, { job, run }: Attempt): Promise<JobOutcome> {
  const cancelled = await persist(context, session, () => context.status.cancelledRunning(run));
  if (cancelled.outcome === 'superseded') return 'superseded';
  context.log(`job ${job.uuid}: cancelled by an operator during attempt ${run.holder!.attempt}; its handler stopped`);
  return 'cancelled';
}

/**
 * The job as its message knows it, for when Redis does not hold it (expired, or restarted
 * empty): with the attempts made before this one and its own limit, so neither is reset.
 */
function seedOf(job: JobMessage): JobSeed {
  return {
    id: job.uuid,
    kind: job.kind,
    type: job.type,
    payload: shownPayload(job.kind, job.extra_data),
    created_at: job.created_at,
    ...(job.attempt !== undefined ? { attempts: job.attempt - 1 } : {}),
    ...(job.max_attempts !== undefined ? { max_attempts: job.max_attempts } : {}),
    ...originOf(job),
  };
}
