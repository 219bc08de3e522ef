import { JOB_KINDS, KIND_LETTER, parseKind, type JobKind, type JobLetter } from './kinds';
import type { ResolvedPayload } from './schemas';

export const JOB_MESSAGE_VERSION = 1;

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
  /**
   * Which attempt this message is for (1 for the first; a retry's copy carries the next). Lets a
   * worker tell a stale copy from the live one. Absent in messages of earlier versions: such a
   * message is run unless its job is terminal.
   */
  attempt?: number;
  /**
   * The job's limit of attempts, so a worker that finds the job gone from Redis (expired, or
   * Redis restarted empty) rebuilds it with its own limit and the attempts already made.
   */
  max_attempts?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/**
 * What a job message's resolved payload lacks that its kind's handler needs, or null. The console
 * fills in every default before publishing; a message from another publisher may not.
 */
export function payloadError(kind: JobKind, payload: Record<string, unknown>): string | null {
  switch (kind) {
    case 'log':
      return isText(payload.client_time) && !Number.isNaN(Date.parse(payload.client_time))
        ? null
        : 'extra_data.client_time must be an RFC 3339 time';
    case 'callback':
      if (!isText(payload.callback_url)) return 'extra_data.callback_url must be an http or https URL';
      return typeof payload.duration_ms === 'number' && payload.duration_ms >= 0 ? null : 'extra_data.duration_ms must be a number of milliseconds';
    case 'email':
      return isText(payload.email_address) ? null : 'extra_data.email_address must name a recipient';
  }
}

/**
 * Parses a message body, or says in one line why it is not a job this version understands.
 * Checks every field a worker relies on, so a malformed message never reaches the status store.
 */
export function parseJobMessage(body: string): JobMessage | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { error: 'body is not JSON' };
  }
  if (!isRecord(value)) return { error: 'body is not a JSON object' };
  if (value.v !== JOB_MESSAGE_VERSION) return { error: `unsupported version ${String(value.v)}` };
  if (typeof value.uuid !== 'string' || !UUID_PATTERN.test(value.uuid)) return { error: 'uuid must be a UUID' };
  const kind = typeof value.kind === 'string' ? parseKind(value.kind) : undefined;
  if (!kind || kind !== value.kind) return { error: `kind must be one of ${JOB_KINDS.join(', ')}` };
  if (value.type !== KIND_LETTER[kind]) return { error: `type must be ${KIND_LETTER[kind]} for kind ${kind}` };
  if (typeof value.created_at !== 'string' || Number.isNaN(Date.parse(value.created_at))) {
    return { error: 'created_at must be an RFC 3339 time' };
  }
  if (!isRecord(value.extra_data)) return { error: 'extra_data must be an object' };
  if (value.attempt !== undefined && !(Number.isInteger(value.attempt) && (value.attempt as number) >= 1)) {
    return { error: 'attempt must be a whole number from 1' };
  }
  if (value.max_attempts !== undefined && !(Number.isInteger(value.max_attempts) && (value.max_attempts as number) >= 1)) {
    return { error: 'max_attempts must be a whole number from 1' };
  }
  return value as unknown as JobMessage;
}
