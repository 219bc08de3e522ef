import { fork, type ChildProcess } from 'node:child_process';
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

export type WorkerState = 'starting' | 'ready' | 'stopping' | 'exited';

/** What the console knows of one worker process. */
export interface WorkerInfo {
  kind: JobKind;
  pid: number | null;
  state: WorkerState;
  /** Jobs in hand right now. */
  inFlight: number;
  processed: number;
  failed: number;
  started_at: string;
  restarts: number;
}

interface Slot {
  kind: JobKind;
  child: ChildProcess | null;
  info: WorkerInfo;
  restartTimer: NodeJS.Timeout | null;
}

const SHUTDOWN_TIMEOUT_MS = 10_000;
const RESTART_MIN_MS = 500;
const RESTART_MAX_MS = 30_000;
/** A worker that lived this long before exiting restarts at once again. */
const STABLE_AFTER_MS = 30_000;

/** Spawns the configured worker processes and keeps them running until closed. */
export class WorkerSupervisor {
  private readonly slots: Slot[] = [];
  private closing = false;

  constructor(private readonly options: WorkerSupervisorOptions) {}

  start(): void {
    for (const kind of JOB_KINDS) {
      for (let i = 0; i < this.options.counts[kind]; i++) {
        const slot: Slot = { kind, child: null, info: this.freshInfo(kind, 0), restartTimer: null };
        this.slots.push(slot);
        this.spawn(slot);
      }
    }
  }

  snapshot(): WorkerInfo[] {
    return this.slots.map((slot) => ({ ...slot.info }));
  }

  /** Resolves once every worker reported ready (or the wait ran out). */
  async whenReady(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.slots.every((slot) => slot.info.state === 'ready')) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  }

  /** Asks each worker to finish what it holds and exit; kills those still running after a deadline. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((slot) => this.stop(slot)));
  }

  private freshInfo(kind: JobKind, restarts: number): WorkerInfo {
    return {
      kind,
      pid: null,
      state: 'starting',
      inFlight: 0,
      processed: 0,
      failed: 0,
      started_at: new Date().toISOString(),
      restarts,
    };
  }

  private spawn(slot: Slot): void {
    const { entry, env } = this.options;
    const child = fork(entry.modulePath, ['--kind', slot.kind], {
      execArgv: entry.execArgv,
      env: { ...process.env, ...env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    slot.child = child;
    slot.info = { ...this.freshInfo(slot.kind, slot.info.restarts), pid: child.pid ?? null };
    const bornAt = Date.now();
    child.on('message', (message) => {
      if (isWorkerToMainMessage(message)) this.onMessage(slot, message);
    });
    child.on('error', (error) => this.options.onLog?.(`worker ${slot.kind}: ${error.message}`));
    child.on('exit', (code, signal) => {
      slot.child = null;
      slot.info.state = 'exited';
      slot.info.inFlight = 0;
      if (this.closing) return;
      const lived = Date.now() - bornAt;
      const restarts = lived > STABLE_AFTER_MS ? 0 : slot.info.restarts + 1;
      const delay = restarts === 0 ? 0 : Math.min(RESTART_MIN_MS * 2 ** (restarts - 1), RESTART_MAX_MS);
      this.options.onLog?.(
        `worker ${slot.kind} (pid ${child.pid}) exited (${signal ?? `code ${code}`}); restarting in ${delay} ms`,
      );
      slot.info.restarts = restarts;
      slot.restartTimer = setTimeout(() => {
        slot.restartTimer = null;
        if (!this.closing) this.spawn(slot);
      }, delay);
    });
  }

  private onMessage(slot: Slot, message: WorkerToMainMessage): void {
    switch (message.type) {
      case 'ready':
        slot.info.state = 'ready';
        break;
      case 'job-started':
        slot.info.inFlight++;
        break;
      case 'job-finished':
        slot.info.inFlight = Math.max(0, slot.info.inFlight - 1);
        if (message.ok) slot.info.processed++;
        else slot.info.failed++;
        break;
      case 'job-returned':
        slot.info.inFlight = Math.max(0, slot.info.inFlight - 1);
        break;
      case 'fatal':
        this.options.onLog?.(`worker ${slot.kind}: ${message.message}`);
        break;
    }
  }

  private async stop(slot: Slot): Promise<void> {
    if (slot.restartTimer) clearTimeout(slot.restartTimer);
    const child = slot.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
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
