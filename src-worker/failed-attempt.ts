import type { Job } from '../src-shared/job';
import type { AttemptRun } from '../src-shared/node/status-store';
import { redactText } from '../src-shared/redact';
import { chooseRetryDelay } from '../src-shared/retry-policy';
import { toRfc3339 } from '../src-shared/time';
import type { JobMessage } from '../src-shared/wire';
import type { Session } from './broker-session';
import { persist, type DeliveryContext, type JobOutcome } from './delivery-context';
import { publishJobConfirmed } from './job-publishing';
import { isPermanentFailure } from './permanent-failure';

/**
 * After a failed attempt: the message goes, confirmed, to the retry rung its attempt count
 * picks, or to the dead-letter queue after the last attempt or a permanent failure; then the
 * status says RETRYING (with the time of the next attempt) or FAILED. The retry's message may
 * start before that write lands (the status store lets it); the late write is then refused.
 * Nothing is published once the connection was lost: the broker gives the job back, and its
 * next holder runs it again.
 */
export async function failAttempt(
  context: DeliveryContext,
  session: Session,
  message: JobMessage,
  job: Job,
  error: Error,
  run: AttemptRun,
  /** Settles once the attempt's last log lines are sent (or given up on): the status waits for it, the publish does not. */
  logged: Promise<void> = Promise.resolve(),
): Promise<JobOutcome> {
  if (session.abort.signal.aborted) throw new Error('RabbitMQ connection lost before the failure was recorded');
  const reason = redactText(error.message || String(error));
  const maxAttempts = job.max_attempts || context.retry.maxAttempts;
  const permanent = isPermanentFailure(error);
  if (permanent || job.attempts >= maxAttempts) {
    const why = permanent ? 'a failure no retry can cure' : `attempt ${Math.min(job.attempts, maxAttempts)} of ${maxAttempts}`;
    return failForGood(context, session, message, job, { reason, why, run, logged });
  }
  return retryLater(context, session, message, job, { reason, run, logged });
}

interface Failure {
  /** The failure's message, redacted. */
  reason: string;
  run: AttemptRun;
  logged: Promise<void>;
}

/** Dead-lettered, confirmed, then FAILED. */
async function failForGood(
  context: DeliveryContext,
  session: Session,
  message: JobMessage,
  job: Job,
  { reason, why, run, logged }: Failure & { why: string },
): Promise<JobOutcome> {
  await publishJobConfirmed(session.publishChannel, context.names.deadQueue(message.kind), message, {
    headers: { 'x-jobdeck-error': reason, 'x-jobdeck-attempts': job.attempts },
  });
  await logged;
  const failed = await persist(context, session, () => context.status.finish(run, { failure: reason }));
  if (failed.outcome === 'superseded') return 'superseded';
  context.log(`job ${message.uuid}: failed for good after ${why}: ${reason}`);
  return 'failed';
}

/** The next attempt's message on its rung, confirmed, then RETRYING. */
async function retryLater(
  context: DeliveryContext,
  session: Session,
  message: JobMessage,
  job: Job,
  { reason, run, logged }: Failure,
): Promise<JobOutcome> {
  const { rungMs, delayMs } = chooseRetryDelay(context.ladder, job.attempts);
  const next: JobMessage = { ...message, attempt: job.attempts + 1 };
  await publishJobConfirmed(session.publishChannel, context.names.retryQueue(message.kind, rungMs), next, { expirationMs: delayMs });
  await logged;
  const nextAttemptAt = toRfc3339(Date.now() + delayMs);
  const retrying = await persist(context, session, () => context.status.retryLater(run, reason, nextAttemptAt));
  return retrying.outcome === 'superseded' ? 'superseded' : 'retrying';
}
