import { z } from 'zod';
import { toRfc3339 } from './time';

/**
 * Farthest ahead a job may be scheduled (`run_at`, `delay_ms`): 365 days. A wait longer than a
 * year is a calendar's job (a recurring schedule), and a bound keeps a typo (a year 2206) out.
 */
export const SCHEDULE_HORIZON_MS = 365 * 24 * 60 * 60_000;
const HORIZON_TEXT = '365 days';

/** `run_at`: an RFC 3339 time with its offset (`Z` or `+02:00`), any fraction of a second. */
export const runAtSchema = z.iso.datetime({ offset: true, error: 'must be an RFC 3339 time with an offset, e.g. 2026-12-07T18:00:00Z' });
/** `delay_ms`: whole milliseconds from the submit, 0 (at once) to the horizon. */
export const delayMsSchema = z.number().int().min(0).max(SCHEDULE_HORIZON_MS);

/** The fields of a job's start time, as a submit body holds them (both optional, never both). */
export interface StartFields {
  run_at?: string;
  delay_ms?: number;
}

/** The start-time rules zod's field schemas cannot say: not both fields, and `run_at` within the horizon of `now`. */
export function checkStartFields(body: StartFields, ctx: z.RefinementCtx, now = Date.now()): void {
  if (body.run_at !== undefined && body.delay_ms !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['delay_ms'], message: 'cannot be given with run_at: give one of run_at or delay_ms', params: { rule: 'exclusive' } });
    return;
  }
  // The refinement runs on a body whose run_at broke its format too: that rule said it already.
  const runAt = runAtSchema.safeParse(body.run_at);
  if (runAt.success && Date.parse(runAt.data) - now > SCHEDULE_HORIZON_MS) {
    ctx.addIssue({ code: 'custom', path: ['run_at'], message: `must be at most ${HORIZON_TEXT} ahead (the scheduling horizon)`, params: { rule: 'max' } });
  }
}

/**
 * When a job asked to start, as RFC 3339 UTC with milliseconds, if that is still ahead of `now`
 * (the job waits SCHEDULED until then); undefined when it runs at once (no start asked, a
 * `run_at` in the past or now, `delay_ms` 0).
 */
export function startTimeOf(body: StartFields, now = Date.now()): string | undefined {
  const at = body.run_at !== undefined ? Date.parse(body.run_at) : body.delay_ms !== undefined ? now + body.delay_ms : undefined;
  return at !== undefined && at > now ? toRfc3339(at) : undefined;
}
