import { z } from 'zod';
import { jobKindSchema, timeSchema } from './job';

/**
 * A worker process's one name, `<host>/<pid>`: what it writes as `worker` in every job's
 * timeline, what its heartbeat is keyed by, and what the workers list and view call it.
 */
export function workerName(host: string, pid: number): string {
  return `${host}/${pid}`;
}

/** How often a worker writes its heartbeat. */
export const HEARTBEAT_EVERY_MS = 3_000;
/** A heartbeat not renewed within this long expires: its worker has gone silent (killed, cut off). */
export const HEARTBEAT_TTL_MS = 10_000;

/**
 * What a worker tells itself so far, from its heartbeat loop: `starting` until it first
 * consumes, `reconnecting` while a started-by-hand worker has lost the broker, `stopping` once
 * asked to stop.
 */
export const heartbeatStateSchema = z.enum(['starting', 'ready', 'reconnecting', 'stopping']);
export type HeartbeatState = z.infer<typeof heartbeatStateSchema>;

const count = z.number().int().min(0);

/**
 * The heartbeat every worker process (spawned by a console or started by hand) writes to Redis
 * in its namespace every {@link HEARTBEAT_EVERY_MS}, as JSON under `Names.workerKey(name)` with a
 * TTL of {@link HEARTBEAT_TTL_MS}, its name in the set `Names.workersIndex`. A clean stop
 * deletes it.
 */
export const workerHeartbeatSchema = z.object({
  /** The worker's one name, {@link workerName}. */
  name: z.string(),
  host: z.string(),
  pid: z.number().int(),
  kinds: z.array(jobKindSchema),
  state: heartbeatStateSchema,
  /** RFC 3339 UTC time the process started. */
  started_at: timeSchema,
  /** Resident set size when the heartbeat was written, in bytes. */
  memory_rss_bytes: count,
  /** Jobs this process finished DONE. */
  processed: count,
  /** Jobs whose last attempt failed in this process, so they ended FAILED: one per job, not per attempt. */
  failed: count,
  /** Failed attempts this process handed to a retry (the job goes on, here or elsewhere). */
  retried: count,
  /** ID of the newest job in hand, if any. */
  current_job: z.string().nullable(),
  /** Opaque ID of the console that spawned it; null when started by hand (`npm run worker`). */
  supervisor: z.string().nullable(),
  /** Its slot in that console (`callback-1`); null when started by hand. */
  slot: z.string().nullable(),
});
export type WorkerHeartbeat = z.infer<typeof workerHeartbeatSchema>;
