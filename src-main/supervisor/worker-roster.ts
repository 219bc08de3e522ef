import type { WorkerProcessInfo, WorkersReport } from '../../src-shared/console-records';
import type { WorkerHeartbeat } from '../../src-shared/worker-heartbeat';

/** Where the heartbeats of the namespace's workers are read from (the core's Redis). */
export interface HeartbeatSource {
  read(): Promise<WorkerHeartbeat[]>;
}

/** A worker this console does not run, as its heartbeat tells it. */
export function infoOfBeat(beat: WorkerHeartbeat, now: number): WorkerProcessInfo {
  return {
    name: beat.name,
    slot: null,
    runs: beat.supervisor ? 'other-console' : 'standalone',
    host: beat.host,
    kinds: beat.kinds,
    pid: beat.pid,
    state: beat.state,
    current_job: beat.current_job,
    processed: beat.processed,
    failed: beat.failed,
    retried: beat.retried,
    started_at: beat.started_at,
    uptime_ms: Math.max(0, now - Date.parse(beat.started_at)),
    memory_rss_bytes: beat.memory_rss_bytes,
    restarts: null,
  };
}

/**
 * This console's report with every other live worker of the namespace appended. The heartbeats
 * of this console's own processes (`supervisorId`, or a name its slots carry) are left out: its
 * slots speak for them, and a killed process's heartbeat lingers until it expires. `beats` is
 * null when they could not be read.
 */
export function withOtherWorkers(own: WorkersReport, beats: WorkerHeartbeat[] | null, supervisorId: string | null, now: number): WorkersReport {
  if (beats === null) return { ...own, elsewhere_unknown: true };
  const ownNames = new Set(own.workers.map((worker) => worker.name));
  const others = beats
    .filter((beat) => beat.supervisor === null || beat.supervisor !== supervisorId)
    .filter((beat) => !ownNames.has(beat.name))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((beat) => infoOfBeat(beat, now));
  return { ...own, workers: [...own.workers, ...others] };
}
