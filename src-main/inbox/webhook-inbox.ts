import type pg from 'pg';
import type { RecordQuota } from '../config';
import { RecordLog, type Logged } from '../database/record-log';

interface InboxRow {
  id: string;
  received_at: Date;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  content_type: string | null;
  body: string;
  /** Bytes of the body received (null in rows older than the column: their stored body's length). */
  size: number | null;
}

interface InboxSummaryRow {
  id: string;
  received_at: Date;
  method: string;
  path: string;
  content_type: string | null;
  size: number;
  preview: string | null;
}

/** One request the webhook inbox received. */
export type InboxRecord = Logged<InboxRow>;
/** A request as the inbox lists it: no headers, no body, its first characters when it is text. */
export type InboxSummary = Logged<InboxSummaryRow>;
export type NewInboxRecord = Omit<InboxRecord, 'id' | 'received_at'> & { size: number };

/** Characters of a text body a list item shows. */
export const PREVIEW_CHARS = 120;
const SIZE = 'coalesce(size, octet_length(body))';
// substr (not left or LIKE) reads only the first chunks of a large body that PostgreSQL stored apart.

/** The default callback target's record of every request, in PostgreSQL within its quota and retention. */
export class WebhookInbox extends RecordLog<InboxRow, InboxSummaryRow> {
  constructor(pool: pg.Pool, schema: string, quota: Pick<RecordQuota, 'maxItems' | 'maxBytes'>, onError?: (error: Error) => void) {
    const name = `"${schema}".inbox`;
    const summaryColumns = `id, received_at, method, path, content_type, ${SIZE} AS size,
      CASE WHEN substr(body, 1, 7) = 'base64:' THEN NULL ELSE substr(body, 1, ${PREVIEW_CHARS}) END AS preview`;
    super(pool, { name, summaryColumns, sizeColumn: SIZE }, quota, onError);
  }

  add(record: NewInboxRecord): Promise<InboxRecord> {
    return this.insert({ ...record, headers: JSON.stringify(record.headers) });
  }
}
