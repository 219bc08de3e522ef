import type { JobEvent } from '../../src-shared/events';
import { JOB_KINDS } from '../../src-shared/kinds';
import { JOB_STATUSES } from '../../src-shared/statuses';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isOneOf = (list: readonly string[], value: unknown): boolean =>
  typeof value === 'string' && list.includes(value);

/**
 * Why `value` is not a job event the console can show, or null when it is one. Checks what
 * the store and the views rely on, so one malformed event is dropped at the bridge's edge
 * instead of failing a whole batch or the window.
 */
export function jobEventProblem(value: unknown): string | null {
  if (!isRecord(value)) return 'not an object';
  if (typeof value.job_id !== 'string') return 'job_id is not a string';
  if (typeof value.version !== 'number' || !Number.isFinite(value.version)) return 'version is not a number';
  const job = value.job;
  if (!isRecord(job)) return 'job is not an object';
  if (typeof job.id !== 'string') return 'job.id is not a string';
  if (job.id !== value.job_id) return 'job.id is not job_id';
  if (!isOneOf(JOB_STATUSES, job.status)) return 'job.status is not a known status';
  if (!Array.isArray(job.transitions)) return 'job.transitions is not an array';
  if (!isOneOf(JOB_KINDS, job.kind)) return 'job.kind is not a known kind';
  return null;
}

/** The event if it is one; otherwise undefined, and a console warning that says why. */
export function checkedJobEvent(value: unknown, source: string): JobEvent | undefined {
  const problem = jobEventProblem(value);
  if (problem === null) return value as JobEvent;
  console.warn(`Jobdeck: ignored a ${source} message that is not a job event (${problem})`, value);
  return undefined;
}
