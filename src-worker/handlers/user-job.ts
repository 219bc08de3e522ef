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

/**
 * Progress reports of one attempt, clamped to 0–100 and written one after another so they land
 * in order; `settled()` waits for the last before the attempt's end is written.
 */
export class ProgressReporter {
  private last: Promise<void> = Promise.resolve();

  constructor(private readonly reportProgress: JobContext['reportProgress']) {}

  report(percent: unknown): Promise<void> {
    const value = Number(percent);
    if (!Number.isFinite(value)) return this.last;
    const clamped = Math.min(100, Math.max(0, value));
    this.last = this.last.then(() => this.reportProgress(clamped)).catch(() => undefined);
    return this.last;
  }

  settled(): Promise<void> {
    return this.last;
  }
}
