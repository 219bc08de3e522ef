/**
 * The jobs and batches a received record names, so its view can link to them: a kind B
 * callback's body (`uuid`), a webhook delivery's body (`data.job_id`, `data.batch_id`, or a
 * batch callback's `data.id`), a message a kind C job sent (its Message-ID is `<job id@…>`).
 */
import type { MailRecord, MailSummary, WebhookRecord } from '../../src-shared/console-records';
import type { Entity } from './route';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const uuidIn = (value: unknown): string | null => (typeof value === 'string' && UUID.test(value) ? value : null);

function jsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The job and batch a webhook's JSON body names, each once. */
export function entitiesOfWebhook(record: Pick<WebhookRecord, 'body'>): Entity[] {
  const body = record.body.startsWith('base64:') ? null : jsonObject(record.body);
  if (!body) return [];
  const data = typeof body.data === 'object' && body.data !== null ? (body.data as Record<string, unknown>) : {};
  const isBatch = typeof body.type === 'string' && body.type.startsWith('batch.');
  const jobId = uuidIn(body.uuid) ?? uuidIn(data.job_id);
  const batchId = uuidIn(data.batch_id) ?? (isBatch ? uuidIn(data.id) : null);
  return [...(jobId ? [{ kind: 'job', id: jobId } as const] : []), ...(batchId ? [{ kind: 'batch', id: batchId } as const] : [])];
}

/** The job that sent a message: from its Message-ID, else its `X-Jobdeck-Job` header once read whole. */
export function jobIdOfMail(mail: Pick<MailSummary, 'message_id'> & Partial<Pick<MailRecord, 'headers'>>): string | null {
  const fromMessageId = /^<([^@>]+)@jobdeck\.local>$/.exec(mail.message_id ?? '')?.[1];
  return uuidIn(fromMessageId) ?? uuidIn(mail.headers?.['x-jobdeck-job']);
}
