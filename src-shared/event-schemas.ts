import { z } from 'zod';
import { EVENT_ID_PATTERN, batchEventSchema, jobEventSchema, resyncEventSchema } from './events';
import { BATCH_KIND, type KindNames } from './kinds';
import { fieldErrorSchema } from './problem';
import { kindSchemaOf } from './schemas';
import { JOB_STATUSES } from './statuses';

const EVENT_ID_RULE = 'must be an event ID such as 1700000000000-0';
/** Both parts of a Redis stream ID are unsigned 64-bit numbers: a larger one is refused here, not by Redis. */
const MAX_ID_PART = 2n ** 64n - 1n;
const eventIdSchema = z
  .string()
  .regex(EVENT_ID_PATTERN, EVENT_ID_RULE)
  .refine((id) => !EVENT_ID_PATTERN.test(id) || id.split('-').every((part) => BigInt(part) <= MAX_ID_PART), {
    error: EVENT_ID_RULE,
    params: { rule: 'format' },
  });

/** Filters of an event feed (SSE query, WebSocket subscribe message); each absent one matches all. */
export function eventFilterSchemaOf(kinds: KindNames) {
  return z.object({
    /** Only this job's (or batch's) events. */
    job_id: z.string().max(64).optional(),
    /** Only this kind (by name, or a built-in kind's letter), or `batch` for batch events. */
    kind: z
      .union([z.literal(BATCH_KIND), kindSchemaOf(kinds)], { error: `must be one of ${kinds.names.join(', ')}, ${BATCH_KIND} (or a built-in kind's letter)` })
      .optional(),
    /** Only this status (`COMPLETED` for batch events). */
    status: z.enum([...JOB_STATUSES, 'COMPLETED'], { error: `must be one of ${JOB_STATUSES.join(', ')}, COMPLETED` }).optional(),
  });
}

/** `GET /api/v1/events` and `GET /api/v1/ws` query: filters, and where to resume. */
export function eventsQuerySchemaOf(kinds: KindNames) {
  return eventFilterSchemaOf(kinds).extend({
    /** Resume after this event ID (the `Last-Event-ID` header wins); `0-0` replays all the stream holds. */
    last_event_id: eventIdSchema.optional(),
  });
}

/**
 * WebSocket messages from the client (JSON text frames). A connection whose URL carries a query
 * (filters, `last_event_id`) or a `Last-Event-ID` header starts following at once; a bare
 * `/api/v1/ws` waits for the first subscribe.
 * - `{"type":"subscribe","filter":{...},"last_event_id"?:"..."}` sets the filter (replacing the
 *   query's); with `last_event_id`, the feed restarts from it (replay, or a resync message).
 * - `{"type":"unsubscribe"}` stops events until the next subscribe.
 */
export function wsClientMessageSchemaOf(kinds: KindNames) {
  return z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('subscribe'),
      filter: eventFilterSchemaOf(kinds).default({}),
      last_event_id: eventIdSchema.optional(),
    }),
    z.strictObject({ type: z.literal('unsubscribe') }),
  ]);
}
export type WsClientMessage = z.output<ReturnType<typeof wsClientMessageSchemaOf>>;

/**
 * WebSocket messages from the server (JSON text frames):
 * - `{"type":"event","event":JobEvent|BatchEvent}` — one event; resume from `event.id`.
 * - `{"type":"resync","resync":ResyncEvent}` — the requested ID is gone; reload state.
 * - `{"type":"subscribed","filter":{...}}` / `{"type":"unsubscribed"}` — acknowledgements.
 * - `{"type":"error","errors":[{field,rule,message}]}` — a message that was not understood.
 * The server closes with code 4008 when the client fell too far behind (resume by ID).
 */
export const wsServerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('event'), event: z.union([jobEventSchema, batchEventSchema]) }),
  z.object({ type: z.literal('resync'), resync: resyncEventSchema }),
  z.object({
    type: z.literal('subscribed'),
    /** The filter as parsed: kinds by name. */
    filter: z.object({
      job_id: z.string().optional(),
      kind: z.string().optional(),
      status: z.enum([...JOB_STATUSES, 'COMPLETED']).optional(),
    }),
  }),
  z.object({ type: z.literal('unsubscribed') }),
  z.object({ type: z.literal('error'), errors: z.array(fieldErrorSchema) }),
]);
export type WsServerMessage = z.infer<typeof wsServerMessageSchema>;

/** WebSocket close code for a client that fell too far behind. */
export const WS_CLOSE_TOO_SLOW = 4008;
/** WebSocket close code for a connection whose token was revoked while it was open (HTTP 401's twin). */
export const WS_CLOSE_TOKEN_REVOKED = 4401;
