import { dueTimeBefore, dueTimesAfter } from '../../src-shared/cron';
import type { MissedPolicy } from '../../src-shared/schedule-schemas';

/** Most on-time due times one pass fires for one schedule (a console far behind catches up over several passes). */
export const MAX_FIRES_PER_PASS = 50;

/**
 * How long before this console started a due time still counts as on time: another console may
 * be running late on it (a slow pass, a timer late, at most its longest sleep). Only older due
 * times passed while nothing ran them; those within are fired, and the claim fires them once.
 */
export const START_GRACE_MS = 30_000;

/** What the scheduler looks at to decide a schedule's runs now. */
export interface FiringInput {
  cron: string;
  time_zone: string;
  missed: MissedPolicy;
  /** Every due time up to this one was handled already. */
  fired_through: Date;
}

/** The due times to fire now, oldest first, and how far the schedule is handled once they are. */
export interface FiringPlan {
  fire: Date[];
  /** The new `fired_through` (unchanged when nothing is due). */
  through: Date;
  /** The first and last due times that passed while nothing ran, when some did. */
  missed: { first: Date; last: Date } | null;
}

/**
 * Which due times in (fired_through, now] fire. Those more than {@link START_GRACE_MS} before
 * `startedAt` (when this console's scheduler started) passed while nothing ran them: missed.
 * `skip` fires none of them, `run_once` fires the latest one for them all. Later ones are on time
 * (a timer a little late, a slow pass, another console lagging when this one started), each fired.
 */
export function planFiring(schedule: FiringInput, startedAt: Date, now: Date, graceMs = START_GRACE_MS): FiringPlan {
  const { cron, time_zone: zone, fired_through: through } = schedule;
  const fire: Date[] = [];
  let handled = through;
  let missed: FiringPlan['missed'] = null;
  const onTimeAfter = new Date(startedAt.getTime() - graceMs);
  if (through < onTimeAfter) {
    const last = dueTimeBefore(cron, zone, onTimeAfter);
    if (last && last > through) {
      missed = { first: dueTimesAfter(cron, zone, through, 1)[0] ?? last, last };
      if (schedule.missed === 'run_once') fire.push(last);
      handled = last;
    }
  }
  const onTimeFrom = new Date(Math.max(handled.getTime(), onTimeAfter.getTime() - 1));
  for (const due of dueTimesAfter(cron, zone, onTimeFrom, MAX_FIRES_PER_PASS)) {
    if (due > now) break;
    fire.push(due);
    handled = due;
  }
  return { fire, through: handled, missed };
}

/** When the schedule is next due after everything handled and `now`; null when never again. */
export function nextDue(schedule: FiringInput, now: Date): Date | null {
  const from = new Date(Math.max(schedule.fired_through.getTime(), now.getTime()));
  return dueTimesAfter(schedule.cron, schedule.time_zone, from, 1)[0] ?? null;
}
