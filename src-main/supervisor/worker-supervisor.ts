import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { MAX_WORKERS_PER_KIND, type WorkerProcessInfo, type WorkersReport } from '../../src-shared/console-records';
import type { JobKind } from '../../src-shared/kinds';
import { SUPERVISOR_ID_ENV, WORKER_SLOT_ENV, isWorkerToMainMessage, type WorkerToMainMessage } from '../../src-shared/worker-protocol';
import { countReport } from '../../src-shared/worker-tally';
import { within } from '../lifecycle/within';
import { SHUTDOWN_TIMEOUT_MS, askToExit, forkWorker, type WorkerEntry } from './worker-child';
import { CRASH_LOOP_RESTARTS, childOf, freshRun, infoOf, isSettled, type AfterExit, type Phase, type Slot } from './slot';

export type { WorkerEntry };

export interface WorkerSupervisorOptions {
  entry: WorkerEntry;
  /** Environment of every worker: the service URLs and the namespace. */
  env: Record<string, string>;
  /** Processes per kind, for every kind the registry holds (see `parseWorkerCounts`). */
  counts: Record<JobKind, number>;
  onLog?: (line: string) => void;
  /** Told of each unexpected exit (the slot restarts): crash-loop alerts count them. */
  onCrash?: (supervisorId: string, slotId: string) => void;
  /** Starts one worker process for the slot; forks `entry` unless a test stands in for the processes. */
  fork?: (kind: JobKind, slotId: string) => ChildProcess;
}

/** An operator asked for a worker this supervisor does not run. */
export class UnknownWorkerError extends Error {
  override name = 'UnknownWorkerError';
}

const RESTART_MIN_MS = 500;
const RESTART_MAX_MS = 30_000;
/** A worker that lived this long before exiting restarts at once again. */
const STABLE_AFTER_MS = 30_000;

/** Spawns the configured worker processes, keeps them running, and scales them on request. */
export class WorkerSupervisor {
  private readonly slots: Slot[] = [];
  private readonly counts: Record<JobKind, number>;
  private readonly nextIndex = new Map<JobKind, number>();
  private readonly forkWorker: (kind: JobKind, slotId: string) => ChildProcess;
  /** Opaque: tells this console's workers' heartbeats from those of other consoles sharing the namespace. */
  readonly id = randomUUID();
  private closing = false;
  /** Settles once every slot is settled; made when someone waits. */
  private readyWaiter: { promise: Promise<void>; resolve: () => void } | null = null;

  constructor(private readonly options: WorkerSupervisorOptions) {
    this.counts = { ...options.counts };
    this.forkWorker = options.fork ?? ((kind, slotId) => forkWorker(options.entry, { ...options.env, [SUPERVISOR_ID_ENV]: this.id, [WORKER_SLOT_ENV]: slotId }, kind));
  }

  start(): void {
    for (const [kind, count] of Object.entries(this.counts)) this.addSlots(kind, count);
  }

  snapshot(): WorkerProcessInfo[] {
    const now = Date.now();
    return this.slots.map((slot) => infoOf(slot, now));
  }

  report(): WorkersReport {
    return { workers: this.snapshot(), counts: { ...this.counts }, max_per_kind: MAX_WORKERS_PER_KIND, supervised: true, elsewhere_unknown: false };
  }

  has(id: string): boolean {
    return this.slots.some((slot) => slot.id === id && !isLeaving(slot));
  }

  /** Runs `count` processes of `kind`: starts new ones, or stops the newest beyond it. */
  scale(kind: JobKind, count: number): void {
    if (this.closing) return;
    this.counts[kind] = count;
    const live = this.slots.filter((slot) => slot.kind === kind && !isLeaving(slot));
    if (count > live.length) {
      this.addSlots(kind, count - live.length);
      return;
    }
    for (const slot of live.slice(count).reverse()) void this.stop(slot, 'leave');
  }

  /** Stops the process gracefully and starts a fresh one in its slot (a stopped one too). */
  async restart(id: string): Promise<void> {
    const slot = this.slotOf(id);
    slot.restarts = 0;
    await this.stop(slot, 'respawn');
  }

  /** Stops the process gracefully; the slot stays `stopped` until restarted. */
  async stopWorker(id: string): Promise<void> {
    await this.stop(this.slotOf(id), 'stay-stopped');
  }

  /** Whether every worker has reported ready or was stopped by an operator. */
  isReady(): boolean {
    return this.slots.every(isSettled);
  }

  /** Resolves once `isReady()` (true), or the wait ran out (false). */
  async whenReady(timeoutMs: number): Promise<boolean> {
    if (this.isReady()) return true;
    this.readyWaiter ??= deferred();
    return within(this.readyWaiter.promise.then(() => true), timeoutMs, false);
  }

  /**
   * Asks each worker to finish what it holds and exit, saying what it waits for; kills those
   * still running after a deadline.
   */
  async close(): Promise<void> {
    this.closing = true;
    const live = this.slots.filter((slot) => childOf(slot) !== null);
    const jobs = live.reduce((sum, slot) => sum + slot.run.tally.inHand.length, 0);
    if (live.length > 0) {
      const what = jobs > 0 ? `finish ${count(jobs, 'job')}` : 'exit';
      this.options.onLog?.(`stopping: waiting for ${count(live.length, 'worker')} to ${what} (up to ${SHUTDOWN_TIMEOUT_MS / 1000} s)`);
    }
    await Promise.all(this.slots.map((slot) => this.stop(slot, 'stay-exited')));
  }

