import { hostname } from 'node:os';
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobKind } from '../../../src-shared/kinds';
import type { WorkerToMainMessage } from '../../../src-shared/worker-protocol';
import { WorkerSupervisor } from '../../../src-main/supervisor/worker-supervisor';

let nextPid = 1000;

/** A worker process as the supervisor sees one: messages in and out, an exit, signals. */
class FakeChild extends EventEmitter {
  readonly pid = nextPid++;
  connected = true;
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  readonly received: unknown[] = [];
  readonly signals: string[] = [];

  constructor(readonly kind: JobKind) {
    super();
  }

  send(message: unknown, callback?: (error: Error | null) => void): boolean {
    this.received.push(message);
    callback?.(null);
    return true;
  }

  kill(signal: NodeJS.Signals): boolean {
    this.signals.push(signal);
    if (signal === 'SIGKILL') this.exit(null, signal);
    return true;
  }

  say(message: WorkerToMainMessage): void {
    this.emit('message', message);
  }

  ready(): void {
    this.say({ type: 'ready', kind: this.kind, pid: this.pid });
  }

  exit(code: number | null, signal: NodeJS.Signals | null = null): void {
    this.exitCode = code;
    this.signalCode = signal;
    this.connected = false;
    this.emit('exit', code, signal);
  }
}

let children: FakeChild[];
let lines: string[];
let crashes: string[];

function supervise(counts: Partial<Record<JobKind, number>> = { log: 1 }): WorkerSupervisor {
  const supervisor = new WorkerSupervisor({
    entry: { modulePath: 'unused', execArgv: [] },
    env: {},
    counts: { log: 0, callback: 0, email: 0, ...counts },
    onLog: (line) => lines.push(line),
    onCrash: (supervisorId, slotId) => crashes.push(`${supervisorId}/${slotId}`),
    fork: (kind) => {
      const child = new FakeChild(kind);
      children.push(child);
      return child as unknown as ChildProcess;
    },
  });
  supervisor.start();
  return supervisor;
}

