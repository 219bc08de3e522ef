import { z } from 'zod';
import { JOB_KINDS } from './kinds';
import { kindSchema } from './schemas';
import { JOB_STATUSES } from './statuses';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).max(2048);

/** A Standard Webhooks secret: `whsec_` and base64 of 24 to 64 bytes. */
export const WEBHOOK_SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;

/** Which events a subscription receives; each absent list matches all. */
export const subscriptionFilterSchema = z.strictObject({
  /** Job kinds (names or letters), or `batch` for batch fan-in events. */
  kinds: z
    .array(z.union([z.literal('batch'), kindSchema], { error: `must be one of ${JOB_KINDS.join(', ')}, batch (or A, B, C)` }))
    .min(1)
    .max(4)
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
export type SubscriptionFilter = z.output<typeof subscriptionFilterSchema>;

/** `POST /api/v1/subscriptions` body. */
export const createSubscriptionSchema = z.strictObject({
  /** Where deliveries are POSTed. */
  url: httpUrl,
  events: subscriptionFilterSchema.default({}),
  /** Signing secret; generated (and returned once) when absent. */
  secret: z.string().regex(WEBHOOK_SECRET_PATTERN, 'must be whsec_ followed by base64 of 24 to 64 bytes').optional(),
});

/** `GET /api/v1/subscriptions/:id/deliveries` and other lists: `limit` and an opaque `cursor`. */
export const listQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

/** A webhook subscription as the API shows it (the secret only in the answer that created it). */
export interface Subscription {
  id: string;
  url: string;
  events: SubscriptionFilter;
  created_at: string;
  /** Present only in the `201` answer of `POST /api/v1/subscriptions`. */
  secret?: string;
}

/** One try to deliver. */
export interface DeliveryAttempt {
  /** RFC 3339 UTC time the attempt started. */
  at: string;
  /** The receiver's HTTP status; null when no answer came. */
  status_code: number | null;
  duration_ms: number;
  /** Why it failed (no answer, non-2xx); null on success. */
  error: string | null;
}

/**
 * One event to deliver to one subscription (or one batch's fan-in to its callback). Its `id` is
 * the `webhook-id` header, the same on every attempt and redelivery, so a receiver drops repeats.
 */
export interface Delivery {
  id: string;
  subscription_id: string | null;
  batch_id: string | null;
  /** Stream ID of the event. */
  event_id: string;
  /** `job.<STATUS>` or `batch.COMPLETED` (the body's `type`). */
  event_type: string;
  url: string;
  /** `pending` (waiting or retrying), `delivered` (a 2xx), `failed` (attempts exhausted). */
  state: 'pending' | 'delivered' | 'failed';
  /** When the next attempt is due, while pending. */
  next_attempt_at: string | null;
  created_at: string;
  attempts: DeliveryAttempt[];
}

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
