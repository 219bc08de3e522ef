import { Cron } from 'croner';
import cronstrue from 'cronstrue';

/**
 * Cron expressions of schedules, read by croner (README "Recurring schedules"): five fields
 * (minute hour day month weekday) or six with a leading seconds field (`*∕2 * * * * *`), and
 * croner's nicknames (`@daily`, `@hourly`…). Runs everywhere (main and the page).
 */

/** What is wrong with an expression, or null when croner reads it. */
export function cronProblem(expression: string): string | null {
  const fields = expression.trim().split(/\s+/).filter(Boolean);
  if (fields.length === 0) return 'must not be empty';
  if (!fields[0]!.startsWith('@') && (fields.length < 5 || fields.length > 6)) {
    return `must have 5 fields (minute hour day month weekday) or 6 with seconds first, not ${fields.length}`;
  }
  try {
    new Cron(expression, { paused: true });
    return null;
  } catch (error) {
    return `is not a cron expression: ${(error as Error).message.replace(/^CronPattern: /, '')}`;
  }
}

/** Whether `zone` is an IANA time zone this runtime knows (`UTC`, `Europe/Berlin`…). */
export function isTimeZone(zone: string): boolean {
  if (zone.trim() === '' || zone !== zone.trim()) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The due times of `expression` in `zone` strictly after `after`, at most `count`. */
export function dueTimesAfter(expression: string, zone: string, after: Date, count: number): Date[] {
  return new Cron(expression, { paused: true, timezone: zone }).nextRuns(count, after);
}

/** The last due time strictly before `before`, or null when there is none. */
export function dueTimeBefore(expression: string, zone: string, before: Date): Date | null {
  return new Cron(expression, { paused: true, timezone: zone }).previousRuns(1, before)[0] ?? null;
}

/** The expression in English (`Every 2 seconds`, `At 02:30, Monday through Friday`); null when it does not read. */
export function cronInWords(expression: string): string | null {
  if (cronProblem(expression) !== null) return null;
  try {
    return cronstrue.toString(expression.trim(), { use24HourTimeFormat: true, verbose: false });
  } catch {
    return null;
  }
}
