import type amqp from 'amqplib';
import { redactText } from '../src-shared/redact';
import { parseJobMessage, type JobMessage } from '../src-shared/wire';
import { runJob } from './attempt-run';
import { settle, type Session } from './broker-session';
import { REQUEUE_DELAY_MS, type DeliveryContext, type JobOutcome } from './delivery-context';
import { publishConfirmed } from './job-publishing';
import { deadLetterMalformed } from './malformed-message';
import { sleep } from './waits';

/**
 * One delivery from the broker: a message that is not a runnable job is dead-lettered; a job is
 * run, then acked (its final status is written by then), or given back to the queue when its run
 * could not go on or met an outage of its kind's own dependency (then not counted as an attempt).
 */
export async function handleDelivery(context: DeliveryContext, session: Session, message: amqp.ConsumeMessage): Promise<void> {
  const { channel } = session;
  const parsed = parseJobMessage(message.content.toString('utf8'), context.registry);
  if ('error' in parsed) {
    await deadLetterMalformed(context, session, message, parsed.error, undefined);
    return;
  }
  const missing = context.registry.entry(parsed.kind).messageError(parsed.extra_data);
  if (missing) {
    await deadLetterMalformed(context, session, message, missing, parsed.uuid);
    return;
  }
  if (context.outages.isDown(parsed.kind)) {
    // Taken before its kind stopped here: back to the queue unrun, for a worker that can run it.
    await requeueFresh(context, session, message, parsed.kind, 'unrun');
    return;
  }
  let outcome: JobOutcome;
  try {
    const admission = await context.flow?.admit(parsed.kind, parsed.uuid, session.abort.signal);
    if (admission === 'paused') {
      // Taken before the pause reached this worker: back to the queue, unstarted, for after the resume.
      await requeueFresh(context, session, message, parsed.kind, 'unrun');
      return;
    }
    try {
      outcome = await runJob(context, session, parsed, message.fields.redelivered);
    } finally {
      await admission?.release().catch((error: Error) => context.log(`job ${parsed.uuid}: concurrency slot not given back (${redactText(error.message)}); it expires`));
    }
  } catch (error) {
    // The status could not be written (Redis unreachable), the connection was lost or the worker
    // is stopping: the job goes back to the queue, after a pause so an outage does not become a
    // hot loop.
    context.log(`job ${parsed.uuid}: ${redactText((error as Error).message)}; returning it to the queue`);
    if (!session.abort.signal.aborted) await sleep(REQUEUE_DELAY_MS, session.abort.signal);
    settle(() => channel.nack(message, false, true));
    context.report({ type: 'job-returned', jobId: parsed.uuid });
    return;
  }
  if (outcome === 'given-back') {
    await requeueFresh(context, session, message, parsed.kind, 'given-back');
    context.report({ type: 'job-returned', jobId: parsed.uuid });
    return;
  }
  settle(() => channel.ack(message));
  reportOutcome(context, parsed, outcome);
}

/**
 * Back to its kind's queue, unrun or given back, as a fresh copy (published with confirm, then the
 * one in hand acked) rather than a nack: a requeued message comes back `redelivered`, which the
 * status store reads as "its worker died" and lets take over a job that is running, so a duplicate
 * copy given back could take the job from the worker running it. An unrun message that came
 * redelivered is nacked back as it is: it may be the copy of a worker that died mid-run, whose
 * takeover must stay possible (a given-back run's job is QUEUED again: its copy needs no such mark).
 * When the copy cannot be published, the message is nacked back as before.
 */
async function requeueFresh(
  context: DeliveryContext,
  session: Session,
  message: amqp.ConsumeMessage,
  kind: string,
  why: 'unrun' | 'given-back',
): Promise<void> {
  const { channel } = session;
  if (why === 'unrun' && message.fields.redelivered) {
    settle(() => channel.nack(message, false, true));
    return;
  }
  try {
    if (session.abort.signal.aborted) throw new Error('RabbitMQ connection lost');
    const { contentType, contentEncoding, headers, priority, correlationId, messageId, type, appId } = message.properties as amqp.MessageProperties;
    const properties = { contentType, contentEncoding, headers, priority, correlationId, messageId, type, appId };
    const kept = Object.fromEntries(Object.entries(properties).filter(([, value]) => value !== undefined));
    await publishConfirmed(session.publishChannel, context.names.queue(kind), message.content, kept);
  } catch (error) {
    context.log(`job ${String(message.properties.messageId ?? '?')}: no fresh copy published (${redactText((error as Error).message)}); nacked back`);
    settle(() => channel.nack(message, false, true));
    return;
  }
  settle(() => channel.ack(message));
}

/** Tells the log and the console how an acked job's run ended. */
function reportOutcome(context: DeliveryContext, job: JobMessage, outcome: JobOutcome): void {
  if (outcome === 'stale') context.log(`job ${job.uuid}: dropped a stale copy of attempt ${job.attempt}`);
  if (outcome === 'superseded') {
    context.log(`job ${job.uuid}: another worker took it over; this run's final status not written`);
    context.report({ type: 'job-returned', jobId: job.uuid });
  }
  if (outcome === 'done' || outcome === 'failed' || outcome === 'retrying') context.outages.recovered(job.kind);
  if (outcome === 'done' || outcome === 'failed' || outcome === 'retrying' || outcome === 'cancelled') {
    context.report({ type: 'job-finished', jobId: job.uuid, outcome });
  }
}