  private slotOf(id: string): Slot {
    const slot = this.slots.find((candidate) => candidate.id === id && !isLeaving(candidate));
    if (!slot) throw new UnknownWorkerError(`no worker ${id}`);
    return slot;
  }

  private addSlots(kind: JobKind, howMany: number): void {
    for (let i = 0; i < howMany; i++) {
      const index = (this.nextIndex.get(kind) ?? 0) + 1;
      this.nextIndex.set(kind, index);
      // Down until `spawn` below gives it its first process.
      const slot: Slot = { id: `${kind}-${index}`, kind, phase: { name: 'stopped' }, run: freshRun(null), restarts: 0 };
      this.slots.push(slot);
      this.spawn(slot);
    }
  }

  /** Every change of phase goes through here, so a wait for readiness hears of it. */
  private enter(slot: Slot, phase: Phase): void {
    slot.phase = phase;
    this.settleReady();
  }

  private settleReady(): void {
    if (this.readyWaiter && this.isReady()) {
      this.readyWaiter.resolve();
      this.readyWaiter = null;
    }
  }

  private spawn(slot: Slot): void {
    const child = this.forkWorker(slot.kind, slot.id);
    slot.run = freshRun(child.pid ?? null);
    this.enter(slot, { name: 'starting', child });
    child.on('message', (message) => {
      if (isWorkerToMainMessage(message) && childOf(slot) === child) this.onMessage(slot, message);
    });
    child.on('error', (error) => this.options.onLog?.(`worker ${slot.id}: ${error.message}`));
    child.on('exit', (code, signal) => {
      if (childOf(slot) === child) this.onExit(slot, child, signal ?? `code ${code}`);
    });
  }

  /**
   * Stops the slot's process gracefully (killed after the deadline) and resolves once it has
   * exited; `then` says what the slot does next, the latest ask winning.
   */
  private async stop(slot: Slot, then: AfterExit): Promise<void> {
    const { phase } = slot;
    // Closing is the weakest ask: a slot stopped, or already on its way out, keeps its course.
    const keepCourse = then === 'stay-exited';
    switch (phase.name) {
      case 'stopped':
        if (!keepCourse) this.afterExit(slot, then);
        return;
      case 'exited':
        if (phase.restart) clearTimeout(phase.restart);
        this.afterExit(slot, then);
        return;
      case 'stopping':
        if (!keepCourse) this.enter(slot, { ...phase, then });
        return phase.exited;
      default: {
        const exited = askToExit(phase.child);
        this.enter(slot, { name: 'stopping', child: phase.child, then, exited });
        return exited;
      }
    }
  }

  private afterExit(slot: Slot, then: AfterExit): void {
    slot.run.tally.inHand = [];
    if (then === 'leave') {
      this.forget(slot);
    } else if (then === 'stay-stopped') {
      this.enter(slot, { name: 'stopped' });
    } else if (then === 'respawn' && !this.closing) {
      this.spawn(slot);
    } else {
      this.enter(slot, { name: 'exited', restart: null });
    }
  }

  private forget(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    this.settleReady();
  }

  private onExit(slot: Slot, child: ChildProcess, how: string): void {
    if (slot.phase.name === 'stopping') {
      this.afterExit(slot, slot.phase.then);
      return;
    }
    if (this.closing) {
      this.afterExit(slot, 'stay-exited');
      return;
    }
    const lived = Date.now() - slot.run.startedAt;
    slot.restarts = lived > STABLE_AFTER_MS ? 0 : slot.restarts + 1;
    this.options.onCrash?.(this.id, slot.id);
    const delay = slot.restarts === 0 ? 0 : Math.min(RESTART_MIN_MS * 2 ** (slot.restarts - 1), RESTART_MAX_MS);
    this.options.onLog?.(`worker ${slot.run.name ?? `pid ${child.pid}`} (slot ${slot.id}) exited (${how}); restarting in ${delay} ms`);
    slot.run.tally.inHand = [];
    const restart = setTimeout(() => {
      if (slot.phase === waiting) this.spawn(slot);
    }, delay);
    const waiting: Phase = { name: 'exited', restart };
    this.enter(slot, waiting);
  }

  private onMessage(slot: Slot, message: WorkerToMainMessage): void {
    const { run } = slot;
    switch (message.type) {
      case 'ready':
        if (slot.phase.name === 'starting') this.enter(slot, { name: 'ready', child: slot.phase.child });
        break;
      case 'job-started':
      case 'job-finished':
      case 'job-returned':
        countReport(run.tally, message);
        break;
      case 'stats':
        run.rssBytes = message.rssBytes;
        // A slot that kept dying is trusted again once a run outlives the stable time.
        if (slot.restarts >= CRASH_LOOP_RESTARTS && Date.now() - run.startedAt > STABLE_AFTER_MS) {
          slot.restarts = 0;
          this.settleReady();
        }
        break;
      case 'fatal':
        this.options.onLog?.(`worker ${slot.id}: ${message.message}`);
        break;
    }
  }
}

function isLeaving(slot: Slot): boolean {
  return slot.phase.name === 'stopping' && slot.phase.then === 'leave';
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((settle) => (resolve = settle));
  return { promise, resolve };
}

/** `2 workers`, `1 job`. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
