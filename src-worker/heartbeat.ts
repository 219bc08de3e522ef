import type { WorkerHeartbeats } from '../src-shared/node/worker-heartbeats';
import { redactText } from '../src-shared/redact';
import type { JobKind } from '../src-shared/kinds';
import { HEARTBEAT_EVERY_MS, type HeartbeatState, type WorkerHeartbeat } from '../src-shared/worker-heartbeat';
import type { WorkerTally } from '../src-shared/worker-tally';
import { within } from './waits';

/** How long a stopping worker tries to remove its heartbeat (Redis may be down; it then expires). */
const REMOVE_WITHIN_MS = 1_000;

export interface HeartbeatOptions {
  heartbeats: WorkerHeartbeats;
  /** The heartbeat as of now. */
  beat: () => WorkerHeartbeat;
  log: (line: string) => void;
}

/** Stops the heartbeat and removes it, so the worker leaves the lists at once. */
export interface Heartbeat {
  stop(): Promise<void>;
}

/**
 * Writes the worker's heartbeat now and every {@link HEARTBEAT_EVERY_MS}, one write at a time
 * (a Redis outage does not pile them up); the timer never keeps the process alive.
 */
export function startHeartbeat({ heartbeats, beat, log }: HeartbeatOptions): Heartbeat {
  let writing: Promise<void> | null = null;
  let failing = false;
  const write = (): void => {
    if (writing) return;
    writing = heartbeats
      .write(beat())
      .then(
        () => void (failing = false),
        (error: Error) => {
          if (!failing) log(`heartbeat not written (${redactText(error.message)}); this worker may be missing from the workers list meanwhile`);
          failing = true;
        },
      )
      .finally(() => (writing = null));
  };
  write();
  const timer = setInterval(write, HEARTBEAT_EVERY_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      // A write still on its way (one resent after a reconnect) must not land after the removal.
      const removed = Promise.resolve(writing).then(() => heartbeats.remove(beat().name));
      await within(removed, REMOVE_WITHIN_MS).catch(() => undefined);
    },
  };
}

/** Who a worker is: fixed for the life of its process. */
export interface WorkerIdentity {
  name: string;
  host: string;
  pid: number;
  kinds: JobKind[];
  /** RFC 3339 UTC. */
  startedAt: string;
  /** The spawning console's ID and the slot it runs in; null when started by hand. */
  supervisor: string | null;
  slot: string | null;
}

/** The heartbeat of `identity` as of now. */
export function beatOf(identity: WorkerIdentity, tally: WorkerTally, state: HeartbeatState): WorkerHeartbeat {
  const { name, host, pid, kinds, startedAt, supervisor, slot } = identity;
  return {
    name,
    host,
    pid,
    kinds,
    state,
    started_at: startedAt,
    memory_rss_bytes: process.memoryUsage().rss,
    processed: tally.processed,
    failed: tally.failed,
    retried: tally.retried,
    current_job: tally.inHand.at(-1) ?? null,
    supervisor,
    slot,
  };
}
