import { fork, type ChildProcess } from 'node:child_process';
import type { JobKind } from '../../src-shared/kinds';
import type { MainToWorkerMessage } from '../../src-shared/worker-protocol';

/** How to start a worker process: the entry module and the Node flags it needs. */
export interface WorkerEntry {
  modulePath: string;
  execArgv: string[];
}

/** How long a worker asked to stop may take before it is killed. */
export const SHUTDOWN_TIMEOUT_MS = 10_000;

/** Starts one worker process of `kind`. */
export function forkWorker(entry: WorkerEntry, env: Record<string, string>, kind: JobKind): ChildProcess {
  return fork(entry.modulePath, ['--kind', kind], {
    execArgv: entry.execArgv,
    env: { ...process.env, ...env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // A process group of its own: a terminal's Ctrl-C reaches the console only, which then
    // stops its workers in order (each finishes its jobs in hand). Should the console die, a
    // worker sees its channel close and stops the same way.
    detached: true,
  });
}

/** Asks the process to finish its jobs and exit; kills it if it has not after the deadline. */
export function askToExit(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const shutdown: MainToWorkerMessage = { type: 'shutdown' };
  if (child.connected) child.send(shutdown, () => undefined);
  else child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), SHUTDOWN_TIMEOUT_MS);
  return exited.finally(() => clearTimeout(timer));
}

