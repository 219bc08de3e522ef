import type pg from 'pg';
import type { RecordQuota } from '../config';
import { RecordLog, type Logged } from '../database/record-log';
import { PREVIEW_CHARS } from '../inbox/webhook-inbox';

interface MailRow {
  id: string;
  received_at: Date;
  envelope_from: string | null;
  envelope_to: string[];
  message_id: string | null;
  subject: string | null;
  headers: Record<string, string>;
  text_body: string | null;
  html_body: string | null;
  /** Bytes of the raw message. */
  size: number;
}

type MailSummaryRow = Omit<MailRow, 'headers' | 'text_body' | 'html_body'> & { preview: string | null };

/** One message the embedded mail sink received. */
export type MailRecord = Logged<MailRow>;
/** A message as the mailbox lists it: envelope and subject, no headers, no bodies, the text's first characters. */
export type MailSummary = Logged<MailSummaryRow>;
export type NewMail = Omit<MailRecord, 'id' | 'received_at'>;

/** The mailbox in PostgreSQL: kept across restarts, within its quota and retention. */
export class MailboxStore extends RecordLog<MailRow, MailSummaryRow> {
  constructor(pool: pg.Pool, schema: string, quota: Pick<RecordQuota, 'maxItems' | 'maxBytes'>, onError?: (error: Error) => void) {
    const name = `"${schema}".mailbox`;
    const summaryColumns = `id, received_at, envelope_from, envelope_to, message_id, subject, size,
      substr(text_body, 1, ${PREVIEW_CHARS}) AS preview`;
    super(pool, { name, summaryColumns, sizeColumn: 'size' }, quota, onError);
  }

  add(mail: NewMail): Promise<MailRecord> {
    return this.insert({ ...mail, headers: JSON.stringify(mail.headers) });
  }
}
