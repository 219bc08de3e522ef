import type pg from 'pg';
import { RecordLog, type Logged } from '../database/record-log';

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

/** One message the embedded mail sink received. */
export type MailRecord = Logged<MailRow>;
export type NewMail = Omit<MailRecord, 'id' | 'received_at'>;

/** The mailbox in PostgreSQL: kept across restarts, within a retention. */
export class MailboxStore extends RecordLog<MailRow> {
  constructor(pool: pg.Pool, schema: string) {
    super(pool, `"${schema}".mailbox`);
  }

  add(mail: NewMail): Promise<MailRecord> {
    return this.insert({ ...mail, headers: JSON.stringify(mail.headers) });
  }
}
