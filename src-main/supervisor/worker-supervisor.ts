import { fork, type ChildProcess } from 'node:child_process';
import { MAX_WORKERS_PER_KIND, type WorkerProcessInfo, type WorkersReport } from '../../src-shared/console-records';
import { JOB_KINDS, type JobKind } from '../../src-shared/kinds';
import { isWorkerToMainMessage, type MainToWorkerMessage, type WorkerToMainMessage } from '../../src-shared/worker-protocol';

/** How to start a worker process: the entry module and the Node flags it needs. */
export interface WorkerEntry {
  modulePath: string;
  execArgv: string[];
}

export interface WorkerSupervisorOptions {
  entry: WorkerEntry;
  /** Environment of every worker: the service URLs and the namespace. */
  env: Record<string, string>;
  counts: Record<JobKind, number>;
  onLog?: (line: string) => void;
}

/** An operator asked for a worker this supervisor does not run. */
export class UnknownWorkerError extends Error {
  override name = 'UnknownWorkerError';
}

interface Slot {
  id: string;
  kind: JobKind;
  child: ChildProcess | null;
  info: WorkerProcessInfo;
  /** Jobs in hand, oldest first. */
  inHand: string[];
  restartTimer: NodeJS.Timeout | null;
  /** Stopped by an operator: stays down until restarted. */
  held: boolean;
  /** Scaled away: leaves the list once its process exited. */
  removed: boolean;
  /** Restarted by an operator: its next exit spawns again at once. */
  respawn: boolean;
}

const SHUTDOWN_TIMEOUT_MS = 10_000;
const RESTART_MIN_MS = 500;
const RESTART_MAX_MS = 30_000;
/** A worker that lived this long before exiting restarts at once again. */
const STABLE_AFTER_MS = 30_000;
/** Fast deaths in a row after which a slot is marked `crash-loop`. */
const CRASH_LOOP_RESTARTS = 3;

/** Spawns the configured worker processes, keeps them running, and scales them on request. */
export class WorkerSupervisor {
  private readonly slots: Slot[] = [];
  private readonly counts: Record<JobKind, number>;
  private readonly nextIndex: Record<JobKind, number> = { log: 0, callback: 0, email: 0 };
  private closing = false;

  constructor(private readonly options: WorkerSupervisorOptions) {
    this.counts = { ...options.counts };
  }

  start(): void {
    for (const kind of JOB_KINDS) this.addSlots(kind, this.counts[kind]);
  }

  snapshot(): WorkerProcessInfo[] {
    const now = Date.now();
    return this.slots.map((slot) => ({
      ...slot.info,
      current_job: slot.inHand.at(-1) ?? null,
      uptime_ms: slot.child ? Math.max(0, now - Date.parse(slot.info.started_at)) : 0,
    }));
  }

  report(): WorkersReport {
    return { workers: this.snapshot(), counts: { ...this.counts }, max_per_kind: MAX_WORKERS_PER_KIND, supervised: true };
  }

  has(id: string): boolean {
    return this.slots.some((slot) => slot.id === id && !slot.removed);
  }

  /** Runs `count` processes of `kind`: starts new ones, or stops the newest beyond it. */
  scale(kind: JobKind, count: number): void {
    if (this.closing) return;
    this.counts[kind] = count;
    const live = this.slots.filter((slot) => slot.kind === kind && !slot.removed);
    if (count > live.length) {
      this.addSlots(kind, count - live.length);
      return;
    }
    for (const slot of live.slice(count).reverse()) {
      slot.removed = true;
      void this.stop(slot).then(() => this.forget(slot));
    }
  }

  /** Stops the process gracefully and starts a fresh one in its slot (a stopped one too). */
  async restart(id: string): Promise<void> {
    const slot = this.slotOf(id);
    slot.held = false;
    slot.info.restarts = 0;
    if (slot.restartTimer) clearTimeout(slot.restartTimer);
    slot.restartTimer = null;
    if (!slot.child) {
      this.spawn(slot);
      return;
    }
    slot.respawn = true;
    await this.stop(slot);
  }

  /** Stops the process gracefully; the slot stays `stopped` until restarted. */
  async stopWorker(id: string): Promise<void> {
    const slot = this.slotOf(id);
    slot.held = true;
    await this.stop(slot);
    slot.info.state = 'stopped';
  }

