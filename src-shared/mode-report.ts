import { z } from 'zod';

/** The environment types a connection profile has. */
export const PROFILE_ENVIRONMENTS = ['development', 'staging', 'production'] as const;

/**
 * `GET /api/v1/mode`: the active connection profile and whether changing verbs are refused now
 * (the production guardrails; README "Production guardrails").
 */
export const modeReportSchema = z.object({
  /** The active profile's id (`environment` for the one the environment variables make). */
  id: z.string(),
  name: z.string(),
  environment: z.enum(PROFILE_ENVIRONMENTS),
  /** The profile's colour (`#rrggbb`), null for none. */
  color: z.string().nullable(),
  /** True while every changing verb is refused (403 `read-only-mode`). */
  read_only: z.boolean(),
  /** Why it is read-only, in words; null when writable. */
  reason: z.string().nullable(),
});
export type ModeReport = z.output<typeof modeReportSchema>;

/**
 * `confirm` of a destructive verb: on a writable production profile it must name the target
 * (see confirm-targets in src-main/guardrails); optional and ignored elsewhere.
 */
export const confirmSchema = z.string().max(2000).optional();

/** `POST /api/v1/queues/:kind/purge` body (optional): `confirm`, the kind's name on production. */
export const purgeQueueBodySchema = z.strictObject({ confirm: confirmSchema });

/** `DELETE` of a subscription or a schedule: `confirm` as a query parameter (or in a JSON body). */
export const confirmQuerySchema = z.object({ confirm: confirmSchema });
