import type { Job } from './job';
import type { JobKind } from './kinds';
import type { JobStatus } from './statuses';

/** One change of one job, as the event stream, SSE, IPC and the console carry it. */
export interface JobEvent {
  /** Stream ID (`<ms>-<seq>`), ordered: a client resumes after the last one it saw. */
  id: string;
  job_id: string;
  kind: JobKind;
  status: JobStatus;
  /** Per-job counter: an event with a higher version supersedes a lower one. */
  version: number;
  /** The whole job after the change. */
  job: Job;
}

/**
 * Turns the flat field list of a stream entry into an event; undefined if it is not one (a
 * foreign entry, bad JSON, or an entry trimmed away while pending, which Redis returns as nil).
 */
export function parseStreamEntry(id: string, fields: readonly string[] | null): JobEvent | undefined {
  if (!fields) return undefined;
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i]!, fields[i + 1]!);
  let job: Job;
  try {
    job = JSON.parse(map.get('job') ?? '') as Job;
  } catch {
    return undefined;
  }
  if (typeof job !== 'object' || job === null || typeof job.id !== 'string') return undefined;
  return {
    id,
    job_id: job.id,
    kind: job.kind,
    status: job.status,
    version: Number(map.get('version') ?? 0),
    job,
  };
}

/** Orders two stream IDs (`<ms>-<seq>`): negative if `a` came first. */
export function compareEventIds(a: string, b: string): number {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
}

export const EVENT_ID_PATTERN = /^\d{1,20}-\d{1,20}$/;
