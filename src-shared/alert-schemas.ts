import { z } from 'zod';
import { timeSchema } from './job';
import type { KindNames } from './kinds';
import type { FieldError } from './problem';
import { kindSchemaOf } from './schemas';

/**
 * What a rule watches. `failure_rate`: FAILED / finished (DONE + FAILED) of a kind in the
 * history over the window, a fraction 0–1. `backlog`: jobs ready in a kind's queue (every kind's
 * largest without `kind`). `drain_time`: seconds to drain the queue at the window's completion
 * rate. `no_consumers`: jobs ready (more than the threshold) while the queue has no consumer.
 * `crash_loop`: most restarts of one supervised worker slot in the window. `dead_letters_growing`:
 * how much a dead-letter queue grew over the window. `webhook_failing`: most failed attempts of
 * one subscription's deliveries in the window since its last success. `dependency_down`:
 * dependencies the health report says are down.
 */
export const ALERT_TYPES = ['failure_rate', 'backlog', 'drain_time', 'no_consumers', 'crash_loop', 'dead_letters_growing', 'webhook_failing', 'dependency_down'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

/** Types that need a kind, and types that take none (the rest take one optionally: all kinds when absent). */
const KIND_REQUIRED: readonly AlertType[] = ['failure_rate'];
const KIND_REFUSED: readonly AlertType[] = ['crash_loop', 'webhook_failing', 'dependency_down'];
/** The window when a rule gives none. */
export const DEFAULT_ALERT_WINDOW_S = 300;
export const ALERT_NAME_MAX = 80;

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).max(2048);

function fieldsOf(kinds: KindNames) {
  return {
    /** 1–80 characters, shown in the list, the notification and the webhook. */
    name: z.string().trim().min(1).max(ALERT_NAME_MAX),
    type: z.enum(ALERT_TYPES),
    /** The kind watched (name or built-in letter); see {@link ALERT_TYPES} for which types take one. */
    kind: kindSchemaOf(kinds).nullable(),
    /** The value the rule fires above (strictly greater); a fraction 0–1 for `failure_rate`. */
    threshold: z.number().min(0).max(1e12),
    /** Seconds looked back (1 s to 7 days; 300 when absent). */
    window_s: z.number().int().min(1).max(7 * 86_400),
    /** Where a signed POST goes on fire and on resolve; null for none. */
    webhook_url: httpUrl.nullable(),
    /** A disabled rule is not evaluated; disabling a firing rule resolves it. */
    enabled: z.boolean(),
  };
}

/** `POST /api/v1/alerts` body. */
export function createAlertSchemaOf(kinds: KindNames) {
  const f = fieldsOf(kinds);
  return z.strictObject({
    name: f.name,
    type: f.type,
    kind: f.kind.optional(),
    threshold: f.threshold,
    window_s: f.window_s.optional(),
    webhook_url: f.webhook_url.optional(),
    enabled: f.enabled.default(true),
  });
}
export type CreateAlert = z.output<ReturnType<typeof createAlertSchemaOf>>;

/** `PATCH /api/v1/alerts/:id` body: any of the fields, checked again with the rule's others. */
export function updateAlertSchemaOf(kinds: KindNames) {
  return z.strictObject(fieldsOf(kinds)).partial();
}
export type UpdateAlert = z.output<ReturnType<typeof updateAlertSchemaOf>>;

/** A rule's definition, every field present. */
export interface AlertDefinition {
  name: string;
  type: AlertType;
  kind: string | null;
  threshold: number;
  window_s: number;
  webhook_url: string | null;
  enabled: boolean;
}

/** The rules across fields: which types take a kind, and a fraction's bound. */
export function alertDefinitionErrors(rule: AlertDefinition): FieldError[] {
  const errors: FieldError[] = [];
  if (KIND_REQUIRED.includes(rule.type) && !rule.kind) {
    errors.push({ field: 'kind', rule: 'required', message: `kind is required for a ${rule.type} rule` });
  }
  if (KIND_REFUSED.includes(rule.type) && rule.kind) {
    errors.push({ field: 'kind', rule: 'unexpected', message: `kind must be absent for a ${rule.type} rule (it watches every kind)` });
  }
  if (rule.type === 'failure_rate' && rule.threshold > 1) {
    errors.push({ field: 'threshold', rule: 'max', message: 'threshold must be at most 1 for a failure_rate rule (a fraction of finished jobs)' });
  }
  return errors;
}

/** Whether a rule is firing now (`ok` also while it is disabled). */
export const alertStateSchema = z.enum(['ok', 'firing']);

/** A rule as the API shows it: its definition and its state. Its webhook secret only in the `201` of its creation. */
export const alertRuleSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(ALERT_TYPES),
  kind: z.string().nullable(),
  threshold: z.number(),
  window_s: z.number().int(),
  webhook_url: z.string().nullable(),
  enabled: z.boolean(),
  state: alertStateSchema,
  /** When the open episode fired; null while `ok`. */
  firing_since: timeSchema.nullable(),
  /** The value at the last evaluation (null before the first, or when it could not be measured; `drain_time` with no completion is null too). */
  value: z.number().nullable(),
  /** When the rule was last evaluated. */
  evaluated_at: timeSchema.nullable(),
  created_at: timeSchema,
  updated_at: timeSchema,
});
export type AlertRule = z.infer<typeof alertRuleSchema>;

/** The `201` of `POST /api/v1/alerts`: the rule and the secret its webhook POSTs are signed with, shown this once. */
export const createdAlertRuleSchema = alertRuleSchema.extend({ webhook_secret: z.string() });

/** One episode of a rule: when it fired, the value that crossed, and when it resolved. */
export const alertEventSchema = z.object({
  id: z.string(),
  rule_id: z.string(),
  fired_at: timeSchema,
  /** Null while the episode is open (the rule is firing). */
  resolved_at: timeSchema.nullable(),
  /** The value that crossed the threshold (null: `drain_time` with no job finishing). */
  value: z.number().nullable(),
  /** What crossed, in a sentence. */
  message: z.string(),
  /** Why it resolved, in a sentence; null while open. */
  resolved_message: z.string().nullable(),
});
export type AlertEvent = z.infer<typeof alertEventSchema>;

/**
 * What the `<ns>:alerts` channel, `GET /api/v1/alerts/stream` (event `alert`) and a rule's
 * webhook (`data`, with `type` `alert.fired` or `alert.resolved`) carry on a fire or a resolve.
 */
export const alertNoticeSchema = z.object({
  type: z.enum(['alert.fired', 'alert.resolved']),
  rule: alertRuleSchema.pick({ id: true, name: true, type: true, kind: true, threshold: true }),
  event: alertEventSchema,
});
export type AlertNotice = z.infer<typeof alertNoticeSchema>;