const stateOf = (supervisor: WorkerSupervisor, id: string) => supervisor.snapshot().find((w) => w.slot === id)?.state;
const newest = (): FakeChild => children.at(-1)!;
const settled = async <T>(promise: Promise<T>): Promise<{ value: T } | 'pending'> =>
  Promise.race([promise.then((value) => ({ value })), new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending')))]);

beforeEach(() => {
  children = [];
  lines = [];
  crashes = [];
});

afterEach(() => {
  vi.useRealTimers();
});

describe('WorkerSupervisor readiness', () => {
  it('resolves whenReady from the last ready message, with no timer running', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval'] });
    const supervisor = supervise({ log: 1, email: 1 });
    const waiting = supervisor.whenReady(60_000);
    children[0]!.ready();
    expect(await settled(waiting)).toBe('pending');
    children[1]!.ready();
    // No fake time passes: a poll would never see it.
    expect(await settled(waiting)).toEqual({ value: true });
    expect(supervisor.snapshot().map((w) => w.state)).toEqual(['ready', 'ready']);
  });

  it('answers false when a worker is not ready in time, and true at once when all are', async () => {
    const supervisor = supervise({ log: 1 });
    expect(await supervisor.whenReady(20)).toBe(false);
    newest().ready();
    expect(await settled(supervisor.whenReady(60_000))).toEqual({ value: true });
  });

  it('counts a worker an operator stopped as settled', async () => {
    const supervisor = supervise({ log: 2 });
    children[0]!.ready();
    const waiting = supervisor.whenReady(60_000);
    expect(supervisor.isReady()).toBe(false);
    void supervisor.stopWorker('log-2');
    expect(await settled(waiting)).toEqual({ value: true });
    expect(supervisor.isReady()).toBe(true);
  });
});

describe('WorkerSupervisor figures', () => {
  it('counts jobs, not attempts: a job retried twice then FAILED is one failed and two retried', () => {
    const supervisor = supervise();
    const child = newest();
    child.ready();
    child.say({ type: 'stats', rssBytes: 50_000_000 });
    for (const outcome of ['retrying', 'retrying', 'failed', 'done'] as const) {
      child.say({ type: 'job-started', jobId: `job-${outcome}` });
      child.say({ type: 'job-finished', jobId: `job-${outcome}`, outcome });
    }
    expect(supervisor.snapshot()[0]).toMatchObject({ processed: 1, failed: 1, retried: 2, current_job: null, name: `${hostname()}/${child.pid}` });
  });

  it('shows no name, pid, memory or uptime for a slot whose process was stopped', async () => {
    const supervisor = supervise();
    newest().ready();
    newest().say({ type: 'stats', rssBytes: 50_000_000 });
    expect(supervisor.snapshot()[0]).toMatchObject({ pid: newest().pid, memory_rss_bytes: 50_000_000 });
    const stopping = supervisor.stopWorker('log-1');
    newest().exit(0);
    await stopping;
    expect(supervisor.snapshot()[0]).toMatchObject({ slot: 'log-1', state: 'stopped', name: null, pid: null, memory_rss_bytes: null, uptime_ms: 0 });
  });
});

describe('WorkerSupervisor restarts', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
  });

  it('restarts a process that died with a growing delay and marks the slot crash-loop after three fast deaths', () => {
    const supervisor = supervise();
    const delays: number[] = [];
    for (let death = 1; death <= 4; death++) {
      const forks = children.length;
      newest().exit(3);
      delays.push(Number(/restarting in (\d+) ms/.exec(lines.at(-1)!)![1]));
      vi.advanceTimersByTime(delays.at(-1)! - 1);
      expect(children).toHaveLength(forks);
      vi.advanceTimersByTime(1);
      expect(children).toHaveLength(forks + 1);
    }
    expect(delays).toEqual([500, 1_000, 2_000, 4_000]);
    expect(lines[0]).toMatch(/^worker .+\/\d+ \(slot log-1\) exited \(code 3\); restarting in 500 ms$/);
    newest().ready();
    expect(supervisor.snapshot()[0]).toMatchObject({ state: 'crash-loop', restarts: 4 });
    // Each unexpected exit is told (crash-loop alerts count them); a stop an operator asked for is not.
    expect(crashes).toEqual(Array.from({ length: 4 }, () => `${supervisor.id}/log-1`));
    void supervisor.stopWorker('log-1');
    newest().exit(0);
    expect(crashes).toHaveLength(4);
  });

  it('trusts a crash-looping slot again once a run outlives the stable time', () => {
    const supervisor = supervise();
    for (let death = 1; death <= 3; death++) {
      newest().exit(1);
      vi.runOnlyPendingTimers();
    }
    newest().ready();
    expect(stateOf(supervisor, 'log-1')).toBe('crash-loop');
    vi.advanceTimersByTime(30_001);
    newest().say({ type: 'stats', rssBytes: 1 });
    expect(supervisor.snapshot()[0]).toMatchObject({ state: 'ready', restarts: 0, memory_rss_bytes: 1 });
  });

  it('restarts at once a process that ran stably before it died', () => {
    const supervisor = supervise();
    vi.advanceTimersByTime(30_001);
    newest().exit(null, 'SIGSEGV');
    expect(lines.at(-1)).toMatch(/exited \(SIGSEGV\); restarting in 0 ms/);
    vi.advanceTimersByTime(0);
    expect(children).toHaveLength(2);
    expect(supervisor.snapshot()[0]).toMatchObject({ state: 'starting', restarts: 0, pid: newest().pid });
  });
});

