import { within } from '../waits';
import type { JobContext } from './handler';

/** The job as a user handler gets it: a module's first argument, a command's stdin line, an http body. */
export interface UserJob {
  id: string;
  kind: string;
  payload: unknown;
  attempt: number;
}

export function userJob({ job, attempt }: JobContext): UserJob {
  return { id: job.uuid, kind: job.kind, payload: job.extra_data, attempt };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A user handler's answer as a job result, which is always a JSON object: an object is kept,
 * nothing (`undefined`, `null`) is `{}`, any other JSON value is wrapped as `{"value": …}`.
 * Throws when the answer is not JSON (a cycle, a BigInt).
 */
export function resultOf(value: unknown, source: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  let copy: unknown;
  try {
    copy = JSON.parse(JSON.stringify(value) ?? 'null');
  } catch (error) {
    throw new Error(`${source} returned a result that is not JSON: ${(error as Error).message}`);
  }
  return isPlainObject(copy) ? copy : { value: copy };
}

/** Longest an attempt's end waits for its last progress write (a stalled Redis must not hold it). */
export const PROGRESS_SETTLE_MS = 2_000;

/**
 * Progress reports of one attempt, as whole percents (0–100), coalesced: one write at a time, and while
 * it is in flight only the newest value waits (a command may print thousands of lines a second,
 * each write an event on the shared stream). A value equal to the last taken is skipped.
 * `report()` resolves once its value or a later one is written.
 */
export class ProgressReporter {
  private pending: number | undefined;
  private taken: number | undefined;
  private writing: Promise<void> = Promise.resolve();
  private busy = false;

  constructor(private readonly reportProgress: JobContext['reportProgress']) {}

  report(percent: unknown): Promise<void> {
    const value = Number(percent);
    if (!Number.isFinite(value)) return this.writing;
    const percentage = Math.round(Math.min(100, Math.max(0, value)));
    if (percentage === this.taken) return this.writing;
    this.taken = percentage;
    this.pending = percentage;
    if (!this.busy) this.writing = this.drain();
    return this.writing;
  }

  /** The last value's write, waited for at most PROGRESS_SETTLE_MS (a failed write is let go). */
  settled(): Promise<void> {
    return within(this.writing, PROGRESS_SETTLE_MS);
  }

  private async drain(): Promise<void> {
    this.busy = true;
    try {
      while (this.pending !== undefined) {
        const value = this.pending;
        this.pending = undefined;
        await this.reportProgress(value).catch(() => undefined);
      }
    } finally {
      this.busy = false;
    }
  }
}
