import { kindType } from './builtin-kinds';
import type { KindRegistry } from './kind-registry';
import type { JobKind } from './kinds';
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
  /** The book's letter of a built-in kind, else the kind's name. */
  type: string;
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
  /** Where the job came from, so a job Redis lost is rebuilt with it (see the job's fields of these names). */
  replay_of?: string;
  schedule_id?: string;
  run_at?: string;
}

const ORIGIN_FIELDS = ['replay_of', 'schedule_id', 'run_at'] as const;
/** Where a job came from: a replay of another job, a schedule's run, a start time asked for. */
export type JobOrigin = { [field in (typeof ORIGIN_FIELDS)[number]]?: string };

/** The origin fields `source` holds (a job, a message), leaving out those it has not. */
export function originOf(source: { [field in (typeof ORIGIN_FIELDS)[number]]?: string | null }): JobOrigin {
  const origin: JobOrigin = {};
  for (const field of ORIGIN_FIELDS) {
    const value = source[field];
    if (typeof value === 'string') origin[field] = value;
  }
  return origin;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses a message body, or says in one line why it is not a job this version understands.
 * Checks every field a worker relies on, so a malformed message never reaches the status store.
 */
export function parseJobMessage(body: string, kinds: KindRegistry): JobMessage | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { error: 'body is not JSON' };
  }
  if (!isRecord(value)) return { error: 'body is not a JSON object' };
  if (value.v !== JOB_MESSAGE_VERSION) return { error: `unsupported version ${String(value.v)}` };
  if (typeof value.uuid !== 'string' || !UUID_PATTERN.test(value.uuid)) return { error: 'uuid must be a UUID' };
  const kind = typeof value.kind === 'string' ? kinds.get(value.kind)?.definition.name : undefined;
  if (!kind) return { error: `kind must be one of ${kinds.names.join(', ')}` };
  if (value.type !== kindType(kind)) return { error: `type must be ${kindType(kind)} for kind ${kind}` };
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
  for (const field of ORIGIN_FIELDS) {
    if (value[field] !== undefined && typeof value[field] !== 'string') return { error: `${field} must be a string` };
  }
  return value as unknown as JobMessage;
}
