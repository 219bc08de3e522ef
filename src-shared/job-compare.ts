import type { Job } from './job';
import { attemptsOf, countedAttemptsOf, durationsOf, type JobAttempt } from './job-attempts';

/**
 * Two jobs, or two attempts of one job, side by side: one row per field (each payload and
 * result key its own row), saying whether the two sides differ.
 */
export type CompareSection = 'job' | 'payload' | 'result' | 'error' | 'time' | 'worker';

export interface CompareRow {
  section: CompareSection;
  /** What the row shows: `status`, `payload.client_time`, `running`. */
  field: string;
  /** The value as text (strings as they are, anything else as JSON); null where the side has none. */
  left: string | null;
  right: string | null;
  /**
   * Values differ (compared as JSON, key order aside). Durations always differ a little: they
   * count as differing when apart by at least {@link DURATION_NOTICE_MS} and a fifth of the longer.
   */
  differs: boolean;
  /** On duration rows: right minus left, in ms, when both sides have one. */
  delta_ms?: number;
}

export const DURATION_NOTICE_MS = 100;

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are one value. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

const textOf = (value: unknown): string | null => (value === undefined || value === null ? null : typeof value === 'string' ? value : JSON.stringify(value));

function valueRow(section: CompareSection, field: string, left: unknown, right: unknown): CompareRow {
  const same = (left ?? null) === (right ?? null) || canonical(left ?? null) === canonical(right ?? null);
  return { section, field, left: textOf(left), right: textOf(right), differs: !same };
}

function durationRow(field: string, left: number | null, right: number | null): CompareRow {
  const both = left !== null && right !== null;
  const delta = both ? right - left : undefined;
  const noticed = both ? Math.abs(delta!) >= Math.max(DURATION_NOTICE_MS, Math.max(left, right) / 5) : left !== right;
  return {
    section: 'time',
    field,
    left: left === null ? null : String(left),
    right: right === null ? null : String(right),
    differs: noticed,
    ...(delta !== undefined ? { delta_ms: delta } : {}),
  };
}

/** One row per key either record has (the left's order, then the right's own); a side without the record has none of its keys. */
function recordRows(section: 'payload' | 'result', left: Record<string, unknown> | null, right: Record<string, unknown> | null): CompareRow[] {
  const [leftRecord, rightRecord] = [left ?? {}, right ?? {}];
  const keys = [...new Set([...Object.keys(leftRecord), ...Object.keys(rightRecord)])];
  return keys.map((key) => valueRow(section, `${section}.${key}`, leftRecord[key], rightRecord[key]));
}

const workersOf = (attempts: readonly JobAttempt[]): string | null => [...new Set(attempts.map((attempt) => attempt.worker))].join(', ') || null;

/** Two jobs: kind, status, attempts, payload, result, error, where the time went, and the workers. */
export function compareJobs(left: Job, right: Job): CompareRow[] {
  const [leftTime, rightTime] = [durationsOf(left), durationsOf(right)];
  return [
    valueRow('job', 'kind', left.kind, right.kind),
    valueRow('job', 'status', left.status, right.status),
    valueRow('job', 'attempts', left.attempts, right.attempts),
    ...recordRows('payload', left.payload, right.payload),
    ...recordRows('result', left.result, right.result),
    valueRow('error', 'error', left.error, right.error),
    durationRow('queued', leftTime.queued_ms, rightTime.queued_ms),
    durationRow('running', leftTime.running_ms, rightTime.running_ms),
    durationRow('total', leftTime.total_ms, rightTime.total_ms),
    valueRow('worker', 'worker', workersOf(attemptsOf(left)), workersOf(attemptsOf(right))),
  ];
}

/** Two attempts of one job (by number; a given-back run is none): how each ended, result, error, how long it ran, and its worker; the payload is the job's. */
export function compareAttempts(job: Job, leftNumber: number, rightNumber: number): CompareRow[] | null {
  const attempts = countedAttemptsOf(job);
  const left = attempts.find((attempt) => attempt.number === leftNumber);
  const right = attempts.find((attempt) => attempt.number === rightNumber);
  if (!left || !right) return null;
  return [
    valueRow('job', 'outcome', left.outcome ?? 'running', right.outcome ?? 'running'),
    // Two attempts never start at one time: shown, not flagged.
    { ...valueRow('job', 'started', left.started_at, right.started_at), differs: false },
    ...recordRows('payload', job.payload, job.payload),
    ...recordRows('result', left.result, right.result),
    valueRow('error', 'error', left.error, right.error),
    durationRow('running', left.duration_ms, right.duration_ms),
    valueRow('worker', 'worker', left.worker, right.worker),
  ];
}