  /** Resolves once every worker reported ready (or the wait ran out). */
  async whenReady(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.slots.every((slot) => slot.info.state === 'ready' || slot.held)) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  }

  /**
   * Asks each worker to finish what it holds and exit, saying what it waits for; kills those
   * still running after a deadline.
   */
  async close(): Promise<void> {
    this.closing = true;
    const live = this.slots.filter((slot) => isRunning(slot.child));
    const jobs = live.reduce((sum, slot) => sum + slot.inHand.length, 0);
    if (live.length > 0) {
      const what = jobs > 0 ? `finish ${count(jobs, 'job')}` : 'exit';
      this.options.onLog?.(`stopping: waiting for ${count(live.length, 'worker')} to ${what} (up to ${SHUTDOWN_TIMEOUT_MS / 1000} s)`);
    }
    await Promise.all(this.slots.map((slot) => this.stop(slot)));
  }

  private slotOf(id: string): Slot {
    const slot = this.slots.find((candidate) => candidate.id === id && !candidate.removed);
    if (!slot) throw new UnknownWorkerError(`no worker ${id}`);
    return slot;
  }

  private addSlots(kind: JobKind, howMany: number): void {
    for (let i = 0; i < howMany; i++) {
      const id = `${kind}-${++this.nextIndex[kind]}`;
      const slot: Slot = {
        id,
        kind,
        child: null,
        info: this.freshInfo(id, kind, 0),
        inHand: [],
        restartTimer: null,
        held: false,
        removed: false,
        respawn: false,
      };
      this.slots.push(slot);
      this.spawn(slot);
    }
  }

  private forget(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
  }

  private freshInfo(id: string, kind: JobKind, restarts: number): WorkerProcessInfo {
    return {
      id,
      kind,
      pid: null,
      state: 'starting',
      current_job: null,
      processed: 0,
      failed: 0,
      started_at: new Date().toISOString(),
      uptime_ms: 0,
      memory_rss_bytes: null,
      restarts,
    };
  }

  private spawn(slot: Slot): void {
    const { entry, env } = this.options;
    const child = fork(entry.modulePath, ['--kind', slot.kind], {
      execArgv: entry.execArgv,
      env: { ...process.env, ...env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // A process group of its own: a terminal's Ctrl-C reaches the console only, which then
      // stops its workers in order (each finishes its jobs in hand). Should the console die, a
      // worker sees its channel close and stops the same way.
      detached: true,
    });
    slot.child = child;
    slot.inHand = [];
    const { restarts } = slot.info;
    // A slot that keeps dying stays marked while it tries again, until a run outlives the stable time.
    const state = restarts >= CRASH_LOOP_RESTARTS ? 'crash-loop' : 'starting';
    slot.info = { ...this.freshInfo(slot.id, slot.kind, restarts), pid: child.pid ?? null, state };
    const bornAt = Date.now();
    child.on('message', (message) => {
      if (isWorkerToMainMessage(message)) this.onMessage(slot, message);
    });
    child.on('error', (error) => this.options.onLog?.(`worker ${slot.id}: ${error.message}`));
    child.on('exit', (code, signal) => this.onExit(slot, child, Date.now() - bornAt, signal ?? `code ${code}`));
  }

  private onExit(slot: Slot, child: ChildProcess, livedMs: number, how: string): void {
    if (slot.child === child) slot.child = null;
    slot.inHand = [];
    slot.info.state = slot.held ? 'stopped' : 'exited';
    if (this.closing || slot.removed || slot.held) return;
    if (slot.respawn) {
      slot.respawn = false;
      this.spawn(slot);
      return;
    }
    const restarts = livedMs > STABLE_AFTER_MS ? 0 : slot.info.restarts + 1;
    const delay = restarts === 0 ? 0 : Math.min(RESTART_MIN_MS * 2 ** (restarts - 1), RESTART_MAX_MS);
    this.options.onLog?.(`worker ${slot.id} (pid ${child.pid}) exited (${how}); restarting in ${delay} ms`);
    slot.info.restarts = restarts;
    if (restarts >= CRASH_LOOP_RESTARTS) slot.info.state = 'crash-loop';
    slot.restartTimer = setTimeout(() => {
      slot.restartTimer = null;
      if (!this.closing && !slot.removed && !slot.held && !slot.child) this.spawn(slot);
    }, delay);
  }

  private onMessage(slot: Slot, message: WorkerToMainMessage): void {
    switch (message.type) {
      case 'ready':
        // A slot that keeps dying stays marked until a run outlives the stable time.
        if (slot.info.state !== 'crash-loop') slot.info.state = 'ready';
        break;
      case 'job-started':
        slot.inHand.push(message.jobId);
        break;
      case 'job-finished':
        this.release(slot, message.jobId);
        if (message.ok) slot.info.processed++;
        else slot.info.failed++;
        break;
      case 'job-returned':
        this.release(slot, message.jobId);
        break;
      case 'stats':
        slot.info.memory_rss_bytes = message.rssBytes;
        if (slot.info.state === 'crash-loop' && Date.now() - Date.parse(slot.info.started_at) > STABLE_AFTER_MS) {
          slot.info.state = 'ready';
          slot.info.restarts = 0;
        }
        break;
      case 'fatal':
        this.options.onLog?.(`worker ${slot.id}: ${message.message}`);
        break;
    }
  }

  private release(slot: Slot, jobId: string): void {
    const index = slot.inHand.indexOf(jobId);
    if (index >= 0) slot.inHand.splice(index, 1);
  }

  private async stop(slot: Slot): Promise<void> {
    if (slot.restartTimer) clearTimeout(slot.restartTimer);
    slot.restartTimer = null;
    const child = slot.child;
    if (!child || !isRunning(child)) return;
    slot.info.state = 'stopping';
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const shutdown: MainToWorkerMessage = { type: 'shutdown' };
    if (child.connected) child.send(shutdown, () => undefined);
    else child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), SHUTDOWN_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}

function isRunning(child: ChildProcess | null): child is ChildProcess {
  return child !== null && child.exitCode === null && child.signalCode === null;
}

/** `2 workers`, `1 job`. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
