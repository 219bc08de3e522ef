import { z } from 'zod';
import { pageSchema, timeSchema } from './job';

/** What became of an audited request: `ok` below 400, `refused` a 4xx, `error` a 5xx. */
export const AUDIT_OUTCOMES = ['ok', 'refused', 'error'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export function outcomeOf(status: number): AuditOutcome {
  return status < 400 ? 'ok' : status < 500 ? 'refused' : 'error';
}

/** One changing action through the API, as `GET /api/v1/audit` lists it. */
export const auditEntrySchema = z.object({
  id: z.string(),
  at: timeSchema,
  /** The token's name, `window` for the Electron window's launch token, `local` for a loopback call without one. */
  actor: z.string(),
  /** The role the actor had: `read` or `write`; `none` for a request refused for want of a valid token (actor `anonymous`). */
  role: z.string(),
  /** What was done, from the route: `jobs.submit`, `queues.purge`, `subscriptions.delete`, … */
  verb: z.string(),
  /** What it was done to: the route's parameters (`:id`, `:kind`), or the ID the answer created; null when neither. */
  target: z.string().nullable(),
  /** The route as `METHOD /pattern`: `POST /api/v1/jobs/:id/cancel`. */
  route: z.string(),
  /** The body (or a book route's query) with secrets replaced by `***` and long values cut; null without one. */
  params: z.unknown(),
  result: z.object({
    status: z.number().int(),
    outcome: z.enum(AUDIT_OUTCOMES),
    /** A refused or failed request's problem title and detail. */
    title: z.string().nullable(),
    detail: z.string().nullable(),
  }),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export const auditPageSchema = pageSchema(auditEntrySchema);
export type AuditPage = z.infer<typeof auditPageSchema>;

/** `GET /api/v1/audit`: a search (see audit-query.ts), `limit` and an opaque `cursor`. */
export const auditQuerySchema = z.strictObject({
  q: z.string().max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});
