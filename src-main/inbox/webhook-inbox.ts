import type pg from 'pg';
import { RecordLog, type Logged } from '../database/record-log';

interface InboxRow {
  id: string;
  received_at: Date;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  content_type: string | null;
  body: string;
}

/** One request the webhook inbox received. */
export type InboxRecord = Logged<InboxRow>;
export type NewInboxRecord = Omit<InboxRecord, 'id' | 'received_at'>;

/** The default callback target's record of every request, in PostgreSQL within a retention. */
export class WebhookInbox extends RecordLog<InboxRow> {
  constructor(pool: pg.Pool, schema: string) {
    super(pool, `"${schema}".inbox`);
  }

  add(record: NewInboxRecord): Promise<InboxRecord> {
    return this.insert({ ...record, headers: JSON.stringify(record.headers) });
  }
}
