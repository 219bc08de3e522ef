import { z } from 'zod';
import { statusCountsSchema } from './batch-schemas';
import { jobKindSchema, jobSchema, jobStatusSchema, timeSchema, type Job } from './job';
import type { JobKind } from './kinds';
import { TERMINAL_STATUSES } from './statuses';

export type { StatusCounts } from './batch-schemas';

/**
 * The event contract: every job transition (and every batch that fans in) is one entry of the
 * Redis stream `<ns>:events`, and every channel — Server-Sent Events (`GET /api/v1/events`,
 * the page's feed in the window and in a browser), WebSocket (`/api/v1/ws`), the AMQP topic
 * exchange `<ns>.events` and webhook subscriptions — carries the same entries with the same ID.
 *
 * Retention: the stream is trimmed to about `JOBDECK_EVENT_STREAM_MAX` entries (default
 * 100 000, `XADD … MAXLEN ~`), and Redis keeps nothing on disk, so a restart of Redis loses it.
 * A client that resumes from an ID the stream no longer holds gets a {@link ResyncEvent}
 * instead of a silent gap, and should reload the state it shows (`GET /api/v1/jobs`).
 */

/** One change of one job. */
export const jobEventSchema = z.object({
  /** Stream ID (`<ms>-<seq>`), ordered: a client resumes after the last one it saw. */
  id: z.string(),
  /** Always `job` (absent in events written before this field existed). */
  type: z.literal('job').optional(),
  job_id: z.string(),
  kind: jobKindSchema,
  status: jobStatusSchema,
  /** Attempts a worker has started so far (the job's `attempts`). */
  attempt: z.number().int().min(0).optional(),
  /** RFC 3339 UTC time of the change (the job's `updated_at`). */
  at: timeSchema.optional(),
  /** Per-job counter: an event with a higher version supersedes a lower one. */
  version: z.number().int().min(0),
  /** What the effect produced; present only on a terminal event (DONE, FAILED, CANCELLED). */
  result: z.record(z.string(), z.unknown()).nullable().optional(),
  /** Why the job failed or was cancelled; present only on a terminal event. */
  error: z.string().nullable().optional(),
  /** The whole job after the change. */
  job: jobSchema,
});
export type JobEvent = Omit<z.infer<typeof jobEventSchema>, 'job'> & { job: Job };

/** A batch's fan-in: emitted exactly once, when its last child reached a terminal status. */
export const batchEventSchema = z.object({
  /** Stream ID, in the same order as the job events. */
  id: z.string(),
  type: z.literal('batch'),
  batch_id: z.string(),
  /** Always `batch`: the routing key on the topic exchange is `batch.COMPLETED`. */
  kind: z.literal('batch'),
  status: z.literal('COMPLETED'),
  /** RFC 3339 UTC time of the fan-in. */
  at: timeSchema,
  /** Children by final status. */
  counts: statusCountsSchema,
  job_ids: z.array(z.string()),
});
export type BatchEvent = z.infer<typeof batchEventSchema>;

/**
 * Marks a gap instead of hiding it: the client asked to resume after an ID the stream no longer
 * holds (trimmed by retention, or lost with a Redis restart). Everything the stream still holds
 * follows it, then live events; the client should reload the state it shows, since what fell in
 * the gap is gone. Carries no stream ID of its own.
 */
export const resyncEventSchema = z.object({
  type: z.literal('resync'),
  /** The ID the client asked to resume after. */
  last_event_id: z.string(),
  /** Oldest ID the stream holds now (the first event that follows), or null when it is empty. */
  oldest_id: z.string().nullable(),
  /** The events that follow are those after this ID: {@link STREAM_START_ID}, all the stream holds. */
  resume_after: z.string(),
  reason: z.enum(['trimmed', 'unknown-id']),
});
export type ResyncEvent = z.infer<typeof resyncEventSchema>;

/** Anything the stream carries. */
export type StreamEvent = JobEvent | BatchEvent;

/** Filters a client may set on SSE, WebSocket and webhook subscriptions; each absent one matches all. */
export interface EventFilter {
  job_id?: string;
  kind?: JobKind | 'batch';
  status?: string;
}

export function matchesFilter(filter: EventFilter, event: StreamEvent): boolean {
  const jobId = event.type === 'batch' ? event.batch_id : event.job_id;
  return (
    (!filter.job_id || filter.job_id === jobId) &&
    (!filter.kind || filter.kind === event.kind) &&
    (!filter.status || filter.status === event.status)
  );
}

/**
 * Routing key of an event on the topic exchange `<ns>.events`: `<kind>.<status>` with the
 * status's space replaced by `_` (`log.IN_PROGRESS`, `callback.DONE`, `batch.COMPLETED`), so
 * `log.*`, `*.FAILED` or `#` can be bound.
 */
export function routingKeyOf(event: StreamEvent): string {
  return `${event.kind}.${event.status.replace(/ /g, '_')}`;
}

function fieldMap(fields: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i]!, fields[i + 1]!);
  return map;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A job event from a job snapshot at a version. */
export function jobEventOf(id: string, job: Job, version: number): JobEvent {
  const terminal = TERMINAL_STATUSES.has(job.status);
  return {
    id,
    type: 'job',
    job_id: job.id,
    kind: job.kind,
    status: job.status,
    attempt: job.attempts,
    at: job.updated_at,
    version,
    ...(terminal ? { result: job.result ?? null, error: job.error ?? null } : {}),
    job,
  };
}

/**
 * Turns the flat field list of a stream entry into a job event; undefined if it is not one (a
 * batch or foreign entry, bad JSON, or an entry trimmed away while pending, which Redis returns as nil).
 */
export function parseStreamEntry(id: string, fields: readonly string[] | null): JobEvent | undefined {
  if (!fields) return undefined;
  return jobEventOfFields(id, fieldMap(fields));
}

function jobEventOfFields(id: string, map: Map<string, string>): JobEvent | undefined {
  const job = parseJson(map.get('job')) as Job | undefined;
  if (typeof job !== 'object' || job === null || typeof job.id !== 'string') return undefined;
  return jobEventOf(id, job, Number(map.get('version') ?? 0));
}

/** Stream fields of a batch event (everything but the ID, which Redis gives). */
export function batchEventFields(event: Omit<BatchEvent, 'id'>): string[] {
  return ['batch', JSON.stringify(event)];
}

/** Any stream entry: a job event, a batch event, or undefined for anything else. */
export function parseStreamRecord(id: string, fields: readonly string[] | null): StreamEvent | undefined {
  if (!fields) return undefined;
  const map = fieldMap(fields);
  // Job events carry no `batch` field: parsing the missing field would throw, and a throw per
  // event was the consumers' biggest cost.
  if (!map.has('batch')) return jobEventOfFields(id, map);
  const batch = parseJson(map.get('batch')) as Omit<BatchEvent, 'id'> | undefined;
  if (typeof batch === 'object' && batch !== null && batch.type === 'batch' && typeof batch.batch_id === 'string') {
    return { ...batch, id };
  }
  return jobEventOfFields(id, map);
}

/** Orders two stream IDs (`<ms>-<seq>`): negative if `a` came first. */
export function compareEventIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
}

export const EVENT_ID_PATTERN = /^\d{1,20}-\d{1,20}$/;

/** The ID that means "everything the stream still holds", with no resync. */
export const STREAM_START_ID = '0-0';
