import { z } from 'zod';
import { timeSchema } from './job';
import { BATCH_KIND, type KindNames } from './kinds';
import { kindSchemaOf } from './schemas';
import { JOB_STATUSES } from './statuses';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).max(2048);

/** A Standard Webhooks secret: `whsec_` and base64 of 24 to 64 bytes. */
export const WEBHOOK_SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;

/** Which events a subscription receives; each absent list matches all. */
export function subscriptionFilterSchemaOf(kinds: KindNames) {
  return z.strictObject({
    /** Job kinds (names or built-in letters), or `batch` for batch fan-in events. */
    kinds: z
      .array(
        z.union([z.literal(BATCH_KIND), kindSchemaOf(kinds)], {
          error: `must be one of ${kinds.names.join(', ')}, ${BATCH_KIND} (or a built-in kind's letter)`,
        }),
      )
      .min(1)
      .max(kinds.names.length + 1)
      .optional(),
    /** Statuses (`COMPLETED` for batch events). */
    statuses: z
      .array(z.enum([...JOB_STATUSES, 'COMPLETED'], { error: `must be one of ${JOB_STATUSES.join(', ')}, COMPLETED` }))
      .min(1)
      .max(8)
      .optional(),
    /** Only these jobs (or batches). */
    job_ids: z.array(z.string().min(1).max(64)).min(1).max(1000).optional(),
  });
}
export type SubscriptionFilter = z.output<ReturnType<typeof subscriptionFilterSchemaOf>>;

/** `POST /api/v1/subscriptions` body. */
export function createSubscriptionSchemaOf(kinds: KindNames) {
  return z.strictObject({
    /** Where deliveries are POSTed. */
    url: httpUrl,
    events: subscriptionFilterSchemaOf(kinds).default({}),
    /** Signing secret; generated (and returned once) when absent. */
    secret: z.string().regex(WEBHOOK_SECRET_PATTERN, 'must be whsec_ followed by base64 of 24 to 64 bytes').optional(),
  });
}

/** `GET /api/v1/subscriptions/:id/deliveries` and other lists: `limit` and an opaque `cursor`. */
export const listQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

/** A subscription's filter as answers show it: kinds by name (letters were resolved on create). */
const shownFilterSchema = z.object({
  kinds: z.array(z.string()).optional(),
  statuses: z.array(z.enum([...JOB_STATUSES, 'COMPLETED'])).optional(),
  job_ids: z.array(z.string()).optional(),
});

/** A webhook subscription as the API shows it: never its secret, but in the answer that created it. */
export const subscriptionSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: shownFilterSchema,
  created_at: timeSchema,
});

/** The `201` answer of `POST /api/v1/subscriptions`: the subscription and its signing secret, shown this once. */
export const createdSubscriptionSchema = subscriptionSchema.extend({ secret: z.string() });

/** A subscription; `secret` is present only in the `201` answer of `POST /api/v1/subscriptions`. */
export type Subscription = z.infer<typeof subscriptionSchema> & Partial<Pick<z.infer<typeof createdSubscriptionSchema>, 'secret'>>;

/** One try to deliver. */
export const deliveryAttemptSchema = z.object({
  /** RFC 3339 UTC time the attempt started. */
  at: timeSchema,
  /** The receiver's HTTP status; null when no answer came. */
  status_code: z.number().int().nullable(),
  duration_ms: z.number().min(0),
  /** Why it failed (no answer, non-2xx); null on success. */
  error: z.string().nullable(),
});
export type DeliveryAttempt = z.infer<typeof deliveryAttemptSchema>;

/**
 * One event to deliver to one subscription (or one batch's fan-in to its callback). Its `id` is
 * the `webhook-id` header, the same on every attempt and redelivery, so a receiver drops repeats.
 */
export const deliverySchema = z.object({
  id: z.string(),
  subscription_id: z.string().nullable(),
  batch_id: z.string().nullable(),
  /** The job whose event this delivers; null for a batch's event or fan-in. */
  job_id: z.string().nullable(),
  /** Stream ID of the event. */
  event_id: z.string(),
  /** `job.<STATUS>` or `batch.COMPLETED` (the body's `type`). */
  event_type: z.string(),
  url: z.string(),
  /** `pending` (waiting or retrying), `delivered` (a 2xx), `failed` (attempts exhausted). */
  state: z.enum(['pending', 'delivered', 'failed']),
  /** When the next attempt is due, while pending. */
  next_attempt_at: timeSchema.nullable(),
  created_at: timeSchema,
  attempts: z.array(deliveryAttemptSchema),
});
export type Delivery = z.infer<typeof deliverySchema>;

/**
 * The body of a delivery, per Standard Webhooks: `{type, timestamp, data}` where `data` is the
 * event (a JobEvent, a BatchEvent, or a batch's aggregate for its callback). Signed with the
 * headers `webhook-id`, `webhook-timestamp` (Unix seconds), `webhook-signature` (`v1,<base64
 * HMAC-SHA256 of "<id>.<timestamp>.<body>">`).
 */
export interface WebhookBody {
  type: string;
  timestamp: string;
  data: unknown;
}
