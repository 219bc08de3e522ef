import type { ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import type { WorkerProcessInfo, WorkerProcessState } from '../../src-shared/console-records';
import type { JobKind } from '../../src-shared/kinds';
import { workerName } from '../../src-shared/worker-heartbeat';
import { freshTally, type WorkerTally } from '../../src-shared/worker-tally';

/** What a slot does once its process has exited on request. */
export type AfterExit =
  /** Starts a fresh process at once (an operator's restart). */
  | 'respawn'
  /** Stays down until an operator restarts it. */
  | 'stay-stopped'
  /** Leaves the list (scaled away). */
  | 'leave'
  /** Stays down: the console is closing. */
  | 'stay-exited';

/**
 * Where a slot is in its life; the one place its state is kept. Only the phases with a `child`
 * have a process running.
 */
export type Phase =
  | { name: 'starting'; child: ChildProcess }
  | { name: 'ready'; child: ChildProcess }
  /** Asked to exit; `exited` settles when it has (killed after the deadline). */
  | { name: 'stopping'; child: ChildProcess; then: AfterExit; exited: Promise<void> }
  /** Down on its own; `restart` is the pending backoff (none once the console closes). */
  | { name: 'exited'; restart: NodeJS.Timeout | null }
  | { name: 'stopped' };

/** Figures of the slot's latest process. */
export interface Run {
  pid: number | null;
  /** The process's one name (as in the timelines it writes); null without a process. */
  name: string | null;
  startedAt: number;
  rssBytes: number | null;
  tally: WorkerTally;
}

export interface Slot {
  id: string;
  kind: JobKind;
  phase: Phase;
  run: Run;
  /** Fast deaths in a row (reset by a run that outlives the stable time, or by an operator). */
  restarts: number;
}

/** Fast deaths in a row after which a slot shows `crash-loop`. */
export const CRASH_LOOP_RESTARTS = 3;

/** A run of a process this console spawned: on this machine, so named after it. */
export function freshRun(pid: number | null): Run {
  return { pid, name: pid === null ? null : workerName(hostname(), pid), startedAt: Date.now(), rssBytes: null, tally: freshTally() };
}

export function childOf(slot: Slot): ChildProcess | null {
  return 'child' in slot.phase ? slot.phase.child : null;
}

/**
 * The state an operator sees. A slot that keeps dying shows `crash-loop` while it waits and
 * while it tries again, until a run outlives the stable time.
 */
export function shownState(slot: Slot): WorkerProcessState {
  const { name } = slot.phase;
  if (name === 'stopping' || name === 'stopped') return name;
  return slot.restarts >= CRASH_LOOP_RESTARTS ? 'crash-loop' : name;
}

/** Ready, or meant to stay down: what the console waits for before it says jobs can run. */
export function isSettled(slot: Slot): boolean {
  const { phase } = slot;
  if (phase.name === 'stopping') return phase.then === 'stay-stopped' || phase.then === 'leave';
  return phase.name === 'stopped' || shownState(slot) === 'ready';
}

/** The slot as listed: a slot with no process running shows no name, PID, memory or uptime. */
export function infoOf(slot: Slot, now: number): WorkerProcessInfo {
  const { run } = slot;
  const running = childOf(slot) !== null;
  return {
    name: running ? run.name : null,
    slot: slot.id,
    runs: 'this-console',
    host: hostname(),
    kinds: [slot.kind],
    pid: running ? run.pid : null,
    state: shownState(slot),
    current_job: run.tally.inHand.at(-1) ?? null,
    processed: run.tally.processed,
    failed: run.tally.failed,
    retried: run.tally.retried,
    started_at: new Date(run.startedAt).toISOString(),
    uptime_ms: running ? Math.max(0, now - run.startedAt) : 0,
    memory_rss_bytes: running ? run.rssBytes : null,
    restarts: slot.restarts,
  };
}