describe('WorkerSupervisor operator controls', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
  });

  it('stops a process gracefully and keeps the slot down until it is restarted', async () => {
    const supervisor = supervise();
    newest().ready();
    const stopping = supervisor.stopWorker('log-1');
    expect(newest().received).toEqual([{ type: 'shutdown' }]);
    expect(stateOf(supervisor, 'log-1')).toBe('stopping');
    newest().exit(0);
    await stopping;
    expect(supervisor.snapshot()[0]).toMatchObject({ state: 'stopped', uptime_ms: 0 });
    vi.advanceTimersByTime(60_000);
    expect(children).toHaveLength(1);

    await supervisor.restart('log-1');
    expect(children).toHaveLength(2);
    expect(supervisor.snapshot()[0]).toMatchObject({ state: 'starting', pid: newest().pid, restarts: 0 });
  });

  it('restarts a running process once it has exited, at once and with no backoff', async () => {
    const supervisor = supervise();
    const first = newest();
    const restarting = supervisor.restart('log-1');
    expect(first.received).toEqual([{ type: 'shutdown' }]);
    first.exit(0);
    await restarting;
    expect(children).toHaveLength(2);
    expect(lines).toEqual([]);
  });

  it('kills a process that has not exited 10 s after it was asked to', async () => {
    const supervisor = supervise();
    const stopping = supervisor.stopWorker('log-1');
    vi.advanceTimersByTime(9_999);
    expect(newest().signals).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(newest().signals).toEqual(['SIGKILL']);
    await stopping;
    expect(stateOf(supervisor, 'log-1')).toBe('stopped');
  });

  it('sends SIGTERM to a process whose channel is gone', () => {
    const supervisor = supervise();
    newest().connected = false;
    void supervisor.stopWorker('log-1');
    expect(newest().signals).toEqual(['SIGTERM']);
  });

  it('follows the latest ask: a restart during a stop starts the process again', async () => {
    const supervisor = supervise();
    const stopping = supervisor.stopWorker('log-1');
    const restarting = supervisor.restart('log-1');
    expect(newest().received).toHaveLength(1);
    newest().exit(0);
    await Promise.all([stopping, restarting]);
    expect(children).toHaveLength(2);
    expect(stateOf(supervisor, 'log-1')).toBe('starting');
  });

  it('refuses a worker it does not run', async () => {
    const supervisor = supervise();
    await expect(supervisor.restart('log-9')).rejects.toThrow('no worker log-9');
  });
});

describe('WorkerSupervisor scaling', () => {
  it('scales up with fresh ids and down from the newest, which leaves once it has exited', () => {
    const supervisor = supervise({ log: 1 });
    supervisor.scale('log', 3);
    expect(supervisor.snapshot().map((w) => w.slot)).toEqual(['log-1', 'log-2', 'log-3']);
    supervisor.scale('log', 1);
    expect(supervisor.report().counts.log).toBe(1);
    expect(supervisor.has('log-2')).toBe(false);
    expect(supervisor.snapshot().map((w) => w.state)).toEqual(['starting', 'stopping', 'stopping']);
    children[2]!.exit(0);
    children[1]!.exit(0);
    expect(supervisor.snapshot().map((w) => w.slot)).toEqual(['log-1']);
    supervisor.scale('log', 2);
    expect(supervisor.snapshot().map((w) => w.slot)).toEqual(['log-1', 'log-4']);
    expect(lines).toEqual([]);
  });

  it('lets a stopped slot leave at once', async () => {
    const supervisor = supervise({ log: 2 });
    const stopping = supervisor.stopWorker('log-2');
    children[1]!.exit(0);
    await stopping;
    supervisor.scale('log', 1);
    expect(supervisor.snapshot().map((w) => w.slot)).toEqual(['log-1']);
  });
});

describe('WorkerSupervisor close', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
  });

  it('says what it waits for, restarts nothing, and leaves a stopped slot stopped', async () => {
    const supervisor = supervise({ log: 2, email: 1 });
    const stopping = supervisor.stopWorker('log-2');
    children[1]!.exit(0);
    await stopping;
    children[0]!.say({ type: 'job-started', jobId: 'job-1' });
    const closing = supervisor.close();
    expect(lines).toEqual(['stopping: waiting for 2 workers to finish 1 job (up to 10 s)']);
    children[0]!.exit(0);
    children[2]!.exit(1);
    await closing;
    vi.advanceTimersByTime(60_000);
    expect(children).toHaveLength(3);
    expect(supervisor.snapshot().map((w) => w.state)).toEqual(['exited', 'stopped', 'exited']);
    supervisor.scale('log', 4);
    expect(children).toHaveLength(3);
  });

  it('cancels a pending restart', async () => {
    const supervisor = supervise();
    newest().exit(1);
    await supervisor.close();
    vi.advanceTimersByTime(60_000);
    expect(children).toHaveLength(1);
    expect(stateOf(supervisor, 'log-1')).toBe('exited');
  });
});
