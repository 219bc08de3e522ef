import type amqp from 'amqplib';
import type { WriteReply } from '../src-shared/node/status-store';
import { settle, type Session } from './broker-session';
import { persist, type DeliveryContext } from './delivery-context';
import { publishConfirmed } from './job-publishing';

/**
 * A message that is not a job this version can run goes, as it is, to the dead-letter queue of
 * the kind it was routed as (with the reason in `x-jobdeck-error`), so an operator can inspect
 * it; it is dropped only when that queue cannot take it. A job that exists under the message's
 * ID (its payload is what was wrong) ends FAILED with the reason.
 */
export async function deadLetterMalformed(
  context: DeliveryContext,
  session: Session,
  message: amqp.ConsumeMessage,
  reason: string,
  jobId: string | undefined,
): Promise<void> {
  const kind = context.kinds.find((k) => k === message.fields.routingKey);
  try {
    if (!kind) throw new Error('no dead-letter queue for it');
    await publishConfirmed(session.publishChannel, context.names.deadQueue(kind), message.content, {
      ...message.properties,
      headers: { ...message.properties.headers, 'x-jobdeck-error': `not a job: ${reason}` },
    });
    context.log(`dead-lettered a message that is not a job: ${reason}`);
  } catch (error) {
    context.log(`dropping a message that is not a job (${reason}): ${(error as Error).message}`);
  }
  if (jobId) await failMalformedJob(context, session, jobId, reason);
  settle(() => session.channel.ack(message));
}

/** FAILED with the reason, if Redis holds a live job of that ID; best effort. */
async function failMalformedJob(context: DeliveryContext, session: Session, jobId: string, reason: string): Promise<void> {
  const write = (): Promise<WriteReply> => context.status.rejectMalformed(jobId, context.workerId, `not a job: ${reason}`);
  await persist(context, session, write).catch(() => undefined);
}
