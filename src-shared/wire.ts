import type { JobKind, JobLetter } from './kinds';
import type { ResolvedPayload } from './schemas';

export const JOB_MESSAGE_VERSION = 1;

/**
 * The AMQP message body of a job (JSON, persistent, `message_id` = `uuid`). Keeps the book's
 * field names and adds what Jobdeck needs; a consumer ignores fields it does not know.
 */
export interface JobMessage {
  /** Wire format version; 1. */
  v: typeof JOB_MESSAGE_VERSION;
  /** Job ID (the book's name). */
  uuid: string;
  /** The book's letter for the kind. */
  type: JobLetter;
  /** The resolved payload (the book's name). */
  extra_data: ResolvedPayload;
  kind: JobKind;
  /** RFC 3339 UTC time the job was accepted. */
  created_at: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses a message body, or says in one line why it is not a job this version understands. */
export function parseJobMessage(body: string): JobMessage | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { error: 'body is not JSON' };
  }
  if (!isRecord(value)) return { error: 'body is not a JSON object' };
  if (value.v !== JOB_MESSAGE_VERSION) return { error: `unsupported version ${String(value.v)}` };
  if (typeof value.uuid !== 'string' || typeof value.kind !== 'string') {
    return { error: 'uuid and kind are required' };
  }
  if (!isRecord(value.extra_data)) return { error: 'extra_data must be an object' };
  return value as unknown as JobMessage;
}
