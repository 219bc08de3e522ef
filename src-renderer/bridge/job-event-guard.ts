import type { BatchEvent, JobEvent, ResyncEvent } from '../../src-shared/events';
import { KIND_NAME_PATTERN } from '../../src-shared/kinds';
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
  if (typeof job.kind !== 'string' || !KIND_NAME_PATTERN.test(job.kind)) return 'job.kind is not a kind name';
  return null;
}


/** Why `value` is not a batch fan-in event, or null when it is one. */
export function batchEventProblem(value: unknown): string | null {
  if (!isRecord(value)) return 'not an object';
  if (value.type !== 'batch') return 'type is not batch';
  if (typeof value.batch_id !== 'string') return 'batch_id is not a string';
  if (typeof value.id !== 'string') return 'id is not a string';
  if (!isRecord(value.counts)) return 'counts is not an object';
  if (!Array.isArray(value.job_ids)) return 'job_ids is not an array';
  return null;
}

/** Why `value` is not a resync event, or null when it is one. */
export function resyncEventProblem(value: unknown): string | null {
  if (!isRecord(value)) return 'not an object';
  if (value.type !== 'resync') return 'type is not resync';
  if (typeof value.resume_after !== 'string') return 'resume_after is not a string';
  return null;
}

function checked<T>(problemOf: (value: unknown) => string | null, what: string) {
  return (value: unknown, source: string): T | undefined => {
    const problem = problemOf(value);
    if (problem === null) return value as T;
    console.warn(`Jobdeck: ignored a ${source} message that is not a ${what} (${problem})`, value);
    return undefined;
  };
}

export const checkedBatchEvent = checked<BatchEvent>(batchEventProblem, 'batch event');
export const checkedResyncEvent = checked<ResyncEvent>(resyncEventProblem, 'resync event');

/** The event if it is one; otherwise undefined, and a console warning that says why. */
export const checkedJobEvent = checked<JobEvent>(jobEventProblem, 'job event');
